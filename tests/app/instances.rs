//! Several instances on one database, as an organization runs Undersigned when it outgrows one
//! machine: two `serve --no-worker` processes behind a (pretend) load balancer and two
//! `undersigned worker` processes, all on one PostgreSQL database (or one SQLite file). Partners
//! sign through both instances at once, invitations go out through both workers, and a scheduled
//! release fires: no email twice, no answer lost, one release.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use diesel::prelude::*;
use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::db::schema::{audit_events, outbox, releases};
use undersigned::db::{Database, DatabaseTarget};

use crate::storage_test;
use crate::support::api;
use crate::support::browsers::browser;
use crate::support::letters::{NewLetter, invite_at};
use crate::support::partners::{Partner, sign_link_in};
use crate::support::processes::{Process, run};
use crate::support::smtp::{Received, SmtpServer};
use crate::support::{Backend, TestDatabase};

storage_test!(two_instances_and_two_workers_share_one_database);

/// Where every email's links point; the test sends each partner to one of the two instances.
const PUBLIC_BASE: &str = "http://undersigned.test";
const WAIT: Duration = Duration::from_secs(30);

/// Supporting organizations invited (through the two instances), besides one lead.
const SUPPORTING: usize = 19;

/// Opens the sign link on `base` like a partner's browser and posts "sign": the answer's status.
async fn sign_through(base: &str, link: &str, organization: &str) -> StatusCode {
    let (partner, status) = Partner::follow(base, &link.replace(PUBLIC_BASE, base)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{organization}'s link opens the sign page"
    );
    partner.send("sign").await.0
}

/// Jobs in the outbox that are not yet sent, and how many were sent.
fn queue_state(db: &Database) -> (i64, i64) {
    let mut conn = db.get().expect("a connection");
    let sent = outbox::table
        .filter(outbox::status.eq("sent"))
        .count()
        .get_result(&mut conn)
        .expect("count sent jobs");
    let waiting = outbox::table
        .filter(outbox::status.ne("sent"))
        .count()
        .get_result(&mut conn)
        .expect("count waiting jobs");
    (waiting, sent)
}

/// Waits until the outbox is empty of unsent jobs and `sent` jobs are sent, then returns what
/// the SMTP server received: with nothing in the queue and nothing held by a worker, every
/// message that will ever arrive has arrived.
async fn drained(db: &Database, smtp: &SmtpServer, sent: i64) -> Vec<Received> {
    let started = Instant::now();
    loop {
        let (waiting, done) = queue_state(db);
        if waiting == 0 && done >= sent {
            return smtp.messages();
        }
        assert!(
            started.elapsed() < WAIT,
            "the workers did not drain the queue: {waiting} waiting, {done} sent"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn two_instances_and_two_workers_share_one_database(backend: Backend) {
    let db = TestDatabase::create(backend);
    let smtp = SmtpServer::start();
    let smtp_url = smtp.url();
    let env = [
        ("UNDERSIGNED_SECURITY__LINK_SECRET", "5e".repeat(32)),
        ("UNDERSIGNED_SERVER__BASE_URL", PUBLIC_BASE.to_string()),
        ("UNDERSIGNED_MAIL__SMTP_URL", smtp_url),
        ("UNDERSIGNED_MAIL__POLL_INTERVAL_MS", "100".to_string()),
        // Slow enough that both workers find jobs to claim, and one job per claim round.
        ("UNDERSIGNED_MAIL__RATE_PER_SECOND", "25".to_string()),
        ("UNDERSIGNED_MAIL__CONNECTIONS", "1".to_string()),
        ("UNDERSIGNED_LOG__FILTER", "info".to_string()),
        ("UNDERSIGNED_DATABASE__POOL_SIZE", "4".to_string()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let migrated = run(&db, &["migrate"], None);
    assert!(migrated.status.success(), "{migrated:?}");
    let created = run(
        &db,
        &[
            "admin",
            "create",
            "--email",
            "admin@example.org",
            "--name",
            "Ada Admin",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert!(created.status.success(), "{created:?}");
    let issued = run(
        &db,
        &["admin", "token", "--email", "admin@example.org"],
        None,
    );
    assert!(issued.status.success(), "{issued:?}");
    let token = String::from_utf8_lossy(&issued.stdout)
        .lines()
        .last()
        .expect("the token on the last line")
        .to_string();

    let first = Process::serve(&db, &["--no-worker"], &env);
    let second = Process::serve(&db, &["--no-worker"], &env);
    let worker_one = Process::worker(&db, &env);
    let worker_two = Process::worker(&db, &env);
    let (a, b) = (first.base(), second.base());

    // A letter created through one instance, organizations invited through both.
    let letter = NewLetter::new().create_at(&browser(), &a, &token).await;
    let (id, slug) = (letter.id, letter.slug);
    let organizations: Vec<String> = std::iter::once("Lead Organization".to_string())
        .chain((1..=SUPPORTING).map(|i| format!("Partner {i:02}")))
        .collect();
    let invite = |base: String, range: std::ops::Range<usize>| {
        let items: Vec<Value> = range
            .map(|i| {
                json!({
                    "organization": organizations[i],
                    "email": format!("partner{i}@example.org"),
                    "tier": if i == 0 { "lead" } else { "supporting" },
                })
            })
            .collect();
        let (token, id) = (token.clone(), id.clone());
        async move { invite_at(&browser(), &base, &token, &id, items).await }
    };
    let half = organizations.len() / 2;
    tokio::join!(
        invite(a.clone(), 0..half),
        invite(b.clone(), half..organizations.len())
    );

    // Every organization gets its invitation once, whichever worker sent it.
    let invited = organizations.len();
    let queue = Database::connect(
        DatabaseTarget::parse(&db.url).expect("the test database URL"),
        &db.settings(&[]).database,
    )
    .expect("the test database");
    let messages = drained(&queue, &smtp, invited as i64).await;
    assert_eq!(messages.len(), invited, "one invitation each");
    let links: BTreeMap<String, String> = messages
        .iter()
        .map(|m| {
            (
                m.header("to").to_string(),
                sign_link_in(m.text.as_deref().expect("a text part"), PUBLIC_BASE),
            )
        })
        .collect();
    assert_eq!(links.len(), invited, "no organization got two invitations");

    // Partners sign through both instances at once.
    let answers = join_all(organizations.iter().enumerate().map(|(i, organization)| {
        let base = if i % 2 == 0 { a.clone() } else { b.clone() };
        let link = links
            .iter()
            .find(|(to, _)| to.contains(&format!("partner{i}@")))
            .map(|(_, link)| link.clone())
            .expect("a link for each organization");
        async move { sign_through(&base, &link, organization).await }
    }))
    .await;
    assert!(
        answers.iter().all(|s| *s == StatusCode::SEE_OTHER),
        "every partner is told the signature is recorded: {answers:?}"
    );

    // The release is scheduled through the other instance, two seconds ahead; a worker fires it.
    let at = (chrono::Utc::now() + TimeDelta::seconds(2)).to_rfc3339();
    api::expecting(
        &browser(),
        &b,
        StatusCode::OK,
        Method::POST,
        &format!("/letters/{id}/release"),
        &token,
        Some(json!({ "at": at })),
    )
    .await;
    let started = Instant::now();
    let published: Value = loop {
        let response = browser()
            .get(format!("{a}/letters/{slug}.json"))
            .send()
            .await
            .expect("the public JSON answers");
        if response.status() == StatusCode::OK {
            break response.json().await.expect("JSON");
        }
        assert!(started.elapsed() < WAIT, "the scheduled release fired");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let listed: BTreeSet<String> = published["signatories"]
        .as_array()
        .expect("signatories")
        .iter()
        .map(|s| s["organization"].as_str().expect("a name").to_string())
        .collect();
    assert_eq!(
        listed,
        organizations.iter().cloned().collect::<BTreeSet<_>>(),
        "no answer lost"
    );

    // Invitations, confirmations and release notices: each exactly once; and the notice to the
    // coordinator that the scheduled release fired, once.
    let expected = invited * 3;
    let mut messages = drained(&queue, &smtp, expected as i64 + 1).await;
    let notices = messages
        .iter()
        .filter(|m| {
            m.header("subject")
                .starts_with("The letter is published, at its scheduled time")
        })
        .count();
    assert_eq!(notices, 1, "one notice to the coordinator");
    messages.retain(|m| {
        !m.header("subject")
            .starts_with("The letter is published, at its scheduled time")
    });
    let ids: BTreeSet<&str> = messages.iter().map(|m| m.header("message-id")).collect();
    assert_eq!(
        (messages.len(), ids.len()),
        (expected, expected),
        "every email once: an invitation, a confirmation and a release notice per organization"
    );
    let mut per_recipient: BTreeMap<&str, usize> = BTreeMap::new();
    for message in &messages {
        *per_recipient.entry(message.header("to")).or_default() += 1;
    }
    assert!(per_recipient.values().all(|n| *n == 3), "{per_recipient:?}");

    let mut conn = queue.get().expect("a connection");
    let revisions: i64 = releases::table
        .count()
        .get_result(&mut conn)
        .expect("count releases");
    let released: i64 = audit_events::table
        .filter(audit_events::action.eq("letter.released"))
        .count()
        .get_result(&mut conn)
        .expect("count release events");
    assert_eq!((revisions, released), (1, 1), "one release");

    let mut sent_by = Vec::new();
    for process in [worker_one, worker_two] {
        let (clean, log) = process.stop();
        assert!(clean, "a worker stops cleanly on SIGTERM:\n{log}");
        sent_by.push(log.matches("email sent").count());
    }
    assert_eq!(sent_by.iter().sum::<usize>(), expected + 1, "{sent_by:?}");
    assert!(
        sent_by.iter().all(|n| *n > 0),
        "both workers delivered: {sent_by:?}"
    );
    for process in [first, second] {
        let (clean, log) = process.stop();
        assert!(clean, "an instance stops cleanly on SIGTERM:\n{log}");
        assert!(
            log.contains("runs no mail worker") && log.contains("undersigned worker"),
            "serve --no-worker says that a worker must run:\n{log}"
        );
    }
}
