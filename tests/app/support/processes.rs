//! The `undersigned` binary run as operators run it: one-off commands, and long-running `serve`
//! and `worker` processes whose log is collected, stopped with SIGTERM as a service manager would.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::TestDatabase;

/// The binary in the test's folder, on the test's database, with a clean `UNDERSIGNED_` slate.
pub fn command(db: &TestDatabase, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_undersigned"));
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("UNDERSIGNED_")) {
        command.env_remove(key);
    }
    command
        .args(args)
        .current_dir(db.dir.path())
        .env("UNDERSIGNED_DATABASE__URL", &db.url)
        .env_remove("RUST_LOG");
    command
}

/// A shell command line as an operator types it (`sh -c`), with `undersigned` on the `PATH`,
/// in the test's folder, on the test's database unless the line says otherwise.
pub fn shell(db: &TestDatabase, line: &str) -> Command {
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_undersigned"));
    let path = format!(
        "{}:{}",
        binary.parent().expect("the binary's folder").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("sh");
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("UNDERSIGNED_")) {
        command.env_remove(key);
    }
    command
        .args(["-c", line])
        .current_dir(db.dir.path())
        .env("PATH", path)
        .env("UNDERSIGNED_DATABASE__URL", &db.url)
        .env("UNDERSIGNED_LOG__FILTER", "warn")
        .env_remove("RUST_LOG");
    command
}

/// Runs a command to its end, with `stdin` as its standard input.
pub fn run(db: &TestDatabase, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = command(db, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run undersigned");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("a standard input")
            .write_all(input.as_bytes())
            .expect("write the standard input");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("undersigned ran")
}

/// A long-running `undersigned` process and everything it has logged so far.
pub struct Process {
    child: Child,
    log: Arc<Mutex<String>>,
    /// Takes the log off the process's standard error until it closes.
    reader: Option<std::thread::JoinHandle<()>>,
    /// The port `serve` bound (0 for a worker).
    pub port: u16,
}

impl Process {
    /// `undersigned serve` (with `extra` arguments such as `--no-worker`) on a free port of
    /// 127.0.0.1; returns once it logged the port it serves on.
    pub fn serve(db: &TestDatabase, extra: &[&str], env: &[(&str, &str)]) -> Self {
        let mut args = vec!["serve"];
        args.extend_from_slice(extra);
        let mut process = Self::start(
            db,
            &args,
            env,
            &[("UNDERSIGNED_SERVER__LISTEN", "127.0.0.1:0")],
        );
        process.port = process.wait_for_log(|line| {
            let rest = line.split("Undersigned is serving").nth(1)?;
            rest.split("port=").nth(1)?.split(' ').next()?.parse().ok()
        });
        process
    }

    /// `undersigned worker`; returns once it logged that it delivers email.
    pub fn worker(db: &TestDatabase, env: &[(&str, &str)]) -> Self {
        let process = Self::start(db, &["worker"], env, &[]);
        process.wait_for_log(|line| {
            line.contains("Undersigned is delivering email")
                .then_some(())
        });
        process
    }

    /// Starts the binary with these arguments, settings and defaults, collecting its log.
    fn start(
        db: &TestDatabase,
        args: &[&str],
        env: &[(&str, &str)],
        defaults: &[(&str, &str)],
    ) -> Self {
        let mut command = command(db, args);
        command.env("UNDERSIGNED_SERVER__WORKERS", "1");
        for (key, value) in defaults.iter().chain(env) {
            command.env(key, value);
        }
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start undersigned");
        let log = Arc::new(Mutex::new(String::new()));
        let reader = BufReader::new(child.stderr.take().expect("a standard error"));
        let sink = log.clone();
        let reader = std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Self {
            child,
            log,
            reader: Some(reader),
            port: 0,
        }
    }

    /// Waits (at most 30 s) for a log line that `find` recognises, and returns what it found.
    fn wait_for_log<T>(&self, find: impl Fn(&str) -> Option<T>) -> T {
        let started = Instant::now();
        loop {
            if let Some(found) = self.log().lines().find_map(&find) {
                return found;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "undersigned did not start: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// `http://127.0.0.1:{port}`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Sends SIGTERM and waits for the process to end: whether it exited cleanly, and its log.
    pub fn stop(mut self) -> (bool, String) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM was delivered");
        let status = self.child.wait().expect("the process ends");
        if let Some(reader) = self.reader.take() {
            reader.join().expect("the log reader ends with the process");
        }
        (status.success(), self.log())
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
