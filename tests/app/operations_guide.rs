//! The operator's guide, docs/OPERATIONS.md, run as written: every `undersigned`, `pg_dump`,
//! `pg_restore` and `openssl` line of its shell blocks is run here, taken from the guide itself,
//! with only the machine's paths, addresses and date put in (backup, restore, the check of a
//! backup with `serve --no-worker`, migrate, export, import into PostgreSQL, `pg_dump` and
//! `pg_restore`). The other lines administer the host (users, systemd, moving files) and are
//! listed by name: a line of any other kind fails the test until a test runs it. The systemd
//! units' `ExecStart=` commands must be commands the binary accepts.

use std::collections::BTreeSet;
use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::Value;
use undersigned::domain::Role;

use crate::support::letters::{NewLetter, release_now};
use crate::support::manifests::verifies;
use crate::support::partners::answer;
use crate::support::processes::shell;
use crate::support::{Backend, TestApp, TestDatabase, postgres_available};

/// Programs of the guide's shell lines that administer the host; no test runs them.
const HOST_COMMANDS: &[&str] = &[
    "useradd",
    "install",
    "systemctl",
    "journalctl",
    "sudo",
    "cd",
    "set",
    ".",
    "mkdir",
    "mv",
    "rm",
    "curl",
];

/// The guide's shell lines, in order.
fn shell_lines(guide: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_shell = false;
    for line in guide.lines() {
        if line.starts_with("```") {
            in_shell = line == "```sh";
            continue;
        }
        if in_shell && !line.trim().is_empty() {
            lines.push(line.to_string());
        }
    }
    lines
}

/// The program a line runs, after any `NAME=value` assignments.
fn program(line: &str) -> &str {
    line.split_whitespace()
        .find(|word| !word.contains('='))
        .unwrap_or("")
}

/// The guide's lines taken by the test, so that it can tell which were not.
struct Guide {
    lines: Vec<String>,
    used: BTreeSet<String>,
}

impl Guide {
    fn read() -> Self {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/OPERATIONS.md"))
                .expect("docs/OPERATIONS.md");
        Self {
            lines: shell_lines(&text),
            used: BTreeSet::new(),
        }
    }

    /// The first line that starts with `start`, marked as run.
    fn line(&mut self, start: &str) -> String {
        let line = self
            .lines
            .iter()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("the guide has no line starting with {start:?}"))
            .clone();
        self.used.insert(line.clone());
        line
    }
}

fn succeeded(line: &str, output: &Output) -> String {
    assert!(
        output.status.success(),
        "`{line}` failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

/// A free port of 127.0.0.1.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The letter as the public sees it, with whether its release verifies.
async fn published(app: &TestApp, slug: &str) -> (Value, bool) {
    let letter: Value = app
        .get(&format!("/letters/{slug}.json"))
        .await
        .json()
        .await
        .unwrap();
    let revision: Value = app
        .get(&format!("/letters/{slug}/revisions/1.json"))
        .await
        .json()
        .await
        .unwrap();
    (
        letter["signatories"].clone(),
        verifies(app, &revision).await,
    )
}

#[tokio::test]
async fn every_command_of_the_operators_guide_runs_as_written() {
    if !postgres_available() {
        return;
    }
    let mut guide = Guide::read();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let letter = NewLetter::new()
        .with("title", "Free the imprisoned lawyers")
        .organizations(&[("Lead Lawyers Guild", "lead"), ("Bar Watch", "supporting")])
        .create(&app, &admin)
        .await;
    answer(&app, "Lead Lawyers Guild", "sign").await;
    answer(&app, "Bar Watch", "sign").await;
    release_now(&app, &admin, &letter.id).await;
    let (signatories, signed) = published(&app, &letter.slug).await;
    assert!(signed);
    let sqlite = &app.database;
    let backups = tempfile::tempdir().unwrap();
    let backups_dir = backups.path().display().to_string();
    let secret_key = sqlite.data_dir().join("secret.key");

    // Backups and restore (SQLite), while the service runs.
    let backup = guide
        .line("undersigned backup --to /var/backups/undersigned/")
        .replace("/var/backups/undersigned", &backups_dir);
    let said = succeeded(&backup, &shell(sqlite, &backup).output().unwrap());
    assert!(said.contains("Backed up"), "{said}");
    let restore = guide
        .line("undersigned restore --from /var/backups/undersigned/")
        .replace("/var/backups/undersigned", &backups_dir)
        .replace("2026-12-01", &today());
    let restored = TestDatabase::create(Backend::Sqlite);
    succeeded(&restore, &shell(&restored, &restore).output().unwrap());
    let restored = TestApp::on(restored, &[]).await;
    assert_eq!(
        published(&restored, &letter.slug).await,
        (signatories.clone(), true)
    );

    // Checking a backup: restored into a scratch folder and served without a worker.
    let scratch = TestDatabase::create(Backend::Sqlite);
    succeeded(&restore, &shell(&scratch, &restore).output().unwrap());
    let port = free_port();
    let serve = guide
        .line("UNDERSIGNED_SERVER__LISTEN=127.0.0.1:8090 undersigned serve --no-worker")
        .replace("8090", &port.to_string());
    let mut server = shell(&scratch, &serve)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let index = loop {
        if let Ok(answer) = reqwest::get(format!("http://127.0.0.1:{port}/letters")).await {
            break answer.text().await.unwrap();
        }
        assert!(Instant::now() < deadline, "`{serve}` did not answer");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let _ = server.kill();
    let _ = server.wait();
    assert!(index.contains("Free the imprisoned lawyers"), "{index}");

    // Upgrades: migrations applied on their own.
    let migrate = guide.line("undersigned migrate");
    let said = succeeded(&migrate, &shell(sqlite, &migrate).output().unwrap());
    assert!(said.contains("up to date"), "{said}");

    // Moving to PostgreSQL: export, the key file copied, import.
    let export = guide.line("undersigned export --to ");
    succeeded(&export, &shell(sqlite, &export).output().unwrap());
    let moved = TestDatabase::create(Backend::Postgres);
    std::fs::create_dir_all(moved.data_dir()).unwrap();
    std::fs::copy(&secret_key, moved.data_dir().join("secret.key")).unwrap();
    std::fs::copy(
        sqlite.dir.path().join("undersigned-export.jsonl"),
        moved.dir.path().join("undersigned-export.jsonl"),
    )
    .unwrap();
    let import = guide
        .line("UNDERSIGNED_DATABASE__URL=postgres://undersigned@db.example.org/undersigned undersigned import")
        .replace("postgres://undersigned@db.example.org/undersigned", &format!("'{}'", moved.url));
    let said = succeeded(&import, &shell(&moved, &import).output().unwrap());
    assert!(said.contains("Imported"), "{said}");

    // Backups on PostgreSQL: pg_dump of the moved database, pg_restore into a new one.
    let dump = guide.line("pg_dump ");
    succeeded(&dump, &shell(&moved, &dump).output().unwrap());
    let target = TestDatabase::create(Backend::Postgres);
    let new_url = guide.line("NEW_DATABASE_URL=").replace(
        "postgres://undersigned@db.example.org/undersigned_restored",
        &format!("'{}'", target.url),
    );
    let pg_restore = guide.line("pg_restore ");
    let both = format!("{new_url}\n{pg_restore}");
    succeeded(&both, &shell(&moved, &both).output().unwrap());
    std::fs::create_dir_all(target.data_dir()).unwrap();
    std::fs::copy(&secret_key, target.data_dir().join("secret.key")).unwrap();
    let on_postgres = TestApp::on(target, &[]).await;
    assert_eq!(
        published(&on_postgres, &letter.slug).await,
        (signatories, true)
    );

    // A shared secret for several instances.
    let generate = guide.line("openssl rand -hex 32");
    let secret = succeeded(&generate, &shell(sqlite, &generate).output().unwrap());
    let secret = secret.trim();
    assert!(secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit()));

    // Every other line administers the host; nothing is left that no test runs.
    let untested: Vec<&String> = guide
        .lines
        .iter()
        .filter(|line| !guide.used.contains(*line))
        .filter(|line| !HOST_COMMANDS.contains(&program(line)))
        .collect();
    assert!(
        untested.is_empty(),
        "lines of docs/OPERATIONS.md that no test runs: {untested:#?}"
    );
}

#[test]
fn the_guides_systemd_units_start_commands_the_binary_accepts() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/OPERATIONS.md"))
        .unwrap();
    let mut checked = 0;
    for line in text.lines().filter(|l| l.starts_with("ExecStart=")) {
        let Some(rest) = line.split("/usr/local/bin/undersigned ").nth(1) else {
            continue;
        };
        let args: Vec<&str> = rest
            .split_whitespace()
            .take_while(|a| a.starts_with('-') || a.chars().all(|c| c.is_ascii_lowercase()))
            .filter(|a| !a.starts_with("--to"))
            .collect();
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_undersigned"))
            .args(&args)
            .arg("--help")
            .output()
            .unwrap();
        assert!(output.status.success(), "{line}: {args:?}");
        checked += 1;
    }
    assert!(checked >= 3, "serve, worker and backup units: {checked}");
}
