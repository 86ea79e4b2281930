//! SQLite writers of this process wait their turn in memory, one queue per database file.
//!
//! SQLite allows one writer at a time. Left to itself, a connection that finds the write lock
//! taken polls it: its busy handler sleeps 1, 2, 5 … then 100 ms between tries and is never
//! woken when the lock is freed, so under a signing rush a write that needs well under a
//! millisecond waits up to 100 ms (measured in docs/BENCHMARKS.md). Write transactions of this
//! process therefore first take the database's gate, a mutex whose waiters are woken the
//! moment it is released, and only then SQLite's lock, which is free by then unless another
//! process (a separate `worker`, a command) holds it; SQLite's busy handler still covers that.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use diesel::prelude::*;

/// The gate of one database file: held for the length of one write transaction.
pub(super) struct Gate {
    writer: parking_lot::Mutex<()>,
    /// How long a writer waits for its turn: the connections' `busy_timeout`.
    timeout: Duration,
}

/// The gates of every SQLite database file this process has opened, by file name. Tests run
/// many apps (many files) in one process; each file has its own gate.
static GATES: LazyLock<Mutex<HashMap<String, Arc<Gate>>>> = LazyLock::new(Default::default);

// SQLite's list of the connection's databases, read as a table so that the statement is
// prepared once per connection and cached, not parsed again for every write transaction.
diesel::table! {
    pragma_database_list (name) {
        seq -> Integer,
        name -> Text,
        file -> Text,
    }
}

/// The full file name of the database `conn` is opened on; empty for an in-memory or
/// temporary database, which no other connection can share.
fn file_of(conn: &mut SqliteConnection) -> QueryResult<String> {
    pragma_database_list::table
        .filter(pragma_database_list::name.eq("main"))
        .select(pragma_database_list::file)
        .get_result(conn)
}

fn gates() -> std::sync::MutexGuard<'static, HashMap<String, Arc<Gate>>> {
    GATES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Gives the database of a newly opened connection its gate (once per file), writers waiting
/// up to `timeout` (milliseconds of `busy_timeout`) for their turn.
pub(super) fn register(conn: &mut SqliteConnection, timeout_ms: u32) -> QueryResult<()> {
    let file = file_of(conn)?;
    if !file.is_empty() {
        gates().entry(file).or_insert_with(|| {
            Arc::new(Gate {
                writer: parking_lot::Mutex::new(()),
                timeout: Duration::from_millis(timeout_ms.into()),
            })
        });
    }
    Ok(())
}

/// The gate of the database `conn` is opened on, if it has one.
pub(super) fn gate_of(conn: &mut SqliteConnection) -> QueryResult<Option<Arc<Gate>>> {
    let file = file_of(conn)?;
    Ok(gates().get(&file).cloned())
}

impl Gate {
    /// Waits for this writer's turn, at most the gate's timeout. `None` when the gate stayed
    /// taken that long: the caller goes on to SQLite's own lock and busy handler, which then
    /// report a lock that is never freed.
    pub(super) fn enter(&self) -> Option<parking_lot::MutexGuard<'_, ()>> {
        self.writer.try_lock_for(self.timeout)
    }
}

#[cfg(test)]
mod tests {
    use std::thread;

    use diesel::connection::SimpleConnection;

    use super::*;
    use crate::config::{DatabaseTarget, SqliteSynchronous};
    use crate::db::DbConnection;
    use crate::db::connection::{self, SqliteOptions};

    /// A connection opened as the pool opens them (WAL, busy timeout, gate registered).
    fn open(path: &std::path::Path) -> SqliteConnection {
        let options = SqliteOptions {
            busy_timeout_ms: 5_000,
            synchronous: SqliteSynchronous::Normal,
        };
        match connection::open(&DatabaseTarget::Sqlite(path.to_path_buf()), options).unwrap() {
            DbConnection::Sqlite(conn) => conn,
            DbConnection::Postgres(_) => unreachable!("a file name opens SQLite"),
        }
    }

    #[test]
    fn connections_to_one_file_share_its_gate_and_other_files_have_their_own() {
        let folder = tempfile::tempdir().unwrap();
        let mut first = open(&folder.path().join("a.db"));
        let mut second = open(&folder.path().join("a.db"));
        let mut other = open(&folder.path().join("b.db"));
        let gate = gate_of(&mut first).unwrap().unwrap();
        assert!(Arc::ptr_eq(&gate, &gate_of(&mut second).unwrap().unwrap()));
        assert!(!Arc::ptr_eq(&gate, &gate_of(&mut other).unwrap().unwrap()));
        assert_eq!(gate.timeout, Duration::from_millis(5_000));
    }

    #[test]
    fn an_in_memory_database_has_no_gate() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        register(&mut conn, 5_000).unwrap();
        assert!(gate_of(&mut conn).unwrap().is_none());
    }

    #[test]
    fn a_writer_waits_while_another_holds_the_gate_and_enters_after_it() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("queue.db");
        let mut holder = open(&path);
        holder
            .batch_execute("CREATE TABLE answers (n INTEGER)")
            .unwrap();
        let gate = gate_of(&mut holder).unwrap().unwrap();
        let turn = gate.enter().expect("a free gate is entered at once");
        assert!(gate.writer.try_lock().is_none(), "the gate is held");
        let waiter = thread::spawn(move || {
            let mut conn = open(&path);
            let gate = gate_of(&mut conn).unwrap().unwrap();
            let _turn = gate
                .enter()
                .expect("the gate is released before the timeout");
            conn.batch_execute("INSERT INTO answers VALUES (2)")
                .unwrap();
        });
        holder
            .batch_execute("INSERT INTO answers VALUES (1)")
            .unwrap();
        drop(turn);
        waiter.join().unwrap();
        #[derive(QueryableByName)]
        struct Answer {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            n: i32,
        }
        let order: Vec<i32> = diesel::sql_query("SELECT n FROM answers ORDER BY rowid")
            .load::<Answer>(&mut holder)
            .unwrap()
            .into_iter()
            .map(|a| a.n)
            .collect();
        assert_eq!(
            order,
            [1, 2],
            "the waiter wrote only after the holder let go"
        );
    }
}
