//! Whole-database facts for operators' commands: a consistent copy of a live SQLite database,
//! its integrity check, and the schema version the migrations have reached.

use std::path::Path;

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::DbConnection;

#[derive(QueryableByName)]
struct TextRow {
    #[diesel(sql_type = Text)]
    value: String,
}

/// Writes a copy of the SQLite database to `copy` (a file that must not exist yet), with
/// `VACUUM INTO`: the copy is one read transaction's snapshot, so writers go on while it is
/// made and every change committed before it began is in it. PostgreSQL has its own tools
/// (`pg_dump`); this returns an error there.
pub fn sqlite_copy_into(conn: &mut DbConnection, copy: &Path) -> QueryResult<()> {
    let DbConnection::Sqlite(sqlite) = conn else {
        return Err(diesel::result::Error::QueryBuilderError(
            "a file copy is made of SQLite databases only".into(),
        ));
    };
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(copy.to_string_lossy())
        .execute(sqlite)
        .map(drop)
}

/// Runs `work` in one read-only transaction that sees a single snapshot of the database:
/// `REPEATABLE READ` on PostgreSQL; on SQLite (WAL), a transaction whose first read fixes it.
pub fn in_snapshot<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    conn.transaction(|conn| {
        if let DbConnection::Postgres(pg) = conn {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(pg)?;
        }
        work(conn)
    })
}

/// SQLite's `PRAGMA quick_check` of the database at `path`: `Ok(())` when it reports "ok",
/// else the problems it found, one per line.
pub fn sqlite_check_file(path: &Path) -> Result<(), String> {
    let mut conn =
        diesel::SqliteConnection::establish(&path.to_string_lossy()).map_err(|e| e.to_string())?;
    let rows: Vec<TextRow> =
        diesel::sql_query("SELECT quick_check AS value FROM pragma_quick_check")
            .load(&mut conn)
            .map_err(|e| e.to_string())?;
    match rows.as_slice() {
        [row] if row.value == "ok" => Ok(()),
        _ => Err(rows
            .into_iter()
            .map(|row| row.value)
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

/// The newest migration applied to the database (such as `20261204000082`), or `None` on a
/// database never migrated.
pub fn schema_version(conn: &mut DbConnection) -> QueryResult<Option<String>> {
    let rows: Vec<TextRow> = diesel::sql_query(
        "SELECT version AS value FROM __diesel_schema_migrations ORDER BY version DESC LIMIT 1",
    )
    .load(conn)?;
    Ok(rows.into_iter().next().map(|row| row.value))
}

/// The schema version of an SQLite database file, read without migrating it.
pub fn sqlite_file_schema_version(path: &Path) -> Result<Option<String>, String> {
    let mut conn =
        diesel::SqliteConnection::establish(&path.to_string_lossy()).map_err(|e| e.to_string())?;
    let rows: Vec<TextRow> = diesel::sql_query(
        "SELECT version AS value FROM __diesel_schema_migrations ORDER BY version DESC LIMIT 1",
    )
    .load(&mut conn)
    .map_err(|e| e.to_string())?;
    Ok(rows.into_iter().next().map(|row| row.value))
}
