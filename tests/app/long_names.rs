//! A 300-character organization name without a space, on a 375-pixel-wide phone in a real
//! browser: the sign page, the dashboard and the other coordinator pages, the public page and
//! every HTML email stay within the screen (the name wraps), and on the dashboard the
//! organization's status stays in view beside it.

use base64::Engine;
use undersigned::domain::Role;
use undersigned::mail::{EmailView, Template, render};

use crate::storage_test;
use crate::support::chromium::{assert_fits, browser, fully_on_screen, log_in};
use crate::support::invitations::invitation_named;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::{answer, sign_path};
use crate::support::{Backend, PASSWORD, TestApp};

storage_test!(a_long_name_wraps_on_every_page_of_a_phone);

/// 300 characters, the longest organization name there is, with no place to break.
fn long_name() -> String {
    let name = "Internationalegesellschaftfürmenschenrechte".repeat(7);
    name.chars().take(300).collect()
}

async fn a_long_name_wraps_on_every_page_of_a_phone(backend: Backend) {
    let Some(browser) = browser().await else {
        return;
    };
    let c = &browser.client;
    let app = TestApp::spawn(backend).await;
    let token = app.api_token("admin@example.org", Role::Admin).await;
    let long = long_name();
    assert_eq!(long.chars().count(), 300);
    let letter = NewLetter::new()
        .organizations(&[(&long, "lead"), ("Amnesty International", "supporting")])
        .create(&app, &token)
        .await;
    let invitation = invitation_named(&app, &long).await;
    log_in(c, &app.address, "admin@example.org", PASSWORD).await;

    c.goto(&app.url(&sign_path(&app, &invitation)))
        .await
        .unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/sign");
    assert!(c.source().await.unwrap().contains(&long));
    assert_fits(c, "the sign page").await;
    answer(&app, &long, "sign").await;

    let dashboard = format!("/app/letters/{}", letter.id);
    c.goto(&app.url(&dashboard)).await.unwrap();
    assert_fits(c, "the dashboard").await;
    let row = format!("tr:has(a[href='/app/invitations/{}'])", invitation.id);
    assert!(
        fully_on_screen(c, &format!("{row} .badge")).await,
        "the long name's status is in view on the dashboard"
    );
    let _ = c
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView()",
            vec![serde_json::json!(row)],
        )
        .await;
    if let Ok(png) = c.screenshot().await {
        let file = format!("undersigned-long-name-dashboard-375-{backend:?}.png");
        let _ = std::fs::write(std::env::temp_dir().join(file), png);
    }
    for path in [
        "/app".to_string(),
        format!("/app/invitations/{}", invitation.id),
        format!("{dashboard}/audit"),
        format!("{dashboard}/release"),
        format!("{dashboard}/invite"),
        "/app/organizations".to_string(),
        format!("/app/organizations/{}", invitation.organization_id.as_str()),
    ] {
        c.goto(&app.url(&path)).await.unwrap();
        assert_fits(c, &path).await;
    }

    release_now(&app, &token, &letter.id).await;
    c.goto(&app.url(&format!("/letters/{}", letter.slug)))
        .await
        .unwrap();
    assert!(c.source().await.unwrap().contains(&long));
    assert_fits(c, "the public page").await;

    for template in [
        Template::Invitation,
        Template::Reminder,
        Template::Confirmation,
        Template::Reapproval,
        Template::ReleaseNotice,
    ] {
        let email = render(
            template,
            &EmailView {
                letter_title: "Joint Letter on Xinjiang",
                addressee: "António Guterres",
                organization: &long,
                contact_name: Some(&long),
                coordinator: Some("Amina"),
                deadline: None,
                link: &app.url("/sign/abc"),
                signed: true,
                minor_change: false,
                forwarded_by: None,
                message: None,
                asking: None,
                logo: None,
                headline: None,
                version: 1,
                released: false,
                withdrew: false,
                reasons: &[],
                recorded: None,
                l: undersigned::i18n::Localizer::english(),
            },
        )
        .expect("the email renders");
        let html = base64::engine::general_purpose::STANDARD.encode(email.html);
        c.goto(&format!("data:text/html;charset=utf-8;base64,{html}"))
            .await
            .unwrap();
        assert_fits(c, &format!("the HTML email {template:?}")).await;
    }
}
