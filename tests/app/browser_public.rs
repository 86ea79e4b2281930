//! The published letter in a real browser (headless Chromium) on a phone (375 pixels) and a
//! laptop (1280): it fits the screen at both widths, and a screenshot of each is kept in
//! `target/screenshots/public-375.png` and `public-1280.png` for a person to look at.

use fantoccini::Locator;
use serde_json::json;

use crate::storage_test;
use crate::support::chromium::widths;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::answer;
use crate::support::sized_browser::{browser_at, screenshot};
use crate::support::{Backend, TestApp};

storage_test!(the_published_letter_fits_a_phone_and_a_laptop);

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
