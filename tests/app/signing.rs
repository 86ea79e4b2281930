//! Signing, as a partner does it: the link from the email that really arrived, exchanged for a
//! cookie; the page with the exact text; decisions bound to the version and its hash; a double
//! POST; change of mind; re-approval after edits; forwarding to a colleague; guessing links;
//! and no raw token anywhere in the database.

use std::time::Duration;

use chrono::TimeDelta;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::app::outbox::WorkerHandle;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::browsers::browser_without_cookies;
use crate::support::forms::{csrf_of, hidden_field, location};
use crate::support::invitations::listed_invitation;
use crate::support::letters::NewLetter;
use crate::support::partners::{Partner, sign_link_in};
use crate::support::sign_pages::confirm_forward;
use crate::support::smtp::{Received, SmtpServer};
use crate::support::{Backend, TestApp};

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
    /// Starts the SMTP server, the app and its worker, and invites the organizations (name,
    /// email) as lead organizations of a letter that shows its signatories.
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
        let worker = app.start_worker();
        let token = app
            .api_token("coordinator@example.org", Role::Coordinator)
            .await;
        let letter = orgs
            .iter()
            .fold(
                NewLetter::new().with("show_signatories", true),
                |letter, (organization, email)| {
                    letter.invitee(json!({ "organization": organization, "email": email, "tier": "lead", "contact_name": "Desk" }))
                },
            )
            .create(&app, &token)
            .await
            .id;
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
        self.smtp.wait_for_messages_to(email, count, WAIT).await
    }

    /// The sign link of the `nth_message` (from 1) to this address.
    async fn link(&self, email: &str, nth_message: usize) -> String {
        let messages = self.mail_to(email, nth_message).await;
        let text = messages[nth_message - 1].text.clone().expect("a text part");
        sign_link_in(&text, &self.app.address)
    }

    /// The organization's invitation as the API lists it.
    async fn invitation(&self, organization: &str) -> Value {
        listed_invitation(&self.app, &self.token, &self.letter, organization).await
    }

    /// A partner with a browser of their own following this link.
    async fn follow(&self, link: &str) -> (Partner, StatusCode) {
        Partner::follow(&self.app.address, link).await
    }

    /// The letter as the API shows it.
    async fn letter(&self) -> Value {
        self.app
            .api_expecting(
                StatusCode::OK,
                Method::GET,
                &format!("/letters/{}", self.letter),
                &self.token,
                None,
            )
            .await
    }

    /// How many decisions are stored.
    async fn responses(&self) -> i64 {
        use diesel::prelude::*;
        use undersigned::db::schema::responses;
        self.app
            .in_database(|conn| responses::table.count().get_result::<i64>(conn).unwrap())
            .await
    }
}

async fn opening_a_link_records_nothing_and_hides_the_token(backend: Backend) {
    let c = Coalition::start(backend, &[("Human Rights Watch", "hrw@example.org")]).await;
    let link = c.link("hrw@example.org", 1).await;
    let token = link.rsplit('/').next().unwrap();

    // A mail scanner opens the link twice, without cookies.
    for _ in 0..2 {
        let scanned = browser_without_cookies().get(&link).send().await.unwrap();
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

    let (partner, status) = c.follow(&link).await;
    let page = partner.page;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("We urge you to act.") && page.contains("António Guterres"));
    assert!(page.contains("Human Rights Watch") && page.contains("lead organizations"));
    let letter = c.letter().await;
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
    let link = c.link("amnesty@example.org", 1).await;
    let (mut amnesty, _) = c.follow(&link).await;

    let (first, second) = tokio::join!(amnesty.send("sign"), amnesty.send("sign"));
    assert_eq!(first.0, StatusCode::SEE_OTHER, "{}", first.1);
    assert_eq!(second.0, StatusCode::SEE_OTHER, "{}", second.1);
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
    amnesty.reopen(&link).await;
    assert!(
        amnesty
            .page
            .contains("approved by Jo Example, Director, for Amnesty International"),
        "{}",
        amnesty.page
    );
    let (other, _) = c.follow(&c.link("a19@example.org", 1).await).await;
    let other_page = other.page;
    assert!(
        other_page.contains("Already signed")
            && other_page.contains("<li>Amnesty International</li>")
    );

    // A change of mind, then back: every decision is kept.
    assert_eq!(amnesty.send("decline").await.0, StatusCode::SEE_OTHER);
    assert_eq!(
        c.invitation("Amnesty International").await["status"],
        "declined"
    );
    assert_eq!(
        c.invitation("Amnesty International").await["approved_version"],
        Value::Null
    );
    amnesty.reopen(&link).await;
    assert_eq!(
        amnesty.send("withdraw").await.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only a signature can be withdrawn"
    );
    assert_eq!(amnesty.send("sign").await.0, StatusCode::SEE_OTHER);
    amnesty.reopen(&link).await;
    assert_eq!(amnesty.send("withdraw").await.0, StatusCode::SEE_OTHER);
    assert_eq!(
        c.invitation("Amnesty International").await["status"],
        "withdrawn"
    );
    assert_eq!(c.responses().await, 4);

    // Without its CSRF field the form changes nothing; bad input gets the page back.
    amnesty.reopen(&link).await;
    let page = amnesty.page.clone();
    let forged = amnesty
        .browser
        .post(c.app.url("/sign"))
        .form(&[
            ("submission_key", hidden_field(&page, "submission_key")),
            ("decision", "sign".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let nameless = amnesty
        .browser
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
    amnesty.reopen(&link).await;
    let before_the_deadline = amnesty.page.clone();
    c.app
        .api_expecting(
            StatusCode::OK,
            Method::PUT,
            &format!("/letters/{}", c.letter),
            &c.token,
            Some(json!({ "deadline": "2026-12-01T12:00:00Z" })),
        )
        .await;
    c.app.clock.advance(TimeDelta::days(6));
    amnesty.reopen(&link).await;
    let late = amnesty.send_form_of(&before_the_deadline, "sign").await;
    assert_eq!(late.0, StatusCode::CONFLICT, "{}", late.1);
    amnesty.reopen(&link).await;
    assert!(
        amnesty
            .page
            .contains("The deadline for answers has passed.")
            && !amnesty.page.contains(r#"name="decision""#),
        "{}",
        amnesty.page
    );
}

async fn substantive_edits_ask_signers_again_and_minor_ones_carry_over(backend: Backend) {
    let c = Coalition::start(backend, &[("FIDH", "fidh@example.org")]).await;
    let link = c.link("fidh@example.org", 1).await;
    let (mut fidh, _) = c.follow(&link).await;
    let (status, page) = fidh.send("sign").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    c.mail_to("fidh@example.org", 2).await;

    let path = format!("/letters/{}", c.letter);
    let v2 = c
        .app
        .api_expecting(
            StatusCode::OK,
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
    fidh.reopen(&link).await;
    assert!(
        fidh.page.contains("minor correction") && fidh.page.contains("<ins>"),
        "{}",
        fidh.page
    );

    let v3 = c
        .app
        .api_expecting(
            StatusCode::OK,
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
    fidh.reopen(&link).await;
    let page = fidh.page.clone();
    assert!(page.contains("does not count for the new text"), "{page}");
    assert!(
        page.contains("<del>urge</del>") || page.contains("<del>urge "),
        "{page}"
    );
    assert_eq!(fidh.send("sign").await.0, StatusCode::SEE_OTHER);
    assert_eq!(c.invitation("FIDH").await["approved_version"], 3);
}

async fn a_partner_can_hand_the_request_to_a_colleague(backend: Backend) {
    let c = Coalition::start(backend, &[("World Uyghur Congress", "desk@wuc.example")]).await;
    let old_link = c.link("desk@wuc.example", 1).await;
    let (desk, _) = c.follow(&old_link).await;
    let shown = desk.forward("director@wuc.example", "Dolkun Isa").await;
    assert_eq!(shown.status(), StatusCode::OK);
    let shown = shown.text().await.unwrap();
    assert!(shown.contains("director@wuc.example"), "{shown}");
    let forwarded = confirm_forward(&desk, &shown).await;
    assert_eq!(forwarded.status(), StatusCode::OK);
    assert!(
        forwarded
            .text()
            .await
            .unwrap()
            .contains("director@wuc.example")
    );

    assert_eq!(
        desk.browser
            .get(c.app.url("/sign"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND,
        "the old page is closed"
    );
    assert_eq!(
        c.follow(&old_link).await.1,
        StatusCode::GONE,
        "the old link no longer works, and says it was handed on"
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
    let (director, status) = c.follow(&new_link).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(director.send("sign").await.0, StatusCode::SEE_OTHER);
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
        .api_expecting(
            StatusCode::OK,
            Method::POST,
            &format!("/invitations/{}/revoke", revoked["id"].as_str().unwrap()),
            &c.token,
            None,
        )
        .await;

    let plain = browser_without_cookies();
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
    let (partner, _) = c.follow(&link).await;
    let (status, page) = partner.send("sign").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
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
