//! Answers that reach the coordinators by email, phone, on paper or at a meeting, recorded on
//! the organization's behalf through the API: bound to the current version under the rules of
//! a partner's answer, audited with the coordinator's account, and published with their
//! `source` in the signed list. The confirmation email and the pages: `recorded_pages.rs`.

use chrono::TimeDelta;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::manifests::verifies;
use crate::support::partners::answer;
use crate::support::{Backend, TestApp};

storage_test!(
    a_recorded_answer_is_bound_audited_and_published_as_from_a_coordinator,
    a_recorded_answer_follows_the_rules_of_a_partners_answer,
    a_late_signature_recorded_after_release_makes_a_signed_revision,
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

async fn a_recorded_answer_is_bound_audited_and_published_as_from_a_coordinator(backend: Backend) {
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
    let manifest: Value = serde_json::from_str(published["manifest"].as_str().unwrap()).unwrap();
    assert_eq!(manifest["signatories"], published["signatories"]);
    assert!(verifies(&app, &published).await, "the manifest verifies");
}

async fn a_recorded_answer_follows_the_rules_of_a_partners_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let deadline = (app.clock.now_utc() + TimeDelta::days(2)).to_rfc3339();
    let letter = NewLetter::new()
        .with("deadline", deadline)
        .organizations(&[
            ("Revoked Org", "supporting"),
            ("Late Org", "supporting"),
            ("Signer", "lead"),
        ])
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
        &format!(
            "/invitations/{}/revoke",
            letter.invitation_id("Revoked Org")
        ),
        &admin,
        None,
    )
    .await;
    let (status, revoked) = app
        .api(
            Method::POST,
            &path("Revoked Org"),
            &admin,
            Some(phoned("sign")),
        )
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
        .api(
            Method::POST,
            &path("Late Org"),
            &admin,
            Some(phoned("sign")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{after}");
    assert!(
        after["error"].as_str().unwrap().contains("released"),
        "{after}"
    );
    let (status, signed) = app
        .api(
            Method::POST,
            &path("Signer"),
            &admin,
            Some(phoned("decline")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{signed}");

    // Past the deadline, a letter that is not released refuses too.
    let other = NewLetter::new()
        .with(
            "deadline",
            (app.clock.now_utc() + TimeDelta::hours(1)).to_rfc3339(),
        )
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
    assert!(
        late["error"].as_str().unwrap().contains("deadline"),
        "{late}"
    );
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

    let openapi: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let documented = &openapi["paths"]["/api/v1/invitations/{id}/responses"]["post"];
    assert!(documented.is_object(), "the route is documented");
    for schema in ["RecordResponseBody", "RecordedJson", "ResponseJson"] {
        assert!(
            openapi["components"]["schemas"][schema].is_object(),
            "{schema} is documented"
        );
    }
    assert!(
        openapi["components"]["schemas"]["LetterJson"]["properties"]["show_signers"].is_object()
    );
}

async fn a_late_signature_recorded_after_release_makes_a_signed_revision(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .with("allow_late_signatures", true)
        .organizations(&[("Lead", "lead"), ("Came Late", "supporting")])
        .create(&app, &admin)
        .await;
    answer(&app, "Lead", "sign").await;
    release_now(&app, &admin, &letter.id).await;
    app.api_expecting(
        StatusCode::CREATED,
        Method::POST,
        &format!(
            "/invitations/{}/responses",
            letter.invitation_id("Came Late")
        ),
        &admin,
        Some(phoned("sign")),
    )
    .await;
    let published: Value = app
        .get(&format!("/letters/{}.json", letter.slug))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(published["revision"], 2, "{published}");
    let late = &published["signatories"][1];
    assert_eq!(late["organization"], "Came Late");
    assert_eq!(late["source"], "coordinator");
    assert!(late["joined_at"].is_string(), "{late}");
    assert!(late.get("approved_by").is_none(), "signers are not shown");
    assert!(
        verifies(&app, &published).await,
        "the revision's manifest verifies"
    );
}
