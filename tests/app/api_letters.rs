//! API v1 letters: drafting, versions bound to their SHA-256, hostile Markdown, statuses,
//! deletion, and clear 4xx answers that change nothing.

use reqwest::Method;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::storage_test;
use crate::support::letters::{NewLetter, contact, invite};
use crate::support::{Backend, TestApp};

storage_test!(
    a_new_letter_is_a_draft_with_the_hash_of_its_text,
    text_edits_make_versions_and_identical_text_does_not,
    hostile_markdown_is_rendered_harmless,
    slugs_are_unique_and_checked,
    bad_input_gets_a_4xx_and_changes_nothing,
    statuses_move_as_a_coordinator_expects,
    a_letter_with_responses_cannot_be_deleted,
);

const BODY: &str = "Dear Secretary-General,\n\nWe **urge** you to act.\n";

/// The SHA-256 of a text, in hex.
fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// A letter with this title and `BODY`, as the API answered its creation.
async fn new_letter(app: &TestApp, token: &str, title: &str) -> Value {
    NewLetter::new()
        .with("title", title)
        .with("body_markdown", BODY)
        .create(app, token)
        .await
        .json
}

async fn a_new_letter_is_a_draft_with_the_hash_of_its_text(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let (status, letter) = app
        .api(
            Method::POST,
            "/letters",
            &token,
            Some(json!({
                "title": "Joint Letter on Xinjiang",
                "addressee": "António Guterres",
                "body_markdown": "Dear Secretary-General,\r\n\r\nWe **urge** you to act.  \r\n",
                "deadline": "2026-12-01T17:00:00+01:00",
                "deadline_time_zone": "Europe/Zurich",
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{letter}");
    assert_eq!(letter["status"], "draft");
    assert_eq!(letter["version"], 1);
    assert_eq!(letter["slug"], "joint-letter-on-xinjiang");
    assert_eq!(letter["deadline"], "2026-12-01T16:00:00Z");
    assert_eq!(letter["deadline_time_zone"], "Europe/Zurich");
    // Canonical text: title, addressee, body; LF line endings, no trailing spaces.
    let canonical = "Joint Letter on Xinjiang\n\nAntónio Guterres\n\nDear Secretary-General,\n\nWe **urge** you to act.\n";
    assert_eq!(letter["content_sha256"], sha256(canonical));
    assert!(
        letter["body_html"]
            .as_str()
            .unwrap()
            .contains("<strong>urge</strong>")
    );

    let id = letter["id"].as_str().unwrap();
    let (status, fetched) = app
        .api(Method::GET, &format!("/letters/{id}"), &token, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{fetched}");
    assert_eq!(fetched["content_sha256"], letter["content_sha256"]);
    assert_eq!(fetched["counts"], json!({}));

    let listed = app
        .api_expecting(StatusCode::OK, Method::GET, "/letters", &token, None)
        .await;
    assert_eq!(listed["letters"].as_array().unwrap().len(), 1);
}

async fn text_edits_make_versions_and_identical_text_does_not(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = new_letter(&app, &token, "Versions").await;
    let path = format!("/letters/{}", letter["id"].as_str().unwrap());

    let (status, minor) = app
        .api(Method::PUT, &path, &token, Some(json!({ "body_markdown": "Dear Secretary-General,\n\nWe **urge** you to act now.\n", "change": "minor" })))
        .await;
    assert_eq!(status, StatusCode::OK, "{minor}");
    assert_eq!(minor["version"], 2);
    assert_ne!(minor["content_sha256"], letter["content_sha256"]);

    let substantive = app
        .api_expecting(
            StatusCode::OK,
            Method::PUT,
            &path,
            &token,
            Some(
                json!({ "title": "Versions, revised", "change": "substantive", "note": "new ask" }),
            ),
        )
        .await;
    assert_eq!(substantive["version"], 3);
    assert_eq!(substantive["title"], "Versions, revised");
    assert_eq!(
        substantive["slug"], letter["slug"],
        "the public address does not follow the title"
    );

    let same = app
        .api_expecting(
            StatusCode::OK,
            Method::PUT,
            &path,
            &token,
            Some(json!({ "title": "Versions, revised", "change": "minor" })),
        )
        .await;
    assert_eq!(
        same["version"], 3,
        "the same text again is not a new version"
    );

    let versions = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("{path}/versions"),
            &token,
            None,
        )
        .await;
    let versions = versions["versions"].as_array().unwrap();
    let kinds: Vec<&str> = versions
        .iter()
        .map(|v| v["change"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["substantive", "minor", "initial"]);
    assert_eq!(versions[0]["content_sha256"], substantive["content_sha256"]);
    assert_eq!(versions[2]["content_sha256"], letter["content_sha256"]);
    assert_eq!(versions[0]["note"], "new ask");
}

async fn hostile_markdown_is_rendered_harmless(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let hostile = "Hello\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n\
                   [click](javascript:alert(1))\n\n<a href=\"jAvAsCrIpT:alert(2)\" onclick=\"x()\">y</a>\n\n\
                   <div style=\"background:url(javascript:alert(3))\" onmouseover=\"z()\">z</div>";
    let (status, letter) = app
        .api(
            Method::POST,
            "/letters",
            &token,
            Some(json!({ "title": "<b>T</b>", "addressee": "A", "body_markdown": hostile })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{letter}");
    let html = letter["body_html"].as_str().unwrap().to_lowercase();
    for forbidden in [
        "<script",
        "onerror",
        "onclick",
        "onmouseover",
        "javascript:",
        "style=",
    ] {
        assert!(!html.contains(forbidden), "{forbidden} survived: {html}");
    }
    assert!(html.contains("hello"));
    assert_eq!(
        letter["body_markdown"], hostile,
        "the source is kept as typed"
    );
}

async fn slugs_are_unique_and_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let first = new_letter(&app, &token, "Same Title").await;
    let second = new_letter(&app, &token, "Same Title").await;
    assert_eq!(first["slug"], "same-title");
    assert_eq!(second["slug"], "same-title-2");

    let body =
        json!({ "title": "T", "addressee": "A", "body_markdown": "B", "slug": "same-title" });
    let (status, error) = app.api(Method::POST, "/letters", &token, Some(body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    assert!(error["error"].as_str().unwrap().contains("same-title"));

    let body =
        json!({ "title": "T", "addressee": "A", "body_markdown": "B", "slug": "Not A Slug" });
    let (status, _) = app.api(Method::POST, "/letters", &token, Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn bad_input_gets_a_4xx_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    for body in [
        json!({ "title": "", "addressee": "A", "body_markdown": "B" }),
        json!({ "title": "T", "addressee": "A", "body_markdown": "   " }),
        json!({ "title": "T\r\nBcc: x", "addressee": "A", "body_markdown": "B" }),
        json!({ "title": "T", "addressee": "A", "body_markdown": "B", "deadline": "next week" }),
        json!({ "title": "T", "addressee": "A", "body_markdown": "B", "deadline": "2026-12-01T17:00:00Z", "deadline_time_zone": "Moon/Base" }),
        json!({ "title": "T" }),
    ] {
        let (status, error) = app
            .api(Method::POST, "/letters", &token, Some(body.clone()))
            .await;
        assert!(status.is_client_error(), "{body} → {status}");
        assert!(
            error["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{error}"
        );
    }
    let raw = app
        .client
        .post(app.url("/api/v1/letters"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    assert!(
        raw.json::<Value>().await.unwrap()["error"]
            .as_str()
            .unwrap()
            .contains("JSON")
    );

    let listed = app
        .api_expecting(StatusCode::OK, Method::GET, "/letters", &token, None)
        .await;
    assert_eq!(
        listed["letters"],
        json!([]),
        "no bad request created a letter"
    );

    let letter = new_letter(&app, &token, "Kept").await;
    let path = format!("/letters/{}", letter["id"].as_str().unwrap());
    let (status, _) = app
        .api(
            Method::PUT,
            &path,
            &token,
            Some(json!({ "body_markdown": "changed" })),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a text change must say minor or substantive"
    );
    let (status, _) = app
        .api(
            Method::PUT,
            &path,
            &token,
            Some(json!({ "body_markdown": "changed", "change": "huge" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let after = app
        .api_expecting(StatusCode::OK, Method::GET, &path, &token, None)
        .await;
    assert_eq!(after["version"], 1);
    assert_eq!(after["content_sha256"], letter["content_sha256"]);

    let (status, _) = app
        .api(Method::GET, "/letters/no-such-letter", &token, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn statuses_move_as_a_coordinator_expects(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = new_letter(&app, &token, "Statuses").await;
    let path = format!("/letters/{}", letter["id"].as_str().unwrap());
    // Each step must be answered with its status; the letter as it then stands.
    let step = |action: &'static str, expected: StatusCode| {
        let path = format!("{path}/{action}");
        let app = &app;
        let token = token.clone();
        async move {
            app.api_expecting(expected, Method::POST, &path, &token, None)
                .await
        }
    };
    assert!(
        step("close", StatusCode::CONFLICT).await["error"].is_string(),
        "a draft cannot be closed"
    );
    assert_eq!(step("open", StatusCode::OK).await["status"], "open");
    assert_eq!(step("close", StatusCode::OK).await["status"], "closed");
    let invite = json!({ "invitations": [{ "organization": "Article 19", "email": "info@article19.example" }] });
    let (status, _) = app
        .api(
            Method::POST,
            &format!("{path}/invitations"),
            &token,
            Some(invite.clone()),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a closed letter takes no invitations"
    );
    assert_eq!(step("reopen", StatusCode::OK).await["status"], "open");
    let (status, answer) = app
        .api(
            Method::POST,
            &format!("{path}/invitations"),
            &token,
            Some(invite),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(step("archive", StatusCode::OK).await["archived"], true);
    let listed = app
        .api_expecting(StatusCode::OK, Method::GET, "/letters", &token, None)
        .await;
    assert_eq!(
        listed["letters"],
        json!([]),
        "archived letters leave the overview"
    );
    assert_eq!(step("unarchive", StatusCode::OK).await["archived"], false);
}

async fn a_letter_with_responses_cannot_be_deleted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let unanswered = new_letter(&app, &token, "Unanswered").await;
    let (status, answer) = app
        .api(
            Method::DELETE,
            &format!("/letters/{}", unanswered["id"].as_str().unwrap()),
            &token,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");

    let answered = new_letter(&app, &token, "Answered").await;
    let id = answered["id"].as_str().unwrap().to_string();
    let invited = invite(
        &app,
        &token,
        &id,
        vec![contact("Article 19", "info@article19.example")],
    )
    .await;
    let invitation = invited[0]["id"].as_str().unwrap().to_string();
    let letter_id = id.clone();
    app.in_database(move |conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query(format!(
            "INSERT INTO responses (id, invitation_id, letter_id, decision, version, content_sha256, signer_name, \
             signer_title, organization_display_name, created_at) VALUES ('r1', '{invitation}', '{letter_id}', 'sign', 1, \
             '{}', 'Jo', 'Director', 'Article 19', '2026-11-26 10:00:00')",
            "a".repeat(64)
        ))
        .execute(conn)
        .unwrap();
    })
    .await;
    let (status, error) = app
        .api(Method::DELETE, &format!("/letters/{id}"), &token, None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(error["error"].as_str().unwrap().contains("archive"));
    let (status, _) = app
        .api(Method::GET, &format!("/letters/{id}"), &token, None)
        .await;
    assert_eq!(status, StatusCode::OK, "the letter is still there");
}
