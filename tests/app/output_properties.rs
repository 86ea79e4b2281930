//! Whatever was typed, every output stays valid for the program that reads it: generated text
//! goes into every field a partner or coordinator fills in (title, addressee, text, the
//! organization's printed name, the contact, the signer, the comment), the letter is released,
//! and the Atom feed, the JSON, the CSV, the XLSX, the PDF and the emails are parsed back. A field
//! that refuses the text must say why; the rest of the run then uses a plain value for it.
//! Three generated texts per database; `UNDERSIGNED_PROPTEST_CASES` runs more.

use std::time::Duration;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::storage_test;
use crate::support::invitations::invitation_by_id;
use crate::support::letters::release_now;
use crate::support::partners::{Partner, sign_path};
use crate::support::pdf_tools::pdf_text;
use crate::support::proptest_cases::config;
use crate::support::sheets::{csv_rows, xlsx_rows};
use crate::support::smtp::{SmtpServer, app_delivering_to, smtp_available};
use crate::support::{Backend, TestApp};

storage_test!(whatever_was_typed_every_output_parses);

/// Text with the characters that break formats made likely: markup and XML specials, quotes,
/// CSV and formula starters, header breakers, direction controls, noncharacters, combining
/// marks, emoji, right-to-left script and long runs without spaces.
fn typed_text() -> impl Strategy<Value = String> {
    let pieces = proptest::prop_oneof![
        3 => proptest::arbitrary::any::<char>().prop_map(String::from),
        3 => "[a-zA-Z]{1,10}",
        1 => proptest::strategy::Just("<&>\"']]>".to_string()),
        1 => proptest::strategy::Just("=SUM(A1)".to_string()),
        1 => proptest::strategy::Just(",;\t\"".to_string()),
        1 => proptest::strategy::Just("\r\nBcc: x@example.org".to_string()),
        1 => proptest::strategy::Just("=?utf-8?q?x?=".to_string()),
        1 => proptest::strategy::Just("\u{202E}\u{2067}".to_string()),
        1 => proptest::strategy::Just("\u{FFFE}\u{1}".to_string()),
        1 => proptest::strategy::Just("e\u{301}\u{a0}".to_string()),
        1 => proptest::strategy::Just("👩🏽‍⚖️".to_string()),
        1 => proptest::strategy::Just("منظمة حقوق".to_string()),
        1 => proptest::strategy::Just("x".repeat(120)),
    ];
    proptest::collection::vec(pieces, 1..10).prop_map(|parts| parts.concat())
}

fn generated_texts() -> Vec<String> {
    let mut runner = TestRunner::new(config(3));
    (0..runner.config().cases)
        .map(|_| {
            typed_text()
                .new_tree(&mut runner)
                .expect("a text")
                .current()
        })
        .collect()
}

/// The refusal of a field must be a 422 with a reason.
fn assert_refused_with_reason(status: StatusCode, answer: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(!answer.trim().is_empty(), "a refusal says why");
}

async fn whatever_was_typed_every_output_parses(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = app_delivering_to(backend, &smtp, &[]).await;
    let token = app.admin_token().await;
    let _worker = app.start_worker();
    for (n, text) in generated_texts().iter().enumerate() {
        let letter = create_letter(&app, &token, text, n).await;
        let (id, slug) = (
            letter["id"].as_str().unwrap(),
            letter["slug"].as_str().unwrap(),
        );
        let invitation = invite(&app, &token, id, text, n).await;
        let mailbox = format!("org{n}@example.org");
        // The invitation goes out before the release, which would make it moot.
        smtp.wait_for_messages_to(&mailbox, 1, Duration::from_secs(20))
            .await;
        sign(&app, &invitation, text).await;
        release_now(&app, &token, id).await;
        outputs_parse(&app, slug, text).await;
        let emails = smtp
            .wait_for_messages_to(&mailbox, 3, Duration::from_secs(20))
            .await;
        for email in emails {
            let subject = email.header("subject");
            assert!(
                !subject.is_empty() && !subject.contains(['\r', '\n']),
                "{subject:?}"
            );
            assert!(!email.headers.contains_key("bcc"), "{}", email.raw_headers);
            assert!(email.raw_headers.lines().all(|line| line.len() <= 998));
        }
    }
}

/// Creates a letter with `text` as title, addressee and body; a field that refuses it is
/// given a plain value instead.
async fn create_letter(app: &TestApp, token: &str, text: &str, n: usize) -> Value {
    let mut fields = json!({
        "title": text,
        "addressee": text,
        "body_markdown": format!("{text}\n\nWe ask you to act."),
    });
    for _ in 0..4 {
        let (status, answer) = app
            .api(Method::POST, "/letters", token, Some(fields.clone()))
            .await;
        if status == StatusCode::CREATED {
            return answer;
        }
        assert_refused_with_reason(status, &answer.to_string());
        let error = answer["error"].as_str().unwrap_or_default();
        let field = if error.contains("title") {
            "title"
        } else if error.contains("addressee") {
            "addressee"
        } else {
            "body_markdown"
        };
        fields[field] = json!(format!("Plain {field} {n}"));
    }
    panic!("no letter could be made from {text:?}");
}

/// Invites an organization named `text` with a contact named `text`; the id of the invitation.
async fn invite(app: &TestApp, token: &str, letter: &str, text: &str, n: usize) -> String {
    let email = format!("org{n}@example.org");
    let attempts = [
        json!({ "organization": text, "email": email, "contact_name": text, "tier": "lead" }),
        json!({ "organization": text, "email": email, "tier": "lead" }),
        json!({ "organization": format!("Organization {n}"), "email": email, "tier": "lead" }),
    ];
    for item in attempts {
        let (status, answer) = app
            .api(
                Method::POST,
                &format!("/letters/{letter}/invitations"),
                token,
                Some(json!({ "invitations": [item] })),
            )
            .await;
        if status == StatusCode::CREATED {
            return answer["invitations"][0]["id"].as_str().unwrap().to_string();
        }
        assert_refused_with_reason(status, &answer.to_string());
    }
    panic!("no invitation could be made for {text:?}");
}

/// The partner signs with `text` as the signer's name and title, the printed name and the
/// comment, falling back field by field where the form refuses it.
async fn sign(app: &TestApp, invitation: &str, text: &str) {
    let stored = invitation_by_id(app, invitation).await;
    let link = app.url(&sign_path(app, &stored));
    let (mut partner, status) = Partner::follow(&app.address, &link).await;
    assert_eq!(status, StatusCode::OK);
    let attempts = [
        (text, text, text, text),
        (stored.display_name.as_str(), text, text, text),
        (stored.display_name.as_str(), "Jo Example", "Director", ""),
    ];
    for (organization, name, title, comment) in attempts {
        partner.organization = organization.to_string();
        let page = partner.page.clone();
        let (status, answer) = partner
            .send_answer(&page, "sign", name, title, comment)
            .await;
        if status == StatusCode::SEE_OTHER {
            return;
        }
        assert_refused_with_reason(status, &answer);
        partner.page = answer;
    }
    panic!("the partner could not sign with {text:?}");
}

/// Every public output of the released letter parses.
async fn outputs_parse(app: &TestApp, slug: &str, text: &str) {
    let feed = app.get("/letters.atom").await.text().await.unwrap();
    roxmltree::Document::parse(&feed)
        .unwrap_or_else(|e| panic!("the feed is XML after {text:?}: {e}\n{feed}"));

    let json: Value = app
        .get(&format!("/letters/{slug}.json"))
        .await
        .json()
        .await
        .unwrap_or_else(|e| panic!("the JSON parses after {text:?}: {e}"));
    assert_eq!(
        json["signatories"].as_array().map(Vec::len),
        Some(1),
        "{json}"
    );

    let csv = app
        .get(&format!("/letters/{slug}/signatories.csv"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(csv_rows(&csv).len(), 2, "a header and one signatory");

    let xlsx = app
        .get(&format!("/letters/{slug}/signatories.xlsx"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(xlsx_rows(&xlsx, "Signatories").len(), 2);

    let pdf = app.get(&format!("/letters/{slug}.pdf")).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    let pdf = pdf.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    if let Some(read) = pdf_text(&pdf) {
        assert!(!read.trim().is_empty(), "pdftotext reads the letter");
    }
}
