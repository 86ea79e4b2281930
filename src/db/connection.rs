//! The connection type shared by both backends, how each backend is opened (with SQLite's
//! pragmas), and write transactions that take SQLite's write lock up front.

use std::path::PathBuf;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use secrecy::{ExposeSecret, SecretString};

use crate::config::SqliteSynchronous;

/// A connection to either backend; the database URL picks the variant.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

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

/// SQLite settings applied to every new connection.
#[derive(Debug, Clone, Copy)]
pub struct SqliteOptions {
    pub busy_timeout_ms: u32,
    pub synchronous: SqliteSynchronous,
}

pub(super) fn open(
    target: &DatabaseTarget,
    sqlite: SqliteOptions,
) -> Result<DbConnection, diesel::r2d2::Error> {
    match target {
        DatabaseTarget::Postgres(url) => diesel::PgConnection::establish(url.expose_secret())
            .map(DbConnection::Postgres)
            .map_err(diesel::r2d2::Error::ConnectionError),
        DatabaseTarget::Sqlite(path) => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| {
                    diesel::r2d2::Error::ConnectionError(ConnectionError::BadConnection(format!(
                        "cannot create {}: {e}",
                        parent.display()
                    )))
                })?;
            }
            let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())
                .map_err(diesel::r2d2::Error::ConnectionError)?;
            // busy_timeout first: the journal_mode change itself may have to wait for a lock.
            let synchronous = match sqlite.synchronous {
                SqliteSynchronous::Normal => "NORMAL",
                SqliteSynchronous::Full => "FULL",
            };
            conn.batch_execute(&format!(
                "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON;",
                sqlite.busy_timeout_ms
            ))
            .map_err(diesel::r2d2::Error::QueryError)?;
            Ok(DbConnection::Sqlite(conn))
        }
    }
}

/// Runs `work` in a transaction that may write. On SQLite it begins IMMEDIATE, taking the write
/// lock at once so that `busy_timeout` applies, instead of failing with "database is locked"
/// when a read transaction later tries to upgrade. Nested calls become savepoints.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let DbConnection::Sqlite(sqlite) = conn else {
        return conn.transaction(work);
    };
    // Inside a transaction already (a use case calling another): a savepoint is enough.
    let nested = AnsiTransactionManager::transaction_manager_status_mut(sqlite)
        .transaction_depth()?
        .is_some();
    if nested {
        return conn.transaction(work);
    }
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    // The enum's transaction manager hands commit and rollback to the inner connection,
    // whose transaction state the IMMEDIATE begin above has just set.
    type Manager = <DbConnection as Connection>::TransactionManager;
    match work(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            Manager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}
