//! Roles changed by admins (never leaving the installation without an admin), and failed logins
//! in the audit trail (the address tried and the client address, never the password).

use reqwest::StatusCode;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::accounts::open;
use crate::support::{Backend, PASSWORD, TestApp};

storage_test!(
    admins_change_roles_but_never_remove_the_last_admin,
    failed_logins_are_audited,
);

async fn admins_change_roles_but_never_remove_the_last_admin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("admin@example.org", Role::Admin).await;
    app.api_token("colleague@example.org", Role::Coordinator)
        .await;
    let id_of = |email: &'static str| {
        app.in_database(move |conn| {
            let email = undersigned::domain::EmailAddress::parse(email).unwrap();
            undersigned::app::accounts::account_by_email(conn, &email)
                .unwrap()
                .id
        })
    };
    let (own, colleague) = (
        id_of("admin@example.org").await,
        id_of("colleague@example.org").await,
    );

    let last = app
        .post_form(
            &format!("/app/accounts/{own}/role"),
            &[("role", "coordinator")],
        )
        .await;
    assert_eq!(last.status(), StatusCode::CONFLICT);
    assert!(last.text().await.unwrap().contains("last admin"));

    let promoted = app
        .post_form(
            &format!("/app/accounts/{colleague}/role"),
            &[("role", "admin")],
        )
        .await;
    assert_eq!(promoted.status(), StatusCode::SEE_OTHER);
    let other = app.new_browser();
    app.log_in(&other, "colleague@example.org", PASSWORD).await;
    assert_eq!(
        open(&other, &app.url("/app/accounts")).await.0,
        StatusCode::OK,
        "now an admin"
    );
    // Two admins: one of them may become a coordinator.
    let demoted = app
        .post_form(
            &format!("/app/accounts/{own}/role"),
            &[("role", "coordinator")],
        )
        .await;
    assert_eq!(demoted.status(), StatusCode::SEE_OTHER);
    assert!(
        app.audit_actions()
            .await
            .iter()
            .filter(|a| *a == "account.role_changed")
            .count()
            == 2
    );
}

async fn failed_logins_are_audited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.api_token("someone@example.org", Role::Coordinator)
        .await;
    let browser = app.new_browser();
    assert_eq!(
        app.log_in(&browser, "someone@example.org", "not the password")
            .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.log_in(&browser, "stranger@example.org", "not the password")
            .await,
        StatusCode::UNAUTHORIZED
    );
    let failures = app
        .in_database(|conn| {
            use diesel::prelude::*;
            use undersigned::db::schema::audit_events;
            audit_events::table
                .filter(audit_events::action.eq("login.failed"))
                .select((audit_events::actor, audit_events::detail, audit_events::ip))
                .load::<(String, String, Option<String>)>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert!(
        failures
            .iter()
            .any(|(actor, _, _)| actor == "stranger@example.org")
    );
    assert!(
        failures
            .iter()
            .all(|(_, detail, ip)| !detail.contains("not the password") && ip.is_some())
    );
}
