//! The admins' outgoing-email pages: `.eml` files written when no SMTP server is set, and the
//! dead-letter list with its retry button. Coordinators may not see them.

use std::time::Duration;

use diesel::prelude::*;
use reqwest::StatusCode;
use undersigned::db::schema::outbox;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::NewLetter;
use crate::support::{Backend, TestApp};

storage_test!(admins_see_eml_files_and_retry_dead_emails);

async fn admins_see_eml_files_and_retry_dead_emails(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("UNDERSIGNED_MAIL__POLL_INTERVAL_MS", "100")]).await;
    let worker = app.start_worker();
    app.login_as("admin@example.org", Role::Admin).await;
    let token = app.admin_token_of("admin@example.org");
    NewLetter::new()
        .with("title", "Trial letter")
        .contacts(&[
            ("Article 19", "a19@example.org"),
            ("FIDH", "fidh@example.org"),
        ])
        .create(&app, &token)
        .await;

    let mut page = String::new();
    for _ in 0..100 {
        page = app.get("/app/mail").await.text().await.unwrap();
        if page.matches(".eml</a>").count() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(page.matches(".eml</a>").count(), 2, "{page}");
    let start = page.find("/app/mail/files/").unwrap();
    let link = &page[start..start + page[start..].find('"').unwrap()];
    let file = app.get(link).await;
    assert!(
        file.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(
        file.text()
            .await
            .unwrap()
            .contains("Subject: Invitation to sign: Trial letter")
    );
    assert_eq!(
        app.get("/app/mail/files/..%2F..%2Fsecret.key")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    worker.stop().await;

    // A job that gave up is listed with its error, and can be tried again.
    let failed = app
        .in_database(|conn| {
            let id: String = outbox::table.select(outbox::id).first(conn).unwrap();
            diesel::update(outbox::table.find(&id))
                .set((
                    outbox::status.eq("dead"),
                    outbox::last_error.eq("550 mailbox unavailable"),
                ))
                .execute(conn)
                .unwrap();
            id
        })
        .await;
    let page = app.get("/app/mail").await.text().await.unwrap();
    assert!(
        page.contains("550 mailbox unavailable")
            && page.contains(&format!("/app/mail/{failed}/retry"))
    );
    let retried = app
        .post_form(&format!("/app/mail/{failed}/retry"), &[])
        .await;
    assert_eq!(retried.status(), StatusCode::SEE_OTHER);
    let status = app
        .in_database(move |conn| {
            outbox::table
                .find(failed)
                .select(outbox::status)
                .first::<String>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(status, "pending");

    let coordinator = TestApp::spawn(backend).await;
    coordinator
        .login_as("coordinator@example.org", Role::Coordinator)
        .await;
    assert_eq!(
        coordinator.get("/app/mail").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        coordinator.get("/app/mail/files/x.eml").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        coordinator
            .post_form("/app/mail/x/retry", &[])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
