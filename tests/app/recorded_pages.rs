//! Answers recorded by a coordinator, as the organization and the coordinators see them: the
//! confirmation email with the organization's own link to correct the answer, the form on the
//! invitation page (refused fields beside them, input kept), and the note "recorded by NAME
//! from an email on DATE" on the dashboard and the release page.

use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::Duration;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::forms::{field_value, hidden_field, location, textarea};
use crate::support::letters::NewLetter;
use crate::support::partners::{Partner, sign_link_in};
use crate::support::smtp::{SmtpServer, smtp_available};
use crate::support::{Backend, TestApp};

storage_test!(
    the_organization_is_emailed_its_own_link_to_correct_a_recorded_answer,
    the_invitation_page_records_an_answer_and_keeps_a_refused_one_in_the_form,
);

async fn the_organization_is_emailed_its_own_link_to_correct_a_recorded_answer(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with(
        backend,
        &[
            ("UNDERSIGNED_MAIL__SMTP_URL", smtp.url().as_str()),
            ("UNDERSIGNED_MAIL__POLL_INTERVAL_MS", "100"),
            ("UNDERSIGNED_MAIL__RATE_PER_SECOND", "0"),
        ],
    )
    .await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Paper Signer", "lead")])
        .create(&app, &admin)
        .await;
    app.api_expecting(
        StatusCode::CREATED,
        Method::POST,
        &format!(
            "/invitations/{}/responses",
            letter.invitation_id("Paper Signer")
        ),
        &admin,
        Some(json!({
            "decision": "sign",
            "signer_name": "Amina Diallo",
            "channel": "paper",
            "evidence": "Signed form received by post, filed in the coalition binder",
        })),
    )
    .await;
    let _worker = app.start_worker();
    let messages = smtp
        .wait_for_messages_to("org0@example.org", 2, Duration::from_secs(15))
        .await;
    let confirmation = messages
        .iter()
        .find(|m| {
            m.text
                .as_deref()
                .is_some_and(|t| t.contains("recorded this answer"))
        })
        .unwrap_or_else(|| panic!("a confirmation of the recorded answer in {messages:?}"));
    let text = confirmation.text.as_deref().unwrap();
    assert!(text.contains("Test Person"), "{text}");
    assert!(text.contains("on paper"), "{text}");
    assert!(
        confirmation
            .html
            .as_deref()
            .unwrap()
            .contains("recorded this answer"),
        "the HTML part says it too"
    );

    // The organization follows its own link and corrects the answer.
    let link = sign_link_in(text, &app.address);
    let (partner, status) = Partner::follow(&app.address, &link).await;
    assert_eq!(status, StatusCode::OK, "{}", partner.page);
    let (status, page) = partner.send("decline").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let invitations = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/invitations", letter.id),
            &admin,
            None,
        )
        .await;
    assert_eq!(invitations["invitations"][0]["status"], "declined");
}

async fn the_invitation_page_records_an_answer_and_keeps_a_refused_one_in_the_form(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let token = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Emailed In", "lead"), ("Quiet", "supporting")])
        .create(&app, &token)
        .await;
    let id = letter.invitation_id("Emailed In");
    let page_path = format!("/app/invitations/{id}");
    let page = app.get(&page_path).await.text().await.unwrap();
    let key = hidden_field(&page, "submission_key");

    // A name with a control character and no evidence: 422, the reasons beside the fields,
    // everything typed still there.
    let refused = app
        .post_form(
            &format!("/app/invitations/{id}/responses"),
            &[
                ("submission_key", &key),
                ("decision", "sign"),
                ("signer_name", "Jo\u{7}"),
                ("signer_title", "Head of Advocacy"),
                ("channel", "email"),
                ("evidence", ""),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains(r#"id="signer_name-error""#), "{html}");
    assert!(html.contains(r#"id="evidence-error""#), "{html}");
    assert!(!html.contains(r#"id="channel-error""#), "{html}");
    assert_eq!(
        field_value(&html, "signer_title").as_deref(),
        Some("Head of Advocacy")
    );
    assert!(html.contains(r#"value="sign" checked"#), "{html}");

    let fields = [
        ("submission_key", key.as_str()),
        ("decision", "sign"),
        ("signer_name", "Jo Example"),
        ("signer_title", "Head of Advocacy"),
        ("channel", "email"),
        ("evidence", "Email “Yes, we sign” of 30 November"),
    ];
    let saved = app
        .post_form(&format!("/app/invitations/{id}/responses"), &fields)
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), page_path);
    // The same form sent again records nothing more.
    let again = app
        .post_form(&format!("/app/invitations/{id}/responses"), &fields)
        .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let count: i64 = app
        .in_database(|conn| {
            use diesel::prelude::*;
            use undersigned::db::schema::responses;
            responses::table.count().get_result(conn).unwrap()
        })
        .await;
    assert_eq!(count, 1);
    let after = app.get(&page_path).await.text().await.unwrap();
    assert!(textarea(&after, "evidence").is_empty(), "a fresh form");

    let today = undersigned::clock::long_date(app.clock.now());
    let note = format!("recorded by Test Person from an email on {today}");
    let dashboard = app
        .get(&format!("/app/letters/{}", letter.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains(&note), "{dashboard}");
    assert_eq!(
        dashboard.matches("recorded by").count(),
        1,
        "only Emailed In"
    );
    let release = app
        .get(&format!("/app/letters/{}/release", letter.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(release.contains(&note), "{release}");

    // The letter closes: the page refuses with the reason above the form, input kept.
    app.api_expecting(
        StatusCode::OK,
        Method::POST,
        &format!("/letters/{}/close", letter.id),
        &token,
        None,
    )
    .await;
    let closed = app
        .post_form(
            &format!(
                "/app/invitations/{}/responses",
                letter.invitation_id("Quiet")
            ),
            &[
                ("decision", "decline"),
                ("signer_name", "Sam Quiet"),
                ("channel", "meeting"),
                ("evidence", "Said so at the coalition meeting"),
            ],
        )
        .await;
    assert_eq!(closed.status(), StatusCode::CONFLICT);
    let html = closed.text().await.unwrap();
    assert!(html.contains("closed this letter"), "{html}");
    assert_eq!(
        field_value(&html, "signer_name").as_deref(),
        Some("Sam Quiet")
    );
}
