//! The connection pool and the bridge from async handlers to blocking diesel calls.

use std::time::Duration;

use diesel::r2d2::{self, ManageConnection, R2D2Connection};

use super::connection::{DbConnection, SqliteOptions, open};
use crate::config::DatabaseSettings;
use crate::config::DatabaseTarget;

pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// Why a database call failed, before any use case gives it a meaning.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no database connection became free in time: {0}")]
    Unavailable(#[from] r2d2::PoolError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("the database task stopped unexpectedly")]
    TaskFailed,
}

/// Opens connections to the configured backend for the pool.
#[derive(Debug)]
pub struct ConnectionManager {
    target: DatabaseTarget,
    sqlite: SqliteOptions,
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        open(&self.target, self.sqlite)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// The pool, cheap to clone, shared by the web handlers and the workers.
#[derive(Clone)]
pub struct Database {
    pool: r2d2::Pool<ConnectionManager>,
    backend: &'static str,
}

impl Database {
    /// Opens one connection first, so that a wrong URL or a refused server fails at once with
    /// the backend's own message, then builds the pool around it.
    pub fn connect(
        target: DatabaseTarget,
        settings: &DatabaseSettings,
    ) -> Result<Self, r2d2::Error> {
        let manager = ConnectionManager {
            sqlite: SqliteOptions {
                busy_timeout_ms: settings.sqlite_busy_timeout_ms,
                synchronous: settings.sqlite_synchronous,
            },
            target,
        };
        drop(manager.connect()?);
        let backend = manager.target.backend_name();
        let pool = r2d2::Pool::builder()
            .max_size(settings.pool_size)
            // A PostgreSQL connection can die with its server or the network, and a dead one is
            // only noticed by using it: each is pinged as it leaves the pool. A SQLite
            // connection is a file kept open, so the ping would be a statement per request
            // spent on nothing.
            .test_on_check_out(backend != "sqlite")
            // A server keeps one connection warm; a one-connection pool (a command-line run)
            // opens none in the background, so that it never exits with a connection half
            // opened on another thread.
            .min_idle(Some(u32::from(settings.pool_size > 1)))
            .connection_timeout(Duration::from_secs(settings.pool_timeout_seconds.max(1)))
            .build_unchecked(manager);
        Ok(Self { pool, backend })
    }

    /// "sqlite" or "postgres".
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// A connection for blocking code (command line, workers already on a blocking thread).
    pub fn get(&self) -> Result<PooledConnection, DbError> {
        Ok(self.pool.get()?)
    }

    /// Runs blocking database work on the blocking thread pool and awaits its result.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(DbError::from)?;
            work(&mut conn)
        })
        .await
        .map_err(|_| DbError::TaskFailed)?
    }
}
