//! A scheduled release freezes the text, not the answers: partners may still sign or decline
//! until it fires, unless the admin froze the list; when the time comes the release check runs
//! again, and if it fails nothing is published, the letter opens again and the admins are
//! emailed why. On both databases, with the email read back from a real SMTP server.

use std::time::Duration;

use chrono::TimeDelta;
use reqwest::{Method, StatusCode};
use serde_json::json;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::NewLetter;
use crate::support::partners::{Partner, answer};
use crate::support::smtp::{SmtpServer, app_delivering_to, smtp_available};
use crate::support::workers::after_a_full_pass;
use crate::support::{Backend, TestApp};

storage_test!(
    answers_go_on_until_the_release_and_a_failed_check_reopens_the_letter,
    a_frozen_list_stops_answers_until_the_release,
);

async fn answers_go_on_until_the_release_and_a_failed_check_reopens_the_letter(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = app_delivering_to(backend, &smtp, &[]).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let letter = NewLetter::new()
        .organizations(&[
            ("Amnesty International", "lead"),
            ("Article 19", "supporting"),
        ])
        .create(&app, &admin)
        .await;
    answer(&app, "Amnesty International", "sign").await;
    let at = (app.clock.now_utc() + TimeDelta::hours(3)).to_rfc3339();
    let scheduled = app
        .api_expecting(
            StatusCode::OK,
            Method::POST,
            &format!("/letters/{}/release", letter.id),
            &admin,
            Some(json!({ "at": at, "time_zone": "Europe/Zurich" })),
        )
        .await;
    assert_eq!(scheduled["answers_frozen"], false, "{scheduled}");

    // The sign page says when the letter goes out, in both times and from now, and that
    // answers may still change; a partner signs, and the lead changes its mind.
    let partner = Partner::open(&app, "Article 19").await;
    for expected in [
        "will be published on",
        "(Europe/Zurich)",
        "UTC",
        "in 3 hours",
        "you may still sign",
    ] {
        assert!(
            partner.page.contains(expected),
            "{expected}: {}",
            partner.page
        );
    }
    let (status, page) = partner.send("sign").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    answer(&app, "Amnesty International", "decline").await;

    // The time comes: the check fails, nothing is published, the letter is open again.
    let worker = app.start_worker();
    after_a_full_pass(&worker).await;
    app.clock
        .advance(TimeDelta::hours(3) + TimeDelta::seconds(1));
    // The admin heard at once that the lead declined, then that the release did not happen.
    let emails = smtp
        .wait_for_messages_to("admin@example.org", 2, Duration::from_secs(20))
        .await;
    let failed = emails
        .iter()
        .find(|m| {
            m.header("subject")
                .starts_with("The scheduled release did not happen")
        })
        .unwrap_or_else(|| panic!("the failed release's email among {emails:?}"));
    assert!(
        emails.iter().any(|m| m
            .header("subject")
            .starts_with("Amnesty International, a lead organization, declined")),
        "{emails:?}"
    );
    let text = failed.text.clone().unwrap_or_default();
    assert!(
        text.contains("Amnesty International"),
        "the reason names the lead: {text}"
    );
    assert!(
        text.contains(&format!("/app/letters/{}/release", letter.id)),
        "{text}"
    );
    worker.stop().await;

    let now = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}", letter.id),
            &admin,
            None,
        )
        .await;
    assert_eq!(now["status"], "open", "{now}");
    let public = app.get(&format!("/letters/{}", letter.slug)).await;
    assert_eq!(
        public.status(),
        StatusCode::NOT_FOUND,
        "nothing was published"
    );
    let actions = app.audit_actions().await;
    assert!(
        actions.iter().any(|a| a == "letter.release_failed"),
        "{actions:?}"
    );
    assert!(
        !actions.iter().any(|a| a == "letter.released"),
        "{actions:?}"
    );
}

async fn a_frozen_list_stops_answers_until_the_release(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let letter = NewLetter::new()
        .organizations(&[
            ("Amnesty International", "lead"),
            ("Article 19", "supporting"),
        ])
        .create(&app, &admin)
        .await;
    answer(&app, "Amnesty International", "sign").await;
    let partner = Partner::open(&app, "Article 19").await;
    let at = (app.clock.now_utc() + TimeDelta::days(2)).to_rfc3339();
    let path = format!("/letters/{}/release", letter.id);
    let scheduled = app
        .api_expecting(
            StatusCode::OK,
            Method::POST,
            &path,
            &admin,
            Some(json!({ "at": at, "freeze_answers": true })),
        )
        .await;
    assert_eq!(scheduled["answers_frozen"], true, "{scheduled}");

    // A page opened before the freeze cannot answer after it, and a fresh one says why.
    let (status, page) = partner.send("sign").await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    let fresh = Partner::open(&app, "Article 19").await;
    assert!(
        fresh.page.contains("list of signatories is final"),
        "{}",
        fresh.page
    );
    assert!(fresh.page.contains("in 2 days"), "{}", fresh.page);

    // Cancelling a frozen schedule leaves the letter closed until an admin reopens it.
    let (status, cancelled) = app
        .api(Method::POST, &format!("{path}/cancel"), &admin, None)
        .await;
    assert_eq!(
        (status, cancelled["status"].as_str()),
        (StatusCode::OK, Some("closed"))
    );
}
