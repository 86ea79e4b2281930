//! Where the data lives: the `database.url` setting parsed into a backend and its address.

use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};

/// Where the data lives, parsed from `database.url`.
#[derive(Debug, Clone)]
pub enum DatabaseTarget {
    Sqlite(PathBuf),
    Postgres(SecretString),
}

impl DatabaseTarget {
    /// `sqlite://relative/path`, `sqlite:///absolute/path`, or `postgres://…` (`postgresql://…`).
    pub fn parse(url: &str) -> Result<Self, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(
                    "sqlite:// needs a file path, such as sqlite://data/undersigned.db".into(),
                );
            }
            Ok(Self::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres(SecretString::from(url.to_string())))
        } else {
            Err("expected sqlite://PATH or postgres://USER@HOST:PORT/DATABASE".into())
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// The target without credentials, fit for a log line.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(url) => match url::Url::parse(url.expose_secret()) {
                Ok(mut parsed) => {
                    let _ = parsed.set_password(None);
                    parsed.to_string()
                }
                Err(_) => "postgres://(unparsable)".into(),
            },
        }
    }
}
