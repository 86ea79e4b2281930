//! The pages in a real browser (headless Chromium through chromedriver) on a 375-pixel-wide
//! screen: a coordinator logs in, drafts a letter with a preview and saves it, invites through
//! a refused list and the review page, is asked before revoking a signatory, all with plain forms,
//! and no page is wider than the screen.

use fantoccini::{Client, Locator};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::chromium::{WIDTH, browser, log_in, wait_for_text, widths};
use crate::support::invitations::invitation_named;
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

    // Inviting: a list with a bad line comes back with the reason beside it and the list kept;
    // the corrected list is reviewed (the email in its frame, a personal message previewed),
    // and only Send queues the invitations.
    c.goto(&app.url(&format!("{letter}/invite"))).await.unwrap();
    let list = c.find(Locator::Id("list")).await.unwrap();
    list.send_keys("Human Rights Watch, hrw@example.org, lead, US\nFIDH – International Federation for Human Rights, fidh@example")
        .await
        .unwrap();
    c.find(Locator::Css("form[action$='/invite/paste'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "Correct these lines").await;
    assert_fits(c, "the refused list").await;
    let list = c.find(Locator::Id("list")).await.unwrap();
    let kept = list.prop("value").await.unwrap().unwrap_or_default();
    assert!(kept.ends_with("fidh@example"), "the list is kept: {kept}");
    list.send_keys(".org").await.unwrap();
    c.find(Locator::Css("form[action$='/invite/paste'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "Review: 2 invitations").await;
    assert_fits(c, "the review page").await;
    c.find(Locator::Id("message"))
        .await
        .unwrap()
        .send_keys("Dear colleagues, we would be honoured to have you with us.")
        .await
        .unwrap();
    c.find(Locator::Css("button[value=preview]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "Dear colleagues, we would be honoured").await;
    let frame = c.find(Locator::Css("iframe.email-html")).await.unwrap();
    frame.clone().enter_frame().await.unwrap();
    let inside = c
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        inside.contains("Dear colleagues, we would be honoured")
            && inside.contains("is invited to co-sign"),
        "the email shows in its frame: {inside}"
    );
    c.enter_parent_frame().await.unwrap();
    c.find(Locator::Css("button[value=send]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "2 invitations are queued").await;

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

    // Revoking an organization that signed asks first, on a page that fits the phone too.
    let signed = invitation_named(&app, "Human Rights Watch").await;
    c.goto(&app.url(&letter)).await.unwrap();
    c.find(Locator::Css(&format!(
        "input[name=ids][value='{}']",
        signed.id
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    c.find(Locator::Css("button[value=revoke]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "1 of them signed").await;
    assert_fits(c, "the confirmation page").await;
    c.find(Locator::LinkText("Go back"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "Human Rights Watch").await;
    assert_eq!(
        invitation_named(&app, "Human Rights Watch").await.status,
        undersigned::domain::InvitationStatus::Signed,
        "going back revokes nothing"
    );
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
        &format!("{letter}/webhooks"),
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

/// Fails the test when the page shown is wider than the phone's screen.
async fn assert_fits(c: &Client, what: &str) {
    let (page, screen) = widths(c).await;
    assert!(
        page <= screen,
        "{what} is {page} pixels wide on a {screen}-pixel screen"
    );
}
