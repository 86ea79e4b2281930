//! The client's address behind reverse proxies: `X-Forwarded-For` is believed only from a peer
//! named in `server.trusted_proxies`, and the address it yields is what the login and sign-link
//! rate limits count and what the audit trail records.

use reqwest::{Client, StatusCode};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::browsers::browser_forwarded_as;
use crate::support::letters::NewLetter;
use crate::support::partners::sign_path_of;
use crate::support::{Backend, PASSWORD, TestApp};

storage_test!(
    forwarded_headers_from_an_untrusted_peer_change_nothing,
    behind_a_trusted_proxy_each_forwarded_client_has_its_own_limits_and_audit_entries,
);

const LIMITS: [(&str, &str); 3] = [
    ("UNDERSIGNED_SECURITY__LOGIN_FAILURES_PER_IP", "3"),
    ("UNDERSIGNED_SECURITY__LOGIN_FAILURES_PER_ACCOUNT", "100"),
    ("UNDERSIGNED_SECURITY__SIGN_LINK_FAILURES_PER_IP", "3"),
];

/// Opens a sign link that matches nothing; the answer's status (404, or 429 past the limit).
async fn guess_sign_link(app: &TestApp, browser: &Client, guess: usize) -> StatusCode {
    browser
        .get(app.url(&format!("/sign/{:0>43}", format!("guess{guess}"))))
        .send()
        .await
        .expect("GET a sign link")
        .status()
}

/// The addresses recorded with the audit events of this action, oldest first.
async fn audit_addresses(app: &TestApp, action: &'static str) -> Vec<Option<String>> {
    use diesel::prelude::*;
    use undersigned::db::schema::audit_events;
    app.in_database(move |conn| {
        audit_events::table
            .filter(audit_events::action.eq(action))
            .order(audit_events::created_at.asc())
            .select(audit_events::ip)
            .load::<Option<String>>(conn)
            .expect("audit events")
    })
    .await
}

async fn forwarded_headers_from_an_untrusted_peer_change_nothing(backend: Backend) {
    let app = TestApp::spawn_with(backend, &LIMITS).await;
    app.api_token("coordinator@example.org", Role::Coordinator)
        .await;
    let claiming = browser_forwarded_as("203.0.113.77");
    assert_eq!(
        app.log_in(&claiming, "coordinator@example.org", PASSWORD)
            .await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        audit_addresses(&app, "session.login").await,
        [Some("127.0.0.1".to_string())],
        "the audit trail records the socket address"
    );

    for i in 0..3 {
        let spoofing = browser_forwarded_as(&format!("198.51.100.{i}"));
        let status = app
            .log_in(&spoofing, "coordinator@example.org", "wrong guess")
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        app.log_in(&claiming, "coordinator@example.org", PASSWORD)
            .await,
        StatusCode::TOO_MANY_REQUESTS,
        "the socket address is counted, not the claimed one"
    );

    for guess in 0..3 {
        let spoofing = browser_forwarded_as(&format!("198.51.100.{guess}"));
        assert_eq!(
            guess_sign_link(&app, &spoofing, guess).await,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        guess_sign_link(&app, &claiming, 99).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limits_and_audit_entries(
    backend: Backend,
) {
    let mut settings = LIMITS.to_vec();
    settings.push((
        "UNDERSIGNED_SERVER__TRUSTED_PROXIES",
        "127.0.0.1, 10.0.0.0/8",
    ));
    let app = TestApp::spawn_with(backend, &settings).await;
    app.api_token("coordinator@example.org", Role::Coordinator)
        .await;
    // What the client wrote itself (leftmost) is not believed; the hop the proxies saw is.
    let guesser = browser_forwarded_as("192.0.2.1, 198.51.100.7, 10.1.1.1");
    let colleague = browser_forwarded_as("198.51.100.8");

    for _ in 0..3 {
        let status = app
            .log_in(&guesser, "coordinator@example.org", "wrong guess")
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        app.log_in(&guesser, "coordinator@example.org", PASSWORD)
            .await,
        StatusCode::TOO_MANY_REQUESTS,
        "the guessing client waits"
    );
    assert_eq!(
        app.log_in(&colleague, "coordinator@example.org", PASSWORD)
            .await,
        StatusCode::SEE_OTHER,
        "another client behind the same proxy does not"
    );
    assert_eq!(
        audit_addresses(&app, "session.login").await,
        [Some("198.51.100.8".to_string())],
        "the audit trail records the forwarded address"
    );

    for guess in 0..3 {
        assert_eq!(
            guess_sign_link(&app, &guesser, guess).await,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        guess_sign_link(&app, &guesser, 3).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        guess_sign_link(&app, &colleague, 4).await,
        StatusCode::NOT_FOUND,
        "sign-link guesses are counted per forwarded client too"
    );

    let token = app.api_token("admin@example.org", Role::Admin).await;
    NewLetter::new()
        .organizations(&[("Uyghur Human Rights Project", "lead")])
        .create(&app, &token)
        .await;
    let link = sign_path_of(&app, "Uyghur Human Rights Project").await;
    let partner = browser_forwarded_as("2001:db8::15");
    let opened = partner
        .get(app.url(&link))
        .send()
        .await
        .expect("GET the sign link");
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        audit_addresses(&app, "invitation.opened").await,
        [Some("2001:db8::15".to_string())],
        "a partner's address is the forwarded one too"
    );
}
