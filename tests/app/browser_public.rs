//! The published letter in a real browser (headless Chromium) on a phone (375 pixels) and a
//! laptop (1280): it fits the screen at both widths, and a screenshot of each is kept in
//! `target/screenshots/public-375.png` and `public-1280.png` for a person to look at. Its
//! Arabic translation, reached from the language switcher, runs right to left on the phone,
//! in Arabic words, fits and passes axe (`public-ar-375.png`).

use fantoccini::Locator;
use serde_json::json;
use undersigned::domain::LanguageTag;
use undersigned::i18n::Localizer;

use crate::storage_test;
use crate::support::chromium::{wait_for_text, widths};
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::answer;
use crate::support::sized_browser::{browser_at, screenshot};
use crate::support::{Backend, TestApp};

storage_test!(
    the_published_letter_fits_a_phone_and_a_laptop,
    the_arabic_translation_is_published_right_to_left_on_a_phone,
);

async fn the_published_letter_fits_a_phone_and_a_laptop(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[("UNDERSIGNED_ORGANIZATION__NAME", "Coalition Secretariat")],
    )
    .await;
    let token = app.admin_token().await;
    let letter = NewLetter::new()
        .with("title", "Joint Letter to the UN Secretary-General on the Protection of Human Rights Defenders")
        .invitee(json!({ "organization": "FIDH – International Federation for Human Rights", "tier": "lead", "email": "fidh@example.org", "country": "FR" }))
        .invitee(json!({ "organization": "Amnesty International", "tier": "lead", "email": "ai@example.org", "country": "GB" }))
        .invitee(json!({ "organization": "Lawyers for Human Rights & Justice", "tier": "supporting", "email": "lhr@example.org", "country": "ZA" }))
        .invitee(json!({ "organization": "Internationalestiftungfürmenschenrechtsverteidigerinnen", "tier": "supporting", "email": "long@example.org" }))
        .create(&app, &token)
        .await;
    for organization in [
        "FIDH – International Federation for Human Rights",
        "Amnesty International",
        "Lawyers for Human Rights & Justice",
        "Internationalestiftungfürmenschenrechtsverteidigerinnen",
    ] {
        answer(&app, organization, "sign").await;
    }
    release_now(&app, &token, &letter.id).await;

    for width in [375_u64, 1280] {
        let Some(browser) = browser_at(width as u32).await else {
            return;
        };
        let c = &browser.client;
        c.goto(&app.url(&format!("/letters/{}", letter.slug)))
            .await
            .unwrap();
        let count = c
            .find(Locator::Css(".signed-count"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(count, "Signed by 4 organizations");
        let heading = c
            .find(Locator::Css("#leads-heading"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(heading, "Lead organizations");
        let (page, screen) = widths(c).await;
        assert_eq!(screen, width, "the screen is {width} pixels wide");
        assert!(page <= screen, "at {width} px the page is {page} px wide");
        let path = screenshot(c, &format!("public-{width}")).await;
        let png = std::fs::read(&path).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{} is a PNG", path.display());
        drop(browser);
    }
}

async fn the_arabic_translation_is_published_right_to_left_on_a_phone(backend: Backend) {
    let Some(browser) = browser_at(375).await else {
        return;
    };
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = NewLetter::new()
        .invitee(json!({ "organization": "Cairo Institute for Human Rights Studies", "tier": "lead", "email": "cihrs@example.org", "country": "EG" }))
        .invitee(json!({ "organization": "Amnesty International", "tier": "supporting", "email": "ai@example.org", "country": "GB" }))
        .create(&app, &token)
        .await;
    let title = "رسالة مشتركة إلى الأمين العام بشأن حماية المدافعين عن حقوق الإنسان";
    app.api_expecting(
        reqwest::StatusCode::CREATED,
        reqwest::Method::POST,
        &format!("/letters/{}/translations", letter.id),
        &token,
        Some(json!({
            "language": "ar",
            "title": title,
            "addressee": "أنطونيو غوتيريش، الأمين العام للأمم المتحدة",
            "body_markdown": "نطلب منكم التحرك قبل انعقاد الدورة.\n\nمع فائق الاحترام.",
            "matches_version": 1,
        })),
    )
    .await;
    for organization in [
        "Cairo Institute for Human Rights Studies",
        "Amnesty International",
    ] {
        answer(&app, organization, "sign").await;
    }
    release_now(&app, &token, &letter.id).await;

    let c = &browser.client;
    c.goto(&app.url(&format!("/letters/{}", letter.slug)))
        .await
        .unwrap();
    // A plain link in the switcher, no script.
    c.find(Locator::Css("nav.languages a[hreflang=ar]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, title).await;
    let arabic = Localizer::for_language(&LanguageTag::parse("ar").unwrap()).unwrap();
    let seen = c
        .execute(
            "return [document.documentElement.lang, \
             ...['html', 'h1', '.letter-text', '.signatories'].map(s => \
             getComputedStyle(document.querySelector(s)).direction), \
             document.querySelector('#signatories-heading').textContent, \
             location.pathname];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        seen,
        json!([
            "ar",
            "rtl",
            "rtl",
            "rtl",
            "rtl",
            arabic.t("public-signatories"),
            format!("/letters/{}/ar", letter.slug)
        ]),
        "the page, its title, text and list right to left, in Arabic words"
    );
    let country = c
        .find(Locator::Css(".signatories-leads .country"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(country, "(مصر)", "countries named in Arabic");
    let (page, screen) = widths(c).await;
    assert!(
        page <= screen,
        "at 375 px the Arabic page is {page} px wide"
    );
    crate::support::axe::assert_accessible(c, "the published Arabic translation").await;
    screenshot(c, "public-ar-375").await;
}
