//! Signing, as a partner does it: the link from the email that really arrived, exchanged for a
//! cookie; the page with the exact text; decisions bound to the version and its hash; a double
//! POST; change of mind; re-approval after edits; forwarding to a colleague; guessing links;
//! and no raw token anywhere in the database.

use std::time::Duration;

use chrono::TimeDelta;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use undersigned::app::delivery::{Worker, WorkerHandle};
use undersigned::domain::Role;

use crate::smtp::{Received, SmtpServer};
use crate::storage_test;
use crate::support::{Backend, TestApp, csrf_of, hidden_field, location};

storage_test!(
    opening_a_link_records_nothing_and_hides_the_token,
    a_decision_is_bound_to_the_text_and_a_double_post_counts_once,
    substantive_edits_ask_signers_again_and_minor_ones_carry_over,
    a_partner_can_hand_the_request_to_a_colleague,
    guessing_links_meets_429_and_every_bad_link_answers_alike,
    no_raw_sign_token_is_in_the_database,
);

const WAIT: Duration = Duration::from_secs(20);

/// An app delivering to a real SMTP server, a letter that shows its signatories, and the
/// invited organizations.
struct Coalition {
    app: TestApp,
    smtp: SmtpServer,
    token: String,
    letter: String,
    _worker: WorkerHandle,
}

impl Coalition {
    async fn start(backend: Backend, orgs: &[(&str, &str)]) -> Self {
        let smtp = SmtpServer::start();
        let url = smtp.url();
        let app = TestApp::spawn_with(
            backend,
            &[
                ("UNDERSIGNED_MAIL__SMTP_URL", url.as_str()),
                ("UNDERSIGNED_MAIL__POLL_INTERVAL_MS", "100"),
                ("UNDERSIGNED_MAIL__RATE_PER_SECOND", "0"),
            ],
        )
        .await;
        let worker = Worker::new(app.context.clone()).unwrap().spawn();
        let token = app
            .api_token("coordinator@example.org", Role::Coordinator)
            .await;
        let body = json!({ "title": "Joint Letter on Xinjiang", "addressee": "António Guterres", "body_markdown": "We urge you to act.", "show_signatories": true });
        let (_, letter) = app.api(Method::POST, "/letters", &token, Some(body)).await;
        let letter = letter["id"].as_str().unwrap().to_string();
        let items: Vec<Value> = orgs.iter().map(|(o, e)| json!({ "organization": o, "email": e, "tier": "lead", "contact_name": "Desk" })).collect();
        let (status, body) = app
            .api(
                Method::POST,
                &format!("/letters/{letter}/invitations"),
                &token,
                Some(json!({ "invitations": items })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        Self {
            app,
            smtp,
            token,
            letter,
            _worker: worker,
        }
    }

    /// Messages to this address, waiting until there are `count`.
    async fn mail_to(&self, email: &str, count: usize) -> Vec<Received> {
        let started = std::time::Instant::now();
        loop {
            let found: Vec<Received> = self
                .smtp
                .messages()
                .into_iter()
                .filter(|m| m.header("to").contains(email))
                .collect();
            if found.len() >= count || started.elapsed() > WAIT {
                assert!(
                    found.len() >= count,
                    "{count} messages to {email}, got {}",
                    found.len()
                );
                return found;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The sign link of the latest message to this address.
    async fn link(&self, email: &str, nth_message: usize) -> String {
        let messages = self.mail_to(email, nth_message).await;
        let text = messages[nth_message - 1].text.clone().expect("a text part");
        let start = text
            .find(&format!("{}/sign/", self.app.address))
            .expect("a sign link in the email");
        text[start..].split_whitespace().next().unwrap().to_string()
    }

    async fn invitation(&self, organization: &str) -> Value {
        let (_, body) = self
            .app
            .api(
                Method::GET,
                &format!("/letters/{}/invitations", self.letter),
                &self.token,
                None,
            )
            .await;
        body["invitations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["organization"] == organization)
            .unwrap()
            .clone()
    }

    async fn responses(&self) -> i64 {
        use diesel::prelude::*;
        use undersigned::db::schema::responses;
        self.app
            .in_database(|conn| responses::table.count().get_result::<i64>(conn).unwrap())
            .await
    }
}

fn browser() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// Follows a sign link like a browser: the link, then its redirect; returns the page.
async fn open(browser: &Client, link: &str) -> (StatusCode, String) {
    let first = browser.get(link).send().await.unwrap();
    if first.status() != StatusCode::SEE_OTHER {
        let status = first.status();
        return (status, first.text().await.unwrap());
    }
    let page_url = reqwest::Url::parse(link)
        .unwrap()
        .join(&location(&first))
        .unwrap();
    let page = browser.get(page_url).send().await.unwrap();
    (page.status(), page.text().await.unwrap())
}

/// Submits the sign form of a page.
async fn answer(app: &TestApp, browser: &Client, page: &str, decision: &str) -> reqwest::Response {
    let fields = [
        ("csrf_token", csrf_of(page)),
        ("submission_key", hidden_field(page, "submission_key")),
        ("content_sha256", hidden_field(page, "content_sha256")),
        ("decision", decision.to_string()),
        ("signer_name", "Jo Example".to_string()),
        ("signer_title", "Director".to_string()),
        (
            "organization_display_name",
            hidden_field(page, "organization_display_name"),
        ),
        ("comment", String::new()),
    ];
    browser
        .post(app.url("/sign"))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

async fn opening_a_link_records_nothing_and_hides_the_token(backend: Backend) {
    let c = Coalition::start(backend, &[("Human Rights Watch", "hrw@example.org")]).await;
    let link = c.link("hrw@example.org", 1).await;
    let token = link.rsplit('/').next().unwrap();

    // A mail scanner opens the link twice, without cookies.
    for _ in 0..2 {
        let scanned = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(&link)
            .send()
            .await
            .unwrap();
        assert_eq!(scanned.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            location(&scanned),
            "/sign",
            "the token leaves the address bar at once"
        );
        let cookie = scanned.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.contains("Path=/sign"),
            "{cookie}"
        );
        assert!(!cookie.contains(token), "the cookie is not the token");
    }
    let invitation = c.invitation("Human Rights Watch").await;
    assert_eq!(invitation["status"], "opened");
    assert!(invitation["opened_at"].is_string());
    assert_eq!(c.responses().await, 0, "a GET never decides");
    let opened = c
        .app
        .audit_actions()
        .await
        .iter()
        .filter(|a| *a == "invitation.opened")
        .count();
    assert_eq!(opened, 1, "opened is recorded once");

    let b = browser();
    let (status, page) = open(&b, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("We urge you to act.") && page.contains("António Guterres"));
    assert!(page.contains("Human Rights Watch") && page.contains("lead organizations"));
    let (_, letter) = c
        .app
        .api(
            Method::GET,
            &format!("/letters/{}", c.letter),
            &c.token,
            None,
        )
        .await;
    assert!(
        page.contains(letter["content_sha256"].as_str().unwrap()),
        "the page shows the hash of the text"
    );
    assert!(!page.contains(token), "the page does not repeat the token");
    assert!(page.contains(r#"name="decision""#) && page.contains(r#"name="csrf_token""#));
}

async fn a_decision_is_bound_to_the_text_and_a_double_post_counts_once(backend: Backend) {
    let c = Coalition::start(
        backend,
        &[
            ("Amnesty International", "amnesty@example.org"),
            ("Article 19", "a19@example.org"),
        ],
    )
    .await;
    let b = browser();
    let (_, page) = open(&b, &c.link("amnesty@example.org", 1).await).await;

    let (first, second) = tokio::join!(
        answer(&c.app, &b, &page, "sign"),
        answer(&c.app, &b, &page, "sign")
    );
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        c.responses().await,
        1,
        "the same form twice is one decision"
    );
    let signed = c.invitation("Amnesty International").await;
    assert_eq!(signed["status"], "signed");
    assert_eq!(signed["approved_version"], 1);
    let mail = c.mail_to("amnesty@example.org", 2).await;
    assert!(
        mail.iter()
            .any(|m| m.header("subject").contains("signature is recorded")),
        "a confirmation arrives"
    );

    // The signatory shows to the next partner; the page after the redirect shows the record.
    let (_, page) = open(&b, &c.link("amnesty@example.org", 1).await).await;
    assert!(
        page.contains("approved by Jo Example, Director, for Amnesty International"),
        "{page}"
    );
    let other = browser();
    let (_, other_page) = open(&other, &c.link("a19@example.org", 1).await).await;
    assert!(
        other_page.contains("Already signed")
            && other_page.contains("<li>Amnesty International</li>")
    );

    // A change of mind, then back: every decision is kept.
    assert_eq!(
        answer(&c.app, &b, &page, "decline").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        c.invitation("Amnesty International").await["status"],
        "declined"
    );
    assert_eq!(
        c.invitation("Amnesty International").await["approved_version"],
        Value::Null
    );
    let (_, page) = open(&b, &c.link("amnesty@example.org", 1).await).await;
    let withdraw = answer(&c.app, &b, &page, "withdraw").await;
    assert_eq!(
        withdraw.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "only a signature can be withdrawn"
    );
    assert_eq!(
        answer(&c.app, &b, &page, "sign").await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, page) = open(&b, &c.link("amnesty@example.org", 1).await).await;
    assert_eq!(
        answer(&c.app, &b, &page, "withdraw").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        c.invitation("Amnesty International").await["status"],
        "withdrawn"
    );
    assert_eq!(c.responses().await, 4);

    // Without its CSRF field the form changes nothing; bad input gets the page back.
    let (_, page) = open(&b, &c.link("amnesty@example.org", 1).await).await;
    let forged = b
        .post(c.app.url("/sign"))
        .form(&[
            ("submission_key", hidden_field(&page, "submission_key")),
            ("decision", "sign".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let nameless = b
        .post(c.app.url("/sign"))
        .form(&[
            ("csrf_token", csrf_of(&page)),
            ("submission_key", hidden_field(&page, "submission_key")),
            ("decision", "sign".into()),
            ("signer_title", "Director".into()),
            ("organization_display_name", "Amnesty".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(nameless.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(c.responses().await, 4, "refused forms recorded nothing");

    // After the deadline the page says so and takes no decision.
    let (_, page) = open(&b, &c.link("amnesty@example.org", 1).await).await;
    c.app
        .api(
            Method::PUT,
            &format!("/letters/{}", c.letter),
            &c.token,
            Some(json!({ "deadline": "2026-12-01T12:00:00Z" })),
        )
        .await;
    c.app.clock.advance(TimeDelta::days(6));
    open(&b, &c.link("amnesty@example.org", 1).await).await;
    let late = answer(&c.app, &b, &page, "sign").await;
    assert_eq!(late.status(), StatusCode::CONFLICT);
    let (_, page) = open(&b, &c.link("amnesty@example.org", 1).await).await;
    assert!(
        page.contains("The deadline for answers has passed.")
            && !page.contains(r#"name="decision""#)
    );
}

async fn substantive_edits_ask_signers_again_and_minor_ones_carry_over(backend: Backend) {
    let c = Coalition::start(backend, &[("FIDH", "fidh@example.org")]).await;
    let b = browser();
    let link = c.link("fidh@example.org", 1).await;
    let (_, page) = open(&b, &link).await;
    answer(&c.app, &b, &page, "sign").await;
    c.mail_to("fidh@example.org", 2).await;

    let path = format!("/letters/{}", c.letter);
    let (_, v2) = c
        .app
        .api(
            Method::PUT,
            &path,
            &c.token,
            Some(json!({ "body_markdown": "We urge you to act now.", "change": "minor" })),
        )
        .await;
    assert_eq!(v2["version"], 2);
    assert_eq!(
        c.invitation("FIDH").await["approved_version"],
        2,
        "a minor edit carries the approval over"
    );
    let mail = c.mail_to("fidh@example.org", 3).await;
    assert!(
        mail.iter()
            .any(|m| m.header("subject").contains("small correction")),
        "signers are told of a minor edit"
    );
    let (_, page) = open(&b, &link).await;
    assert!(
        page.contains("minor correction") && page.contains("<ins>"),
        "{page}"
    );

    let (_, v3) = c
        .app
        .api(
            Method::PUT,
            &path,
            &c.token,
            Some(json!({ "body_markdown": "We ask you to act today.", "change": "substantive" })),
        )
        .await;
    assert_eq!(v3["version"], 3);
    let stale = c.invitation("FIDH").await;
    assert_eq!(
        (stale["status"].as_str(), stale["approved_version"].as_i64()),
        (Some("signed"), Some(2)),
        "the approval stays on version 2"
    );
    let mail = c.mail_to("fidh@example.org", 4).await;
    assert!(
        mail.iter()
            .any(|m| m.header("subject").contains("approve it again")),
        "signers are asked again"
    );
    let (_, page) = open(&b, &link).await;
    assert!(page.contains("does not count for the new text"), "{page}");
    assert!(
        page.contains("<del>urge</del>") || page.contains("<del>urge "),
        "{page}"
    );
    assert_eq!(
        answer(&c.app, &b, &page, "sign").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(c.invitation("FIDH").await["approved_version"], 3);
}

async fn a_partner_can_hand_the_request_to_a_colleague(backend: Backend) {
    let c = Coalition::start(backend, &[("World Uyghur Congress", "desk@wuc.example")]).await;
    let b = browser();
    let old_link = c.link("desk@wuc.example", 1).await;
    let (_, page) = open(&b, &old_link).await;
    let forwarded = b
        .post(c.app.url("/sign/forward"))
        .form(&[
            ("csrf_token", csrf_of(&page)),
            ("colleague_email", "director@wuc.example".into()),
            ("colleague_name", "Dolkun Isa".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forwarded.status(), StatusCode::OK);
    assert!(
        forwarded
            .text()
            .await
            .unwrap()
            .contains("director@wuc.example")
    );

    assert_eq!(
        b.get(c.app.url("/sign")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "the old page is closed"
    );
    assert_eq!(
        open(&browser(), &old_link).await.0,
        StatusCode::NOT_FOUND,
        "the old link is dead"
    );
    let mail = c.mail_to("director@wuc.example", 1).await;
    assert!(
        mail[0]
            .text
            .as_deref()
            .unwrap()
            .contains("has handed this request on to you")
    );
    let new_link = c.link("director@wuc.example", 1).await;
    assert_ne!(new_link, old_link);
    let director = browser();
    let (status, page) = open(&director, &new_link).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        answer(&c.app, &director, &page, "sign").await.status(),
        StatusCode::SEE_OTHER
    );
    let invitation = c.invitation("World Uyghur Congress").await;
    assert_eq!(
        (invitation["status"].as_str(), invitation["email"].as_str()),
        (Some("signed"), Some("director@wuc.example"))
    );
    let actions = c.app.audit_actions().await;
    assert!(
        actions.iter().any(|a| a == "invitation.forwarded"),
        "{actions:?}"
    );
}

async fn guessing_links_meets_429_and_every_bad_link_answers_alike(backend: Backend) {
    let c = Coalition::start(
        backend,
        &[
            ("Civil Rights Defenders", "crd@example.org"),
            ("Revoked Org", "revoked@example.org"),
        ],
    )
    .await;
    let valid = c.link("crd@example.org", 1).await;
    let revoked_link = c.link("revoked@example.org", 1).await;
    let revoked = c.invitation("Revoked Org").await;
    c.app
        .api(
            Method::POST,
            &format!("/invitations/{}/revoke", revoked["id"].as_str().unwrap()),
            &c.token,
            None,
        )
        .await;

    let plain = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let body_of = |r: reqwest::Response| async move { (r.status(), r.text().await.unwrap()) };
    let revoked_answer = body_of(plain.get(&revoked_link).send().await.unwrap()).await;
    let malformed = body_of(plain.get(c.app.url("/sign/short")).send().await.unwrap()).await;
    let unknown = body_of(
        plain
            .get(c.app.url(&format!("/sign/{}", "A".repeat(43))))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(revoked_answer.0, StatusCode::NOT_FOUND);
    assert_eq!(
        revoked_answer, malformed,
        "revoked and malformed links answer alike"
    );
    assert_eq!(
        revoked_answer, unknown,
        "revoked and unknown links answer alike"
    );

    let mut codes = Vec::new();
    for i in 0..25 {
        let guess = format!("{:0>43}", format!("guess{i}"));
        codes.push(
            plain
                .get(c.app.url(&format!("/sign/{guess}")))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
        );
    }
    assert!(codes.contains(&429), "{codes:?}");
    assert!(codes.iter().all(|c| *c == 404 || *c == 429), "{codes:?}");
    assert_eq!(
        plain.get(&valid).send().await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS,
        "past the limit every link waits"
    );
}

async fn no_raw_sign_token_is_in_the_database(backend: Backend) {
    let c = Coalition::start(backend, &[("Human Rights in China", "hric@example.org")]).await;
    let link = c.link("hric@example.org", 1).await;
    let b = browser();
    let (_, page) = open(&b, &link).await;
    answer(&c.app, &b, &page, "sign").await;
    c.mail_to("hric@example.org", 2).await;
    let token = link.rsplit('/').next().unwrap().to_string();
    let dump = match backend {
        Backend::Sqlite => {
            let dir = c.app.database.data_dir();
            let mut bytes = Vec::new();
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("test.db")
                {
                    bytes.extend(std::fs::read(path).unwrap());
                }
            }
            bytes
        }
        Backend::Postgres => {
            let output = std::process::Command::new("pg_dump")
                .arg(&c.app.database.url)
                .output()
                .expect("pg_dump");
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            output.stdout
        }
    };
    assert!(
        dump.len() > 10_000,
        "the dump is real: {} bytes",
        dump.len()
    );
    assert!(
        !dump.windows(token.len()).any(|w| w == token.as_bytes()),
        "a raw sign token is in the database"
    );
}
