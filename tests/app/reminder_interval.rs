//! Reminders that respect people: an organization reminded less than
//! `reminders.min_interval_hours` ago is skipped, by hand (the API and the dashboard say how
//! many) and by a letter's schedule; each invitation counts its reminders. The letter form
//! sets the schedule and previews the reminder email.

use std::time::Duration;

use chrono::{DateTime, TimeDelta};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::db::outbox::OutboxJob;
use undersigned::domain::{EmailKind, JobStatus, Role};

use crate::storage_test;
use crate::support::forms::{field_value, location};
use crate::support::letters::NewLetter;
use crate::support::partners::answer;
use crate::support::workers::after_a_full_pass;
use crate::support::{Backend, PASSWORD, TestApp};

storage_test!(
    a_second_round_right_after_the_first_reminds_nobody,
    the_schedule_waits_for_the_interval_after_a_reminder_by_hand,
    the_letter_form_sets_the_schedule_and_previews_the_reminder,
);

const WAIT: Duration = Duration::from_secs(15);

/// The app writing emails as files, its worker polling often.
async fn spawn_app(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
    let mut overrides = vec![
        ("UNDERSIGNED_MAIL__POLL_INTERVAL_MS", "50"),
        ("UNDERSIGNED_MAIL__RATE_PER_SECOND", "0"),
    ];
    overrides.extend_from_slice(extra);
    TestApp::spawn_with(backend, &overrides).await
}

/// Every job in the outbox.
async fn all_jobs(app: &TestApp) -> Vec<OutboxJob> {
    app.in_database(|conn| {
        use diesel::prelude::*;
        use undersigned::db::schema::outbox;
        outbox::table
            .select(OutboxJob::as_select())
            .load(conn)
            .unwrap()
    })
    .await
}

/// Polls the outbox until every job is sent and there are `reminders` reminder jobs.
async fn wait_until_sent(app: &TestApp, reminders: usize) {
    let started = std::time::Instant::now();
    loop {
        let jobs = all_jobs(app).await;
        let reminder_jobs = jobs
            .iter()
            .filter(|j| j.kind == EmailKind::Reminder.as_str())
            .count();
        if reminder_jobs == reminders && jobs.iter().all(|j| j.status == JobStatus::Sent) {
            return;
        }
        assert!(started.elapsed() < WAIT, "{reminders} reminders: {jobs:#?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn remind(app: &TestApp, token: &str, letter: &str) -> Value {
    app.api_expecting(
        StatusCode::OK,
        Method::POST,
        &format!("/letters/{letter}/reminders"),
        token,
        None,
    )
    .await
}

async fn a_second_round_right_after_the_first_reminds_nobody(backend: Backend) {
    let app = spawn_app(backend, &[]).await;
    let token = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[
            ("Silent A", "lead"),
            ("Silent B", "supporting"),
            ("Answered C", "supporting"),
        ])
        .create(&app, &token)
        .await;
    let worker = app.start_worker();
    wait_until_sent(&app, 0).await;
    answer(&app, "Answered C", "sign").await;

    let first = remind(&app, &token, &letter.id).await;
    assert_eq!(
        first,
        json!({ "queued": 2, "skipped_recently_reminded": 0 })
    );
    let second = remind(&app, &token, &letter.id).await;
    assert_eq!(
        second,
        json!({ "queued": 0, "skipped_recently_reminded": 2 }),
        "reminders still waiting"
    );
    wait_until_sent(&app, 2).await;
    app.clock.advance(TimeDelta::hours(23));
    let third = remind(&app, &token, &letter.id).await;
    assert_eq!(
        third,
        json!({ "queued": 0, "skipped_recently_reminded": 2 }),
        "reminded 23 hours ago"
    );

    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let dashboard = format!("/app/letters/{}", letter.id);
    // Reminding everyone asks first, naming who would be reminded; nothing is queued yet.
    let asked = app
        .post_form(&format!("{dashboard}/bulk"), &[("action", "remind_all")])
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = asked.text().await.unwrap();
    assert!(
        asked.contains("Remind the 2 organizations that have not answered?")
            && asked.contains(r#"name="confirm" value="yes""#),
        "{asked}"
    );
    let bulk = app
        .post_form(
            &format!("{dashboard}/bulk"),
            &[("action", "remind_all"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(bulk.status(), StatusCode::SEE_OTHER);
    let page = app.get(&dashboard).await.text().await.unwrap();
    assert!(
        page.contains(
            "0 reminders queued. 2 organizations were skipped: reminded less than 24 hours ago"
        ),
        "the notice says why: {page}"
    );

    app.clock.advance(TimeDelta::hours(2));
    let later = remind(&app, &token, &letter.id).await;
    assert_eq!(
        later,
        json!({ "queued": 2, "skipped_recently_reminded": 0 })
    );
    wait_until_sent(&app, 4).await;
    worker.stop().await;

    let list = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/invitations", letter.id),
            &token,
            None,
        )
        .await;
    let item = |name: &str| {
        list["invitations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["organization"] == name)
            .unwrap()
            .clone()
    };
    let silent = item("Silent A");
    assert_eq!(silent["reminders_sent"], 2);
    let last = DateTime::parse_from_rfc3339(silent["last_reminded_at"].as_str().unwrap())
        .expect("RFC 3339");
    assert!((app.clock.now_utc() - last.to_utc()).abs() < TimeDelta::minutes(5));
    assert_eq!(item("Answered C")["reminders_sent"], 0);

    // Two hours went by: the session idled out.
    let status = app
        .log_in(&app.client, "coordinator@example.org", PASSWORD)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = app.get(&dashboard).await.text().await.unwrap();
    let day = app.clock.now_utc().format("%-d %b %Y").to_string();
    assert!(
        page.contains(&format!("reminded 2×, last on {day}")),
        "{day}: {page}"
    );
}

async fn the_schedule_waits_for_the_interval_after_a_reminder_by_hand(backend: Backend) {
    let app = spawn_app(
        backend,
        &[("UNDERSIGNED_REMINDERS__MIN_INTERVAL_HOURS", "12")],
    )
    .await;
    let token = app.admin_token().await;
    let deadline = app.clock.now_utc() + TimeDelta::days(10);
    let letter = NewLetter::new()
        .with("deadline", deadline.to_rfc3339())
        .organizations(&[("Silent A", "lead")])
        .create(&app, &token)
        .await;
    let worker = app.start_worker();
    wait_until_sent(&app, 0).await;

    // An hour before the slot seven days before the deadline, a coordinator reminds by hand.
    app.clock.advance(TimeDelta::days(3) - TimeDelta::hours(1));
    let by_hand = remind(&app, &token, &letter.id).await;
    assert_eq!(by_hand["queued"], 1);
    wait_until_sent(&app, 1).await;

    // The slot begins: reminded two hours ago, so the schedule leaves it.
    app.clock.advance(TimeDelta::hours(2));
    after_a_full_pass(&worker).await;
    app.clock.advance(TimeDelta::minutes(2));
    after_a_full_pass(&worker).await;
    let reminders = |jobs: Vec<OutboxJob>| {
        jobs.into_iter()
            .filter(|j| j.kind == EmailKind::Reminder.as_str())
            .count()
    };
    assert_eq!(reminders(all_jobs(&app).await), 1, "too soon for the slot");

    // Twelve hours after the reminder by hand, the slot's reminder goes out, once.
    app.clock.advance(TimeDelta::hours(11));
    wait_until_sent(&app, 2).await;
    app.clock.advance(TimeDelta::minutes(2));
    after_a_full_pass(&worker).await;
    assert_eq!(reminders(all_jobs(&app).await), 2);
    worker.stop().await;
}

async fn schedule_of(app: &TestApp, token: &str, letter: &str) -> Value {
    app.api_expecting(
        StatusCode::OK,
        Method::GET,
        &format!("/letters/{letter}/reminder-schedule"),
        token,
        None,
    )
    .await["days_before_deadline"]
        .clone()
}

async fn the_letter_form_sets_the_schedule_and_previews_the_reminder(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let blank = app.get("/app/letters/new").await.text().await.unwrap();
    assert_eq!(
        field_value(&blank, "reminder_days").as_deref(),
        Some("7, 2")
    );
    let deadline = (app.clock.now_utc() + TimeDelta::days(30))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let fields = |title: &'static str, days: &'static str, action: &'static str| {
        vec![
            ("title", title),
            ("addressee", "António Guterres"),
            ("body_markdown", "We urge you to act."),
            ("deadline", deadline.as_str()),
            ("deadline_tz", "UTC"),
            ("reminder_days", days),
            ("action", action),
        ]
    };
    let created = app
        .post_form(
            "/app/letters/new",
            &fields("Joint Letter on Xinjiang", "3, 10", "save"),
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let letter = location(&created).rsplit('/').next().unwrap().to_string();
    assert_eq!(schedule_of(&app, &token, &letter).await, json!([10, 3]));

    let edit = format!("/app/letters/{letter}/edit");
    let page = app.get(&edit).await.text().await.unwrap();
    assert_eq!(
        field_value(&page, "reminder_days").as_deref(),
        Some("10, 3")
    );
    for text in [
        "Reminder: Joint Letter on Xinjiang",
        "Example Organization has not yet answered",
        "António Guterres",
        "Answers close on",
    ] {
        assert!(
            page.contains(text),
            "{text} in the reminder preview: {page}"
        );
    }

    let preview = app
        .post_form(&edit, &fields("A Letter Renamed", "10, 3", "preview"))
        .await;
    assert_eq!(preview.status(), StatusCode::OK);
    let preview = preview.text().await.unwrap();
    assert!(preview.contains("Reminder: A Letter Renamed"), "{preview}");

    let mut refused = fields("Joint Letter on Xinjiang", "7, two", "save");
    refused.push(("change", "minor"));
    let refused = app.post_form(&edit, &refused).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("separated by commas"), "{refused}");
    assert_eq!(
        field_value(&refused, "reminder_days").as_deref(),
        Some("7, two"),
        "what was typed stays in the form"
    );
    assert_eq!(schedule_of(&app, &token, &letter).await, json!([10, 3]));

    let mut cleared = fields("Joint Letter on Xinjiang", "", "save");
    cleared.push(("change", "minor"));
    let cleared = app.post_form(&edit, &cleared).await;
    assert_eq!(cleared.status(), StatusCode::SEE_OTHER);
    assert_eq!(schedule_of(&app, &token, &letter).await, json!([]));
}
