//! Emails that look like they come from an organization: the invitation, the reminder, the
//! confirmation, the release notice and a password reset, really sent through SMTP with a long organization name,
//! a long letter title, a logo and the long sign link, and their HTML parts shown in headless
//! Chromium on a phone's 375 pixels. None scrolls sideways, the button is whole on screen and
//! large enough to tap, the header names the coordinating organization (with its logo), and the
//! text part says the same. Screenshots land in `target/screenshots/email-<kind>-375.png`. On
//! both databases.

use std::io::Cursor;
use std::time::Duration;

use chrono::TimeDelta;
use fantoccini::Client;
use reqwest::StatusCode;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::Backend;
use crate::support::accounts::{link_in, post_on_page};
use crate::support::chromium::{fully_on_screen, widths};
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::answer;
use crate::support::sized_browser::{browser_at, screenshot};
use crate::support::smtp::{Received, SmtpServer, app_delivering_to, smtp_available};

storage_test!(the_main_emails_fit_a_phone_with_their_button_and_organization);

/// Long, with a word longer than a phone is wide.
const ASKING: &str =
    "Internationale Menschenrechtsföderationszusammenarbeitsgemeinschaft for Civil Society";
const PARTNER: &str = "Asociación Latinoamericana de Defensoras y Defensores de Derechos Humanos";
const TITLE: &str =
    "Joint Letter to the Secretary-General on Arbitrary Detention of Human Rights Defenders";
const ADMIN: &str = "settings-admin@example.org";
const WAIT: Duration = Duration::from_secs(20);

async fn the_main_emails_fit_a_phone_with_their_button_and_organization(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let Some(browser) = browser_at(375).await else {
        return;
    };
    let smtp = SmtpServer::start();
    let app = app_delivering_to(
        backend,
        &smtp,
        &[("UNDERSIGNED_ORGANIZATION__NAME", ASKING)],
    )
    .await;
    app.login_as(ADMIN, Role::Admin).await;
    assert_eq!(
        upload_logo(&app, wide_png()).await.status(),
        StatusCode::SEE_OTHER,
        "the logo is taken"
    );
    let token = app.admin_token().await;
    let deadline = (app.clock.now_utc() + TimeDelta::days(20)).to_rfc3339();
    let letter = NewLetter::new()
        .with("title", TITLE)
        .with("deadline", deadline)
        .with("deadline_time_zone", "America/Argentina/Buenos_Aires")
        .organizations(&[(PARTNER, "lead")])
        .create(&app, &token)
        .await;
    let _worker = app.start_worker();
    let to = "org0@example.org";
    smtp.wait_for_messages_to(to, 1, WAIT).await;
    let reminded = app
        .api_expecting(
            StatusCode::OK,
            reqwest::Method::POST,
            &format!("/letters/{}/reminders", letter.id),
            &token,
            None,
        )
        .await;
    assert_eq!(reminded["queued"], 1, "{reminded}");
    smtp.wait_for_messages_to(to, 2, WAIT).await;
    answer(&app, PARTNER, "sign").await;
    smtp.wait_for_messages_to(to, 3, WAIT).await;
    release_now(&app, &token, &letter.id).await;
    let messages = smtp.wait_for_messages_to(to, 4, WAIT).await;

    let folder = tempfile::tempdir().unwrap();
    for (kind, subject_part) in [
        ("invitation", "asks"),
        ("reminder", "Reminder from"),
        ("confirmation", "Your signature is recorded"),
        ("release-notice", "Released"),
    ] {
        let email = messages
            .iter()
            .find(|m| m.header("subject").contains(subject_part))
            .unwrap_or_else(|| panic!("no {kind} among {messages:?}"));
        let text = email.text.as_deref().expect("a text part");
        assert!(
            text.contains(ASKING) && text.contains(PARTNER) && text.contains(TITLE),
            "{kind}: the text part names who asks, whom and what: {text}"
        );
        if kind == "invitation" || kind == "reminder" {
            let zoned = text
                .lines()
                .find(|l| l.contains("Buenos Aires time ("))
                .unwrap_or_else(|| panic!("{kind}: the deadline with its city: {text}"));
            let (_, deadline) = zoned
                .split_once(" by ")
                .or_else(|| zoned.split_once(" on "))
                .unwrap_or_else(|| panic!("{kind}: {zoned}"));
            assert!(deadline.ends_with(" UTC)."), "{kind}: and in UTC: {zoned}");
            let html = email.html.as_deref().unwrap();
            assert!(
                html.contains(deadline.trim_end_matches('.')),
                "{kind}: the HTML part says the same: {html}"
            );
        }
        let link = text
            .lines()
            .find(|l| l.starts_with("http://"))
            .unwrap_or_else(|| panic!("{kind}: a link on a line of its own: {text}"));
        look_at_375(&browser.client, folder.path(), kind, email, link).await;
    }

    // An email about an account has the same look.
    let forgot = app.url("/password/forgot");
    let asked = post_on_page(&app.new_browser(), &forgot, &forgot, &[("email", ADMIN)]).await;
    assert_eq!(asked.status(), StatusCode::OK);
    let reset = &smtp.wait_for_messages_to(ADMIN, 1, WAIT).await[0];
    let text = reset.text.as_deref().expect("a text part");
    assert!(text.contains(ASKING), "{text}");
    let link = link_in(&app, text, "/password/reset/");
    look_at_375(
        &browser.client,
        folder.path(),
        "password-reset",
        reset,
        &link,
    )
    .await;
}

/// Shows the HTML part in the browser and checks it as a phone shows it.
async fn look_at_375(
    client: &Client,
    folder: &std::path::Path,
    kind: &str,
    email: &Received,
    link: &str,
) {
    let html = email.html.as_deref().expect("an HTML part");
    assert!(
        html.contains(&format!(r#"href="{link}""#)),
        "{kind}: the HTML links where the text does: {html}"
    );
    assert!(!html.contains("<style"), "{kind}: styles inline only");
    let file = folder.join(format!("{kind}.html"));
    std::fs::write(&file, html).unwrap();
    client
        .goto(&format!("file://{}", file.display()))
        .await
        .unwrap();
    let (scroll, screen) = widths(client).await;
    assert!(
        scroll <= 375,
        "{kind}: no sideways scroll at 375 pixels, the page is {scroll} wide"
    );
    assert_eq!(
        screen, 375,
        "{kind}: a phone's screen, not one widened to the page"
    );
    for part in ["a.email-button", "a.email-fallback", ".email-header"] {
        assert!(
            fully_on_screen(client, part).await,
            "{kind}: {part} is whole on screen"
        );
    }
    let facts = client
        .execute(
            "const b = document.querySelector('a.email-button').getBoundingClientRect(); \
             const logo = document.querySelector('.email-header img'); \
             return [b.height, b.width, document.querySelector('.email-header').innerText, \
                     logo ? logo.alt : null, logo ? logo.naturalWidth : 0, \
                     logo ? logo.getBoundingClientRect().right : 0];",
            vec![],
        )
        .await
        .unwrap();
    let facts = facts.as_array().unwrap();
    let (height, width) = (facts[0].as_f64().unwrap(), facts[1].as_f64().unwrap());
    assert!(
        height >= 44.0 && width >= 44.0,
        "{kind}: a button large enough to tap ({width}×{height})"
    );
    let header = facts[2].as_str().unwrap().replace('\n', " ");
    assert!(
        header.contains(ASKING),
        "{kind}: the header names the organization: {header}"
    );
    assert_eq!(facts[3].as_str(), Some(ASKING), "{kind}: the logo's text");
    assert!(
        facts[4].as_u64().unwrap() > 0,
        "{kind}: the logo loads from its absolute address"
    );
    assert!(facts[5].as_f64().unwrap() <= 375.0, "{kind}: the logo fits");
    screenshot(client, &format!("email-{kind}-375")).await;
}

/// A logo three times as wide as high, the widest the settings page keeps.
fn wide_png() -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(1200, 400, image::Rgba([29, 79, 145, 255]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba8(image)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

async fn upload_logo(app: &crate::support::TestApp, bytes: Vec<u8>) -> reqwest::Response {
    let csrf = app.csrf().await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf)
        .part(
            "logo",
            reqwest::multipart::Part::bytes(bytes).file_name("logo.png"),
        );
    app.client
        .post(app.url("/app/settings/logo"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}
