//! Moving a whole installation between databases (SQLite to PostgreSQL, or back):
//! `undersigned export --to FILE` writes every table, and `undersigned import --from FILE`
//! loads them into a new, empty database, with every id and time as it was. The audit trail,
//! the releases and their signed manifests travel with the rest.
//!
//! The file is JSON lines: a header (format, source backend, schema version, the release key),
//! then for each table a line naming it with its columns and row count followed by one JSON
//! array per row (`db::tables` gives the values' forms), and last a line with the totals and
//! the SHA-256 of everything before it, so that a cut or edited file is refused. The export
//! reads one snapshot, so it may run while the service does; the import runs in one
//! transaction, so a refused file leaves the database empty.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use anyhow::{Context as _, anyhow, bail, ensure};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::Context;
use super::files::{partial_path, private_file, refuse_own_files};
use crate::db::tables::{self, Column};
use crate::db::{self, DbConnection, snapshot};

/// The `format` of an export's first line.
const FORMAT: &str = "undersigned-export";
/// The version of the file layout this build writes and reads.
const VERSION: u32 = 1;
/// Rows read or written per statement.
const BATCH: i64 = 500;

/// What an export or an import carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub tables: usize,
    pub rows: i64,
    /// The backend the rows came from ("sqlite" or "postgres").
    pub source: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    /// RFC 3339, UTC.
    exported_at: String,
    source: String,
    schema_version: String,
    /// The installation's release key (Ed25519, base64): the import refuses a database whose
    /// secret gives another, as sign links already sent and published signatures depend on it.
    release_key: String,
    undersigned: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct TableHeader {
    table: String,
    columns: Vec<Column>,
    rows: i64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Trailer {
    end: Totals,
}

#[derive(Debug, Serialize, Deserialize)]
struct Totals {
    tables: usize,
    rows: i64,
    /// Hex SHA-256 of every byte before this line.
    sha256: String,
}

/// Writes every table of the database to `to` (replaced only once the export is complete).
///
/// Errors: the database cannot be read, or the file cannot be written.
pub async fn export(ctx: &Context, to: &Path) -> anyhow::Result<Summary> {
    let database = match ctx.settings.database_target()? {
        crate::config::DatabaseTarget::Sqlite(path) => Some(path),
        crate::config::DatabaseTarget::Postgres(_) => None,
    };
    refuse_own_files(to, database.as_deref(), &ctx.settings.storage.data_dir)?;
    let partial = partial_path(to);
    let header = Header {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: crate::clock::rfc3339(ctx.clock.now()),
        source: ctx.db.backend().into(),
        schema_version: String::new(),
        release_key: ctx.secrets.release_public_key(),
        undersigned: env!("CARGO_PKG_VERSION").into(),
    };
    let file = private_file(&partial)?;
    let summary = ctx
        .db
        .run(move |conn| -> anyhow::Result<Summary> {
            let mut out = HashingWriter::new(BufWriter::new(file));
            let summary =
                snapshot::in_snapshot(conn, |conn| write_snapshot(conn, header, &mut out))?;
            let sha256 = hex::encode(out.hash.clone().finalize());
            let trailer = Trailer {
                end: Totals {
                    tables: summary.tables,
                    rows: summary.rows,
                    sha256,
                },
            };
            writeln!(out.inner, "{}", serde_json::to_string(&trailer)?)?;
            out.inner.flush()?;
            out.inner.get_ref().sync_all()?;
            Ok(summary)
        })
        .await;
    match summary {
        Ok(summary) => {
            std::fs::rename(&partial, to)
                .with_context(|| format!("cannot write {}", to.display()))?;
            Ok(summary)
        }
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            Err(error)
        }
    }
}

/// Writes the header and every table, inside the transaction that makes them one snapshot
/// (`snapshot::in_snapshot`).
fn write_snapshot(
    conn: &mut DbConnection,
    mut header: Header,
    out: &mut HashingWriter<BufWriter<File>>,
) -> anyhow::Result<Summary> {
    header.schema_version = snapshot::schema_version(conn)?.unwrap_or_default();
    check_table_list(conn)?;
    out.line(&serde_json::to_string(&header)?)?;
    let mut total = 0;
    for table in tables::TABLES {
        let columns = tables::columns(conn, table)?;
        let rows = tables::count(conn, table)?;
        out.line(&serde_json::to_string(&TableHeader {
            table: (*table).into(),
            columns: columns.clone(),
            rows,
        })?)?;
        let mut offset = 0;
        while offset < rows {
            for row in tables::rows(conn, table, &columns, offset, BATCH)? {
                out.line(&serde_json::to_string(&row)?)?;
            }
            offset += BATCH;
        }
        total += rows;
    }
    Ok(Summary {
        tables: tables::TABLES.len(),
        rows: total,
        source: header.source,
    })
}

/// Loads an export into this database, which must be new: migrated to the same schema
/// version as the export's source and holding no rows. Everything is written in one
/// transaction, and each table's row count is checked against the file before it commits.
///
/// Errors: the file is not a whole export (cut, edited, another format), this database is not
/// empty or not at the same schema version, or this installation's secret differs from the
/// source's (copy `secret.key` or set `security.link_secret` first).
pub async fn import(ctx: &Context, from: &Path) -> anyhow::Result<Summary> {
    let file = File::open(from).with_context(|| format!("cannot open {}", from.display()))?;
    let mut lines = BufReader::new(file);
    let mut hash = Sha256::new();
    let first = read_line(&mut lines, &mut hash)?.ok_or_else(|| anyhow!("the file is empty"))?;
    let header: Header = serde_json::from_str(&first)
        .ok()
        .filter(|h: &Header| h.format == FORMAT)
        .ok_or_else(|| anyhow!("{} is not an Undersigned export", from.display()))?;
    ensure!(
        header.version == VERSION,
        "the export is of format version {}; this build reads version {VERSION}",
        header.version
    );
    ensure!(
        header.release_key == ctx.secrets.release_public_key(),
        "this installation's secret is not the one the export was made with: sign links \
         already sent and the signatures of released letters depend on it. Copy secret.key \
         from the old data folder into {} (or set security.link_secret to the old value) \
         before importing",
        ctx.settings.storage.data_dir.display()
    );
    ctx.db
        .run(move |conn| {
            db::write_transaction(conn, |conn| load(conn, &header, &mut lines, &mut hash))
        })
        .await
}

/// Reads the tables after the header and inserts their rows; checks the totals at the end.
fn load(
    conn: &mut DbConnection,
    header: &Header,
    lines: &mut impl BufRead,
    hash: &mut Sha256,
) -> anyhow::Result<Summary> {
    let schema_version = snapshot::schema_version(conn)?.unwrap_or_default();
    ensure!(
        header.schema_version == schema_version,
        "the export is of schema version {} and this database of {schema_version}: import with \
         the same version of Undersigned that made the export",
        header.schema_version
    );
    for table in check_table_list(conn)? {
        if tables::SEEDED_BY_MIGRATIONS.contains(&table.as_str()) {
            tables::clear(conn, &table)?;
        }
        ensure!(
            tables::count(conn, &table)? == 0,
            "the database is not empty (table {table} has rows): import into a new database"
        );
    }
    let mut seen: Vec<TableHeader> = Vec::new();
    let mut batch: Vec<Vec<Value>> = Vec::new();
    let mut read_in_table = 0;
    loop {
        let before = hash.clone();
        let line = read_line(lines, hash)?
            .ok_or_else(|| anyhow!("the export ends early: it was cut off (no closing line)"))?;
        let value: Value = serde_json::from_str(&line).context("a line is not JSON")?;
        match value {
            Value::Array(row) => {
                let table = seen
                    .last()
                    .ok_or_else(|| anyhow!("a row comes before any table"))?;
                batch.push(
                    tables::canonical_row(&table.columns, row)
                        .map_err(|e| anyhow!("table {}: {e}", table.table))?,
                );
                read_in_table += 1;
                if batch.len() as i64 == BATCH {
                    tables::insert_rows(conn, &table.table, &table.columns, &batch)?;
                    batch.clear();
                }
            }
            Value::Object(ref object) if object.contains_key("table") => {
                if let Some(done) = seen.last() {
                    finish_table(conn, done, &mut batch, read_in_table)?;
                }
                let next: TableHeader = serde_json::from_value(value)?;
                check_columns(conn, &next)?;
                seen.push(next);
                read_in_table = 0;
            }
            Value::Object(ref object) if object.contains_key("end") => {
                if let Some(done) = seen.last() {
                    finish_table(conn, done, &mut batch, read_in_table)?;
                }
                let trailer: Trailer = serde_json::from_value(value)?;
                let digest = hex::encode(before.finalize());
                ensure!(
                    trailer.end.sha256 == digest,
                    "the export was changed after it was written (its checksum does not match)"
                );
                let rows: i64 = seen.iter().map(|t| t.rows).sum();
                ensure!(
                    trailer.end.tables == seen.len() && trailer.end.rows == rows,
                    "the export's totals do not match its tables"
                );
                let missing: Vec<&str> = tables::TABLES
                    .iter()
                    .copied()
                    .filter(|name| !seen.iter().any(|t| t.table == *name))
                    .collect();
                ensure!(
                    missing.is_empty(),
                    "the export leaves out tables: {}",
                    missing.join(", ")
                );
                return Ok(Summary {
                    tables: seen.len(),
                    rows,
                    source: header.source.clone(),
                });
            }
            _ => bail!("a line of the export is neither a table, a row nor the closing line"),
        }
    }
}

/// Writes the rows still in hand and checks the table's count against its header.
fn finish_table(
    conn: &mut DbConnection,
    table: &TableHeader,
    batch: &mut Vec<Vec<Value>>,
    read: i64,
) -> anyhow::Result<()> {
    tables::insert_rows(conn, &table.table, &table.columns, batch)?;
    batch.clear();
    ensure!(
        read == table.rows,
        "table {} should have {} rows and the export holds {read}",
        table.table,
        table.rows
    );
    let stored = tables::count(conn, &table.table)?;
    ensure!(
        stored == table.rows,
        "table {} holds {stored} rows after the import, not {}",
        table.table,
        table.rows
    );
    Ok(())
}

/// A table of the export must be one of this schema's, with the same columns and types.
fn check_columns(conn: &mut DbConnection, table: &TableHeader) -> anyhow::Result<()> {
    ensure!(
        tables::TABLES.contains(&table.table.as_str()),
        "the export has a table this version does not know: {}",
        table.table
    );
    let mut here = tables::columns(conn, &table.table)?;
    let mut there = table.columns.clone();
    here.sort_by(|a, b| a.name.cmp(&b.name));
    there.sort_by(|a, b| a.name.cmp(&b.name));
    let same = here.len() == there.len()
        && here
            .iter()
            .zip(&there)
            .all(|(a, b)| a.name == b.name && a.column_type == b.column_type);
    ensure!(
        same,
        "table {} has other columns in the export than in this database",
        table.table
    );
    Ok(())
}

/// The database's tables, checked against `tables::TABLES`: a table the export would leave
/// out is an error, not a silent loss.
fn check_table_list(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    let present = tables::table_names(conn)?;
    let mut known: Vec<&str> = tables::TABLES.to_vec();
    known.sort_unstable();
    ensure!(
        present.iter().map(String::as_str).eq(known.iter().copied()),
        "the database's tables ({}) are not the ones this version moves ({})",
        present.join(", "),
        known.join(", ")
    );
    Ok(present)
}

/// Reads one line without its end, adding its bytes (end included) to `hash`.
fn read_line(lines: &mut impl BufRead, hash: &mut Sha256) -> anyhow::Result<Option<String>> {
    let mut line = String::new();
    if lines.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    hash.update(line.as_bytes());
    ensure!(
        line.ends_with('\n'),
        "the export ends in the middle of a line"
    );
    line.pop();
    Ok(Some(line))
}

/// A writer of lines that hashes what it writes.
struct HashingWriter<W: Write> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> HashingWriter<W> {
    fn new(inner: W) -> Self {
        Self {
            inner,
            hash: Sha256::new(),
        }
    }

    fn line(&mut self, text: &str) -> std::io::Result<()> {
        self.hash.update(text.as_bytes());
        self.hash.update(b"\n");
        self.inner.write_all(text.as_bytes())?;
        self.inner.write_all(b"\n")
    }
}
