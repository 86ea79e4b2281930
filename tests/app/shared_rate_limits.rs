//! The limits that guard secrets are counted in the database: two instances of the app on the
//! same database (PostgreSQL, or the same SQLite file) share them, a window ends on time, a
//! login clears its account's count, and no email address is stored with the counts.

use chrono::TimeDelta;
use reqwest::StatusCode;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::{Backend, PASSWORD, TestApp};

storage_test!(
    failed_logins_through_one_instance_count_in_the_other,
    sign_link_guesses_through_one_instance_count_in_the_other,
);

/// Sends the login form through this instance with its own browser; the answer's status.
async fn log_in(app: &TestApp, email: &str, password: &str) -> StatusCode {
    let browser = app.new_browser();
    app.log_in(&browser, email, password).await
}

/// The keys of the stored counters.
async fn counter_keys(app: &TestApp) -> Vec<String> {
    use diesel::prelude::*;
    use undersigned::db::schema::rate_limit_counters;
    app.in_database(|conn| {
        rate_limit_counters::table
            .select(rate_limit_counters::key)
            .load::<String>(conn)
            .expect("the counters")
    })
    .await
}

async fn failed_logins_through_one_instance_count_in_the_other(backend: Backend) {
    let settings = [("UNDERSIGNED_SECURITY__LOGIN_FAILURES_PER_ACCOUNT", "4")];
    let first = TestApp::spawn_with(backend, &settings).await;
    let second = first.another_instance(&settings).await;
    first.api_token("target@example.org", Role::Admin).await;

    for _ in 0..3 {
        assert_eq!(
            log_in(&first, "target@example.org", "wrong guess").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        log_in(&second, "Target@Example.org", PASSWORD).await,
        StatusCode::SEE_OTHER,
        "three failures are under the limit, and a login clears them"
    );
    for app in [&first, &second, &first, &second] {
        assert_eq!(
            log_in(app, "target@example.org", "wrong guess").await,
            StatusCode::UNAUTHORIZED
        );
    }
    for app in [&second, &first] {
        assert_eq!(
            log_in(app, "target@example.org", PASSWORD).await,
            StatusCode::TOO_MANY_REQUESTS,
            "failures through either instance count in both"
        );
    }
    assert_eq!(
        log_in(&second, "nobody@example.org", "wrong guess").await,
        StatusCode::UNAUTHORIZED,
        "an unknown email answers like a wrong password"
    );

    let keys = counter_keys(&first).await;
    assert!(!keys.is_empty());
    assert!(
        keys.iter().all(|key| !key.contains('@')),
        "accounts are counted under a hash: {keys:?}"
    );

    second.clock.advance(TimeDelta::minutes(16));
    assert_eq!(
        log_in(&second, "target@example.org", PASSWORD).await,
        StatusCode::SEE_OTHER,
        "the window ends after 15 minutes"
    );
}

async fn sign_link_guesses_through_one_instance_count_in_the_other(backend: Backend) {
    let settings = [("UNDERSIGNED_SECURITY__SIGN_LINK_FAILURES_PER_IP", "4")];
    let first = TestApp::spawn_with(backend, &settings).await;
    let second = first.another_instance(&settings).await;
    let guess = |app: &TestApp, n: usize| {
        let url = app.url(&format!("/sign/{:0>43}", format!("guess{n}")));
        let browser = app.new_browser();
        async move {
            browser
                .get(url)
                .send()
                .await
                .expect("GET a sign link")
                .status()
        }
    };

    for (n, app) in [&first, &second, &first, &second].into_iter().enumerate() {
        assert_eq!(guess(app, n).await, StatusCode::NOT_FOUND);
    }
    assert_eq!(guess(&first, 10).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(guess(&second, 11).await, StatusCode::TOO_MANY_REQUESTS);

    first.clock.advance(TimeDelta::seconds(61));
    assert_eq!(
        guess(&first, 12).await,
        StatusCode::NOT_FOUND,
        "the window ends after a minute"
    );
}
