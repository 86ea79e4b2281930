//! A real browser for tests: headless Chromium through chromedriver, showing pages on a
//! 375-pixel-wide phone screen, started in a fresh profile and stopped when dropped. Where
//! Chromium is not installed, the tests that need it are skipped with a notice (a failure when
//! `UNDERSIGNED_TEST_REQUIRE_BROWSER=1`, as in CI).

use std::io::Write;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

/// Debian's chromium itself, not its wrapper script.
const CHROMIUM: &str = "/usr/lib/chromium/chromium";
/// A phone's screen width in CSS pixels.
pub const WIDTH: u32 = 375;

/// chromedriver and a browser session in a fresh profile; both stop when dropped.
pub struct Browser {
    pub client: Client,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

/// The chromedriver process in a process group of its own, stopped with every browser process
/// it started when dropped (killing chromedriver alone would leave Chromium running).
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a browser with a phone's screen, or says loudly why the browser test is skipped (a
/// failure in CI, which sets UNDERSIGNED_TEST_REQUIRE_BROWSER=1).
pub async fn browser() -> Option<Browser> {
    browser_with_screen(WIDTH, 812, 2.0).await
}

/// Starts a browser whose screen is `width` × `height` CSS pixels at `pixel_ratio`, or `None`
/// with a notice (a failure when UNDERSIGNED_TEST_REQUIRE_BROWSER=1) when it is not installed.
pub async fn browser_with_screen(width: u32, height: u32, pixel_ratio: f64) -> Option<Browser> {
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
            "\nNOTICE: {missing} is not installed; the browser test is SKIPPED. \
             Install it with `apt-get install chromium chromium-driver`.\n"
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
            .process_group(0)
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
            // Headless windows are at least 500 pixels wide; emulate a phone's viewport instead.
            "mobileEmulation": { "deviceMetrics": { "width": width, "height": height, "pixelRatio": pixel_ratio } },
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     format!("--window-size={width},{height}"), format!("--user-data-dir={}", profile.path().display())]
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
            return Some(Browser {
                client,
                _driver: driver,
                _profile: profile,
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {url}");
}

/// Fails the test unless the screen is a phone's and the page shown is no wider than it.
pub async fn assert_fits(client: &Client, what: &str) {
    let (page, screen) = widths(client).await;
    assert_eq!(screen, u64::from(WIDTH), "a phone-sized screen");
    assert!(
        page <= screen,
        "{what} is {page} pixels wide on a {screen}-pixel screen"
    );
}

/// Where a program is: an absolute path as given, else found on `PATH`.
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

/// Waits for the navigation a click started to land on a page whose text holds `text`.
pub async fn wait_for_text(client: &Client, text: &str) -> String {
    for _ in 0..100 {
        if let Ok(source) = client.source().await
            && source.contains(text)
        {
            return source;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "no page with “{text}” appeared: {}",
        client.source().await.unwrap_or_default()
    );
}

/// The page's layout width, and the width of the screen it is shown on.
pub async fn widths(client: &Client) -> (u64, u64) {
    let value = client
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    let pair = value.as_array().unwrap();
    (pair[0].as_u64().unwrap(), pair[1].as_u64().unwrap())
}

/// Logs in through the plain login form at `base` and waits for the overview.
pub async fn log_in(client: &Client, base: &str, email: &str, password: &str) {
    client.goto(&format!("{base}/login")).await.unwrap();
    client
        .find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    client
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    client
        .find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(client, "New letter").await;
}

/// Whether the element `selector` finds is inside the screen from left to right (fails the
/// test when nothing matches).
pub async fn fully_on_screen(client: &Client, selector: &str) -> bool {
    let script = "const e = document.querySelector(arguments[0]); if (!e) return null; \
                  const r = e.getBoundingClientRect(); \
                  return r.left >= 0 && r.right <= window.innerWidth;";
    let value = client
        .execute(script, vec![serde_json::json!(selector)])
        .await
        .unwrap();
    value
        .as_bool()
        .unwrap_or_else(|| panic!("nothing on the page matches {selector}"))
}
