//! A letter's dashboard with 400 invitations, on both databases: pages of 50 with totals and
//! links that keep the filters, a headline whose numbers are right, the reader's alphabetical
//! order ("Ärztinnen" with the A's, "Église" with the E's), a chart that shows a first day's
//! answers, and "select all matching" reminding or revoking exactly the matching invitations on
//! every page, after a confirmation.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use undersigned::db::invitations::Invitation;
use undersigned::db::outbox::OutboxJob;
use undersigned::domain::{EmailKind, InvitationStatus, Role};

use crate::storage_test;
use crate::support::crowded::{
    INVITED, crowded_letter, headline_of, hidden_fields, member, names_on, showing_of,
};
use crate::support::partners::answer;
use crate::support::{Backend, TestApp};

storage_test!(
    four_hundred_invitations_read_in_pages_in_the_readers_order,
    the_headline_counts_and_the_chart_shows_the_first_day,
    revoking_all_matching_revokes_exactly_them_on_every_page,
    reminding_all_matching_reminds_exactly_those_waiting,
);

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

async fn four_hundred_invitations_read_in_pages_in_the_readers_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = crowded_letter(&app, &admin, 15).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let dashboard = format!("/app/letters/{}", letter.id);

    let mut everyone = Vec::new();
    for n in 1..=8 {
        let html = page(&app, &format!("{dashboard}?page={n}")).await;
        let names = names_on(&html);
        assert_eq!(names.len(), 50, "page {n} lists 50");
        let (first, last) = ((n - 1) * 50 + 1, n * 50);
        assert_eq!(showing_of(&html), format!("Showing {first}–{last} of 400"));
        everyone.extend(names);
    }
    assert_eq!(everyone.len(), INVITED);
    assert_eq!(
        everyone.iter().collect::<BTreeSet<_>>().len(),
        INVITED,
        "nobody twice, nobody left out"
    );
    assert_eq!(
        everyone[..6],
        [
            "Ärztinnen für Frieden",
            "Ecology Now",
            "Eden Network",
            "Église Verte",
            "Member 000 Coalition",
            "Member 001 Network",
        ],
        "accents sort with their letter"
    );
    assert_eq!(everyone.last().unwrap(), "World Uyghur Congress");

    // Beyond the last page reads the last page; nonsense reads the first.
    let beyond = page(&app, &format!("{dashboard}?page=99")).await;
    assert_eq!(showing_of(&beyond), "Showing 351–400 of 400");
    let nonsense = page(&app, &format!("{dashboard}?page=two")).await;
    assert_eq!(showing_of(&nonsense), "Showing 1–50 of 400");

    // Filters and order are kept by the page links: 132 coalitions, by status, page 2 of 3.
    let filtered = page(&app, &format!("{dashboard}?q=coalition&sort=status&page=2")).await;
    assert_eq!(showing_of(&filtered), "Showing 51–100 of 132 matching");
    for n in [1, 3] {
        assert!(
            filtered.contains(&format!(
                r#"href="?q=coalition&amp;sort=status&amp;page={n}""#
            )),
            "a link to page {n} keeps the filters: {filtered}"
        );
    }
    let names = names_on(&filtered);
    assert!(names.iter().all(|n| n.ends_with("Coalition")), "{names:?}");
    assert_eq!(names[0], member(150), "51st coalition by status, then name");
    assert!(filtered.contains("Select all 132 matching the filters, on every page"));
}

async fn the_headline_counts_and_the_chart_shows_the_first_day(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = crowded_letter(&app, &admin, 15).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let dashboard = format!("/app/letters/{}", letter.id);

    let before = page(&app, &dashboard).await;
    assert_eq!(
        headline_of(&before),
        "0 of 400 signed · 0 declined · 400 not answered · deadline in 15 days · \
         3 lead organizations have not approved the current text"
    );
    assert!(!before.contains(r#"class="point"#), "no answers, no points");

    // Member 001 (a lead) signs; the World Uyghur Congress (a lead) signs too. Five others
    // sign, two decline, and one invitation is revoked: revoked ones do not count.
    let signers = [
        "World Uyghur Congress".to_string(),
        "Ärztinnen für Frieden".to_string(),
        member(1),
        member(10),
        member(20),
        member(30),
        member(40),
    ];
    for name in &signers {
        answer(&app, name, "sign").await;
    }
    answer(&app, &member(11), "decline").await;
    answer(&app, &member(12), "decline").await;
    let revoked = letter.invitation_id(&member(13));
    let response = app
        .post_form(
            &format!("{dashboard}/bulk"),
            &[("action", "revoke"), ("ids", revoked.as_str())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let after = page(&app, &dashboard).await;
    assert_eq!(
        headline_of(&after),
        "7 of 399 signed · 2 declined · 390 not answered · deadline in 15 days · \
         1 lead organization has not approved the current text"
    );
    assert!(after.contains(r#"aria-label="7 of 399 signed, 2 declined""#));
    assert_eq!(
        after.matches(r#"class="point signed""#).count(),
        1,
        "a first day's signatures are a point"
    );
    assert_eq!(after.matches(r#"class="point declined""#).count(), 1);
    assert!(after.contains("7 signed and 2 declined by"));
}

/// The confirmation page's form sent back as its "confirm" button does.
async fn confirm(app: &TestApp, dashboard: &str, confirmation: &str) -> reqwest::Response {
    let fields = hidden_fields(confirmation);
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post_form(&format!("{dashboard}/bulk"), &fields).await
}

async fn invitations_of(app: &TestApp) -> Vec<Invitation> {
    app.in_database(|conn| {
        use diesel::prelude::*;
        use undersigned::db::schema::invitations;
        invitations::table
            .select(Invitation::as_select())
            .load(conn)
            .unwrap()
    })
    .await
}

async fn revoking_all_matching_revokes_exactly_them_on_every_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = crowded_letter(&app, &admin, 15).await;
    answer(&app, &member(3), "sign").await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let dashboard = format!("/app/letters/{}", letter.id);

    let asked = app
        .post_form(
            &format!("{dashboard}/bulk"),
            &[
                ("status", ""),
                ("tier", ""),
                ("q", "Coalition"),
                ("scope", "filtered"),
                ("action", "revoke"),
            ],
        )
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = asked.text().await.unwrap();
    assert!(
        asked.contains("Revoke 132 invitations of the 132 invitations that match the filters?")
            && asked.contains("1 of them signed"),
        "{asked}"
    );
    assert!(
        invitations_of(&app)
            .await
            .iter()
            .all(|i| i.status != InvitationStatus::Revoked),
        "nothing is revoked before the confirmation"
    );

    let done = confirm(&app, &dashboard, &asked).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let revoked: BTreeSet<String> = invitations_of(&app)
        .await
        .into_iter()
        .filter(|i| i.status == InvitationStatus::Revoked)
        .map(|i| i.display_name)
        .collect();
    let coalitions: BTreeSet<String> = (0..395)
        .map(member)
        .filter(|n| n.ends_with("Coalition"))
        .collect();
    assert_eq!(
        revoked, coalitions,
        "exactly the matching ones, on every page"
    );
    let listed = page(&app, &format!("{dashboard}?status=revoked")).await;
    assert_eq!(showing_of(&listed), "Showing 1–50 of 132 matching");

    // Nothing left to revoke among them: the dashboard says so, with the filter kept.
    let again = app
        .post_form(
            &format!("{dashboard}/bulk"),
            &[
                ("status", "revoked"),
                ("q", "Coalition"),
                ("scope", "filtered"),
                ("action", "revoke"),
            ],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = again.text().await.unwrap();
    assert!(again.contains("Nothing to revoke"), "{again}");
    assert_eq!(showing_of(&again), "Showing 1–50 of 132 matching");
}

/// Polls until the worker has sent every invitation (each is `sent`), at most 60 s.
async fn until_every_invitation_is_sent(app: &TestApp) {
    let started = Instant::now();
    loop {
        let queued = invitations_of(app)
            .await
            .iter()
            .filter(|i| i.status == InvitationStatus::Queued)
            .count();
        if queued == 0 {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{queued} invitations still queued"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn reminders(app: &TestApp) -> Vec<OutboxJob> {
    app.in_database(|conn| {
        use diesel::prelude::*;
        use undersigned::db::schema::outbox;
        outbox::table
            .filter(outbox::kind.eq(EmailKind::Reminder.as_str()))
            .select(OutboxJob::as_select())
            .load(conn)
            .unwrap()
    })
    .await
}

async fn reminding_all_matching_reminds_exactly_those_waiting(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[
            ("UNDERSIGNED_MAIL__POLL_INTERVAL_MS", "20"),
            ("UNDERSIGNED_MAIL__RATE_PER_SECOND", "0"),
        ],
    )
    .await;
    let admin = app.admin_token().await;
    let letter = crowded_letter(&app, &admin, 15).await;
    let worker = app.start_worker();
    until_every_invitation_is_sent(&app).await;
    answer(&app, &member(4), "sign").await;
    answer(&app, &member(5), "decline").await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let dashboard = format!("/app/letters/{}", letter.id);

    // Every "Network" (264, across six pages), but those that answered.
    let asked = app
        .post_form(
            &format!("{dashboard}/bulk"),
            &[
                ("q", "network"),
                ("scope", "filtered"),
                ("action", "remind"),
            ],
        )
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = asked.text().await.unwrap();
    assert!(
        asked.contains("Remind 262 organizations of the 264 invitations that match the filters?"),
        "{asked}"
    );
    assert!(
        reminders(&app).await.is_empty(),
        "nothing before the confirmation"
    );

    let done = confirm(&app, &dashboard, &asked).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let reminded: BTreeSet<String> = reminders(&app)
        .await
        .into_iter()
        .map(|job| job.invitation_id.expect("a reminder of an invitation"))
        .collect();
    let waiting: BTreeSet<String> = invitations_of(&app)
        .await
        .into_iter()
        .filter(|i| i.display_name.contains("Network") && i.status.awaits_answer())
        .map(|i| i.id.to_string())
        .collect();
    assert_eq!(waiting.len(), 262);
    assert_eq!(reminded, waiting, "exactly the matching ones that wait");
    worker.stop().await;
}
