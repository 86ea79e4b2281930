//! Accounts that can be recovered: colleagues invited by an emailed one-time link, forgotten
//! passwords reset by a link (same answer for unknown addresses, rate-limited, every session
//! ended).

use std::time::Duration;

use chrono::TimeDelta;
use reqwest::StatusCode;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::accounts::{link_in, open, post_on_page};
use crate::support::forms::location;
use crate::support::smtp::{SmtpServer, app_delivering_to, smtp_available};
use crate::support::{Backend, PASSWORD, TestApp};

storage_test!(
    an_invited_colleague_chooses_a_password_through_a_one_time_link,
    a_forgotten_password_is_reset_by_a_link_that_ends_every_session,
);

const WAIT: Duration = Duration::from_secs(20);

async fn invite(app: &TestApp, email: &str) -> reqwest::Response {
    app.post_form(
        "/app/accounts",
        &[
            ("name", "Colleague"),
            ("email", email),
            ("role", "coordinator"),
        ],
    )
    .await
}

async fn an_invited_colleague_chooses_a_password_through_a_one_time_link(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = app_delivering_to(backend, &smtp, &[]).await;
    app.login_as("admin@example.org", Role::Admin).await;
    let _worker = app.start_worker();
    assert_eq!(
        invite(&app, "colleague@example.org").await.status(),
        StatusCode::SEE_OTHER
    );

    // Pending: the account cannot log in yet.
    let colleague = app.new_browser();
    assert_eq!(
        app.log_in(&colleague, "colleague@example.org", "").await,
        StatusCode::UNAUTHORIZED
    );
    let accounts = app.get("/app/accounts").await.text().await.unwrap();
    assert!(accounts.contains("invited, no password yet"), "{accounts}");

    let mail = &smtp
        .wait_for_messages_to("colleague@example.org", 1, WAIT)
        .await[0];
    let text = mail.text.as_deref().unwrap();
    let link = link_in(&app, text, "/welcome/");
    assert!(mail.html.as_deref().unwrap().contains(&link));
    let (status, page) = open(&colleague, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Choose your password"), "{page}");

    let short = post_on_page(&colleague, &link, &link, &[("password", "short")]).await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = short.text().await.unwrap();
    assert!(body.contains(r#"id="password-error""#), "{body}");
    assert!(!body.contains(r#"value="short""#));

    let chosen = post_on_page(
        &colleague,
        &link,
        &link,
        &[("password", "my own long password")],
    )
    .await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&chosen), "/app");
    let (status, _) = open(&colleague, &app.url("/app")).await;
    assert_eq!(status, StatusCode::OK, "the colleague is logged in");
    // The link works once.
    assert_eq!(
        open(&app.new_browser(), &link).await.0,
        StatusCode::NOT_FOUND
    );
    let again = app.new_browser();
    assert_eq!(
        app.log_in(&again, "colleague@example.org", "my own long password")
            .await,
        StatusCode::SEE_OTHER
    );

    // Sent again: the first link stops; and every link stops after 72 hours.
    invite(&app, "second@example.org").await;
    let first = link_in(
        &app,
        smtp.wait_for_messages_to("second@example.org", 1, WAIT)
            .await[0]
            .text
            .as_deref()
            .unwrap(),
        "/welcome/",
    );
    let accounts = app.get("/app/accounts").await.text().await.unwrap();
    let marker = "/invitation\"";
    let end = accounts.find(marker).expect("a resend form");
    let id = &accounts[end - 36..end];
    let resent = app
        .post_form(&format!("/app/accounts/{id}/invitation"), &[])
        .await;
    assert_eq!(resent.status(), StatusCode::SEE_OTHER);
    let mails = smtp
        .wait_for_messages_to("second@example.org", 2, WAIT)
        .await;
    // The Maildir does not keep the order of arrival: the new link is the other one.
    let links: Vec<String> = mails
        .iter()
        .map(|m| link_in(&app, m.text.as_deref().unwrap(), "/welcome/"))
        .collect();
    assert!(links.contains(&first), "{links:?}");
    let second = links
        .into_iter()
        .find(|l| *l != first)
        .expect("a new link in the second email");
    let browser = app.new_browser();
    assert_eq!(open(&browser, &first).await.0, StatusCode::NOT_FOUND);
    assert_eq!(open(&browser, &second).await.0, StatusCode::OK);
    app.clock.advance(TimeDelta::hours(73));
    assert_eq!(open(&browser, &second).await.0, StatusCode::NOT_FOUND);

    let actions = app.audit_actions().await;
    for action in [
        "account.invited",
        "account.invitation_accepted",
        "account.invitation_resent",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

async fn a_forgotten_password_is_reset_by_a_link_that_ends_every_session(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = app_delivering_to(backend, &smtp, &[]).await;
    app.login_as("someone@example.org", Role::Coordinator).await;
    let _worker = app.start_worker();
    let login = app.get("/login").await.text().await.unwrap();
    assert!(login.contains(r#"href="/password/forgot""#));

    let forgot = app.url("/password/forgot");
    let stranger = app.new_browser();
    let known = post_on_page(
        &stranger,
        &forgot,
        &forgot,
        &[("email", "someone@example.org")],
    )
    .await;
    assert_eq!(known.status(), StatusCode::OK);
    let known = known.text().await.unwrap();
    let unknown = post_on_page(
        &stranger,
        &forgot,
        &forgot,
        &[("email", "nobody@example.org")],
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::OK);
    assert_eq!(
        known,
        unknown.text().await.unwrap(),
        "the same answer for an unknown address"
    );
    assert!(known.contains("If an account has this address"));

    let mail = &smtp
        .wait_for_messages_to("someone@example.org", 1, WAIT)
        .await[0];
    let link = link_in(&app, mail.text.as_deref().unwrap(), "/password/reset/");
    let reset = post_on_page(
        &stranger,
        &link,
        &link,
        &[("password", "a brand new password")],
    )
    .await;
    assert_eq!(reset.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&reset), "/login");
    // The other browser's session has ended; the old password no longer works, the new one does.
    let ended = app.get("/app").await;
    assert_eq!(ended.status(), StatusCode::SEE_OTHER);
    assert!(location(&ended).starts_with("/login"));
    assert_eq!(
        app.log_in(&app.new_browser(), "someone@example.org", PASSWORD)
            .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.log_in(
            &app.new_browser(),
            "someone@example.org",
            "a brand new password"
        )
        .await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        open(&stranger, &link).await.0,
        StatusCode::NOT_FOUND,
        "the link works once"
    );
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|a| a == "account.password_reset")
    );

    // Rate-limited per address asked for, known or not: the same refusal.
    let mut statuses = Vec::new();
    for email in ["someone@example.org", "nobody@example.org"] {
        for _ in 0..3 {
            let answer = post_on_page(&stranger, &forgot, &forgot, &[("email", email)]).await;
            statuses.push(answer.status());
        }
    }
    assert_eq!(statuses[2], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    assert_eq!(statuses[4], StatusCode::OK, "{statuses:?}");
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    // The requests allowed after the reset sent a new link (each new link replaces the one
    // before it, whose email is dropped if still queued): the newest one arrives and works.
    let started = std::time::Instant::now();
    loop {
        let mut working = Vec::new();
        for mail in smtp.messages() {
            if !mail.header("to").contains("someone@example.org") {
                continue;
            }
            let sent = link_in(&app, mail.text.as_deref().unwrap(), "/password/reset/");
            if sent != link && open(&stranger, &sent).await.0 == StatusCode::OK {
                working.push(sent);
            }
        }
        assert!(
            working.len() <= 1,
            "only the newest link works: {working:?}"
        );
        if working.len() == 1 {
            break;
        }
        assert!(started.elapsed() < WAIT, "the newest reset link arrives");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
