//! The pages in a real browser (headless Chromium through chromedriver) on a 375-pixel-wide
//! screen: a coordinator logs in, drafts a letter with a preview and saves it, all with plain
//! forms, and no page is wider than the screen.

use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::partners::sign_path_of;
use crate::support::{Backend, PASSWORD, TestApp};

storage_test!(pages_work_with_plain_forms_on_a_phone);

const CHROMIUM: &str = "/usr/lib/chromium/chromium";
const WIDTH: u32 = 375;

/// chromedriver and a browser session in a fresh profile; both stop when dropped.
struct Browser {
    client: Client,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

/// The chromedriver process, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a browser, or says loudly why the browser test is skipped (a failure in CI, which
/// sets UNDERSIGNED_TEST_REQUIRE_BROWSER=1).
async fn browser() -> Option<Browser> {
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
            "mobileEmulation": { "deviceMetrics": { "width": WIDTH, "height": 812, "pixelRatio": 2.0 } },
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     format!("--window-size={WIDTH},812"), format!("--user-data-dir={}", profile.path().display())]
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
async fn wait_for_text(client: &Client, text: &str) -> String {
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
async fn widths(client: &Client) -> (u64, u64) {
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

async fn pages_work_with_plain_forms_on_a_phone(backend: Backend) {
    let Some(browser) = browser().await else {
        return;
    };
    let app = TestApp::spawn(backend).await;
    app.api_token("coordinator@example.org", Role::Coordinator)
        .await;
    let c = &browser.client;

    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys("coordinator@example.org")
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "New letter").await;
    assert!(
        c.current_url().await.unwrap().path().starts_with("/app"),
        "logged in through the plain form"
    );

    c.goto(&app.url("/app/letters/new")).await.unwrap();
    c.find(Locator::Id("title"))
        .await
        .unwrap()
        .send_keys("Joint Letter to the UN Secretary-General on Xinjiang")
        .await
        .unwrap();
    c.find(Locator::Id("addressee"))
        .await
        .unwrap()
        .send_keys("António Guterres, Secretary-General of the United Nations")
        .await
        .unwrap();
    c.find(Locator::Id("body_markdown"))
        .await
        .unwrap()
        .send_keys("We **urge** you to act.")
        .await
        .unwrap();
    c.find(Locator::Css("button[value=preview]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "<h2>Preview</h2>").await;
    let preview = c
        .find(Locator::Css(".letter-text strong"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(preview, "urge");
    c.find(Locator::Css("button[value=save]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "The draft is saved as version 1.").await;
    let dashboard = c.current_url().await.unwrap();
    assert!(dashboard.path().starts_with("/app/letters/"), "{dashboard}");
    let letter = dashboard.path().to_string();

    c.goto(&app.url(&format!("{letter}/invite"))).await.unwrap();
    c.find(Locator::Id("list")).await.unwrap().send_keys("Human Rights Watch, hrw@example.org, lead, US\nFIDH – International Federation for Human Rights, fidh@example.org").await.unwrap();
    c.find(Locator::Css("form[action$='/invite/paste'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "2 invited").await;

    // The partner's page on the same phone: the link an email would carry, followed and answered.
    let link = sign_path_of(&app, "Human Rights Watch").await;
    c.goto(&app.url(&link)).await.unwrap();
    assert_eq!(
        c.current_url().await.unwrap().path(),
        "/sign",
        "the token left the address bar"
    );
    let (page, screen) = widths(c).await;
    assert!(
        page <= screen,
        "the sign page is {page} pixels wide on a {screen}-pixel screen"
    );
    c.find(Locator::Css("input[name=decision][value=sign]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Id("signer_name"))
        .await
        .unwrap()
        .send_keys("Tirana Hassan")
        .await
        .unwrap();
    c.find(Locator::Id("signer_title"))
        .await
        .unwrap()
        .send_keys("Executive Director")
        .await
        .unwrap();
    c.find(Locator::Css("form[action='/sign'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "signature is recorded").await;
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(std::env::temp_dir().join("undersigned-sign-375.png"), png);
    }

    for path in [
        "/",
        "/login",
        "/app",
        letter.as_str(),
        &format!("{letter}/edit"),
        &format!("{letter}/history"),
        &format!("{letter}/invite"),
        &format!("{letter}/audit"),
        "/app/organizations",
        "/app/organizations/new",
        "/app/organizations/import",
        "/app/account",
    ] {
        c.goto(&app.url(path)).await.unwrap();
        let (page, screen) = widths(c).await;
        assert_eq!(
            screen,
            u64::from(WIDTH),
            "the browser shows a phone-sized screen"
        );
        assert!(
            page <= screen,
            "{path} is {page} pixels wide on a {screen}-pixel screen"
        );
    }
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(
            std::env::temp_dir().join("undersigned-account-375.png"),
            png,
        );
    }
    c.goto(&app.url(&letter)).await.unwrap();
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(
            std::env::temp_dir().join(format!("undersigned-dashboard-375-{backend:?}.png")),
            png,
        );
    }
}
