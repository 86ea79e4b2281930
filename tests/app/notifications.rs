//! News that finds the coordinator: a lead declining, a withdrawal from the published letter
//! (also on the dashboard until acknowledged), a scheduled release firing, and the daily digest
//! reach the letter's author and the admins at once, as each account chose on its notifications
//! page. On both databases, read back from a real SMTP server.

use std::time::Duration;

use chrono::TimeDelta;
use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use undersigned::db::schema::outbox;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::answer;
use crate::support::smtp::{SmtpServer, app_delivering_to, smtp_available};
use crate::support::workers::after_a_full_pass;
use crate::support::{Backend, TestApp};

storage_test!(
    coordinators_hear_at_once_as_they_chose,
    a_withdrawal_after_publication_stays_on_the_dashboard_until_seen,
    the_daily_digest_lists_the_answers_of_the_day_before,
);

/// The kinds of the emails queued to this address.
async fn queued_to(app: &TestApp, address: &str) -> Vec<String> {
    let address = address.to_string();
    app.in_database(move |conn| {
        outbox::table
            .filter(outbox::recipient.eq(address))
            .select(outbox::kind)
            .load(conn)
            .unwrap()
    })
    .await
}

async fn coordinators_hear_at_once_as_they_chose(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = app_delivering_to(backend, &smtp, &[]).await;
    let author = app.api_token("author@example.org", Role::Admin).await;
    app.api_token("other-coordinator@example.org", Role::Coordinator)
        .await;
    // A second admin turns the lead notices off on the notifications page.
    app.login_as("quiet-admin@example.org", Role::Admin).await;
    let page = app
        .get("/app/account/notifications")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        page.matches(" checked>").count(),
        5,
        "all on by default: {page}"
    );
    let saved = app
        .post_form(
            "/app/account/notifications",
            &[
                ("withdrawn_after_release", "on"),
                ("release_outcome", "on"),
                ("bounced", "on"),
                ("daily_digest", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = app
        .get("/app/account/notifications")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"name="lead_declined">"#), "{page}");

    let letter = NewLetter::new()
        .organizations(&[("Lead Org", "lead"), ("Support Org", "supporting")])
        .create(&app, &author)
        .await;
    let worker = app.start_worker();
    after_a_full_pass(&worker).await;
    answer(&app, "Support Org", "decline").await;
    answer(&app, "Lead Org", "decline").await;
    let notice = smtp
        .wait_for_messages_to("author@example.org", 1, Duration::from_secs(20))
        .await;
    assert_eq!(
        notice[0].header("subject"),
        "Lead Org, a lead organization, declined to sign — Joint Letter on Xinjiang"
    );
    let text = notice[0].text.as_deref().unwrap();
    assert!(
        text.contains("The release is blocked until it signs")
            && text.contains(&format!("/app/letters/{}", letter.id)),
        "{text}"
    );
    // Read in the database, where the notices were queued with the decision: only the lead's
    // decline made news, the quiet admin and the coordinator who did not start it got none.
    assert_eq!(queued_to(&app, "author@example.org").await, ["notice"]);
    assert!(queued_to(&app, "quiet-admin@example.org").await.is_empty());
    assert!(
        queued_to(&app, "other-coordinator@example.org")
            .await
            .is_empty()
    );

    // A scheduled release fires: the author and the quiet admin hear of it.
    answer(&app, "Lead Org", "sign").await;
    let at = (app.clock.now_utc() + TimeDelta::hours(1)).to_rfc3339();
    app.api_expecting(
        StatusCode::OK,
        Method::POST,
        &format!("/letters/{}/release", letter.id),
        &author,
        Some(json!({ "at": at, "time_zone": "UTC" })),
    )
    .await;
    app.clock
        .advance(TimeDelta::hours(1) + TimeDelta::seconds(1));
    // The author has the lead's notice already; the quiet admin had nothing before.
    for (address, count) in [("author@example.org", 2), ("quiet-admin@example.org", 1)] {
        let fired = smtp
            .wait_for_messages_to(address, count, Duration::from_secs(20))
            .await;
        assert!(
            fired.iter().any(|m| m
                .header("subject")
                .starts_with("The letter is published, at its scheduled time")),
            "{address}"
        );
    }
}

async fn a_withdrawal_after_publication_stays_on_the_dashboard_until_seen(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = app_delivering_to(backend, &smtp, &[]).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Lead Org", "lead"), ("Support Org", "supporting")])
        .create(&app, &admin)
        .await;
    answer(&app, "Lead Org", "sign").await;
    answer(&app, "Support Org", "sign").await;
    release_now(&app, &admin, &letter.id).await;
    answer(&app, "Support Org", "withdraw").await;
    let _worker = app.start_worker();
    let emails = smtp
        .wait_for_messages_to("admin@example.org", 1, Duration::from_secs(20))
        .await;
    assert!(
        emails[0]
            .header("subject")
            .starts_with("Support Org withdrew its signature from the published letter"),
        "{}",
        emails[0].header("subject")
    );

    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let dashboard = format!("/app/letters/{}", letter.id);
    let page = app.get(&dashboard).await.text().await.unwrap();
    let alert = &page[page
        .find("Withdrawn from the published letter")
        .expect("the alert")..];
    assert!(alert.contains("Support Org"), "{alert}");
    let seen = app
        .post_form(&format!("{dashboard}/withdrawals/seen"), &[])
        .await;
    assert_eq!(seen.status(), StatusCode::SEE_OTHER);
    let page = app.get(&dashboard).await.text().await.unwrap();
    assert!(
        !page.contains("Withdrawn from the published letter"),
        "{page}"
    );
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|a| a == "letter.withdrawals_acknowledged")
    );
}

async fn the_daily_digest_lists_the_answers_of_the_day_before(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = app_delivering_to(backend, &smtp, &[]).await;
    let admin = app.admin_token().await;
    NewLetter::new()
        .organizations(&[("Lead Org", "lead"), ("Support Org", "supporting")])
        .create(&app, &admin)
        .await;
    answer(&app, "Lead Org", "sign").await;
    answer(&app, "Support Org", "sign").await;
    // The next day: the worker queues one digest of the day before, once.
    app.clock.advance(TimeDelta::days(1));
    let worker = app.start_worker();
    let digest = smtp
        .wait_for_messages_to("admin@example.org", 1, Duration::from_secs(20))
        .await;
    assert!(
        digest[0].header("subject").starts_with("2 answers on "),
        "{}",
        digest[0].header("subject")
    );
    let text = digest[0].text.as_deref().unwrap();
    assert!(
        text.contains("- Lead Org: signed") && text.contains("- Support Org: signed"),
        "{text}"
    );
    after_a_full_pass(&worker).await;
    app.clock.advance(TimeDelta::minutes(2));
    after_a_full_pass(&worker).await;
    assert_eq!(
        queued_to(&app, "admin@example.org").await,
        ["digest"],
        "one digest per day"
    );
}
