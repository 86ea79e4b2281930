//! Backups that restore, taken while partners sign: `undersigned backup` and `restore` on
//! SQLite, `pg_dump` and `pg_restore` with the key file on PostgreSQL, as docs/OPERATIONS.md
//! gives them. Every answer acknowledged before the backup began is in the restored
//! installation, the released letter is published as it was, and its signed manifest
//! verifies with the restored installation's published key.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::manifests::verifies;
use crate::support::partners::{answer, try_answer};
use crate::support::processes::run;
use crate::support::{Backend, TestApp, TestDatabase};

storage_test!(a_backup_taken_while_partners_sign_restores_every_acknowledged_answer,);

/// How many partners sign the open letter, half before the backup and half during it.
const PARTNERS: usize = 24;

fn succeeded(what: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Takes a backup of the live installation on `db` into the folder `to`, as the guide says.
fn take_backup(db: &TestDatabase, to: &Path) {
    match db.backend {
        Backend::Sqlite => {
            let archive = to.join("undersigned-backup.tar");
            let output = run(db, &["backup", "--to", &archive.to_string_lossy()], None);
            succeeded("undersigned backup", &output);
            let said = String::from_utf8_lossy(&output.stdout);
            assert!(said.contains("Backed up"), "{said}");
        }
        Backend::Postgres => {
            let dump = to.join("undersigned.dump");
            let output = Command::new("pg_dump")
                .args(["--format=custom", "--file"])
                .arg(&dump)
                .arg(&db.url)
                .output()
                .expect("pg_dump runs");
            succeeded("pg_dump", &output);
            std::fs::copy(db.data_dir().join("secret.key"), to.join("secret.key"))
                .expect("copy the key file");
        }
    }
}

/// Restores the backup in `from` into a new, empty database and data folder.
fn restore(backend: Backend, from: &Path) -> TestDatabase {
    let db = TestDatabase::create(backend);
    match backend {
        Backend::Sqlite => {
            let archive = from.join("undersigned-backup.tar");
            let output = run(
                &db,
                &["restore", "--from", &archive.to_string_lossy()],
                None,
            );
            succeeded("undersigned restore", &output);
            // Restore never overwrites: a second run is refused and changes nothing.
            let again = run(
                &db,
                &["restore", "--from", &archive.to_string_lossy()],
                None,
            );
            assert!(!again.status.success());
            assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
        }
        Backend::Postgres => {
            let output = Command::new("pg_restore")
                .args(["--no-owner", "--dbname"])
                .arg(&db.url)
                .arg(from.join("undersigned.dump"))
                .output()
                .expect("pg_restore runs");
            succeeded("pg_restore", &output);
            std::fs::create_dir_all(db.data_dir()).unwrap();
            std::fs::copy(from.join("secret.key"), db.data_dir().join("secret.key"))
                .expect("put the key file back");
        }
    }
    db
}

/// The decision of every invitation of a letter, by organization.
async fn decisions(app: &TestApp, token: &str, letter: &str) -> Vec<(String, String)> {
    let listed = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{letter}/invitations"),
            token,
            None,
        )
        .await;
    let mut decisions: Vec<(String, String)> = listed["invitations"]
        .as_array()
        .expect("a list of invitations")
        .iter()
        .map(|i| {
            (
                i["organization"].as_str().unwrap().to_string(),
                i["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    decisions.sort();
    decisions
}

async fn a_backup_taken_while_partners_sign_restores_every_acknowledged_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;

    // A released letter, whose signed list must come back exactly.
    let released = NewLetter::new()
        .with("title", "Release the detained journalists")
        .organizations(&[
            ("Lead Rights Watch", "lead"),
            ("Press Freedom Now", "supporting"),
        ])
        .create(&app, &admin)
        .await;
    answer(&app, "Lead Rights Watch", "sign").await;
    answer(&app, "Press Freedom Now", "sign").await;
    release_now(&app, &admin, &released.id).await;
    let published: Value = app
        .get(&format!("/letters/{}.json", released.slug))
        .await
        .json()
        .await
        .unwrap();
    let first_revision: Value = app
        .get(&format!("/letters/{}/revisions/1.json", released.slug))
        .await
        .json()
        .await
        .unwrap();
    assert!(verifies(&app, &first_revision).await);

    // An open letter that partners are signing while the backup is taken.
    let partners: Vec<String> = (0..PARTNERS)
        .map(|i| format!("Partner Group {i:02}"))
        .collect();
    let supporting: Vec<(&str, &str)> = partners
        .iter()
        .map(|p| (p.as_str(), "supporting"))
        .collect();
    let open = NewLetter::new()
        .with("title", "Protect the river defenders")
        .organizations(&supporting)
        .create(&app, &admin)
        .await;
    let (before, during) = partners.split_at(PARTNERS / 2);
    for partner in before {
        answer(&app, partner, "sign").await;
    }

    let folder = tempfile::tempdir().unwrap();
    let database = std::sync::Arc::clone(&app.database);
    let backup_folder: PathBuf = folder.path().to_path_buf();
    let backup = tokio::task::spawn_blocking(move || take_backup(&database, &backup_folder));
    let signing = futures_util::stream::iter(during)
        .map(|partner| {
            let app = &app;
            async move {
                let (status, page) = try_answer(app, partner, "sign").await;
                assert_eq!(status, StatusCode::SEE_OTHER, "{partner}: {page}");
            }
        })
        .buffer_unordered(4)
        .collect::<Vec<()>>();
    let (backup, _) = tokio::join!(backup, signing);
    backup.expect("the backup finished");

    let restored_db = restore(backend, folder.path());
    let restored = TestApp::on(restored_db, &[]).await;
    let restored_admin = restored.admin_token_of("admin@example.org");

    // Every answer acknowledged before the backup began is there; those sent during it are
    // there whole or not at all.
    let decisions = decisions(&restored, &restored_admin, &open.id).await;
    assert_eq!(decisions.len(), PARTNERS);
    for (organization, status) in &decisions {
        if before.contains(organization) {
            assert_eq!(status, "signed", "{organization} signed before the backup");
        } else {
            assert!(
                ["signed", "queued", "sent", "opened"].contains(&status.as_str()),
                "{organization}: {status}"
            );
        }
    }

    // The released letter is published as it was, and its manifest verifies with the key the
    // restored installation publishes.
    let republished: Value = restored
        .get(&format!("/letters/{}.json", released.slug))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(republished["content_sha256"], published["content_sha256"]);
    assert_eq!(republished["signatories"], published["signatories"]);
    let revision: Value = restored
        .get(&format!("/letters/{}/revisions/1.json", released.slug))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(revision["manifest"], first_revision["manifest"]);
    assert!(verifies(&restored, &revision).await);

    // Sign links sent before the backup still open the same invitations after the restore.
    let (status, _) = try_answer(&restored, &during[0], "sign").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_damaged_backup_is_refused_and_restores_nothing() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    NewLetter::new()
        .organizations(&[("Lead Rights Watch", "lead")])
        .create(&app, &admin)
        .await;
    let folder = tempfile::tempdir().unwrap();
    take_backup(&app.database, folder.path());
    let archive = std::fs::read(folder.path().join("undersigned-backup.tar")).unwrap();

    let cut = folder.path().join("cut.tar");
    std::fs::write(&cut, &archive[..archive.len() / 2]).unwrap();
    let flipped = folder.path().join("flipped.tar");
    let mut bytes = archive.clone();
    // A byte inside the database copy (after the manifest's header and block).
    bytes[4096] ^= 0x55;
    std::fs::write(&flipped, &bytes).unwrap();
    let other = folder.path().join("notes.tar");
    std::fs::write(&other, b"not an archive at all").unwrap();

    for (file, reason) in [
        (&cut, "cut off"),
        (&flipped, "does not match its checksum"),
        (&other, "not an Undersigned backup"),
    ] {
        let db = TestDatabase::create(Backend::Sqlite);
        let output = run(&db, &["restore", "--from", &file.to_string_lossy()], None);
        assert!(!output.status.success(), "{reason}");
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(said.contains(reason), "{reason}: {said}");
        let left: Vec<_> = std::fs::read_dir(db.data_dir())
            .map(|entries| entries.map(|e| e.unwrap().file_name()).collect())
            .unwrap_or_default();
        assert!(
            !left
                .iter()
                .any(|name| name.to_string_lossy().contains("test.db")),
            "{reason}: {left:?}"
        );
    }
}

#[tokio::test]
async fn on_postgres_backup_points_to_pg_dump() {
    if !crate::support::postgres_available() {
        return;
    }
    let db = TestDatabase::create(Backend::Postgres);
    let folder = tempfile::tempdir().unwrap();
    let to = folder.path().join("b.tar");
    let output = run(&db, &["backup", "--to", &to.to_string_lossy()], None);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("pg_dump"));
    assert!(!to.exists());
}

#[test]
fn backup_and_export_of_a_missing_database_are_refused_and_create_nothing() {
    let db = TestDatabase::create(Backend::Sqlite);
    let folder = tempfile::tempdir().unwrap();
    for (command, file) in [("backup", "b.tar"), ("export", "e.jsonl")] {
        let to = folder.path().join(file);
        let output = run(&db, &[command, "--to", &to.to_string_lossy()], None);
        assert!(!output.status.success(), "{command}");
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(said.contains("there is no database"), "{command}: {said}");
        assert!(!to.exists());
        assert!(!db.data_dir().exists(), "{command} created the data folder");
    }
}

#[tokio::test]
async fn copies_never_replace_the_installation_nor_change_it() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let db = &app.database;
    let database = db.data_dir().join("test.db");
    let secret = db.data_dir().join("secret.key");
    let (database_before, secret_before) = (
        std::fs::metadata(&database).unwrap().len(),
        std::fs::read(&secret).unwrap(),
    );
    // Neither the database, its journal files nor the secret can be the copy.
    for target in [&database, &secret, &db.data_dir().join("test.db-wal")] {
        for command in ["backup", "export"] {
            let output = run(db, &[command, "--to", &target.to_string_lossy()], None);
            assert!(
                !output.status.success(),
                "{command} --to {}",
                target.display()
            );
            let said = String::from_utf8_lossy(&output.stderr);
            assert!(said.contains("the installation's own files"), "{said}");
        }
    }
    assert_eq!(std::fs::read(&secret).unwrap(), secret_before);
    assert!(std::fs::metadata(&database).unwrap().len() >= database_before);

    // A copy is private to its owner.
    let folder = tempfile::tempdir().unwrap();
    for (command, file) in [("backup", "b.tar"), ("export", "e.jsonl")] {
        let to = folder.path().join(file);
        let output = run(db, &[command, "--to", &to.to_string_lossy()], None);
        assert!(output.status.success(), "{command}");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&to).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{command}");
    }
    assert_eq!(
        std::fs::read_dir(folder.path()).unwrap().count(),
        2,
        "no partial file is left"
    );

    // A newer binary does not migrate the database it copies: a database whose schema is
    // older than the binary's is refused (here, one migration marked as not applied).
    app.in_database(|conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query(
            "DELETE FROM __diesel_schema_migrations WHERE version = \
             (SELECT MAX(version) FROM __diesel_schema_migrations)",
        )
        .execute(conn)
        .unwrap();
    })
    .await;
    for (command, file) in [("backup", "c.tar"), ("export", "f.jsonl")] {
        let to = folder.path().join(file);
        let output = run(db, &[command, "--to", &to.to_string_lossy()], None);
        assert!(!output.status.success(), "{command}");
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(said.contains("older schema"), "{command}: {said}");
        assert!(!to.exists());
    }

    // A copy run where the secret is not finds no installation and creates none.
    let elsewhere = TestDatabase::create(Backend::Sqlite);
    std::fs::create_dir_all(elsewhere.data_dir()).unwrap();
    std::fs::copy(&database, elsewhere.data_dir().join("test.db")).unwrap();
    let output = run(
        &elsewhere,
        &[
            "backup",
            "--to",
            &folder.path().join("g.tar").to_string_lossy(),
        ],
        None,
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("secret.key does not exist"));
    assert!(!elsewhere.data_dir().join("secret.key").exists());
}

#[tokio::test]
async fn restore_refuses_a_leftover_journal_of_another_database() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let folder = tempfile::tempdir().unwrap();
    take_backup(&app.database, folder.path());
    let db = TestDatabase::create(Backend::Sqlite);
    std::fs::create_dir_all(db.data_dir()).unwrap();
    std::fs::write(db.data_dir().join("test.db-wal"), b"left over").unwrap();
    let archive = folder.path().join("undersigned-backup.tar");
    let output = run(
        &db,
        &["restore", "--from", &archive.to_string_lossy()],
        None,
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("test.db-wal exists"));
    assert!(!db.data_dir().join("test.db").exists());
}
