//! A real SMTP server over TCP for the mail tests: aiosmtpd (from PyPI) started as a child
//! process on a free port, writing a Maildir that `messages()` reads back through Python's own
//! email parser. It can be stopped and started again on the same port. Without aiosmtpd the
//! tests that need it are skipped with a notice, unless `UNDERSIGNED_TEST_REQUIRE_SMTP=1`.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tempfile::TempDir;

/// The folder of `smtp_server.py`, beside this file.
fn script_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/app/support")
}

/// Whether aiosmtpd can run; tells once, loudly, when it cannot.
pub fn smtp_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        let found = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if found {
            return true;
        }
        if std::env::var("UNDERSIGNED_TEST_REQUIRE_SMTP").is_ok_and(|v| v == "1") {
            panic!(
                "aiosmtpd is required (UNDERSIGNED_TEST_REQUIRE_SMTP=1) but `python3 -c 'import aiosmtpd'` failed"
            );
        }
        let _ = writeln!(
            std::io::stderr(),
            "\nNOTICE: python3 cannot import aiosmtpd. The tests that deliver email to a real SMTP\n\
             server are SKIPPED. Install it with `python3 -m pip install aiosmtpd`;\n\
             UNDERSIGNED_TEST_REQUIRE_SMTP=1 turns this skip into a failure.\n"
        );
        false
    })
}

/// One received message, as a mail client would show it.
#[derive(Debug, Clone, Deserialize)]
pub struct Received {
    /// The header block exactly as it arrived (encoded words not decoded).
    pub raw_headers: String,
    /// Decoded header values by lowercase name (the last one wins).
    pub headers: std::collections::HashMap<String, String>,
    pub header_names: Vec<String>,
    pub content_type: String,
    pub text: Option<String>,
    pub html: Option<String>,
}

impl Received {
    /// A decoded header; fails the test when the message has none of that name.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(&name.to_lowercase())
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no {name} header in {}", self.raw_headers))
    }
}

/// aiosmtpd on a port of its own, writing what it accepts to a Maildir; stopped when dropped.
pub struct SmtpServer {
    pub port: u16,
    maildir: TempDir,
    child: Option<Child>,
    reject_prefix: String,
}

impl SmtpServer {
    /// Starts a server on a free port that refuses recipients starting with "bounce".
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut server = Self {
            port,
            maildir: tempfile::tempdir().expect("a Maildir folder"),
            child: None,
            reject_prefix: "bounce".into(),
        };
        server.resume();
        server
    }

    /// `smtp://127.0.0.1:{port}`, for `mail.smtp_url`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops the server: connections are refused until `resume`.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts again on the same port and Maildir, refusing recipients that start with
    /// `reject_prefix` ("" for none).
    pub fn resume_rejecting(&mut self, reject_prefix: &str) {
        self.reject_prefix = reject_prefix.into();
        self.resume();
    }

    /// Starts (again) on the same port and Maildir; returns once it accepts connections.
    pub fn resume(&mut self) {
        self.stop();
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "smtp_server.Handler"])
            .arg(self.maildir.path().join("Maildir"))
            .env("PYTHONPATH", script_dir())
            .env("TEST_SMTP_REJECT", &self.reject_prefix)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        self.child = Some(child);
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "aiosmtpd did not start on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<Received> {
        let maildir = self.maildir.path().join("Maildir");
        if !maildir.exists() {
            return Vec::new();
        }
        let output = Command::new("python3")
            .arg(script_dir().join("smtp_server.py"))
            .arg("dump")
            .arg(&maildir)
            .output()
            .expect("read the Maildir");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("the Maildir as JSON")
    }

    /// Waits until at least `count` messages arrived, and returns them all; fails the test
    /// when they have not after `within`.
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(
                started.elapsed() < within,
                "{count} messages within {within:?}, got {}",
                messages.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until at least `count` messages to this address arrived, and returns those; fails
    /// the test when they have not after `within`.
    pub async fn wait_for_messages_to(
        &self,
        address: &str,
        count: usize,
        within: Duration,
    ) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let found: Vec<Received> = self
                .messages()
                .into_iter()
                .filter(|m| m.header("to").contains(address))
                .collect();
            if found.len() >= count {
                return found;
            }
            assert!(
                started.elapsed() < within,
                "{count} messages to {address} within {within:?}, got {}",
                found.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The app delivering to this SMTP server, looking at its queue every 100 ms and unpaced; the
/// tests that read email start its worker themselves (`start_worker`).
pub async fn app_delivering_to(
    backend: super::Backend,
    smtp: &SmtpServer,
    extra: &[(&str, &str)],
) -> super::TestApp {
    let url = smtp.url();
    let mut overrides = vec![
        ("UNDERSIGNED_MAIL__SMTP_URL", url.as_str()),
        ("UNDERSIGNED_MAIL__POLL_INTERVAL_MS", "100"),
        ("UNDERSIGNED_MAIL__RATE_PER_SECOND", "0"),
    ];
    overrides.extend_from_slice(extra);
    super::TestApp::spawn_with(backend, &overrides).await
}
