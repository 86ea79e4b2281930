//! The partner's sign page in a real browser (headless Chromium through chromedriver) on a
//! 375-pixel-wide screen: the page fits, the answers are large enough to tap, and a decline
//! with only a name goes through by tapping alone. A screenshot of the answered page is written
//! to `target/screenshots/sign-375.png`.

use fantoccini::Locator;

use crate::storage_test;
use crate::support::chromium::{assert_fits, browser, wait_for_text};
use crate::support::invitations::invitation_named;
use crate::support::letters::NewLetter;
use crate::support::partners::sign_path_of;
use crate::support::sized_browser::screenshot;
use crate::support::{Backend, TestApp};

storage_test!(a_partner_declines_with_only_a_name_on_a_phone);

async fn a_partner_declines_with_only_a_name_on_a_phone(backend: Backend) {
    let Some(browser) = browser().await else {
        return;
    };
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let deadline = (app.clock.now_utc() + chrono::TimeDelta::days(10)).to_rfc3339();
    NewLetter::new()
        .with("deadline", deadline)
        .with("deadline_time_zone", "America/New_York")
        .with("show_signatories", true)
        .organizations(&[("FIDH – International Federation for Human Rights", "lead")])
        .create(&app, &admin)
        .await;
    let c = &browser.client;

    let link = sign_path_of(&app, "FIDH – International Federation for Human Rights").await;
    c.goto(&app.url(&link)).await.unwrap();
    wait_for_text(c, "Open for answers").await;
    assert_fits(c, "the sign page").await;
    let tap_height = c
        .execute(
            "return Math.min(...[...document.querySelectorAll('label.choice, form.answer button')]\
             .map(e => e.getBoundingClientRect().height));",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap_or_default();
    assert!(
        tap_height >= 44.0,
        "each answer and button is at least 44 pixels tall: {tap_height}"
    );

    c.find(Locator::Css("label.choice input[value=decline]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Id("signer_name"))
        .await
        .unwrap()
        .send_keys("Alice Mogwe")
        .await
        .unwrap();
    c.find(Locator::Css("form[action='/sign'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "decision not to sign is recorded").await;
    assert_fits(c, "the answered page").await;
    assert_eq!(
        invitation_named(&app, "FIDH – International Federation for Human Rights")
            .await
            .status,
        undersigned::domain::InvitationStatus::Declined
    );

    screenshot(c, "sign-375").await;
}
