//! The connection type shared by both backends, how each backend is opened (with SQLite's
//! pragmas), and write transactions that take SQLite's write lock up front.

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use secrecy::ExposeSecret;

use super::writer_gate;
use crate::config::{DatabaseTarget, SqliteSynchronous};

/// A connection to either backend; the database URL picks the variant.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
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
            writer_gate::register(&mut conn, sqlite.busy_timeout_ms)
                .map_err(diesel::r2d2::Error::QueryError)?;
            Ok(DbConnection::Sqlite(conn))
        }
    }
}

/// Runs `work` in a transaction that may write. On SQLite it first waits for its turn among
/// this process's writers (`writer_gate`: woken as soon as the previous writer commits), then
/// begins IMMEDIATE, taking the write lock at once so that `busy_timeout` applies, instead of
/// failing with "database is locked" when a read transaction later tries to upgrade. Nested
/// calls become savepoints.
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
    let gate = writer_gate::gate_of(sqlite)?;
    let _turn = gate.as_deref().and_then(writer_gate::Gate::enter);
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

#[cfg(test)]
mod tests {
    use diesel::sql_types::Integer;

    use super::*;

    #[derive(QueryableByName)]
    struct Used {
        #[diesel(sql_type = Integer)]
        used: i32,
    }

    /// `.cargo/config.toml` builds the bundled SQLite with the query planner stability
    /// guarantee; without it every statement with a bound `LIMIT` is parsed again on each run.
    #[test]
    fn the_bundled_sqlite_keeps_query_plans_stable() {
        let mut conn = diesel::SqliteConnection::establish(":memory:").unwrap();
        let option: Used =
            diesel::sql_query("SELECT sqlite_compileoption_used('ENABLE_QPSG') AS used")
                .get_result(&mut conn)
                .unwrap();
        assert_eq!(
            option.used, 1,
            "SQLite was built without SQLITE_ENABLE_QPSG"
        );
    }
}
