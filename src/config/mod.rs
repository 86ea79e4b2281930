//! Typed settings, loaded in layers: the defaults compiled in from `config/default.toml`, the
//! optional `config/local.toml` of the working folder, then `UNDERSIGNED_SECTION__KEY`
//! environment variables. Every value is checked once here, and an unusable one is reported
//! with the key that holds it, so the rest of the program only sees settings that work.

mod base_url;
mod database;

pub use base_url::BaseUrl;
pub use database::DatabaseTarget;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use crate::domain::TrustedProxies;

const DEFAULTS: &str = include_str!("../../config/default.toml");
const LOCAL_FILE: &str = "config/local.toml";
const ENV_PREFIX: &str = "UNDERSIGNED";

/// A setting that cannot be used, with the key that holds it.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("setting `{key}` is invalid: {reason}")]
    Invalid { key: &'static str, reason: String },
    #[error("settings could not be read: {0}")]
    Load(#[from] config::ConfigError),
}

fn invalid(key: &'static str, reason: impl ToString) -> SettingsError {
    SettingsError::Invalid {
        key,
        reason: reason.to_string(),
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub mail: MailSettings,
    pub storage: StorageSettings,
    pub security: SecuritySettings,
    pub reminders: ReminderSettings,
    pub letters: LetterSettings,
    pub organization: OrganizationSettings,
    pub metrics: MetricsSettings,
    pub webhooks: WebhookSettings,
    pub log: LogSettings,
}

/// The Prometheus listener; `listen` empty: none.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    pub listen: String,
}

/// Where webhooks may be delivered.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    /// Plain http:// and loopback, private and link-local addresses allowed as well.
    pub allow_private: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub listen: String,
    pub base_url: String,
    pub workers: usize,
    pub shutdown_timeout_seconds: u64,
    /// Comma-separated addresses and CIDR ranges; read through `Settings::trusted_proxies`.
    pub trusted_proxies: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: SecretString,
    pub pool_size: u32,
    pub pool_timeout_seconds: u64,
    pub sqlite_synchronous: SqliteSynchronous,
    pub sqlite_busy_timeout_ms: u32,
}

/// How hard SQLite pushes each commit to the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSynchronous {
    Normal,
    Full,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub smtp_url: SecretString,
    pub from: String,
    pub max_attempts: u32,
    pub rate_per_second: u32,
    pub connections: u32,
    pub poll_interval_ms: u64,
    pub lease_seconds: u64,
    /// Whether the SMTP server accepts addresses whose local part is not ASCII (SMTPUTF8).
    pub smtputf8: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageSettings {
    pub data_dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecuritySettings {
    pub link_secret: SecretString,
    pub session_idle_minutes: u32,
    pub session_absolute_hours: u32,
    pub login_failures_per_ip: u32,
    pub login_failures_per_account: u32,
    pub sign_link_failures_per_ip: u32,
    /// Requests to join a letter (its public sign-on page) allowed per client address in an
    /// hour; each may send an email. Per email address the limit is 3 an hour.
    #[serde(default = "default_join_requests_per_ip")]
    pub join_requests_per_ip: u32,
    /// The least time, in seconds, between showing the join form and receiving it: a form
    /// sent back faster was filled by a program, and is shown again.
    #[serde(default = "default_join_min_fill_seconds")]
    pub join_min_fill_seconds: u32,
    /// Every account must log in with a second factor (TOTP); those without one enrol first.
    #[serde(default)]
    pub require_totp: bool,
}

fn default_join_requests_per_ip() -> u32 {
    10
}

fn default_join_min_fill_seconds() -> u32 {
    3
}

/// How often an organization may be reminded.
/// The coordinating organization, as emails, sign pages and published letters name it until
/// an admin sets it on the settings page (which wins field by field). Empty: not set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationSettings {
    pub name: String,
    pub website: String,
    /// The press contact printed on published letters.
    pub contact_email: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderSettings {
    /// Hours that must pass after a reminder before the same organization gets another one,
    /// whether sent by hand or by a letter's schedule. 0: no wait.
    pub min_interval_hours: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterSettings {
    /// The most invitations one letter may hold (1 to 1,000,000): what bounds the requests
    /// that read a letter's whole list.
    pub max_invitations: usize,
}

impl ReminderSettings {
    /// The least time between two reminders to one organization.
    pub fn min_interval(&self) -> chrono::TimeDelta {
        chrono::TimeDelta::hours(self.min_interval_hours.into())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub filter: String,
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Settings {
    /// Loads the settings of this process: defaults, `config/local.toml`, the environment.
    pub fn load() -> Result<Self, SettingsError> {
        Self::load_with(Path::new(LOCAL_FILE), std::env::vars().collect())
    }

    /// Loads the settings with an explicit local file and environment (tests use this).
    pub fn load_with(local: &Path, env: HashMap<String, String>) -> Result<Self, SettingsError> {
        let environment = config::Environment::with_prefix(ENV_PREFIX)
            .prefix_separator("_")
            .separator("__")
            .source(Some(env));
        let settings: Settings = config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml))
            .add_source(config::File::from(local).required(false))
            .add_source(environment)
            .build()?
            .try_deserialize()?;
        settings.validate()?;
        Ok(settings)
    }

    /// The organization's fields, when set, must read as the settings page would accept them.
    fn validate_organization(&self) -> Result<(), SettingsError> {
        let organization = &self.organization;
        if !organization.name.trim().is_empty() {
            crate::domain::OrganizationName::parse(&organization.name)
                .map_err(|e| invalid("organization.name", e))?;
        }
        if !organization.website.trim().is_empty() {
            crate::domain::Website::parse_optional(Some(&organization.website))
                .map_err(|e| invalid("organization.website", e))?;
        }
        if !organization.contact_email.trim().is_empty() {
            crate::domain::EmailAddress::parse(&organization.contact_email)
                .map_err(|e| invalid("organization.contact_email", e))?;
        }
        Ok(())
    }

    /// What an operator should fix before real partners receive email: the default sender
    /// address, or a public address without https. Each a sentence.
    pub fn production_warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if let Ok(from) = self.mail_from()
            && from.email.to_string() == "noreply@localhost"
        {
            warnings.push(
                "mail.from is still noreply@localhost: partners' mail servers will treat the \
                 invitations as spam; set it to an address of your organization's domain."
                    .to_string(),
            );
        }
        if let Ok(base_url) = self.base_url()
            && !base_url.is_https()
        {
            warnings.push(format!(
                "server.base_url ({}) is not https: sign links and logins travel unencrypted; \
                 serve Undersigned over https.",
                base_url.as_str()
            ));
        }
        if let Ok(Some(metrics)) = self.metrics_addr()
            && metrics.ip().is_unspecified()
        {
            warnings.push(format!(
                "metrics.listen ({metrics}) listens on every interface: anyone who reaches this \
                 port reads the metrics; listen on a loopback or private address instead."
            ));
        }
        if self.webhooks.allow_private {
            warnings.push(
                "webhooks.allow_private is true: coordinators may point webhooks at plain http \
                 and at addresses inside your network."
                    .to_string(),
            );
        }
        warnings
    }

    /// Checks what types alone cannot: addresses, URLs, ranges.
    fn validate(&self) -> Result<(), SettingsError> {
        self.listen_addr()?;
        self.metrics_addr()?;
        self.base_url()?;
        self.trusted_proxies()?;
        self.database_target()?;
        self.mail_from()?;
        if !self.mail.smtp_url.expose_secret().is_empty() {
            let url = Url::parse(self.mail.smtp_url.expose_secret())
                .map_err(|e| invalid("mail.smtp_url", e))?;
            if !matches!(url.scheme(), "smtp" | "smtps") {
                return Err(invalid(
                    "mail.smtp_url",
                    "must start with smtp:// or smtps://",
                ));
            }
        }
        self.validate_mail_delivery()?;
        if self.database.pool_size == 0 {
            return Err(invalid("database.pool_size", "must be at least 1"));
        }
        if self.security.session_idle_minutes == 0 || self.security.session_absolute_hours == 0 {
            return Err(invalid(
                "security.session_idle_minutes",
                "session lifetimes must be at least 1",
            ));
        }
        if self.reminders.min_interval_hours > 8_760 {
            return Err(invalid(
                "reminders.min_interval_hours",
                "must be between 0 and 8760 (a year)",
            ));
        }
        if !(1..=1_000_000).contains(&self.letters.max_invitations) {
            return Err(invalid(
                "letters.max_invitations",
                "must be between 1 and 1000000",
            ));
        }
        self.validate_organization()?;
        if self.server.workers > 1024 {
            return Err(invalid("server.workers", "must be between 0 and 1024"));
        }
        tracing_subscriber::EnvFilter::try_new(&self.log.filter)
            .map_err(|e| invalid("log.filter", e))?;
        Ok(())
    }

    fn validate_mail_delivery(&self) -> Result<(), SettingsError> {
        let mail = &self.mail;
        if !(1..=100).contains(&mail.max_attempts) {
            return Err(invalid("mail.max_attempts", "must be between 1 and 100"));
        }
        if !(1..=64).contains(&mail.connections) {
            return Err(invalid("mail.connections", "must be between 1 and 64"));
        }
        if !(10..=60_000).contains(&mail.poll_interval_ms) {
            return Err(invalid(
                "mail.poll_interval_ms",
                "must be between 10 and 60000",
            ));
        }
        if !(35..=86_400).contains(&mail.lease_seconds) {
            return Err(invalid(
                "mail.lease_seconds",
                "must be between 35 (above the SMTP timeout of 30 s) and 86400",
            ));
        }
        Ok(())
    }

    pub fn listen_addr(&self) -> Result<SocketAddr, SettingsError> {
        self.server
            .listen
            .parse()
            .map_err(|_| invalid("server.listen", "expected HOST:PORT such as 127.0.0.1:8080"))
    }

    /// The address of the metrics listener, or `None` when `metrics.listen` is empty.
    pub fn metrics_addr(&self) -> Result<Option<SocketAddr>, SettingsError> {
        let listen = self.metrics.listen.trim();
        if listen.is_empty() {
            return Ok(None);
        }
        listen.parse().map(Some).map_err(|_| {
            invalid(
                "metrics.listen",
                "expected HOST:PORT such as 127.0.0.1:9464, or nothing for no metrics",
            )
        })
    }

    /// The public address of the service, without a trailing slash.
    pub fn base_url(&self) -> Result<BaseUrl, SettingsError> {
        BaseUrl::parse(&self.server.base_url).map_err(|reason| invalid("server.base_url", reason))
    }

    /// The reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
    pub fn trusted_proxies(&self) -> Result<TrustedProxies, SettingsError> {
        TrustedProxies::parse(&self.server.trusted_proxies)
            .map_err(|reason| invalid("server.trusted_proxies", reason))
    }

    pub fn database_target(&self) -> Result<DatabaseTarget, SettingsError> {
        DatabaseTarget::parse(self.database.url.expose_secret())
            .map_err(|reason| invalid("database.url", reason))
    }

    pub fn mail_from(&self) -> Result<lettre::message::Mailbox, SettingsError> {
        self.mail
            .from
            .parse()
            .map_err(|e| invalid("mail.from", format!("expected `Name <address>`: {e}")))
    }
}

#[cfg(test)]
mod tests;
