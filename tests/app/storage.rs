//! The schema keeps bad states out on both backends, each refused by the constraint meant for
//! it; the audit trail and published releases cannot be rewritten; concurrent writers all succeed.

use diesel::RunQueryDsl;
use diesel::result::DatabaseErrorKind;
use undersigned::app::accounts::{self, NewAccount};
use undersigned::db::DbConnection;
use undersigned::domain::{EmailAddress, Password, PersonName, Role};

use crate::storage_test;
use crate::support::{Backend, TestApp};

storage_test!(
    one_open_invitation_per_organization_and_letter,
    statuses_tokens_and_references_are_checked,
    audit_events_and_releases_are_append_only,
    concurrent_writers_all_succeed,
);

const T: &str = "'2026-11-26 10:00:00'";

/// Runs one SQL statement; the rows it changed.
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

/// The SQL that inserts an invitation of organization `o1`.
fn invitation(id: &str, letter: &str, status: &str, token_hash: &str) -> String {
    format!(
        "INSERT INTO invitations (id, letter_id, organization_id, contact_email, display_name, tier, \
         status, token_nonce, token_hash, created_at, updated_at, last_activity_at) \
         VALUES ('{id}', '{letter}', 'o1', 'desk@example.org', 'Article 19', 'lead', '{status}', \
         'nonce', '{token_hash}', {T}, {T}, {T})"
    )
}

/// What a backend reports of a refused statement: the kind of constraint, and the name it gives
/// the culprit (PostgreSQL names the constraint, or the column of a NOT NULL; SQLite writes it
/// in the message) with the message.
fn refusal(result: diesel::QueryResult<usize>) -> (DatabaseErrorKind, String) {
    match result {
        Err(diesel::result::Error::DatabaseError(kind, info)) => {
            let named = info
                .constraint_name()
                .or(info.column_name())
                .unwrap_or_default();
            (kind, format!("{named} | {}", info.message()))
        }
        Err(other) => panic!("refused, but not by the database: {other}"),
        Ok(rows) => panic!("accepted ({rows} rows) where a constraint should refuse"),
    }
}

/// Asserts that `result` was refused by a constraint of this kind, named `on_postgres` there
/// or `on_sqlite` in SQLite's message.
#[track_caller]
fn assert_refused(
    backend: Backend,
    result: diesel::QueryResult<usize>,
    kind: DatabaseErrorKind,
    on_postgres: &str,
    on_sqlite: &str,
) {
    let (refused_as, report) = refusal(result);
    assert_eq!(refused_as, kind, "{report}");
    let name = match backend {
        Backend::Postgres => on_postgres,
        Backend::Sqlite => on_sqlite,
    };
    assert!(report.contains(name), "{name} is not in: {report}");
}

async fn one_open_invitation_per_organization_and_letter(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.in_database(move |conn| {
        letter_and_organization(conn);
        exec(conn, &invitation("i1", "l1", "sent", &"a".repeat(64))).unwrap();
        assert_refused(
            backend,
            exec(conn, &invitation("i2", "l1", "queued", &"b".repeat(64))),
            DatabaseErrorKind::UniqueViolation,
            "invitations_one_open_per_organization",
            "UNIQUE constraint failed: invitations.letter_id, invitations.organization_id",
        );

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
    use DatabaseErrorKind::{
        CheckViolation, ForeignKeyViolation, NotNullViolation, UniqueViolation,
    };
    let app = TestApp::spawn(backend).await;
    app.in_database(move |conn| {
        letter_and_organization(conn);
        assert_refused(
            backend,
            exec(conn, &invitation("i1", "l1", "maybe", &"a".repeat(64))),
            CheckViolation,
            "invitations_status_check",
            "CHECK constraint failed: status IN",
        );
        assert_refused(
            backend,
            exec(conn, &invitation("i1", "l1", "sent", "short")),
            CheckViolation,
            "invitations_token_hash_check",
            "CHECK constraint failed: length(token_hash) = 64",
        );
        assert_refused(
            backend,
            exec(conn, &invitation("i1", "nope", "sent", &"a".repeat(64))),
            ForeignKeyViolation,
            "invitations_letter_id_fkey",
            "FOREIGN KEY constraint failed",
        );
        assert_refused(
            backend,
            exec(
                conn,
                &format!(
                    "INSERT INTO audit_events (id, actor, action, created_at) \
                     VALUES ('a1', 'system', NULL, {T})"
                ),
            ),
            NotNullViolation,
            "action",
            "NOT NULL constraint failed: audit_events.action",
        );
        exec(conn, &invitation("i1", "l1", "sent", &"a".repeat(64))).unwrap();
        exec(
            conn,
            "UPDATE invitations SET status = 'revoked' WHERE id = 'i1'",
        )
        .unwrap();
        assert_refused(
            backend,
            exec(conn, &invitation("i2", "l1", "sent", &"a".repeat(64))),
            UniqueViolation,
            "invitations_token_hash_key",
            "UNIQUE constraint failed: invitations.token_hash",
        );
        // A scheduled letter needs its release time.
        assert_refused(
            backend,
            exec(
                conn,
                "UPDATE letters SET status = 'scheduled' WHERE id = 'l1'",
            ),
            CheckViolation,
            "letters_check",
            "CHECK constraint failed: status <> 'scheduled' OR release_at IS NOT NULL",
        );
        exec(conn, "DELETE FROM letters WHERE id = 'l1'")
            .expect("a letter without responses may go");
    })
    .await;
}

async fn audit_events_and_releases_are_append_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.in_database(move |conn| {
        exec(conn, &format!(
            "INSERT INTO audit_events (id, actor, action, created_at) VALUES ('a1', 'system', 'test', {T})"
        ))
        .unwrap();
        let refused = "audit_events is append-only";
        for change in ["UPDATE audit_events SET action = 'forged'", "DELETE FROM audit_events"] {
            assert_refused(backend, exec(conn, change), DatabaseErrorKind::Unknown, refused, refused);
        }

        letter_and_organization(conn);
        let sha = "c".repeat(64);
        exec(conn, &format!(
            "INSERT INTO releases (id, letter_id, revision, version, title, addressee, body_html, \
             content_sha256, signatories, manifest, manifest_sha256, signature, released_at) \
             VALUES ('r1', 'l1', 1, 1, 'Title', 'To', '<p>Text</p>', '{sha}', '[]', '{{}}', '{sha}', \
             'signature', {T})"
        ))
        .unwrap();
        assert_refused(
            backend,
            exec(conn, "UPDATE releases SET title = 'Rewritten'"),
            DatabaseErrorKind::Unknown,
            "releases is append-only",
            "releases are immutable",
        );
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
    let count = app
        .in_database(|conn| undersigned::db::users::count(conn).unwrap())
        .await;
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
