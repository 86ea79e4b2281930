//! The partner's sign page in a real browser (headless Chromium through chromedriver) on a
//! 375-pixel-wide screen: the page fits, the answers are large enough to tap, and a decline
//! with only a name goes through by tapping alone. A screenshot of the answered page is written
//! to `target/screenshots/sign-375.png`. A partner who reads Arabic follows the page's link to
//! the Arabic translation: the page is then in Arabic, its title, text and form right to left;
//! it still fits and passes axe, and the signature given there is recorded as read in Arabic
//! (`sign-ar-375.png`).

use fantoccini::Locator;

use undersigned::domain::LanguageTag;
use undersigned::i18n::Localizer;

use crate::storage_test;
use crate::support::chromium::{assert_fits, browser, wait_for_text};
use crate::support::invitations::invitation_named;
use crate::support::letters::NewLetter;
use crate::support::partners::sign_path_of;
use crate::support::sized_browser::screenshot;
use crate::support::{Backend, TestApp};

storage_test!(
    a_partner_declines_with_only_a_name_on_a_phone,
    a_partner_signs_the_arabic_translation_right_to_left_on_a_phone,
);

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

async fn a_partner_signs_the_arabic_translation_right_to_left_on_a_phone(backend: Backend) {
    let Some(browser) = browser().await else {
        return;
    };
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Cairo Institute for Human Rights Studies", "lead")])
        .create(&app, &admin)
        .await;
    let title = "رسالة مشتركة إلى الأمين العام";
    app.api_expecting(
        reqwest::StatusCode::CREATED,
        reqwest::Method::POST,
        &format!("/letters/{}/translations", letter.id),
        &admin,
        Some(serde_json::json!({
            "language": "ar",
            "title": title,
            "addressee": "أنطونيو غوتيريش، الأمين العام للأمم المتحدة",
            "body_markdown": "نطلب منكم التحرك قبل انعقاد الدورة.\n\nمع فائق الاحترام.",
            "matches_version": 1,
        })),
    )
    .await;
    let c = &browser.client;
    let link = sign_path_of(&app, "Cairo Institute for Human Rights Studies").await;
    c.goto(&app.url(&link)).await.unwrap();
    wait_for_text(c, "Open for answers").await;
    // A plain link, no script: the language is chosen by following it.
    c.find(Locator::Css("nav.languages a[hreflang=ar]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, title).await;
    let directions = c
        .execute(
            "return [document.documentElement.lang, ...['h1', '.letter-text', '.meta span', \
             'form.answer'].map(s => getComputedStyle(document.querySelector(s)).direction)];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        directions,
        serde_json::json!(["ar", "rtl", "rtl", "rtl", "rtl"]),
        "the Arabic text and the page's own words, in Arabic, right to left"
    );
    assert_fits(c, "the Arabic sign page").await;
    crate::support::axe::assert_accessible(c, "the Arabic sign page").await;

    c.find(Locator::Css("label.choice input[value=sign]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for (field, value) in [
        ("signer_name", "Bahey eldin Hassan"),
        ("signer_title", "Director"),
    ] {
        c.find(Locator::Id(field))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    c.find(Locator::Css("form[action='/sign'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let arabic = Localizer::for_language(&LanguageTag::parse("ar").unwrap()).unwrap();
    wait_for_text(c, &arabic.t("answer-signed")).await;
    // Back on the page in Arabic, as it was read.
    wait_for_text(c, title).await;
    assert_fits(c, "the answered Arabic page").await;
    let detail = app
        .api_expecting(
            reqwest::StatusCode::OK,
            reqwest::Method::GET,
            &format!(
                "/invitations/{}",
                letter.invitation_id("Cairo Institute for Human Rights Studies")
            ),
            &admin,
            None,
        )
        .await;
    assert_eq!(detail["responses"][0]["language"], "ar", "{detail}");
    assert_eq!(detail["status"], "signed", "{detail}");
    screenshot(c, "sign-ar-375").await;
}
