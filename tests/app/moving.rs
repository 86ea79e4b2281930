//! Moving an installation from SQLite to PostgreSQL and back with `undersigned export` and
//! `undersigned import`: every row comes over with its id and times, the released letter and
//! its revisions are published as before, and every signed manifest verifies with the same
//! key. A cut, edited or misplaced export is refused and leaves the database empty.

use std::path::Path;
use std::process::Output;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::domain::Role;

use crate::support::letters::{NewLetter, release_now};
use crate::support::manifests::verifies;
use crate::support::partners::answer;
use crate::support::processes::run;
use crate::support::{Backend, TestApp, TestDatabase, postgres_available};

fn succeeded(what: &str, output: &Output) -> String {
    assert!(
        output.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn refused(what: &str, output: &Output) -> String {
    assert!(!output.status.success(), "{what} should have been refused");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `undersigned export --to FILE` on this database.
fn export(db: &TestDatabase, to: &Path) -> String {
    succeeded(
        "undersigned export",
        &run(db, &["export", "--to", &to.to_string_lossy()], None),
    )
}

/// A new database of this backend holding the export, with the old data folder's key file
/// copied first, as the guide says.
fn import_into(backend: Backend, from: &Path, key_file: &Path) -> TestDatabase {
    let db = TestDatabase::create(backend);
    std::fs::create_dir_all(db.data_dir()).unwrap();
    std::fs::copy(key_file, db.data_dir().join("secret.key")).unwrap();
    let said = succeeded(
        "undersigned import",
        &run(&db, &["import", "--from", &from.to_string_lossy()], None),
    );
    assert!(said.contains("Imported"), "{said}");
    db
}

/// The rows of an export without its header and closing line (which name the time and the
/// source): equal when two databases hold the same rows.
fn rows_of(export: &Path) -> Vec<String> {
    // (Compared with `same_rows`, which names the first line that differs.)
    let text = std::fs::read_to_string(export).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[1..lines.len() - 1].to_vec()
}

/// Two exports hold the same rows, line for line.
fn same_rows(a: &Path, b: &Path) {
    let (a, b) = (rows_of(a), rows_of(b));
    if let Some((x, y)) = a.iter().zip(&b).find(|(x, y)| x != y) {
        panic!("the exports differ:\n{x}\n{y}");
    }
    assert_eq!(a.len(), b.len());
}

/// Where two JSON values first differ, as a path with both values; `None` when equal.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
            x.iter().find_map(|(k, v)| {
                first_difference(v, y.get(k).unwrap_or(&Value::Null), &format!("{path}.{k}"))
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, &format!("{path}[{i}]"))),
        _ => (a != b).then(|| format!("{path}: {a} ≠ {b}")),
    }
}

/// The installation looks the same as before the move.
fn same_view(moved: &Value, before: &Value) {
    if let Some(difference) = first_difference(moved, before, "") {
        panic!("after the move, {difference}");
    }
}

/// What a reader and a coordinator see of the letter: the published JSON and revisions (with
/// whether each manifest verifies), the invitations, the audit trail's actions, the key.
async fn seen(app: &TestApp, admin: &str, letter: &str, slug: &str) -> Value {
    let published: Value = app
        .get(&format!("/letters/{slug}.json"))
        .await
        .json()
        .await
        .unwrap();
    let mut revisions = Vec::new();
    for n in 1..=published["revision"].as_i64().unwrap() {
        let revision: Value = app
            .get(&format!("/letters/{slug}/revisions/{n}.json"))
            .await
            .json()
            .await
            .unwrap();
        assert!(verifies(app, &revision).await, "revision {n} verifies");
        revisions.push(revision);
    }
    let invitations = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{letter}/invitations"),
            admin,
            None,
        )
        .await;
    let view = json!({
        "published": published,
        "revisions": revisions,
        "invitations": invitations,
        "audit": app.audit_actions().await,
        "key": app.get("/.well-known/undersigned-release-key").await.text().await.unwrap(),
    });
    // Each installation serves on its own port: links are compared without it.
    serde_json::from_str(&view.to_string().replace(&app.address, "{base_url}")).unwrap()
}

#[tokio::test]
async fn an_installation_moves_from_sqlite_to_postgres_and_back_with_its_signatures() {
    if !postgres_available() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let letter = NewLetter::new()
        .with("title", "Stop the forced evictions")
        .organizations(&[
            ("Lead Housing Rights", "lead"),
            ("Ñandú Solidaridad", "supporting"),
            ("مرصد الحقوق", "supporting"),
            ("Late Tenants Union", "supporting"),
        ])
        .create(&app, &admin)
        .await;
    for organization in ["Lead Housing Rights", "Ñandú Solidaridad", "مرصد الحقوق"] {
        answer(&app, organization, "sign").await;
    }
    release_now(&app, &admin, &letter.id).await;
    app.api_expecting(
        StatusCode::OK,
        Method::PUT,
        &format!("/letters/{}", letter.id),
        &admin,
        Some(json!({ "allow_late_signatures": true })),
    )
    .await;
    answer(&app, "Late Tenants Union", "sign").await;
    let before = seen(&app, &admin, &letter.id, &letter.slug).await;
    assert_eq!(before["revisions"].as_array().unwrap().len(), 2);

    let folder = tempfile::tempdir().unwrap();
    let key_file = app.database.data_dir().join("secret.key");
    let from_sqlite = folder.path().join("from-sqlite.jsonl");
    let said = export(&app.database, &from_sqlite);
    assert!(said.contains("Exported"), "{said}");

    // Into PostgreSQL: every row as it was (the export of the new database is the same, row
    // for row, ids and times included), the same published letter, the same verifying key.
    let postgres_db = import_into(Backend::Postgres, &from_sqlite, &key_file);
    let from_postgres = folder.path().join("from-postgres.jsonl");
    export(&postgres_db, &from_postgres);
    same_rows(&from_postgres, &from_sqlite);
    let on_postgres = TestApp::on(postgres_db, &[]).await;
    let postgres_admin = on_postgres.admin_token_of("admin@example.org");
    same_view(
        &seen(&on_postgres, &postgres_admin, &letter.id, &letter.slug).await,
        &before,
    );

    // And back to SQLite.
    let sqlite_db = import_into(Backend::Sqlite, &from_postgres, &key_file);
    let back_again = folder.path().join("back-again.jsonl");
    export(&sqlite_db, &back_again);
    same_rows(&back_again, &from_sqlite);
    let back = TestApp::on(sqlite_db, &[]).await;
    let back_admin = back.admin_token_of("admin@example.org");
    assert_eq!(
        seen(&back, &back_admin, &letter.id, &letter.slug).await,
        before
    );
}

#[tokio::test]
async fn an_import_refuses_a_cut_edited_or_misplaced_export_and_changes_nothing() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    NewLetter::new()
        .organizations(&[("Lead Housing Rights", "lead")])
        .create(&app, &admin)
        .await;
    let folder = tempfile::tempdir().unwrap();
    let good = folder.path().join("export.jsonl");
    export(&app.database, &good);
    let key_file = app.database.data_dir().join("secret.key");
    let text = std::fs::read_to_string(&good).unwrap();

    let cut = folder.path().join("cut.jsonl");
    let lines: Vec<&str> = text.lines().collect();
    std::fs::write(&cut, lines[..lines.len() - 1].join("\n") + "\n").unwrap();
    let edited = folder.path().join("edited.jsonl");
    std::fs::write(
        &edited,
        text.replacen("Lead Housing Rights", "Lead Housing Wrongs", 1),
    )
    .unwrap();
    let not_an_export = folder.path().join("notes.txt");
    std::fs::write(&not_an_export, "{\"hello\": 1}\n").unwrap();

    for (file, reason) in [
        (&cut, "cut off"),
        (&edited, "changed after it was written"),
        (&not_an_export, "not an Undersigned export"),
    ] {
        let db = TestDatabase::create(Backend::Sqlite);
        std::fs::create_dir_all(db.data_dir()).unwrap();
        std::fs::copy(&key_file, db.data_dir().join("secret.key")).unwrap();
        let said = refused(
            "a damaged import",
            &run(&db, &["import", "--from", &file.to_string_lossy()], None),
        );
        assert!(said.contains(reason), "{reason}: {said}");
        // Nothing was written: the same database takes the good export afterwards.
        succeeded(
            "the good import after a refused one",
            &run(&db, &["import", "--from", &good.to_string_lossy()], None),
        );
    }

    // Without the old secret, sign links and signatures would break: refused.
    let db = TestDatabase::create(Backend::Sqlite);
    let said = refused(
        "an import without the key file",
        &run(&db, &["import", "--from", &good.to_string_lossy()], None),
    );
    assert!(said.contains("secret.key"), "{said}");
    // Into a database that holds rows: refused.
    let said = refused(
        "an import into a used database",
        &run(
            &app.database,
            &["import", "--from", &good.to_string_lossy()],
            None,
        ),
    );
    assert!(said.contains("not empty"), "{said}");
}
