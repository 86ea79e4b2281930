//! What every use case may need, opened once at start and shared by web handlers and workers.

use std::sync::Arc;

use anyhow::Context as _;

use crate::clock::Clock;
use crate::config::{BaseUrl, Settings};
use crate::db::{self, Database};
use crate::domain::{EmailAddress, InvalidInput};
use crate::secrets::ServerSecrets;
use secrecy::ExposeSecret;

#[derive(Clone)]
pub struct Context {
    pub db: Database,
    pub clock: Clock,
    pub base_url: BaseUrl,
    pub secrets: ServerSecrets,
    pub settings: Arc<Settings>,
    /// Poked after a transaction that queued email commits, so the mail worker of this
    /// process wakes at once instead of at its next look at the queue.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// This process's Prometheus counters (`app::metrics`).
    pub metrics: Arc<crate::app::metrics::Metrics>,
}

impl Context {
    /// Tells this process's mail worker that jobs were queued. Call it after the commit.
    pub fn mail_queued(&self) {
        self.mail_wake.notify_one();
    }

    /// An email address typed into a form or sent to the API, in its canonical form; a local
    /// part outside ASCII only when the mail server accepts it (`mail.smtputf8`).
    pub fn parse_email(&self, raw: &str) -> Result<EmailAddress, InvalidInput> {
        EmailAddress::parse_with(raw, self.settings.mail.smtputf8)
    }

    /// The `From:` of every email (the `mail.from` setting, checked when the settings load).
    pub fn sender(&self) -> lettre::message::Mailbox {
        self.settings
            .mail_from()
            .expect("mail.from is checked when the settings load")
    }

    /// The secret and address sign links are made from.
    pub fn links(&self) -> crate::app::invitations::Links<'_> {
        crate::app::invitations::Links {
            secrets: &self.secrets,
            base_url: &self.base_url,
        }
    }

    /// Opens an installation as it stands, to copy it (`backup`, `export`): nothing is created
    /// or changed. The server secret must exist, and the database must be at this build's
    /// schema: a newer binary would otherwise migrate a database an older service still uses,
    /// and the copy would no longer be of it.
    ///
    /// Errors: no secret, a database that cannot be opened, or one whose schema is older (run
    /// the version that serves it) or newer than this build's.
    pub async fn open_existing(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        let target = settings.database_target()?;
        let base_url = settings.base_url()?;
        let secrets = ServerSecrets::load_existing(
            settings.security.link_secret.expose_secret(),
            &settings.storage.data_dir,
        )?;
        let redacted = target.redacted();
        let database_settings = settings.database.clone();
        let db = tokio::task::spawn_blocking(move || -> anyhow::Result<Database> {
            let db = Database::connect(target, &database_settings)
                .with_context(|| format!("cannot open the database {redacted}"))?;
            let mut conn = db.get()?;
            let pending = db::has_pending_migrations(&mut conn)
                .map_err(|e| anyhow::anyhow!("cannot read the database's migrations: {e}"))?;
            anyhow::ensure!(
                !pending,
                "the database is at an older schema than this version of Undersigned: run the \
                 version that serves it, or `undersigned migrate` first"
            );
            Ok(db)
        })
        .await??;
        Ok(Self::assemble(db, clock, base_url, secrets, settings))
    }

    /// The context around an opened database, with this process's own wake-up and counters.
    fn assemble(
        db: Database,
        clock: Clock,
        base_url: BaseUrl,
        secrets: ServerSecrets,
        settings: Settings,
    ) -> Self {
        Self {
            db,
            clock,
            base_url,
            secrets,
            settings: Arc::new(settings),
            mail_wake: Arc::new(tokio::sync::Notify::new()),
            metrics: Arc::new(crate::app::metrics::Metrics::new()),
        }
    }

    /// Creates the data folder, loads the server secret, connects to the database and applies pending migrations.
    pub async fn open(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        let target = settings.database_target()?;
        let base_url = settings.base_url()?;
        std::fs::create_dir_all(&settings.storage.data_dir).with_context(|| {
            format!(
                "cannot create the data folder {}",
                settings.storage.data_dir.display()
            )
        })?;
        let secrets = ServerSecrets::load_or_create(
            settings.security.link_secret.expose_secret(),
            &settings.storage.data_dir,
        )?;
        let redacted = target.redacted();
        let database_settings = settings.database.clone();
        let db = tokio::task::spawn_blocking(move || -> anyhow::Result<Database> {
            let db = Database::connect(target, &database_settings)
                .with_context(|| format!("cannot open the database {redacted}"))?;
            let mut conn = db.get()?;
            let applied = db::run_migrations(&mut conn)
                .map_err(|e| anyhow::anyhow!("database migration failed: {e}"))?;
            if !applied.is_empty() {
                tracing::info!(migrations = ?applied, "applied database migrations");
            }
            let rekeyed = crate::app::organizations::refresh_keys(&mut conn)
                .context("cannot bring the address book's matching keys up to date")?;
            if rekeyed > 0 {
                tracing::info!(
                    organizations = rekeyed,
                    "updated organizations' matching keys"
                );
            }
            Ok(db)
        })
        .await??;
        Ok(Self::assemble(db, clock, base_url, secrets, settings))
    }
}
