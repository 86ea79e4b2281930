//! The test harness: a fresh database per test (an SQLite file in a temporary folder, or a new
//! PostgreSQL database on the local server), the real app started on it on port 0, and the
//! `storage_test!` macro that runs a test once on each backend.

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

pub mod processes;

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

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
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    pub async fn spawn_with(backend: Backend, overrides: &[(&str, &str)]) -> Self {
        Self::start_on(Arc::new(TestDatabase::create(backend)), overrides).await
    }

    /// Another instance of the app on this one's database and data folder (so the same server
    /// secret), as several instances share one PostgreSQL database in production: its own
    /// port, pool, clock and process-local state. Give it the same overrides as the first.
    pub async fn another_instance(&self, overrides: &[(&str, &str)]) -> Self {
        Self::start_on(Arc::clone(&self.database), overrides).await
    }

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
        tokio::spawn(application.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        Self {
            address,
            client,
            context,
            clock,
            database,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

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
                    password: Password::parse("a long enough password").unwrap(),
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
        let mut request = self
            .client
            .request(method, self.url(&format!("/api/v1{path}")))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("API request");
        let status = response.status();
        let text = response.text().await.unwrap();
        let json = if text.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
        };
        (status, json)
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

/// The value of the first `<input name="csrf_token" value="…">` of a page.
pub fn csrf_of(html: &str) -> String {
    let marker = r#"name="csrf_token" value=""#;
    let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// The value of the first `<input name="{name}" value="…">` of a page (hidden fields of forms).
pub fn hidden_field(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// The `Location` of a redirect.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

impl TestApp {
    /// The CSRF token of this app's browser (the client's cookie jar), fetched from a page.
    pub async fn csrf(&self) -> String {
        csrf_of(&self.get("/login").await.text().await.unwrap())
    }

    /// Posts a form like a browser, with this browser's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str())];
        all.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    /// Creates an account with this role and logs this app's browser in as it.
    pub async fn login_as(&self, email: &str, role: undersigned::domain::Role) {
        self.api_token(email, role).await;
        let response = self
            .post_form(
                "/login",
                &[("email", email), ("password", "a long enough password")],
            )
            .await;
        assert_eq!(
            response.status(),
            reqwest::StatusCode::SEE_OTHER,
            "login as {email}"
        );
    }

    /// Logs a browser in through the login form; returns the answer's status.
    pub async fn log_in(
        &self,
        browser: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::StatusCode {
        let page = browser
            .get(self.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page);
        browser
            .post(self.url("/login"))
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

    /// A second browser (its own cookie jar) on the same app.
    pub fn new_browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap()
    }
}

/// Markup of a page that could run script: a `<script>` element, an `on…` attribute or a
/// `javascript:` URL in a real tag's attribute. Escaped text (`&lt;img onerror=…&gt;`), also
/// inside an attribute's value, is inert and not counted.
pub fn active_markup(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in html
        .split('<')
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
    {
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        if name == "script" {
            found.push(format!("<{tag}>"));
        }
        for (attribute, value) in attributes(&tag[name.len()..]) {
            let value: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect();
            if attribute.starts_with("on") || value.to_lowercase().starts_with("javascript:") {
                found.push(format!("<{tag}>"));
            }
        }
    }
    found
}

/// The attributes of a tag (after its name): lowercase names and raw values.
fn attributes(mut rest: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return pairs;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let name = rest[..end].to_lowercase();
        rest = rest[end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (v, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = after[1..].find(q).map_or(after.len(), |i| i + 1);
                    (&after[1..close], after.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let close = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..close], &after[close..])
                }
            };
            value = v.to_string();
            rest = remaining;
        }
        if name.is_empty() {
            return pairs;
        }
        pairs.push((name, value));
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
