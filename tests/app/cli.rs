//! The `undersigned` binary as an operator uses it: help, migrate, admin accounts and tokens,
//! invalid settings, and `serve` with its logs and graceful stop.

use std::process::Command;

use diesel::prelude::*;
use undersigned::crypto::sha256_hex;
use undersigned::db::{Database, schema::api_tokens};

use crate::storage_test;
use crate::support::processes::{Process, command, run};
use crate::support::{Backend, TestDatabase};

storage_test!(
    migrate_then_admin_create_then_token,
    admin_create_refuses_bad_input_and_changes_nothing,
    serve_logs_request_ids_redacts_sign_tokens_and_stops_on_sigterm,
    demo_loads_a_letter_with_invitations_and_answers,
);

/// Output of the binary as text, invalid UTF-8 replaced.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_command_has_help() {
    let db_less = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_undersigned"))
            .args(args)
            .output()
            .unwrap()
    };
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["worker", "--help"],
        &["admin", "--help"],
        &["admin", "create", "--help"],
        &["admin", "token", "--help"],
        &["admin", "reset-password", "--help"],
        &["backup", "--help"],
        &["restore", "--help"],
        &["export", "--help"],
        &["import", "--help"],
    ] {
        let output = db_less(args);
        assert!(output.status.success(), "{args:?}");
        assert!(
            text(&output.stdout).contains("Usage: undersigned"),
            "{args:?}"
        );
    }
    let help = text(&db_less(&["admin", "create", "--help"]).stdout);
    assert!(
        help.contains("--password-stdin") && help.contains("--email") && help.contains("--name")
    );
}

#[test]
fn an_invalid_setting_stops_with_its_key() {
    let db = TestDatabase::create(Backend::Sqlite);
    let output = command(&db, &["migrate"])
        .env("UNDERSIGNED_SERVER__BASE_URL", "ftp://nowhere")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("server.base_url"),
        "{}",
        text(&output.stderr)
    );

    let output = command(&db, &["migrate"])
        .env(
            "UNDERSIGNED_SERVER__TRUSTED_PROXIES",
            "10.0.0.0/8, proxy.internal",
        )
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("server.trusted_proxies"),
        "{}",
        text(&output.stderr)
    );

    let output = command(&db, &["migrate"])
        .env("UNDERSIGNED_DATABASE__POOL_SIZE", "lots")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("pool_size"),
        "{}",
        text(&output.stderr)
    );
    assert!(
        !db.dir.path().join("data/test.db").exists(),
        "nothing was created"
    );
}

#[test]
fn with_nothing_set_it_creates_its_sqlite_database_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .arg("migrate")
        .current_dir(dir.path())
        .env_remove("UNDERSIGNED_DATABASE__URL")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("sqlite database is up to date"));
    assert!(dir.path().join("data/undersigned.db").exists());
}

async fn migrate_then_admin_create_then_token(backend: Backend) {
    let db = TestDatabase::create(backend);
    let migrate = run(&db, &["migrate"], None);
    assert!(migrate.status.success(), "{}", text(&migrate.stderr));

    let create = run(
        &db,
        &[
            "admin",
            "create",
            "--email",
            "Ada@Example.org",
            "--name",
            "Ada Admin",
            "--password-stdin",
        ],
        Some("correct horse battery staple 42\n"),
    );
    assert!(create.status.success(), "{}", text(&create.stderr));
    assert!(text(&create.stdout).contains("ada@example.org"));

    let token = run(&db, &["admin", "token", "--email", "ada@example.org"], None);
    assert!(
        token.status.success(),
        "{:?}: {}",
        token.status,
        text(&token.stderr)
    );
    let stdout = text(&token.stdout);
    let raw = stdout.lines().last().unwrap().trim().to_string();
    assert!(raw.starts_with("ust_") && raw.len() > 40, "{raw}");

    // Only the token's SHA-256 is stored, never the token.
    let settings = db.settings(&[]);
    let database =
        Database::connect(settings.database_target().unwrap(), &settings.database).unwrap();
    let mut conn = database.get().unwrap();
    let hashes: Vec<String> = api_tokens::table
        .select(api_tokens::token_hash)
        .load(&mut conn)
        .unwrap();
    assert_eq!(hashes, vec![sha256_hex(&raw)]);

    let stored_hash: String = undersigned::db::schema::users::table
        .select(undersigned::db::schema::users::password_hash)
        .first(&mut conn)
        .unwrap();
    assert!(stored_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));

    // An account made at the console is in the audit trail like one made on the page.
    let (actor, action): (String, String) = undersigned::db::schema::audit_events::table
        .select((
            undersigned::db::schema::audit_events::actor,
            undersigned::db::schema::audit_events::action,
        ))
        .first(&mut conn)
        .unwrap();
    assert_eq!(
        (actor.as_str(), action.as_str()),
        ("command line", "account.created")
    );

    let unknown = run(
        &db,
        &["admin", "token", "--email", "nobody@example.org"],
        None,
    );
    assert!(!unknown.status.success());
    assert!(
        text(&unknown.stderr).contains("no account"),
        "{}",
        text(&unknown.stderr)
    );
}

async fn admin_create_refuses_bad_input_and_changes_nothing(backend: Backend) {
    let db = TestDatabase::create(backend);
    let create = |email: &str, password: &str| {
        run(
            &db,
            &[
                "admin",
                "create",
                "--email",
                email,
                "--name",
                "Ada",
                "--password-stdin",
            ],
            Some(password),
        )
    };
    let short = create("ada@example.org", "short\n");
    assert!(!short.status.success());
    assert!(
        text(&short.stderr).contains("at least 12 characters"),
        "{}",
        text(&short.stderr)
    );

    let bad_email = create("not-an-email", "correct horse battery staple\n");
    assert!(!bad_email.status.success());
    assert!(
        text(&bad_email.stderr).contains("--email"),
        "{}",
        text(&bad_email.stderr)
    );

    let missing_flag = run(
        &db,
        &["admin", "create", "--email", "a@example.org", "--name", "A"],
        None,
    );
    assert!(!missing_flag.status.success());
    assert!(text(&missing_flag.stderr).contains("--password-stdin"));

    assert!(
        create("ada@example.org", "correct horse battery staple\n")
            .status
            .success()
    );
    let twice = create("ADA@example.org", "another long password\n");
    assert!(!twice.status.success());
    assert!(
        text(&twice.stderr).contains("already exists"),
        "{}",
        text(&twice.stderr)
    );
}

async fn serve_logs_request_ids_redacts_sign_tokens_and_stops_on_sigterm(backend: Backend) {
    let db = TestDatabase::create(backend);
    let server = Process::serve(&db, &[], &[]);
    let base = server.base();
    let token = "Zm9yZ2VkLXNpZ24tbGluay10b2tlbi10aGF0LW11c3Qtbm90LWxlYWs";

    let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200);
    let request_id = ready.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let sign = reqwest::get(format!("{base}/sign/{token}?again={token}"))
        .await
        .unwrap();
    assert!(sign.status().is_client_error());

    let (clean_exit, log) = server.stop();
    assert!(clean_exit, "SIGTERM stops the server gracefully:\n{log}");
    assert!(
        log.contains("graceful shutdown") && log.contains("stopped"),
        "{log}"
    );
    assert!(!log.contains(token), "a sign token reached the log:\n{log}");
    assert!(log.contains("/sign/[redacted]"), "{log}");
    let readyz_line = log
        .lines()
        .find(|l| l.contains("/readyz"))
        .expect("an access line");
    assert!(
        readyz_line.contains(&request_id)
            && readyz_line.contains("status=200")
            && readyz_line.contains("client=127.0.0.1")
            && readyz_line.contains("scheme=http"),
        "{readyz_line}"
    );
}

/// Logs a fresh browser in to the server at `base` through the login form; the answer's status.
async fn logs_in(base: &str, email: &str, password: &str) -> reqwest::StatusCode {
    let browser = crate::support::browsers::browser();
    let page = browser
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::support::forms::csrf_of(&page);
    browser
        .post(format!("{base}/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
        .status()
}

/// The value printed after `label` on a line of the demo's output.
fn printed(output: &str, label: &str) -> String {
    output
        .lines()
        .find_map(|line| line.trim().strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label} in {output}"))
        .trim()
        .to_string()
}

async fn demo_loads_a_letter_with_invitations_and_answers(backend: Backend) {
    let db = TestDatabase::create(backend);
    let demo = run(&db, &["demo"], None);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    let output = text(&demo.stdout);
    assert!(output.contains("17 invited organizations"), "{output}");
    // The login it prints works; a second run sets a new password, and the old one stops.
    let email = printed(&output, "email:");
    let first_password = printed(&output, "password:");
    assert_eq!(email, "demo-admin@example.org");

    use undersigned::db::schema::{invitations, letters};
    let settings = db.settings(&[]);
    let database =
        Database::connect(settings.database_target().unwrap(), &settings.database).unwrap();
    let mut conn = database.get().unwrap();
    let title: String = letters::table
        .select(letters::title)
        .first(&mut conn)
        .unwrap();
    assert_eq!(
        title,
        "Joint Letter to the UN Secretary-General on Detained Defenders in Valdoria"
    );
    let rows: Vec<(String, String, String)> = invitations::table
        .select((
            invitations::display_name,
            invitations::tier,
            invitations::status,
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(rows.len(), 17);
    assert_eq!(rows.iter().filter(|(_, tier, _)| tier == "lead").count(), 5);
    assert_eq!(
        rows.iter()
            .filter(|(_, _, status)| status == "signed")
            .count(),
        7
    );
    assert_eq!(
        rows.iter()
            .filter(|(_, _, status)| status == "declined")
            .count(),
        2
    );
    for name in [
        "Fédération exemple – Droits humains sans frontières",
        "Правозащитная сеть «Пример»",
        "مركز الحقوق المدنية",
        "香港人權示例聯盟",
    ] {
        assert!(rows.iter().any(|(n, _, _)| n == name), "{name} is invited");
    }
    let again = text(&run(&db, &["demo"], None).stdout);
    let second_password = printed(&again, "password:");
    assert_ne!(first_password, second_password);
    let server = Process::serve(&db, &[], &[]);
    let base = server.base();
    assert_eq!(
        logs_in(&base, &email, &second_password).await,
        reqwest::StatusCode::SEE_OTHER,
        "the printed login works"
    );
    assert_eq!(
        logs_in(&base, &email, &first_password).await,
        reqwest::StatusCode::UNAUTHORIZED
    );
    // An operator resets a password from the console.
    let reset = run(
        &db,
        &[
            "admin",
            "reset-password",
            "--email",
            &email,
            "--password-stdin",
        ],
        Some("a new passphrase for the demo\n"),
    );
    assert!(reset.status.success(), "{}", text(&reset.stderr));
    assert_eq!(
        logs_in(&base, &email, "a new passphrase for the demo").await,
        reqwest::StatusCode::SEE_OTHER
    );
    let unknown = run(
        &db,
        &[
            "admin",
            "reset-password",
            "--email",
            "nobody@example.org",
            "--password-stdin",
        ],
        Some("a new passphrase for nobody\n"),
    );
    assert!(!unknown.status.success());
    assert!(
        text(&unknown.stderr).contains("no account has this email address"),
        "{}",
        text(&unknown.stderr)
    );
    drop(server);
}
