//! The schema keeps bad states out on both backends, and concurrent writers all succeed.

use diesel::RunQueryDsl;
use undersigned::app::accounts::{self, NewAccount};
use undersigned::db::{DbConnection, DbError};
use undersigned::domain::{EmailAddress, Password, PersonName, Role};

use crate::storage_test;
use crate::support::{Backend, TestApp};

storage_test!(
    one_open_invitation_per_organization_and_letter,
    statuses_tokens_and_references_are_checked,
    audit_events_are_append_only,
    concurrent_writers_all_succeed,
);

const T: &str = "'2026-11-26 10:00:00'";

fn exec(conn: &mut DbConnection, sql: &str) -> diesel::QueryResult<usize> {
    diesel::sql_query(sql).execute(conn)
}

/// A letter `l1` and an organization `o1` to hang invitations on.
fn letter_and_organization(conn: &mut DbConnection) {
    exec(conn, &format!(
        "INSERT INTO letters (id, slug, title, addressee, status, current_version, created_at, updated_at) \
         VALUES ('l1', 'letter', 'Title', 'To', 'draft', 1, {T}, {T})"
    ))
    .unwrap();
    exec(
        conn,
        &format!(
            "INSERT INTO organizations (id, name, name_key, display_name, created_at, updated_at) \
         VALUES ('o1', 'Article 19', 'article 19', 'Article 19', {T}, {T})"
        ),
    )
    .unwrap();
}

fn invitation(id: &str, letter: &str, status: &str, token_hash: &str) -> String {
    format!(
        "INSERT INTO invitations (id, letter_id, organization_id, contact_email, display_name, tier, \
         status, token_nonce, token_hash, created_at, updated_at, last_activity_at) \
         VALUES ('{id}', '{letter}', 'o1', 'desk@example.org', 'Article 19', 'lead', '{status}', \
         'nonce', '{token_hash}', {T}, {T}, {T})"
    )
}

async fn in_database<T: Send + 'static>(
    app: &TestApp,
    work: impl FnOnce(&mut DbConnection) -> T + Send + 'static,
) -> T {
    app.context
        .db
        .run(move |conn| Ok::<_, DbError>(work(conn)))
        .await
        .unwrap()
}

async fn one_open_invitation_per_organization_and_letter(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    in_database(&app, |conn| {
        letter_and_organization(conn);
        exec(conn, &invitation("i1", "l1", "sent", &"a".repeat(64))).unwrap();
        let second = exec(conn, &invitation("i2", "l1", "queued", &"b".repeat(64)));
        assert!(second.is_err(), "a second open invitation is refused");

        exec(
            conn,
            "UPDATE invitations SET status = 'revoked' WHERE id = 'i1'",
        )
        .unwrap();
        exec(conn, &invitation("i2", "l1", "queued", &"b".repeat(64)))
            .expect("a revoked invitation may be replaced");
    })
    .await;
}

async fn statuses_tokens_and_references_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    in_database(&app, |conn| {
        letter_and_organization(conn);
        assert!(
            exec(conn, &invitation("i1", "l1", "maybe", &"a".repeat(64))).is_err(),
            "unknown status"
        );
        assert!(
            exec(conn, &invitation("i1", "l1", "sent", "short")).is_err(),
            "a token hash is 64 hex digits"
        );
        assert!(
            exec(conn, &invitation("i1", "nope", "sent", &"a".repeat(64))).is_err(),
            "unknown letter"
        );
        exec(conn, &invitation("i1", "l1", "sent", &"a".repeat(64))).unwrap();
        exec(
            conn,
            "UPDATE invitations SET status = 'revoked' WHERE id = 'i1'",
        )
        .unwrap();
        assert!(
            exec(conn, &invitation("i2", "l1", "sent", &"a".repeat(64))).is_err(),
            "token hashes are unique"
        );
        assert!(
            exec(
                conn,
                "UPDATE letters SET status = 'scheduled' WHERE id = 'l1'"
            )
            .is_err(),
            "a scheduled letter needs its release time"
        );
        assert!(
            exec(conn, "DELETE FROM letters WHERE id = 'l1'").is_ok(),
            "a letter without responses may go"
        );
    })
    .await;
}

async fn audit_events_are_append_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    in_database(&app, |conn| {
        exec(conn, &format!(
            "INSERT INTO audit_events (id, actor, action, created_at) VALUES ('a1', 'system', 'test', {T})"
        ))
        .unwrap();
        assert!(exec(conn, "UPDATE audit_events SET action = 'forged'").is_err());
        assert!(exec(conn, "DELETE FROM audit_events").is_err());
    })
    .await;
}

async fn concurrent_writers_all_succeed(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("UNDERSIGNED_DATABASE__POOL_SIZE", "8")]).await;
    let writers = (0..24).map(|i| {
        let ctx = app.context.clone();
        tokio::spawn(async move {
            let account = NewAccount {
                email: EmailAddress::parse(&format!("coordinator{i}@example.org")).unwrap(),
                name: PersonName::parse("Coordinator").unwrap(),
                password: Password::parse("a long enough password").unwrap(),
                role: Role::Coordinator,
            };
            let clock = ctx.clock.clone();
            ctx.db
                .run(move |conn| {
                    accounts::create_account(
                        conn,
                        &clock,
                        undersigned::app::audit::Who::System("tests"),
                        account,
                    )
                })
                .await
        })
    });
    for writer in writers.collect::<Vec<_>>() {
        writer
            .await
            .unwrap()
            .expect("every concurrent write succeeds");
    }
    let count = in_database(&app, |conn| undersigned::db::users::count(conn).unwrap()).await;
    assert_eq!(count, 24);

    // Each token issue reads the account, then writes: on SQLite such transactions fail with
    // "database is locked" unless they take the write lock up front.
    let issuers = (0..24).map(|_| {
        let ctx = app.context.clone();
        tokio::spawn(async move {
            let email = EmailAddress::parse("coordinator0@example.org").unwrap();
            let clock = ctx.clock.clone();
            ctx.db
                .run(move |conn| accounts::issue_api_token(conn, &clock, &email, "load"))
                .await
        })
    });
    let mut tokens = Vec::new();
    for issuer in issuers.collect::<Vec<_>>() {
        tokens.push(
            issuer
                .await
                .unwrap()
                .expect("every concurrent token issue succeeds"),
        );
    }
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), 24);
}
