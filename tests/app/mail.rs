//! Email delivery against a real SMTP server over TCP (aiosmtpd), on both databases: headers,
//! both parts and a sign link that matches the stored hash; retries while the server is down
//! and exactly one copy once it is back; nothing lost when a worker dies holding jobs; bounces,
//! the dead-letter list and retry; `.eml` files without SMTP; header injection; reminders on
//! a schedule.

use std::time::Duration;

use chrono::TimeDelta;
use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use undersigned::crypto::sha256_hex;
use undersigned::db::outbox::OutboxJob;
use undersigned::db::schema::{invitations, letters, outbox};
use undersigned::domain::JobStatus;
use undersigned::mail::{list_outgoing_files, read_outgoing_file};

use crate::storage_test;
use crate::support::invitations::invitation_by_id as invitation;
use crate::support::letters::{NewLetter, contact, id_of, invite};
use crate::support::partners::sign_link_in;
use crate::support::smtp::{Received, SmtpServer, smtp_available};
use crate::support::workers::after_a_full_pass;
use crate::support::{Backend, TestApp};

storage_test!(
    invitations_arrive_with_their_headers_parts_and_working_link,
    while_the_server_is_down_jobs_retry_then_arrive_exactly_once,
    a_worker_killed_holding_jobs_loses_nothing,
    a_stopping_worker_finishes_or_hands_back_its_jobs,
    a_refused_recipient_bounces_and_an_admin_can_retry,
    without_smtp_emails_become_eml_files,
    line_breaks_in_stored_fields_never_reach_headers,
    scheduled_reminders_go_once_per_slot_to_the_silent,
);

const TITLE: &str = "Joint letter on Xinjiang — «urgent»";
const WAIT: Duration = Duration::from_secs(15);

/// The app delivering to `smtp` (or writing `.eml` files without it), polling often, unpaced.
async fn spawn_app(backend: Backend, smtp: Option<&SmtpServer>, extra: &[(&str, &str)]) -> TestApp {
    let url = smtp.map(SmtpServer::url).unwrap_or_default();
    let mut overrides = vec![
        ("UNDERSIGNED_MAIL__SMTP_URL", url.as_str()),
        ("UNDERSIGNED_MAIL__POLL_INTERVAL_MS", "100"),
        ("UNDERSIGNED_MAIL__RATE_PER_SECOND", "0"),
        ("UNDERSIGNED_MAIL__LEASE_SECONDS", "60"),
    ];
    overrides.extend_from_slice(extra);
    TestApp::spawn_with(backend, &overrides).await
}

/// The letter of these tests, with a title that needs encoding in a Subject header.
async fn open_letter(app: &TestApp, token: &str, deadline: Option<String>) -> String {
    let mut letter = NewLetter::new()
        .with("title", TITLE)
        .with("addressee", "UN Secretary-General")
        .with("body_markdown", "We ask.");
    if let Some(deadline) = deadline {
        letter = letter.with("deadline", deadline);
    }
    letter.create(app, token).await.id
}

/// Invites the organizations (name, email); their invitations' ids in the order given.
async fn invite_ids(
    app: &TestApp,
    token: &str,
    letter: &str,
    orgs: &[(&str, &str)],
) -> Vec<String> {
    let items = orgs
        .iter()
        .map(|(name, email)| contact(name, email))
        .collect();
    let created = invite(app, token, letter, items).await;
    orgs.iter().map(|(name, _)| id_of(&created, name)).collect()
}

/// Every job in the outbox, oldest first.
async fn all_jobs(app: &TestApp) -> Vec<OutboxJob> {
    app.in_database(|conn| {
        outbox::table
            .order(outbox::created_at.asc())
            .select(OutboxJob::as_select())
            .load(conn)
            .unwrap()
    })
    .await
}

/// Polls the outbox until `done` holds for its jobs (or fails after `WAIT`).
async fn wait_for_jobs(
    app: &TestApp,
    what: &str,
    done: impl Fn(&[OutboxJob]) -> bool,
) -> Vec<OutboxJob> {
    let started = std::time::Instant::now();
    loop {
        let jobs = all_jobs(app).await;
        if done(&jobs) {
            return jobs;
        }
        assert!(started.elapsed() < WAIT, "{what}: {jobs:#?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The name in a decoded `Name <address>` header, unquoted.
fn display_name(header: &str, address: &str) -> String {
    let name = header
        .strip_suffix(&format!("<{address}>"))
        .unwrap_or_else(|| panic!("{header} is not for {address}"))
        .trim();
    match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => name.to_string(),
    }
}

/// The message delivered to this address.
fn message_to<'a>(messages: &'a [Received], address: &str) -> &'a Received {
    messages
        .iter()
        .find(|m| m.header("X-RcptTo") == address)
        .unwrap_or_else(|| panic!("nothing arrived for {address}"))
}

/// Each message id once, and as many as expected.
fn assert_exactly_once(messages: &[Received], expected: usize) {
    let mut ids: Vec<&str> = messages.iter().map(|m| m.header("Message-ID")).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), messages.len(), "a message arrived twice");
    assert_eq!(messages.len(), expected);
}

async fn invitations_arrive_with_their_headers_parts_and_working_link(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    // A long poll interval: only the wake-up from the invitation request can make it quick.
    let app = spawn_app(
        backend,
        Some(&smtp),
        &[("UNDERSIGNED_MAIL__POLL_INTERVAL_MS", "60000")],
    )
    .await;
    let token = app.admin_token().await;
    let letter = open_letter(&app, &token, None).await;
    let running = app.start_worker();
    // The worker has looked at the empty queue and waits out its long poll interval.
    assert!(running.completed_passes(1).await, "the worker runs");
    let orgs = [
        ("Lawyers, \"Rights\" & Co", "lawyers@example.org"),
        ("منظمة حقوق الإنسان", "arabic@example.org"),
    ];
    let started = std::time::Instant::now();
    let ids = invite_ids(&app, &token, &letter, &orgs).await;
    let messages = smtp.wait_for(2, WAIT).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the worker woke late: {:?}",
        started.elapsed()
    );
    assert_exactly_once(&messages, 2);
    let jobs = wait_for_jobs(&app, "jobs marked sent", |jobs| {
        jobs.iter().all(|j| j.status == JobStatus::Sent)
    })
    .await;
    for ((name, email), id) in orgs.iter().zip(&ids) {
        let message = message_to(&messages, email);
        let job = jobs
            .iter()
            .find(|j| j.invitation_id.as_deref() == Some(id))
            .unwrap();
        assert_eq!(message.header("From"), "Undersigned <noreply@localhost>");
        assert_eq!(
            message.header("Reply-To"),
            "Test Person <admin@example.org>"
        );
        assert_eq!(display_name(message.header("To"), email), *name);
        assert!(
            message.header("Subject").contains(TITLE),
            "{}",
            message.header("Subject")
        );
        assert_eq!(message.header("Message-ID"), job.message_id);
        assert_eq!(message.content_type, "multipart/alternative");
        assert!(message.raw_headers.is_ascii(), "{}", message.raw_headers);

        let text = message.text.as_deref().expect("a text part");
        let html = message.html.as_deref().expect("an HTML part");
        let link = sign_link_in(text, &app.address);
        assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
        let token_in_link = link.strip_prefix(&app.url("/sign/")).unwrap();
        let stored = invitation(&app, id).await;
        assert_eq!(sha256_hex(token_in_link), stored.token_hash);
        assert_eq!(stored.status.as_str(), "sent");
        assert!(stored.sent_at.is_some());
        assert!(
            html.contains("Lawyers, &quot;Rights&quot; &amp; Co") || !name.contains('"'),
            "{html}"
        );
    }
    running.stop().await;
}

async fn while_the_server_is_down_jobs_retry_then_arrive_exactly_once(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let mut smtp = SmtpServer::start();
    smtp.stop();
    let app = spawn_app(backend, Some(&smtp), &[]).await;
    let token = app.admin_token().await;
    let letter = open_letter(&app, &token, None).await;
    let orgs = [
        ("Amnesty International", "amnesty@example.org"),
        ("FIDH", "fidh@example.org"),
        ("World Uyghur Congress", "wuc@example.org"),
    ];
    invite_ids(&app, &token, &letter, &orgs).await;
    let running = app.start_worker();

    let failed_once = wait_for_jobs(&app, "a first failed attempt", |jobs| {
        jobs.iter()
            .all(|j| j.status == JobStatus::Pending && j.attempts == 1 && j.last_error.is_some())
    })
    .await;
    let first_retry = failed_once[0].run_after;
    assert!(
        first_retry > app.clock.now() + TimeDelta::seconds(30),
        "backoff of about a minute"
    );

    app.clock.advance(TimeDelta::minutes(2));
    let failed_twice = wait_for_jobs(&app, "a second failed attempt", |jobs| {
        jobs.iter()
            .all(|j| j.status == JobStatus::Pending && j.attempts == 2)
    })
    .await;
    assert!(
        failed_twice[0].run_after - app.clock.now() > TimeDelta::seconds(80),
        "the wait doubles"
    );
    assert!(smtp.messages().is_empty());

    smtp.resume();
    app.clock.advance(TimeDelta::hours(7));
    let messages = smtp.wait_for(3, WAIT).await;
    wait_for_jobs(&app, "all sent", |jobs| {
        jobs.iter().all(|j| j.status == JobStatus::Sent)
    })
    .await;
    after_a_full_pass(&running).await;
    let messages_later = smtp.messages();
    assert_eq!(messages.len(), messages_later.len());
    assert_exactly_once(&messages_later, 3);
    running.stop().await;
}

async fn a_worker_killed_holding_jobs_loses_nothing(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = spawn_app(backend, Some(&smtp), &[]).await;
    let token = app.admin_token().await;
    let letter = open_letter(&app, &token, None).await;
    let orgs = [
        ("HRW", "hrw@example.org"),
        ("ICJ", "icj@example.org"),
        ("Amnesty", "amnesty@example.org"),
    ];
    invite_ids(&app, &token, &letter, &orgs).await;

    // A worker claims the batch, then dies before sending anything.
    let doomed = app.worker();
    let claimed = doomed.claim(10).await.unwrap();
    assert_eq!(claimed.len(), 3);
    drop(doomed);

    let survivor = app.start_worker();
    after_a_full_pass(&survivor).await;
    assert!(
        smtp.messages().is_empty(),
        "a leased job was taken before its lease ran out"
    );
    assert!(
        all_jobs(&app)
            .await
            .iter()
            .all(|j| j.status == JobStatus::Sending)
    );

    app.clock.advance(TimeDelta::seconds(61));
    smtp.wait_for(3, WAIT).await;
    wait_for_jobs(&app, "all sent", |jobs| {
        jobs.iter().all(|j| j.status == JobStatus::Sent)
    })
    .await;
    after_a_full_pass(&survivor).await;
    assert_exactly_once(&smtp.messages(), 3);
    survivor.stop().await;
}

async fn a_stopping_worker_finishes_or_hands_back_its_jobs(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = spawn_app(
        backend,
        Some(&smtp),
        &[
            ("UNDERSIGNED_MAIL__RATE_PER_SECOND", "4"),
            ("UNDERSIGNED_MAIL__CONNECTIONS", "1"),
        ],
    )
    .await;
    let token = app.admin_token().await;
    let letter = open_letter(&app, &token, None).await;
    let orgs: Vec<(String, String)> = (0..6)
        .map(|n| (format!("Organization {n}"), format!("org{n}@example.org")))
        .collect();
    let orgs: Vec<(&str, &str)> = orgs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    invite_ids(&app, &token, &letter, &orgs).await;

    let running = app.start_worker();
    smtp.wait_for(1, WAIT).await;
    running.stop().await;
    let jobs = all_jobs(&app).await;
    assert!(
        jobs.iter().all(|j| j.status != JobStatus::Sending),
        "{jobs:#?}"
    );
    let sent = jobs.iter().filter(|j| j.status == JobStatus::Sent).count();
    assert!(sent < 6, "the stop came too late to prove anything");
    assert_eq!(smtp.messages().len(), sent);
    assert!(
        jobs.iter()
            .filter(|j| j.status == JobStatus::Pending)
            .all(|j| j.attempts == 0),
        "jobs handed back untried keep their attempts: {jobs:#?}"
    );

    let again = app.start_worker();
    smtp.wait_for(6, WAIT).await;
    after_a_full_pass(&again).await;
    assert_exactly_once(&smtp.messages(), 6);
    again.stop().await;
}

async fn a_refused_recipient_bounces_and_an_admin_can_retry(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let mut smtp = SmtpServer::start();
    let app = spawn_app(backend, Some(&smtp), &[]).await;
    let token = app.admin_token().await;
    let coordinator = app
        .api_token(
            "coordinator@example.org",
            undersigned::domain::Role::Coordinator,
        )
        .await;
    let letter = open_letter(&app, &token, None).await;
    let ids = invite_ids(
        &app,
        &token,
        &letter,
        &[
            ("Gone Org", "bounce@example.org"),
            ("Here Org", "here@example.org"),
        ],
    )
    .await;
    let running = app.start_worker();
    wait_for_jobs(&app, "one sent, one dead", |jobs| {
        jobs.iter().any(|j| j.status == JobStatus::Dead)
            && jobs.iter().any(|j| j.status == JobStatus::Sent)
    })
    .await;
    assert_eq!(invitation(&app, &ids[0]).await.status.as_str(), "bounced");
    assert_eq!(invitation(&app, &ids[1]).await.status.as_str(), "sent");
    // The letter's coordinator hears of the bounce at once.
    let notice = smtp
        .wait_for_messages_to("admin@example.org", 1, Duration::from_secs(20))
        .await;
    assert!(
        notice[0]
            .header("subject")
            .starts_with("The invitation to Gone Org bounced"),
        "{}",
        notice[0].header("subject")
    );
    assert!(
        notice[0]
            .text
            .as_deref()
            .unwrap()
            .contains("The mail server of bounce@example.org refused it for good"),
        "{:?}",
        notice[0].text
    );
    assert_eq!(
        smtp.messages()
            .iter()
            .filter(
                |m| m.header("to").contains("@example.org") && !m.header("to").contains("admin@")
            )
            .count(),
        1
    );

    let (status, _) = app.api(Method::GET, "/mail/dead", &coordinator, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, dead) = app.api(Method::GET, "/mail/dead", &token, None).await;
    assert_eq!(status, StatusCode::OK, "{dead}");
    let dead = dead["jobs"].as_array().unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["recipient"], "bounce@example.org");
    assert_eq!(dead[0]["attempts"], 1, "a permanent refusal is not retried");
    assert!(
        dead[0]["last_error"].as_str().unwrap().contains("550"),
        "{dead:?}"
    );
    let job_id = dead[0]["id"].as_str().unwrap();

    // The address is fixed on the server's side; an admin retries.
    smtp.resume_rejecting("");
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/mail/{job_id}/retry"),
            &coordinator,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, retried) = app
        .api(Method::POST, &format!("/mail/{job_id}/retry"), &token, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{retried}");
    assert_eq!(retried["status"], "pending");
    let (status, _) = app
        .api(Method::POST, &format!("/mail/{job_id}/retry"), &token, None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "only dead jobs are retried");
    let (status, _) = app
        .api(Method::POST, "/mail/nope/retry", &token, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Here Org's invitation, the notice of the bounce, and now Gone Org's invitation.
    let messages = smtp.wait_for(3, WAIT).await;
    message_to(&messages, "bounce@example.org");
    wait_for_jobs(&app, "all sent", |jobs| {
        jobs.iter().all(|j| j.status == JobStatus::Sent)
    })
    .await;
    assert_eq!(invitation(&app, &ids[0]).await.status.as_str(), "sent");
    let dead = app
        .api_expecting(StatusCode::OK, Method::GET, "/mail/dead", &token, None)
        .await;
    assert!(dead["jobs"].as_array().unwrap().is_empty());
    running.stop().await;
}

async fn without_smtp_emails_become_eml_files(backend: Backend) {
    let app = spawn_app(backend, None, &[]).await;
    let token = app.admin_token().await;
    let letter = open_letter(&app, &token, None).await;
    invite_ids(
        &app,
        &token,
        &letter,
        &[("HRW", "hrw@example.org"), ("FIDH", "fidh@example.org")],
    )
    .await;
    let running = app.start_worker();
    let jobs = wait_for_jobs(&app, "all written", |jobs| {
        jobs.iter().all(|j| j.status == JobStatus::Sent)
    })
    .await;
    running.stop().await;

    let data_dir = app.database.data_dir();
    let files = list_outgoing_files(&data_dir).unwrap();
    assert_eq!(files.len(), 2);
    for file in &files {
        let raw = String::from_utf8(read_outgoing_file(&data_dir, &file.name).unwrap()).unwrap();
        assert!(
            jobs.iter()
                .any(|j| raw.contains(&format!("Message-ID: {}", j.message_id))),
            "{raw}"
        );
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains(&app.url("/sign/")), "{raw}");
    }
    assert!(read_outgoing_file(&data_dir, "../secret.key").is_err());
    assert!(data_dir.join("secret.key").exists());
}

async fn line_breaks_in_stored_fields_never_reach_headers(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = spawn_app(backend, Some(&smtp), &[]).await;
    let token = app.admin_token().await;
    let letter = open_letter(&app, &token, None).await;

    // The API refuses line breaks at the door...
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/letters/{letter}/invitations"),
            &token,
            Some(json!({ "invitations": [{ "organization": "Evil\r\nBcc: victim@example.net", "email": "evil@example.org" }] })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // ...and the mail layer flattens them should they reach the database another way.
    let ids = invite_ids(&app, &token, &letter, &[("Plain Org", "plain@example.org")]).await;
    let (id, letter_id) = (ids[0].clone(), letter.clone());
    app.in_database(move |conn| {
        diesel::update(invitations::table.find(&id))
            .set((
                invitations::display_name.eq("Evil Org\r\nBcc: victim@example.net"),
                invitations::contact_name.eq(Some("Desk\nX-Injected: yes")),
            ))
            .execute(conn)
            .unwrap();
        diesel::update(letters::table.find(&letter_id))
            .set(letters::title.eq("Title\r\nCc: cc@example.net\r\n\r\nbody"))
            .execute(conn)
            .unwrap();
    })
    .await;
    let running = app.start_worker();
    let messages = smtp.wait_for(1, WAIT).await;
    running.stop().await;
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(
        message.header("X-RcptTo"),
        "plain@example.org",
        "no extra recipient"
    );
    for name in ["bcc", "cc", "x-injected"] {
        assert!(
            !message.header_names.iter().any(|h| h == name),
            "{}",
            message.raw_headers
        );
    }
    assert!(
        message
            .header("Subject")
            .contains("Title Cc: cc@example.net body")
    );
    assert_eq!(
        display_name(message.header("To"), "plain@example.org"),
        "Desk X-Injected: yes"
    );
}

async fn scheduled_reminders_go_once_per_slot_to_the_silent(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = spawn_app(backend, Some(&smtp), &[]).await;
    let token = app.admin_token().await;
    let deadline = app.clock.now_utc() + TimeDelta::days(10);
    let letter = open_letter(&app, &token, Some(deadline.to_rfc3339())).await;
    let (status, schedule) = app
        .api(
            Method::GET,
            &format!("/letters/{letter}/reminder-schedule"),
            &token,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{schedule}");
    assert_eq!(schedule["days_before_deadline"], json!([7, 2]));
    let (status, _) = app
        .api(
            Method::PUT,
            &format!("/letters/{letter}/reminder-schedule"),
            &token,
            Some(json!({ "days_before_deadline": [0] })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let ids = invite_ids(
        &app,
        &token,
        &letter,
        &[
            ("Silent A", "a@example.org"),
            ("Silent B", "b@example.org"),
            ("Answered C", "c@example.org"),
        ],
    )
    .await;
    let running = app.start_worker();
    smtp.wait_for(3, WAIT).await;
    wait_for_jobs(&app, "invitations sent", |jobs| {
        jobs.iter().all(|j| j.status == JobStatus::Sent)
    })
    .await;
    let answered = ids[2].clone();
    app.in_database(move |conn| {
        diesel::update(invitations::table.find(answered))
            .set(invitations::status.eq("declined"))
            .execute(conn)
            .unwrap();
    })
    .await;

    let reminders = |messages: &[Received]| {
        messages
            .iter()
            .filter(|m| m.header("Subject").starts_with("Reminder:"))
            .map(|m| m.header("X-RcptTo").to_string())
            .collect::<Vec<_>>()
    };
    // Seven days before the deadline: the silent two, once.
    app.clock.advance(TimeDelta::days(3) + TimeDelta::hours(12));
    let messages = smtp.wait_for(5, WAIT).await;
    let mut first = reminders(&messages);
    first.sort();
    assert_eq!(first, ["a@example.org", "b@example.org"]);
    app.clock.advance(TimeDelta::minutes(5));
    after_a_full_pass(&running).await;
    assert_eq!(smtp.messages().len(), 5, "a slot is reminded once");

    // Two days before: once more; after the deadline: never.
    app.clock.advance(TimeDelta::days(5));
    let messages = smtp.wait_for(7, WAIT).await;
    assert_eq!(reminders(&messages).len(), 4);
    app.clock.advance(TimeDelta::days(3));
    after_a_full_pass(&running).await;
    assert_eq!(smtp.messages().len(), 7);
    let keys: Vec<String> = all_jobs(&app)
        .await
        .into_iter()
        .filter_map(|j| j.dedupe_key)
        .collect();
    assert!(
        keys.contains(&format!("reminder:{}:7d", ids[0])),
        "{keys:?}"
    );
    assert!(
        keys.contains(&format!("reminder:{}:2d", ids[1])),
        "{keys:?}"
    );
    running.stop().await;
}
