//! Answers that reach the coordinators by email, phone, on paper or at a meeting, recorded on
//! the organization's behalf: through the API and the invitation page, bound to the current
//! version under the rules of a partner's answer, audited, shown with who recorded them,
//! confirmed to the organization with its own link, and published with their `source`.

use chrono::TimeDelta;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::forms::{field_value, hidden_field, location, textarea};
use crate::support::letters::{NewLetter, release_now};
use crate::support::manifests::verifies;
use crate::support::partners::{Partner, answer, sign_link_in};
use crate::support::smtp::{SmtpServer, smtp_available};
use crate::support::{Backend, TestApp};

storage_test!(
    a_recorded_answer_is_bound_audited_and_published_as_from_a_coordinator,
    a_recorded_answer_follows_the_rules_of_a_partners_answer,
    the_organization_is_emailed_its_own_link_to_correct_a_recorded_answer,
    the_invitation_page_records_an_answer_and_keeps_a_refused_one_in_the_form,
);

/// The body of a recorded answer: sign, by phone, from Jo Example, Director.
fn phoned(decision: &str) -> Value {
    json!({
        "decision": decision,
        "signer_name": "Jo Example",
        "signer_title": "Director",
        "channel": "phone",
        "evidence": "Call with Jo on Monday, noted by the coordinator",
    })
}

async fn a_recorded_answer_is_bound_audited_and_published_as_from_a_coordinator(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .with("show_signers", true)
        .organizations(&[("Phoned In", "lead"), ("Linked", "supporting")])
        .create(&app, &admin)
        .await;
    // The text changes before the answer arrives: it is bound to the version current then.
    app.api_expecting(
        StatusCode::OK,
        Method::PUT,
        &format!("/letters/{}", letter.id),
        &admin,
        Some(json!({ "body_markdown": "We urge you to act now.", "change": "substantive" })),
    )
    .await;
    let phoned_in = letter.invitation_id("Phoned In");
    let recorded = app
        .api_expecting(
            StatusCode::CREATED,
            Method::POST,
            &format!("/invitations/{phoned_in}/responses"),
            &admin,
            Some(phoned("sign")),
        )
        .await;
    assert_eq!(recorded["invitation"]["status"], "signed", "{recorded}");
    assert_eq!(recorded["invitation"]["approved_version"], 2);
    let response = &recorded["response"];
    assert_eq!(response["version"], 2);
    assert_eq!(response["channel"], "phone");
    assert_eq!(response["source"], "coordinator");
    assert_eq!(response["signer_title"], "Director");
    assert!(response["recorded_by"].is_string(), "{response}");
    let letter_now = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}", letter.id),
            &admin,
            None,
        )
        .await;
    assert_eq!(response["content_sha256"], letter_now["content_sha256"]);
    assert!(
        app.audit_actions()
            .await
            .contains(&"response.recorded".to_string())
    );
    let (actor, detail) = app
        .in_database(|conn| {
            use diesel::prelude::*;
            use undersigned::db::schema::audit_events;
            audit_events::table
                .filter(audit_events::action.eq("response.recorded"))
                .select((audit_events::actor, audit_events::detail))
                .first::<(String, String)>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(actor, "admin@example.org");
    let detail: Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["channel"], "phone");
    assert_eq!(
        detail["evidence"],
        "Call with Jo on Monday, noted by the coordinator"
    );

    answer(&app, "Linked", "sign").await;
    release_now(&app, &admin, &letter.id).await;
    let published: Value = app
        .get(&format!("/letters/{}.json", letter.slug))
        .await
        .json()
        .await
        .unwrap();
    let sources: Vec<(&str, &str)> = published["signatories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["organization"].as_str().unwrap(),
                s["source"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sources,
        [("Phoned In", "coordinator"), ("Linked", "sign_link")]
    );
    assert_eq!(
        published["signatories"][0]["approved_by"],
        "Jo Example, Director"
    );
    let manifest: Value =
        serde_json::from_str(published["manifest"].as_str().unwrap()).unwrap();
    assert_eq!(manifest["signatories"], published["signatories"]);
    assert!(verifies(&app, &published).await, "the manifest verifies");
}

async fn a_recorded_answer_follows_the_rules_of_a_partners_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let deadline = (app.clock.now_utc() + TimeDelta::days(2)).to_rfc3339();
    let letter = NewLetter::new()
        .with("deadline", deadline)
        .organizations(&[("Revoked Org", "supporting"), ("Late Org", "supporting"), ("Signer", "lead")])
        .create(&app, &admin)
        .await;
    let path = |org: &str| format!("/invitations/{}/responses", letter.invitation_id(org));

    // Refused fields are named, and nothing is recorded.
    let (status, refused) = app
        .api(
            Method::POST,
            &path("Signer"),
            &admin,
            Some(json!({ "decision": "withdraw", "signer_name": "", "channel": "fax", "evidence": " " })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let fields = refused["details"]["fields"].as_object().unwrap();
    for field in ["decision", "signer_name", "channel", "evidence"] {
        assert!(fields.contains_key(field), "{field} in {refused}");
    }
    let (status, unknown) = app
        .api(
            Method::POST,
            &path("Signer"),
            &admin,
            Some(json!({ "decision": "sign", "signer_name": "Jo", "channel": "email", "evidence": "x", "comment": "y" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{unknown}");

    // A revoked invitation takes no answer.
    app.api_expecting(
        StatusCode::OK,
        Method::POST,
        &format!("/invitations/{}/revoke", letter.invitation_id("Revoked Org")),
        &admin,
        None,
    )
    .await;
    let (status, revoked) = app
        .api(Method::POST, &path("Revoked Org"), &admin, Some(phoned("sign")))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{revoked}");
    assert!(
        revoked["error"].as_str().unwrap().contains("revoked"),
        "{revoked}"
    );

    // Released without late signatures: no answer can be recorded any more.
    app.api_expecting(
        StatusCode::CREATED,
        Method::POST,
        &path("Signer"),
        &admin,
        Some(phoned("sign")),
    )
    .await;
    release_now(&app, &admin, &letter.id).await;
    let (status, after) = app
        .api(Method::POST, &path("Late Org"), &admin, Some(phoned("sign")))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{after}");
    assert!(
        after["error"].as_str().unwrap().contains("released"),
        "{after}"
    );
    let (status, signed) = app
        .api(Method::POST, &path("Signer"), &admin, Some(phoned("decline")))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{signed}");

    // Past the deadline, a letter that is not released refuses too.
    let other = NewLetter::new()
        .with("deadline", (app.clock.now_utc() + TimeDelta::hours(1)).to_rfc3339())
        .organizations(&[("Too Late", "lead")])
        .create(&app, &admin)
        .await;
    app.clock.advance(TimeDelta::hours(2));
    let (status, late) = app
        .api(
            Method::POST,
            &format!("/invitations/{}/responses", other.invitation_id("Too Late")),
            &admin,
            Some(phoned("sign")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{late}");
    assert!(late["error"].as_str().unwrap().contains("deadline"), "{late}");
    let statuses: Vec<Value> = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/invitations", other.id),
            &admin,
            None,
        )
        .await["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].clone())
        .collect();
    assert_eq!(statuses, [json!("queued")], "nothing was recorded");
}

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
        &format!("/invitations/{}/responses", letter.invitation_id("Paper Signer")),
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
        .find(|m| m.text.as_deref().is_some_and(|t| t.contains("recorded this answer")))
        .unwrap_or_else(|| panic!("a confirmation of the recorded answer in {messages:?}"));
    let text = confirmation.text.as_deref().unwrap();
    assert!(text.contains("Test Person"), "{text}");
    assert!(text.contains("on paper"), "{text}");
    assert!(
        confirmation.html.as_deref().unwrap().contains("recorded this answer"),
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
    app.login_as("coordinator@example.org", Role::Coordinator).await;
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
    assert_eq!(dashboard.matches("recorded by").count(), 1, "only Emailed In");
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
            &format!("/app/invitations/{}/responses", letter.invitation_id("Quiet")),
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
    assert_eq!(field_value(&html, "signer_name").as_deref(), Some("Sam Quiet"));
}
