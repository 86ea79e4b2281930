//! API v1 invitations: per-item rejection, outbox jobs in the same transaction, sign links
//! derived from the server secret with only their hash stored, revocation, new links,
//! reminders; the most invitations a letter may hold; and the API's authentication.

use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::crypto::sha256_hex;
use undersigned::db::invitations::Invitation;
use undersigned::db::outbox::OutboxJob;
use undersigned::db::schema::{invitations, outbox};
use undersigned::domain::JobStatus;

use crate::storage_test;
use crate::support::invitations::invitation_by_id as stored_invitation;
use crate::support::letters::{NewLetter, invite};
use crate::support::{Backend, TestApp};

storage_test!(
    invitations_queue_emails_and_store_only_link_hashes,
    each_bad_invitation_is_rejected_by_index,
    revoking_and_reinviting_kill_the_old_link,
    reminders_go_to_those_who_have_not_answered,
    every_endpoint_refuses_requests_without_a_valid_token,
    a_letter_holds_no_more_invitations_than_its_limit,
    batches_sent_at_once_never_pass_the_limit,
);

/// A letter that takes invitations.
async fn open_letter(app: &TestApp, token: &str) -> String {
    NewLetter::new().create(app, token).await.id
}

/// Sends `POST /letters/{letter}/invitations` with these items: the answer, whatever it is.
async fn post_invitations(
    app: &TestApp,
    token: &str,
    letter: &str,
    items: Value,
) -> (StatusCode, Value) {
    app.api(
        Method::POST,
        &format!("/letters/{letter}/invitations"),
        token,
        Some(json!({ "invitations": items })),
    )
    .await
}

/// The outbox jobs of an invitation.
async fn jobs(app: &TestApp, invitation: &str) -> Vec<OutboxJob> {
    let id = invitation.to_string();
    app.in_database(move |conn| undersigned::db::outbox::for_invitation(conn, &id.into()).unwrap())
        .await
}

async fn invitations_queue_emails_and_store_only_link_hashes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = open_letter(&app, &token).await;
    let (status, body) = post_invitations(
        &app,
        &token,
        &letter,
        json!([
            { "organization": "Human Rights Watch", "email": "hrw@example.org", "tier": "lead", "country": "us", "contact_name": "Desk" },
            { "organization": "Lawyers for Human Rights & Justice", "email": "lhrj@example.org", "display_name": "LHR&J" },
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let created = body["invitations"].as_array().unwrap();
    assert_eq!(created.len(), 2);
    assert_eq!(created[0]["tier"], "lead");
    assert_eq!(created[0]["country"], "US");
    assert_eq!(created[0]["status"], "queued");
    assert_eq!(created[1]["organization"], "LHR&J");
    assert_eq!(created[1]["tier"], "supporting");

    let letter_json = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{letter}"),
            &token,
            None,
        )
        .await;
    assert_eq!(letter_json["status"], "open", "inviting opens a draft");
    assert_eq!(letter_json["counts"]["queued"], 2);

    let id = created[0]["id"].as_str().unwrap();
    let queued = jobs(&app, id).await;
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].kind, "invitation");
    assert_eq!(queued[0].recipient, "hrw@example.org");
    assert_eq!(queued[0].status, JobStatus::Pending);
    assert!(queued[0].message_id.starts_with('<') && queued[0].message_id.ends_with("@127.0.0.1>"));

    // The link token is derived from the server secret; the database holds only its SHA-256.
    let stored = stored_invitation(&app, id).await;
    let token_in_link = app.context.secrets.sign_link_token(id, &stored.token_nonce);
    assert_eq!(stored.token_hash, sha256_hex(&token_in_link));
    let dump = app.in_database(dump_all_text).await;
    assert!(
        !dump.contains(&token_in_link),
        "a working sign token sits in the database"
    );

    let listed = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{letter}/invitations"),
            &token,
            None,
        )
        .await;
    let listed = listed["invitations"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .all(|i| i.get("token_hash").is_none() && i.get("token_nonce").is_none())
    );
}

/// Every text column of the tables that could hold a link, concatenated.
fn dump_all_text(conn: &mut undersigned::db::DbConnection) -> String {
    let jobs: Vec<OutboxJob> = outbox::table
        .select(OutboxJob::as_select())
        .load(conn)
        .unwrap();
    let invitations: Vec<Invitation> = invitations::table
        .select(Invitation::as_select())
        .load(conn)
        .unwrap();
    let audit: Vec<(String, String)> = undersigned::db::schema::audit_events::table
        .select((
            undersigned::db::schema::audit_events::action,
            undersigned::db::schema::audit_events::detail,
        ))
        .load(conn)
        .unwrap();
    format!("{jobs:?}{invitations:?}{audit:?}")
}

async fn each_bad_invitation_is_rejected_by_index(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = open_letter(&app, &token).await;
    let (status, body) = post_invitations(
        &app,
        &token,
        &letter,
        json!([
            { "organization": "Amnesty International", "email": "amnesty@example.org", "tier": "lead" },
            { "organization": "No Email Org", "email": "not-an-email" },
            { "organization": "", "email": "x@example.org" },
            { "organization": "Bad Tier", "email": "t@example.org", "tier": "gold" },
            { "organization": "Bad Country", "email": "c@example.org", "country": "Atlantis" },
            { "organization": "AMNESTY  international", "email": "other@example.org" },
            { "organization": "Injected", "email": "x@example.org\r\nBcc: victim@example.org" },
            "not an object",
            { "organization": 42, "email": "n@example.org" },
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["invitations"].as_array().unwrap().len(), 1);
    let rejected: Vec<u64> = body["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["index"].as_u64().unwrap())
        .collect();
    assert_eq!(rejected, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert!(
        body["rejected"][4]["error"]
            .as_str()
            .unwrap()
            .contains("twice")
    );

    let (status, body) = post_invitations(
        &app,
        &token,
        &letter,
        json!([{ "organization": "Amnesty International", "email": "a2@example.org" }]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["details"]["rejected"][0]["error"]
            .as_str()
            .unwrap()
            .contains("already invited")
    );

    let (status, _) = post_invitations(&app, &token, &letter, json!([])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = post_invitations(
        &app,
        &token,
        "no-such-letter",
        json!([{ "organization": "X", "email": "x@example.org" }]),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let listed = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{letter}/invitations"),
            &token,
            None,
        )
        .await;
    assert_eq!(
        listed["invitations"].as_array().unwrap().len(),
        1,
        "rejected items changed nothing"
    );
}

async fn a_letter_holds_no_more_invitations_than_its_limit(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("UNDERSIGNED_LETTERS__MAX_INVITATIONS", "3")]).await;
    let token = app.admin_token().await;
    let letter = open_letter(&app, &token).await;
    let org = |name: &str| json!({ "organization": name, "email": format!("{}@example.org", name.to_lowercase()) });
    let (status, body) =
        post_invitations(&app, &token, &letter, json!([org("First"), org("Second")])).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // One place left: the first good row takes it, the next is refused with the reason.
    let (status, body) = post_invitations(
        &app,
        &token,
        &letter,
        json!([org("Third"), { "organization": "Bad", "email": "nope" }, org("Fourth")]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["invitations"][0]["organization"], "Third", "{body}");
    assert_eq!(body["invitations"].as_array().unwrap().len(), 1);
    assert_eq!(body["rejected"][0]["index"], 1, "{body}");
    assert_eq!(body["rejected"][1]["index"], 2, "{body}");
    let reason = body["rejected"][1]["error"].as_str().unwrap();
    assert!(
        reason.contains("as many invitations as a letter may hold (3"),
        "{reason}"
    );

    // Full: the dry run says so too, and nothing is written.
    for dry_run in [true, false] {
        let (status, body) = app
            .api(
                Method::POST,
                &format!("/letters/{letter}/invitations"),
                &token,
                Some(json!({ "invitations": [org("Fifth")], "dry_run": dry_run })),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["details"]["rejected"][0]["error"]
                .as_str()
                .unwrap()
                .contains("letters.max_invitations"),
            "{body}"
        );
    }

    // An organization that asks to join is not approved past the limit either.
    crate::support::sign_on::open_sign_on(&app, &token, &letter).await;
    let slug = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{letter}"),
            &token,
            None,
        )
        .await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let sent = crate::support::sign_on::ask_to_join(
        &app,
        &slug,
        "organization",
        &[
            ("name", "Joining Org"),
            ("country", "Senegal"),
            ("website", "https://joining.example.org"),
            ("contact_name", "Awa Ndiaye"),
            ("title", "Director"),
            ("email", "awa@joining.example.org"),
        ],
    )
    .await;
    assert_eq!(sent.status(), StatusCode::OK);
    let link =
        crate::support::sign_on::written_confirmation_link(&app, "awa@joining.example.org").await;
    crate::support::sign_on::confirm_by_link(&app, &link).await;
    let request = crate::support::sign_on::request_id(&app, &token, &letter, "Joining Org").await;
    let (status, body) = app
        .api(
            Method::POST,
            &format!("/requests/{request}/approve"),
            &token,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body.to_string().contains("letters.max_invitations"),
        "{body}"
    );
    let listed = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{letter}/invitations"),
            &token,
            None,
        )
        .await;
    assert_eq!(listed["invitations"].as_array().unwrap().len(), 3);
}

async fn batches_sent_at_once_never_pass_the_limit(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("UNDERSIGNED_LETTERS__MAX_INVITATIONS", "3")]).await;
    let token = app.admin_token().await;
    let letter = open_letter(&app, &token).await;
    let org = |name: &str| json!({ "organization": name, "email": format!("{name}@example.org") });
    let (status, body) = post_invitations(&app, &token, &letter, json!([org("first")])).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Four coordinators send a batch of one each, at once, for two places left.
    let answers = futures_util::future::join_all(
        ["second", "third", "fourth", "fifth"]
            .map(|name| post_invitations(&app, &token, &letter, json!([org(name)]))),
    )
    .await;
    let created = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 2, "{answers:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != StatusCode::CREATED) {
        assert_eq!(*status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body.to_string().contains("letters.max_invitations"),
            "{body}"
        );
    }
    let listed = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{letter}/invitations"),
            &token,
            None,
        )
        .await;
    assert_eq!(listed["invitations"].as_array().unwrap().len(), 3);
}

async fn revoking_and_reinviting_kill_the_old_link(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = open_letter(&app, &token).await;
    let invited = invite(
        &app,
        &token,
        &letter,
        vec![json!({ "organization": "FIDH", "email": "fidh@example.org" })],
    )
    .await;
    let id = invited[0]["id"].as_str().unwrap().to_string();
    let first = stored_invitation(&app, &id).await;

    let (status, reinvited) = app
        .api(
            Method::POST,
            &format!("/invitations/{id}/reinvite"),
            &token,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reinvited}");
    let second = stored_invitation(&app, &id).await;
    assert_ne!(second.token_hash, first.token_hash, "a new link");
    let queued = jobs(&app, &id).await;
    assert_eq!(
        queued.len(),
        1,
        "the unsent first email was withdrawn, the new one queued"
    );

    let (status, revoked) = app
        .api(
            Method::POST,
            &format!("/invitations/{id}/revoke"),
            &token,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    assert_eq!(revoked["status"], "revoked");
    assert!(
        jobs(&app, &id).await.is_empty(),
        "nothing goes out for a revoked invitation"
    );
    let (status, again) = app
        .api(
            Method::POST,
            &format!("/invitations/{id}/revoke"),
            &token,
            None,
        )
        .await;
    assert_eq!(
        (status, again["status"].as_str()),
        (StatusCode::OK, Some("revoked"))
    );

    // The organization may be invited afresh once revoked.
    let (status, answer) = post_invitations(
        &app,
        &token,
        &letter,
        json!([{ "organization": "FIDH", "email": "new-desk@example.org" }]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/invitations/{id}/reinvite"),
            &token,
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "the old invitation cannot come back beside the new one"
    );

    let (status, edited) = app
        .api(Method::PATCH, &format!("/invitations/{id}"), &token, Some(json!({ "tier": "lead", "display_name": "FIDH – International Federation for Human Rights" })))
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["tier"], "lead");
    assert_eq!(
        edited["organization"],
        "FIDH – International Federation for Human Rights"
    );

    let (status, _) = app
        .api(Method::POST, "/invitations/nope/revoke", &token, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn reminders_go_to_those_who_have_not_answered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = open_letter(&app, &token).await;
    let invited = invite(
        &app,
        &token,
        &letter,
        vec![
            json!({ "organization": "Sent Org", "email": "sent@example.org" }),
            json!({ "organization": "Opened Org", "email": "opened@example.org" }),
            json!({ "organization": "Signed Org", "email": "signed@example.org" }),
            json!({ "organization": "Queued Org", "email": "queued@example.org" }),
        ],
    )
    .await;
    let ids: Vec<String> = invited
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    let statuses = [
        (ids[0].clone(), "sent"),
        (ids[1].clone(), "opened"),
        (ids[2].clone(), "signed"),
    ];
    app.in_database(move |conn| {
        for (id, status) in statuses {
            diesel::update(invitations::table.find(id))
                .set(invitations::status.eq(status))
                .execute(conn)
                .unwrap();
        }
    })
    .await;
    let path = format!("/letters/{letter}/reminders");
    let (status, result) = app.api(Method::POST, &path, &token, None).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(result["queued"], 2);
    assert_eq!(
        jobs(&app, &ids[0])
            .await
            .iter()
            .filter(|j| j.kind == "reminder")
            .count(),
        1
    );
    assert!(
        jobs(&app, &ids[2])
            .await
            .iter()
            .all(|j| j.kind != "reminder"),
        "signers are not reminded"
    );

    let again = app
        .api_expecting(StatusCode::OK, Method::POST, &path, &token, None)
        .await;
    assert_eq!(
        again["queued"], 0,
        "a reminder still waiting is not doubled"
    );

    let chosen = app
        .api_expecting(
            StatusCode::OK,
            Method::POST,
            &path,
            &token,
            Some(json!({ "invitation_ids": [ids[3]] })),
        )
        .await;
    assert_eq!(
        chosen["queued"], 0,
        "queued invitations get their invitation, not a reminder"
    );
}

async fn every_endpoint_refuses_requests_without_a_valid_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app
        .api_token(
            "coordinator@example.org",
            undersigned::domain::Role::Coordinator,
        )
        .await;
    let letter = open_letter(&app, &token).await;
    let endpoints = [
        (Method::POST, "/letters".to_string()),
        (Method::GET, "/letters".to_string()),
        (Method::GET, format!("/letters/{letter}")),
        (Method::PUT, format!("/letters/{letter}")),
        (Method::DELETE, format!("/letters/{letter}")),
        (Method::POST, format!("/letters/{letter}/close")),
        (Method::GET, format!("/letters/{letter}/versions")),
        (Method::POST, format!("/letters/{letter}/invitations")),
        (Method::GET, format!("/letters/{letter}/invitations")),
        (Method::POST, format!("/letters/{letter}/reminders")),
        (Method::POST, "/invitations/x/revoke".to_string()),
        (Method::POST, "/invitations/x/reinvite".to_string()),
        (Method::PATCH, "/invitations/x".to_string()),
    ];
    let revoked = app
        .api_token("gone@example.org", undersigned::domain::Role::Admin)
        .await;
    let revoked_hash = sha256_hex(&revoked);
    app.in_database(move |conn| {
        use undersigned::db::schema::api_tokens;
        diesel::update(api_tokens::table.filter(api_tokens::token_hash.eq(revoked_hash)))
            .set(api_tokens::revoked_at.eq(chrono::Utc::now().naive_utc()))
            .execute(conn)
            .unwrap();
    })
    .await;
    for (method, path) in &endpoints {
        let url = app.url(&format!("/api/v1{path}"));
        let anonymous = app
            .client
            .request(method.clone(), &url)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            anonymous.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path} without a token"
        );
        assert!(anonymous.json::<Value>().await.unwrap()["error"].is_string());
        for bad in ["nope", &format!("{token}x"), &revoked] {
            let response = app
                .client
                .request(method.clone(), &url)
                .bearer_auth(bad)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path} with a bad token"
            );
        }
    }
    let letter_json = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{letter}"),
            &token,
            None,
        )
        .await;
    assert_eq!(
        letter_json["version"], 1,
        "no refused request changed the letter"
    );

    let openapi: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    for path in [
        "/api/v1/letters",
        "/api/v1/letters/{id}",
        "/api/v1/letters/{id}/invitations",
        "/api/v1/letters/{id}/reminders",
        "/api/v1/invitations/{id}/revoke",
    ] {
        assert!(openapi["paths"].get(path).is_some(), "{path} is documented");
    }
    assert!(openapi["components"]["securitySchemes"]["bearer"].is_object());
}
