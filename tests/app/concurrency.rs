//! Trust under concurrency: partners' answers racing a release, a scheduled release firing, a
//! substantive edit, a revocation and a hand-over, and several releases racing each other, all
//! as real concurrent requests on SQLite and on PostgreSQL. After each round the invariant is
//! checked from the server's own answers and what it published: an answer that got a success is
//! in the published list (or its newest revision), an answer that was refused got a 409 with a
//! sentence and recorded nothing, and the newest signed manifest verifies and chains back to the
//! original.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use diesel::prelude::*;
use futures_util::StreamExt;
use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use undersigned::db::schema::{audit_events, invitations, outbox, releases, responses};

use crate::storage_test;
use crate::support::invitations::invitation_named;
use crate::support::letters::{Letter, NewLetter};
use crate::support::manifests::verifies;
use crate::support::partners::{Partner, answer};
use crate::support::sign_pages::forward_confirmed;
use crate::support::{Backend, TestApp};

storage_test!(
    signatures_racing_a_release_are_published_or_refused,
    concurrent_releases_publish_once,
    signatures_racing_a_scheduled_release_fired_by_two_workers,
    signatures_racing_a_substantive_edit_approve_only_what_was_read,
    revoking_racing_a_signature,
    forwarding_racing_a_signature,
);

/// Partners answering at once in each round.
const PARTNERS: usize = 30;

/// Rounds of the sign-versus-release race: 5, or `UNDERSIGNED_TEST_RACE_ROUNDS`.
fn rounds() -> usize {
    std::env::var("UNDERSIGNED_TEST_RACE_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5)
}

/// An app with room for a crowd: two HTTP workers and eight database connections.
async fn crowded_app(backend: Backend) -> TestApp {
    TestApp::spawn_with(
        backend,
        &[
            ("UNDERSIGNED_SERVER__WORKERS", "2"),
            ("UNDERSIGNED_DATABASE__POOL_SIZE", "8"),
            ("UNDERSIGNED_MAIL__POLL_INTERVAL_MS", "50"),
        ],
    )
    .await
}

/// Partners send their answers, eight in flight at a time, and `other` (a release, an edit)
/// goes out once `after` of them have been answered, while the rest are still in flight.
/// Returns what `other` got and each partner's answer, in the partners' order.
async fn race<T>(
    partners: &[Partner],
    decision: &str,
    after: usize,
    other: impl Future<Output = T>,
) -> (T, Vec<(StatusCode, String)>) {
    let (answered, mut answered_count) = tokio::sync::watch::channel(0usize);
    let answers = futures_util::stream::iter(partners)
        .map(|partner| {
            let answered = &answered;
            async move {
                let answer = partner.send(decision).await;
                answered.send_modify(|n| *n += 1);
                answer
            }
        })
        .buffered(8)
        .collect::<Vec<_>>();
    let other = async {
        answered_count
            .wait_for(|n| *n >= after)
            .await
            .expect("the partners' side is running");
        other.await
    };
    let (other, answers) = tokio::join!(other, answers);
    (other, answers)
}

/// The organizations whose answer the server acknowledged (303), after checking that every
/// other answer was a 409 whose page says why in a sentence.
fn acknowledged(partners: &[Partner], answers: &[(StatusCode, String)]) -> BTreeSet<String> {
    let mut accepted = BTreeSet::new();
    for (partner, (status, page)) in partners.iter().zip(answers) {
        match *status {
            StatusCode::SEE_OTHER => {
                accepted.insert(partner.organization.clone());
            }
            StatusCode::CONFLICT => assert!(
                page.contains(r#"class="flash error" role="alert">The "#),
                "{} was refused without a sentence: {page}",
                partner.organization
            ),
            other => panic!("{} was answered {other}: {page}", partner.organization),
        }
    }
    accepted
}

/// How many revisions of the letter's list exist in the database.
async fn revision_count(app: &TestApp, letter: &str) -> i64 {
    let letter = letter.to_string();
    app.in_database(move |conn| {
        releases::table
            .filter(releases::letter_id.eq(letter))
            .count()
            .get_result(conn)
            .unwrap()
    })
    .await
}

/// The public JSON once it shows the newest revision in the database (each copy in memory
/// rechecks within a second).
async fn published_newest(app: &TestApp, letter: &str, slug: &str) -> Value {
    let newest = revision_count(app, letter).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let response = app.get(&format!("/letters/{slug}.json")).await;
        if response.status() == StatusCode::OK {
            let published: Value = response.json().await.unwrap();
            if published["revision"] == newest {
                return published;
            }
        }
        assert!(
            Instant::now() < deadline,
            "revision {newest} of {slug} never appeared"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The organizations of a published list.
fn listed(published: &Value) -> BTreeSet<String> {
    published["signatories"]
        .as_array()
        .expect("a signatory list")
        .iter()
        .map(|s| s["organization"].as_str().unwrap().to_string())
        .collect()
}

/// Every revision's manifest verifies with the published key, and each later one names the
/// SHA-256 of the manifest before it.
async fn manifests_verify_and_chain(app: &TestApp, slug: &str, newest: i64) {
    let mut previous_sha256: Option<String> = None;
    for n in 1..=newest {
        let revision: Value = app
            .get(&format!("/letters/{slug}/revisions/{n}.json"))
            .await
            .json()
            .await
            .unwrap();
        assert!(verifies(app, &revision).await, "revision {n} verifies");
        let text = revision["manifest"].as_str().unwrap();
        let manifest: Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            manifest["previous_manifest_sha256"].as_str(),
            previous_sha256.as_deref(),
            "revision {n} chains to the one before"
        );
        previous_sha256 = Some(hex::encode(Sha256::digest(text.as_bytes())));
    }
}

/// The invitations of a letter with their status and how many answers each recorded.
async fn answers_recorded(app: &TestApp, letter: &str) -> Vec<(String, String, i64)> {
    let letter = letter.to_string();
    app.in_database(move |conn| {
        invitations::table
            .filter(invitations::letter_id.eq(&letter))
            .select((
                invitations::display_name,
                invitations::status,
                invitations::id,
            ))
            .load::<(String, String, String)>(conn)
            .unwrap()
            .into_iter()
            .map(|(name, status, id)| {
                let count = responses::table
                    .filter(responses::invitation_id.eq(id))
                    .count()
                    .get_result(conn)
                    .unwrap();
                (name, status, count)
            })
            .collect()
    })
    .await
}

/// Release notices queued for the letter, per invitation.
async fn release_notices(app: &TestApp, letter: &str) -> Vec<String> {
    let letter = letter.to_string();
    app.in_database(move |conn| {
        outbox::table
            .filter(outbox::letter_id.eq(letter))
            .filter(outbox::kind.eq("release_notice"))
            .select(outbox::invitation_id.assume_not_null())
            .load(conn)
            .unwrap()
    })
    .await
}

/// A letter with a lead organization that has signed and `PARTNERS` supporting ones whose
/// partners have the sign page open.
async fn letter_with_partners(
    app: &TestApp,
    token: &str,
    prefix: &str,
) -> (Letter, String, Vec<Partner>) {
    let lead = format!("{prefix} Lead");
    let names: Vec<String> = (1..=PARTNERS)
        .map(|i| format!("{prefix} Partner {i:02}"))
        .collect();
    let mut orgs = vec![(lead.as_str(), "lead")];
    orgs.extend(names.iter().map(|n| (n.as_str(), "supporting")));
    let letter = NewLetter::new()
        .organizations(&orgs)
        .create(app, token)
        .await;
    answer(app, &lead, "sign").await;
    let partners = join_all(names.iter().map(|n| Partner::open(app, n))).await;
    (letter, lead, partners)
}

/// Thirty partners post "sign" at the moment an admin releases. Before-release answers are
/// published; after it, they are refused (or, on a letter that accepts late signatures,
/// published in a revision). Half the rounds accept late signatures.
async fn signatures_racing_a_release_are_published_or_refused(backend: Backend) {
    let app = crowded_app(backend).await;
    let admin = app.admin_token().await;
    for round in 1..=rounds() {
        let accepts_late = round % 2 == 0;
        let (letter, lead, partners) =
            letter_with_partners(&app, &admin, &format!("Round {round}")).await;
        let Letter {
            id: letter, slug, ..
        } = letter;
        if accepts_late {
            let (status, body) = app
                .api(
                    Method::PUT,
                    &format!("/letters/{letter}"),
                    &admin,
                    Some(json!({ "allow_late_signatures": true, "change": "minor" })),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }

        let release_path = format!("/letters/{letter}/release");
        let release = app.api(Method::POST, &release_path, &admin, Some(json!({})));
        let after = (round * 7) % PARTNERS;
        let ((release_status, release_body), answers) =
            race(&partners, "sign", after, release).await;

        assert_eq!(
            release_status,
            StatusCode::OK,
            "round {round}: {release_body}"
        );
        let accepted = acknowledged(&partners, &answers);
        eprintln!(
            "DIAG round {round} late={accepts_late} accepted {}",
            accepted.len()
        );
        if accepts_late {
            assert_eq!(
                accepted.len(),
                PARTNERS,
                "round {round}: late signatures are taken"
            );
        }
        let published = published_newest(&app, &letter, &slug).await;
        let mut expected = accepted.clone();
        expected.insert(lead.clone());
        assert_eq!(
            listed(&published),
            expected,
            "round {round}: the published list is exactly the acknowledged answers"
        );
        for (name, status, answers) in answers_recorded(&app, &letter).await {
            if accepted.contains(&name) || name == lead {
                assert_eq!((status.as_str(), answers), ("signed", 1), "{name}");
            } else {
                assert_eq!(answers, 0, "{name} was refused and nothing is recorded");
                assert_ne!(status, "signed", "{name}");
            }
        }
        let notices = release_notices(&app, &letter).await;
        let distinct: BTreeSet<&String> = notices.iter().collect();
        assert_eq!(
            (notices.len(), distinct.len()),
            (expected.len(), expected.len()),
            "round {round}: one release notice per signatory"
        );
        manifests_verify_and_chain(&app, &slug, revision_count(&app, &letter).await).await;

        // A withdrawal afterwards changes the list by that organization alone.
        let Some(withdrawing) = accepted.iter().next() else {
            continue;
        };
        let (status, page) = Partner::open(&app, withdrawing)
            .await
            .send("withdraw")
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
        let revised = published_newest(&app, &letter, &slug).await;
        expected.remove(withdrawing);
        assert_eq!(
            listed(&revised),
            expected,
            "round {round}: after a withdrawal"
        );
        let changes = revised["revisions"].as_array().expect("the change log");
        let change = changes.last().expect("the withdrawal")["change"]
            .as_str()
            .unwrap_or("");
        assert!(change.contains(withdrawing.as_str()), "{change}");
        manifests_verify_and_chain(&app, &slug, revision_count(&app, &letter).await).await;
    }
}

/// Six admins press Release at once: one release, five clear refusals, one notice each.
async fn concurrent_releases_publish_once(backend: Backend) {
    let app = crowded_app(backend).await;
    let admin = app.admin_token().await;
    let id = NewLetter::new()
        .organizations(&[
            ("Amnesty International", "lead"),
            ("Article 19", "supporting"),
            ("FIDH", "supporting"),
            ("World Uyghur Congress", "supporting"),
        ])
        .create(&app, &admin)
        .await
        .id;
    for organization in [
        "Amnesty International",
        "Article 19",
        "FIDH",
        "World Uyghur Congress",
    ] {
        answer(&app, organization, "sign").await;
    }
    let path = format!("/letters/{id}/release");
    let answers =
        join_all((0..6).map(|_| app.api(Method::POST, &path, &admin, Some(json!({}))))).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{answers:?}"
    );
    for (status, body) in answers.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!(*status, StatusCode::CONFLICT, "{body}");
        assert!(
            body["error"].as_str().is_some_and(|e| e.len() > 10),
            "a refusal says why: {body}"
        );
    }
    assert_eq!(revision_count(&app, &id).await, 1);
    assert_eq!(release_notices(&app, &id).await.len(), 4);
    let released = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|a| a == "letter.released")
        .count();
    assert_eq!(released, 1);
}

/// Partners answer while two workers fire a scheduled release whose time has come. Answers
/// are frozen while the release is scheduled; the letter accepts late signatures, so an answer
/// that arrives once it is out is a late signature in a revision. Released once, by one worker.
async fn signatures_racing_a_scheduled_release_fired_by_two_workers(backend: Backend) {
    let app = crowded_app(backend).await;
    let admin = app.admin_token().await;
    let (letter, lead, partners) = letter_with_partners(&app, &admin, "Embargoed").await;
    let Letter {
        id: letter, slug, ..
    } = letter;
    let (status, body) = app
        .api(
            Method::PUT,
            &format!("/letters/{letter}"),
            &admin,
            Some(json!({ "allow_late_signatures": true, "change": "minor" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let at = (chrono::Utc::now() + TimeDelta::hours(1)).to_rfc3339();
    let (status, body) = app
        .api(
            Method::POST,
            &format!("/letters/{letter}/release"),
            &admin,
            Some(json!({ "at": at })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    app.clock
        .advance(TimeDelta::hours(1) + TimeDelta::seconds(1));
    let first = app.start_worker();
    let second = app.start_worker();
    let answers = join_all(partners.iter().map(|p| p.send("sign"))).await;
    let accepted = acknowledged(&partners, &answers);
    // Answers still frozen when they arrived were refused; once the release is out, the same
    // partners can still sign late.
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.get(&format!("/letters/{slug}.json")).await.status() != StatusCode::OK {
        assert!(Instant::now() < deadline, "the scheduled release fired");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    first.stop().await;
    second.stop().await;

    let published = published_newest(&app, &letter, &slug).await;
    let mut expected = accepted.clone();
    expected.insert(lead.clone());
    assert_eq!(listed(&published), expected);
    for (name, status, answers) in answers_recorded(&app, &letter).await {
        if !expected.contains(&name) {
            assert_eq!((answers, status.as_str()), (0, "opened"), "{name}");
        }
    }
    let original: Value = app
        .get(&format!("/letters/{slug}/revisions/1.json"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        listed(&original).is_subset(&expected),
        "the original list holds only acknowledged answers"
    );
    let fired = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|a| a == "letter.released")
        .count();
    assert_eq!(fired, 1, "released once");
    manifests_verify_and_chain(&app, &slug, revision_count(&app, &letter).await).await;
}

/// Partners who read version 1 post "sign" while a coordinator saves a substantive edit. An
/// answer that lands before the edit approves version 1 and is asked again; one that lands
/// after it is refused, because that partner never read version 2.
async fn signatures_racing_a_substantive_edit_approve_only_what_was_read(backend: Backend) {
    let app = crowded_app(backend).await;
    let admin = app.admin_token().await;
    let (letter, _lead, partners) = letter_with_partners(&app, &admin, "Edited").await;
    let letter = letter.id;
    let letter_path = format!("/letters/{letter}");
    let edit = app.api(
        Method::PUT,
        &letter_path,
        &admin,
        Some(json!({ "body_markdown": "We urge you to act today.", "change": "substantive" })),
    );
    let ((edit_status, edited), answers) = race(&partners, "sign", PARTNERS / 3, edit).await;
    assert_eq!(edit_status, StatusCode::OK, "{edited}");
    assert_eq!(edited["version"], 2);
    let accepted = acknowledged(&partners, &answers);
    for (partner, (status, page)) in partners.iter().zip(&answers) {
        if *status == StatusCode::CONFLICT {
            assert!(
                page.contains("changed while you were reading"),
                "{}: {page}",
                partner.organization
            );
        }
    }

    let letter_id = letter.clone();
    let (signed_versions, reapprovals): (Vec<(String, i32)>, Vec<String>) = app
        .in_database(move |conn| {
            let signed = responses::table
                .inner_join(invitations::table)
                .filter(responses::letter_id.eq(&letter_id))
                .filter(invitations::tier.eq("supporting"))
                .select((invitations::display_name, responses::version))
                .load(conn)
                .unwrap();
            let asked = outbox::table
                .inner_join(invitations::table)
                .filter(outbox::letter_id.eq(&letter_id))
                .filter(outbox::kind.eq("reapproval"))
                .select(invitations::display_name)
                .load(conn)
                .unwrap();
            (signed, asked)
        })
        .await;
    let signed: BTreeSet<String> = signed_versions.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(
        signed, accepted,
        "exactly the acknowledged answers are recorded"
    );
    assert!(
        signed_versions.iter().all(|(_, version)| *version == 1),
        "every approval is of the version its partner read: {signed_versions:?}"
    );
    let asked: BTreeSet<String> = reapprovals
        .into_iter()
        .filter(|n| n.contains("Partner"))
        .collect();
    assert_eq!(asked, accepted, "every signer of version 1 is asked again");
}

/// A coordinator revokes invitations while their partners sign. A signature acknowledged is
/// recorded (and then revoked by the coordinator, in the audit trail); one that came after the
/// revocation met a dead link and recorded nothing. No revocation is undone by a partner.
async fn revoking_racing_a_signature(backend: Backend) {
    let app = crowded_app(backend).await;
    let admin = app.admin_token().await;
    let (letter, _lead, partners) = letter_with_partners(&app, &admin, "Revoked").await;
    let letter = letter.id;
    let mut ids = Vec::new();
    for partner in &partners {
        ids.push(invitation_named(&app, &partner.organization).await.id);
    }
    let paths: Vec<String> = ids
        .iter()
        .map(|id| format!("/invitations/{id}/revoke"))
        .collect();
    let revoking = join_all(
        paths
            .iter()
            .map(|path| app.api(Method::POST, path, &admin, None)),
    );
    let signing = join_all(partners.iter().map(|p| p.send("sign")));
    let (revoked, answers) = tokio::join!(revoking, signing);
    assert!(
        revoked.iter().all(|(s, _)| *s == StatusCode::OK),
        "{revoked:?}"
    );
    let recorded = answers_recorded(&app, &letter).await;
    for (partner, (status, _)) in partners.iter().zip(&answers) {
        let (_, state, answers) = recorded
            .iter()
            .find(|(n, _, _)| *n == partner.organization)
            .unwrap();
        assert_eq!(state, "revoked", "{}", partner.organization);
        match *status {
            StatusCode::SEE_OTHER => assert_eq!(*answers, 1, "{}", partner.organization),
            StatusCode::NOT_FOUND => assert_eq!(*answers, 0, "{}", partner.organization),
            other => panic!("{} was answered {other}", partner.organization),
        }
    }
}

/// A partner signs in one tab while handing the request to a colleague in another. Both may
/// succeed (the signature first); a signature that came after the hand-over met a link that no
/// longer works and recorded nothing.
async fn forwarding_racing_a_signature(backend: Backend) {
    let app = crowded_app(backend).await;
    let admin = app.admin_token().await;
    let (letter, _lead, partners) = letter_with_partners(&app, &admin, "Forwarded").await;
    let letter = letter.id;
    let forwarding = join_all(partners.iter().enumerate().map(|(i, p)| {
        let forwarded = forward_confirmed(p, &format!("director{i}@example.org"), "A Director");
        async move { forwarded.await.status() }
    }));
    let signing = join_all(partners.iter().map(|p| p.send("sign")));
    let (forwarded, answers) = tokio::join!(forwarding, signing);
    assert!(
        forwarded.iter().all(|s| *s == StatusCode::OK),
        "{forwarded:?}"
    );
    let recorded = answers_recorded(&app, &letter).await;
    for (partner, (status, _)) in partners.iter().zip(&answers) {
        let (_, state, answers) = recorded
            .iter()
            .find(|(n, _, _)| *n == partner.organization)
            .unwrap();
        match *status {
            StatusCode::SEE_OTHER => {
                assert_eq!(
                    (state.as_str(), *answers),
                    ("signed", 1),
                    "{}",
                    partner.organization
                )
            }
            StatusCode::NOT_FOUND => {
                assert_eq!(
                    (state.as_str(), *answers),
                    ("opened", 0),
                    "{}",
                    partner.organization
                )
            }
            other => panic!("{} was answered {other}", partner.organization),
        }
    }
    let letter_id = letter.clone();
    let handed_over: i64 = app
        .in_database(move |conn| {
            audit_events::table
                .filter(audit_events::letter_id.eq(letter_id))
                .filter(audit_events::action.eq("invitation.forwarded"))
                .count()
                .get_result(conn)
                .unwrap()
        })
        .await;
    assert_eq!(handed_over, PARTNERS as i64);
}
