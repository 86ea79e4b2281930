//! A real Chromium at a chosen screen width (a phone's 375 pixels, a laptop's 1280), for tests
//! that look at one page at several widths and keep screenshots of it. Skipped like
//! `chromium::browser` where Chromium is not installed (a failure when
//! `UNDERSIGNED_TEST_REQUIRE_BROWSER=1`).

use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};

const CHROMIUM: &str = "/usr/lib/chromium/chromium";

/// chromedriver and a browser session at one width, in a fresh profile; both stop when dropped.
pub struct SizedBrowser {
    pub client: Client,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A browser whose screen is `width` CSS pixels wide (and 900 high), or `None` with a notice
/// when chromedriver or Chromium is missing.
pub async fn browser_at(width: u32) -> Option<SizedBrowser> {
    let missing = ["chromedriver", CHROMIUM]
        .into_iter()
        .find(|p| which(p).is_none());
    if let Some(missing) = missing {
        assert!(
            std::env::var("UNDERSIGNED_TEST_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "the browser test is required but {missing} is not installed"
        );
        let _ = writeln!(
            std::io::stderr(),
            "\nNOTICE: {missing} is not installed; the browser test is SKIPPED.\n"
        );
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Driver(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let profile = tempfile::tempdir().unwrap();
    let capabilities = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            // Headless windows are at least 500 pixels wide: the viewport is emulated.
            "mobileEmulation": { "deviceMetrics": { "width": width, "height": 900, "pixelRatio": 1.0 } },
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     format!("--window-size={width},900"), format!("--user-data-dir={}", profile.path().display())]
        }
    });
    let capabilities = capabilities.as_object().unwrap().clone();
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        if let Ok(client) = ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(&url)
            .await
        {
            return Some(SizedBrowser {
                client,
                _driver: driver,
                _profile: profile,
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {url}");
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    if program.starts_with('/') {
        return std::path::Path::new(program)
            .exists()
            .then(|| program.into());
    }
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| std::path::Path::new(dir).join(program))
        .find(|p| p.exists())
}

/// Saves the visible part of the page as `target/screenshots/{name}.png` (the folder is made
/// when missing) and returns the file's path.
pub async fn screenshot(client: &Client, name: &str) -> std::path::PathBuf {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join(format!("{name}.png"));
    let png = client.screenshot().await.expect("a screenshot");
    std::fs::write(&path, png).unwrap();
    path
}
