//! The pages in a real browser (headless Chromium through chromedriver) on a 375-pixel-wide
//! screen: a coordinator logs in, drafts a letter with a preview and saves it, all with plain
//! forms, and no page is wider than the screen.

use fantoccini::Locator;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::chromium::{WIDTH, browser, log_in, wait_for_text, widths};
use crate::support::partners::sign_path_of;
use crate::support::{Backend, PASSWORD, TestApp};

storage_test!(pages_work_with_plain_forms_on_a_phone);

async fn pages_work_with_plain_forms_on_a_phone(backend: Backend) {
    let Some(browser) = browser().await else {
        return;
    };
    let app = TestApp::spawn(backend).await;
    app.api_token("coordinator@example.org", Role::Coordinator)
        .await;
    let c = &browser.client;

    log_in(c, &app.address, "coordinator@example.org", PASSWORD).await;
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
