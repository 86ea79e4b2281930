//! Who is asking: the coordinating organization — set by the `organization.*` settings, or by
//! an admin on the settings page with a logo — is named in every email's sender, subject and
//! first line, at the top of the sign page and as "Coordinated by" on the published letter;
//! an operator is warned about a default sender and a plain-http address. On both databases,
//! with email read back from a real SMTP server.

use std::io::Cursor;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::{Partner, answer};
use crate::support::smtp::{SmtpServer, app_delivering_to, smtp_available};
use crate::support::{Backend, TestApp};

storage_test!(
    emails_name_the_coordinating_organization_from_the_settings,
    an_admin_sets_who_is_asking_and_every_public_page_follows,
);

async fn emails_name_the_coordinating_organization_from_the_settings(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = app_delivering_to(
        backend,
        &smtp,
        &[
            ("UNDERSIGNED_ORGANIZATION__NAME", "Coalition Secretariat"),
            (
                "UNDERSIGNED_ORGANIZATION__CONTACT_EMAIL",
                "press@coalition.example",
            ),
            (
                "UNDERSIGNED_MAIL__FROM",
                "Letters <letters@coalition.example>",
            ),
        ],
    )
    .await;
    let token = app.api_token("amina@coalition.example", Role::Admin).await;
    let letter = NewLetter::new()
        .organizations(&[("Partner Org", "lead")])
        .create(&app, &token)
        .await;
    let _worker = app.start_worker();
    let invitation = &smtp
        .wait_for_messages_to("org0@example.org", 1, Duration::from_secs(20))
        .await[0];
    assert_eq!(
        invitation.header("from"),
        "Test Person via Coalition Secretariat <letters@coalition.example>",
        "{}",
        invitation.raw_headers
    );
    assert!(
        invitation
            .header("reply-to")
            .contains("amina@coalition.example")
    );
    assert_eq!(
        invitation.header("subject"),
        "Coalition Secretariat asks Partner Org to co-sign: Joint Letter on Xinjiang"
    );
    let text = invitation.text.as_deref().unwrap();
    let first_line = text
        .lines()
        .skip(1)
        .find(|line| !line.trim().is_empty())
        .unwrap();
    assert!(
        first_line.starts_with("Coalition Secretariat asks Partner Org to co-sign the open letter"),
        "{text}"
    );
    assert!(
        text.contains("Sent for Coalition Secretariat with Undersigned"),
        "the software's name in a small footer: {text}"
    );

    answer(&app, "Partner Org", "sign").await;
    let confirmation = smtp
        .wait_for_messages_to("org0@example.org", 2, Duration::from_secs(20))
        .await;
    assert!(
        confirmation
            .iter()
            .any(|m| m.header("subject").starts_with("Coalition Secretariat: ")),
        "every other email names the organization first"
    );

    // The published letter says who coordinated it, with the press contact.
    release_now(&app, &token, &letter.id).await;
    let page = app
        .get(&format!("/letters/{}", letter.slug))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Coordinated by Coalition Secretariat")
            && page.contains(r#"<a href="mailto:press@coalition.example">"#),
        "{page}"
    );
}

/// A PNG of this size, in one colour.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(width, height, image::Rgba([29, 53, 87, 255]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba8(image)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

async fn upload_logo(app: &TestApp, bytes: Vec<u8>) -> reqwest::Response {
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

async fn an_admin_sets_who_is_asking_and_every_public_page_follows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Partner Org", "lead")])
        .create(&app, &token)
        .await;

    // A coordinator may not open the settings; an admin sees what to fix first.
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    assert_eq!(
        app.get("/app/settings").await.status(),
        StatusCode::FORBIDDEN
    );
    app.login_as("settings-admin@example.org", Role::Admin)
        .await;
    let home = app.get("/app").await.text().await.unwrap();
    assert!(
        home.contains("mail.from is still noreply@localhost") && home.contains("is not https"),
        "{home}"
    );

    // A refused field stays beside its input, the others kept.
    let refused = app
        .post_form(
            "/app/settings",
            &[
                ("name", "Coalition Secretariat"),
                ("website", "coalition.example"),
                ("contact_email", "not an address"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains(r#"id="contact_email-error""#)
            && page.contains(r#"value="Coalition Secretariat""#)
            && page.contains(r#"value="not an address""#),
        "{page}"
    );
    let saved = app
        .post_form(
            "/app/settings",
            &[
                ("name", "Coalition Secretariat"),
                ("website", "coalition.example"),
                ("contact_email", "press@coalition.example"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);

    // A logo: anything but PNG or JPEG is refused beside the field; a PNG is scaled and served.
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let refused = upload_logo(&app, svg.to_vec()).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains(r#"id="logo-error""#)
            && page.contains("The logo must be a PNG or JPEG image"),
        "{page}"
    );
    assert_eq!(
        upload_logo(&app, png(1200, 400)).await.status(),
        StatusCode::SEE_OTHER
    );

    let partner = Partner::open(&app, "Partner Org").await;
    assert!(
        partner.page.contains(
            "<strong>Coalition Secretariat</strong> asks <strong>Partner Org</strong> to co-sign"
        ),
        "{}",
        partner.page
    );
    let logo_at = partner
        .page
        .find("/organization/logo.png?v=")
        .expect("the logo");
    let logo_url = partner.page[logo_at..]
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let logo = app.get(&logo_url).await;
    assert_eq!(logo.status(), StatusCode::OK);
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert!(
        logo.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let served = image::load_from_memory(&logo.bytes().await.unwrap()).unwrap();
    assert_eq!((served.width(), served.height()), (480, 160));

    // The published page names the organization, and follows a change of it.
    answer(&app, "Partner Org", "sign").await;
    release_now(&app, &token, &letter.id).await;
    let public = format!("/letters/{}", letter.slug);
    let page = app.get(&public).await.text().await.unwrap();
    assert!(
        page.contains(r#"Coordinated by <a href="https://coalition.example/" rel="noopener">Coalition Secretariat</a>"#)
            && page.contains("Published with Undersigned"),
        "{page}"
    );
    app.post_form(
        "/app/settings",
        &[
            ("name", "Renamed Secretariat"),
            ("website", ""),
            ("contact_email", ""),
        ],
    )
    .await;
    let started = Instant::now();
    loop {
        let page = app.get(&public).await.text().await.unwrap();
        if page.contains("Coordinated by Renamed Secretariat") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the published page follows the new name: {page}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|a| a == "organization.updated")
    );
}
