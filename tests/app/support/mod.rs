//! The test harness: a fresh database per test (an SQLite file in a temporary folder, or a new
//! PostgreSQL database on the local server), the real app started on it on port 0, and the
//! `storage_test!` macro that runs a test once on each backend.
//!
//! Every helper the tests share lives in this folder, one file per subject: the JSON API
//! (`api`), browsers (`browsers`, and a real Chromium in `chromium`, with axe-core's checks in `axe`), forms and their fields
//! (`forms`), letters (`letters`), invitations (`invitations`), partners answering through
//! their sign links (`partners`) and the sign page's confirmation steps (`sign_pages`), property-test settings (`proptest_cases`), the mail worker
//! (`workers`), the SMTP server (`smtp`), published manifests (`manifests`), markup that could
//! run (`markup`), spreadsheets read back (`sheets`), `pdftotext` (`pdf_tools`) and the binary
//! (`processes`).
//! Test modules use these and never one another.

#![allow(dead_code)] // each test module uses a different part of the harness

use std::collections::HashMap;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use diesel::{Connection, PgConnection, RunQueryDsl};
use tempfile::TempDir;
use undersigned::app::Context;
use undersigned::clock::Clock;
use undersigned::config::Settings;
use undersigned::startup::Application;

pub mod accounts;
pub mod address_book;
pub mod api;
pub mod axe;
pub mod browsers;
pub mod chromium;
pub mod crowded;
pub mod forms;
pub mod invitations;
pub mod letters;
pub mod manifests;
pub mod markup;
pub mod partners;
pub mod pdf_tools;
pub mod processes;
pub mod proptest_cases;
pub mod sheets;
pub mod sign_on;
pub mod sign_pages;
pub mod sized_browser;
pub mod smtp;
pub mod webhook_receiver;
pub mod workers;

/// The password of every account the tests create.
pub const PASSWORD: &str = "a long enough password";

/// A server on this machine: no TLS. libpq would otherwise negotiate it (`sslmode=prefer`, and
/// Debian's PostgreSQL offers it on 127.0.0.1): a handshake for each of the thousands of
/// connections the tests open, and OpenSSL's clean-up at the test process's exit racing the
/// pools' threads still closing connections (a SIGSEGV after every test had passed, once).
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named `async fn name(backend: Backend)` as two tests, `name::sqlite` and
/// `name::postgres`. The PostgreSQL half is skipped with a notice when no server answers,
/// unless `UNDERSIGNED_TEST_REQUIRE_POSTGRES=1`.
#[macro_export]
macro_rules! storage_test {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::support::Backend::Sqlite).await
            }

            #[tokio::test]
            async fn postgres() {
                if $crate::support::postgres_available() {
                    super::$name($crate::support::Backend::Postgres).await
                }
            }
        }
    )+};
}

/// The server PostgreSQL test databases are created on (its `postgres` database).
fn postgres_admin_url() -> String {
    std::env::var("UNDERSIGNED_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.into())
}

/// Whether the PostgreSQL half of storage tests can run; tells once, loudly, when it cannot.
pub fn postgres_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        let url = postgres_admin_url();
        let error = match PgConnection::establish(&url) {
            Ok(_) => return true,
            Err(error) => error,
        };
        let required = std::env::var("UNDERSIGNED_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
        if required {
            panic!("PostgreSQL is required (UNDERSIGNED_TEST_REQUIRE_POSTGRES=1) but {url} refused: {error}");
        }
        // Written past the test harness's capture, so that it shows in `cargo test` output.
        let _ = writeln!(
            std::io::stderr(),
            "\nNOTICE: PostgreSQL is not reachable at {url} ({error}).\n\
             The PostgreSQL half of every storage test is SKIPPED; only SQLite was tested.\n\
             Start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`\n\
             (or `apt-get install postgresql`), or point UNDERSIGNED_TEST_POSTGRES_URL at a server.\n\
             UNDERSIGNED_TEST_REQUIRE_POSTGRES=1 turns this skip into a failure.\n"
        );
        false
    })
}

/// A fresh, empty database for one test, removed again when dropped.
pub struct TestDatabase {
    /// Dropping it removes the database.
    pub backend: Backend,
    pub url: String,
    /// The working folder of the test: the data folder and the SQLite file live in it.
    pub dir: TempDir,
    postgres_name: Option<String>,
}

impl TestDatabase {
    /// A new, empty database on this backend (nothing migrated yet).
    pub fn create(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("data/test.db").display());
                Self {
                    backend,
                    url,
                    dir,
                    postgres_name: None,
                }
            }
            Backend::Postgres => {
                let name = format!("undersigned_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = PgConnection::establish(&postgres_admin_url())
                    .expect("PostgreSQL answered a moment ago");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create a test database");
                let mut url = url::Url::parse(&postgres_admin_url()).expect("a PostgreSQL URL");
                url.set_path(&name);
                Self {
                    backend,
                    url: url.to_string(),
                    dir,
                    postgres_name: Some(name),
                }
            }
        }
    }

    /// The app's data folder (the SQLite file, the server secret, `.eml` files).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Settings for this database, the data folder in the temporary folder, and any overrides
    /// given as `UNDERSIGNED_…` variables.
    pub fn settings(&self, overrides: &[(&str, &str)]) -> Settings {
        let mut env: HashMap<String, String> = HashMap::from([
            ("UNDERSIGNED_DATABASE__URL".into(), self.url.clone()),
            (
                "UNDERSIGNED_STORAGE__DATA_DIR".into(),
                self.data_dir().display().to_string(),
            ),
            ("UNDERSIGNED_SERVER__WORKERS".into(), "1".into()),
            ("UNDERSIGNED_DATABASE__POOL_SIZE".into(), "4".into()),
            ("UNDERSIGNED_LOG__FILTER".into(), "warn".into()),
        ]);
        env.extend(
            overrides
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        Settings::load_with(Path::new("/nonexistent/local.toml"), env).expect("test settings")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(name) = &self.postgres_name
            && let Ok(mut admin) = PgConnection::establish(&postgres_admin_url())
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
}

/// The real application, serving on a free port of 127.0.0.1 over a fresh database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub context: Context,
    pub clock: Clock,
    /// Shared with the other instances started on it (`another_instance`); removed when the
    /// last of them is dropped.
    pub database: Arc<TestDatabase>,
    /// `http://127.0.0.1:{port}` of the metrics listener, when `metrics.listen` was set.
    pub metrics_address: Option<String>,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    /// The app on a fresh database, with settings overridden as `UNDERSIGNED_…` variables.
    pub async fn spawn_with(backend: Backend, overrides: &[(&str, &str)]) -> Self {
        Self::start_on(Arc::new(TestDatabase::create(backend)), overrides).await
    }

    /// Another instance of the app on this one's database and data folder (so the same server
    /// secret), as several instances share one PostgreSQL database in production: its own
    /// port, pool, clock and process-local state. Give it the same overrides as the first.
    pub async fn another_instance(&self, overrides: &[(&str, &str)]) -> Self {
        Self::start_on(Arc::clone(&self.database), overrides).await
    }

    /// The app on a database that already holds an installation (a restored backup, an
    /// import), with settings overridden as `UNDERSIGNED_…` variables.
    pub async fn on(database: TestDatabase, overrides: &[(&str, &str)]) -> Self {
        Self::start_on(Arc::new(database), overrides).await
    }

    /// Starts the app, without its mail worker, on a free port over this database.
    async fn start_on(database: Arc<TestDatabase>, overrides: &[(&str, &str)]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let address = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let mut all = vec![("UNDERSIGNED_SERVER__BASE_URL", address.as_str())];
        all.extend_from_slice(overrides);
        let settings = database.settings(&all);
        let clock = Clock::system();
        // Tests that deliver email start their own worker (`tests/app/mail.rs`), so that the
        // others see their jobs stay in the queue.
        let application = Application::build_on(listener, settings, clock.clone())
            .await
            .expect("the application starts")
            .without_worker();
        let context = application.context().clone();
        let metrics_address = application
            .metrics_port()
            .map(|port| format!("http://127.0.0.1:{port}"));
        tokio::spawn(application.run_until_stopped());
        let client = browsers::browser();
        Self {
            address,
            client,
            context,
            clock,
            database,
            metrics_address,
        }
    }

    /// The absolute URL of a path on this app.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// GETs a path with this app's browser.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }
}

impl TestApp {
    /// Creates an account with this role and returns a fresh API token for it.
    pub async fn api_token(&self, email: &str, role: undersigned::domain::Role) -> String {
        use undersigned::app::accounts::{self, NewAccount};
        use undersigned::domain::{EmailAddress, Password, PersonName};
        let clock = self.clock.clone();
        let email = EmailAddress::parse(email).unwrap();
        self.context
            .db
            .run(move |conn| {
                let account = NewAccount {
                    email: email.clone(),
                    name: PersonName::parse("Test Person").unwrap(),
                    password: Password::parse(PASSWORD).unwrap(),
                    role,
                };
                accounts::create_account(
                    conn,
                    &clock,
                    undersigned::app::audit::Who::System("tests"),
                    account,
                )?;
                accounts::issue_api_token(conn, &clock, &email, "tests")
            })
            .await
            .expect("an account with a token")
    }

    /// A new token for an account that exists already.
    pub fn admin_token_of(&self, email: &str) -> String {
        let mut conn = self.context.db.get().unwrap();
        let email = undersigned::domain::EmailAddress::parse(email).unwrap();
        undersigned::app::accounts::issue_api_token(&mut conn, &self.clock, &email, "tests")
            .unwrap()
    }

    /// An admin's API token (one admin per app).
    pub async fn admin_token(&self) -> String {
        self.api_token("admin@example.org", undersigned::domain::Role::Admin)
            .await
    }

    /// Sends JSON (or nothing, for `None`) to the API with a bearer token; returns status and body.
    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        api::request(&self.client, &self.address, method, path, token, body).await
    }

    /// Like `api`, for a step that must succeed: fails the test, with the answer, unless the
    /// status is `expected`; returns the body.
    pub async fn api_expecting(
        &self,
        expected: reqwest::StatusCode,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        api::expecting(
            &self.client,
            &self.address,
            expected,
            method,
            path,
            token,
            body,
        )
        .await
    }

    /// Runs blocking database work on the app's pool (to look at what a request stored).
    pub async fn in_database<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut undersigned::db::DbConnection) -> T + Send + 'static,
    ) -> T {
        self.context
            .db
            .run(move |conn| Ok::<_, undersigned::db::DbError>(work(conn)))
            .await
            .unwrap()
    }
}

impl TestApp {
    /// The actions recorded in the audit trail, oldest first.
    pub async fn audit_actions(&self) -> Vec<String> {
        use diesel::prelude::*;
        use undersigned::db::schema::audit_events;
        self.in_database(|conn| {
            audit_events::table
                .order(audit_events::created_at.asc())
                .select(audit_events::action)
                .load::<String>(conn)
                .unwrap()
        })
        .await
    }
}
