//! Every table's rows as plain JSON values, the same on both backends, for moving a whole
//! installation between SQLite and PostgreSQL (`app::transfer`).
//!
//! A row is a JSON array in the order of its table's `Column`s. Values have one canonical form
//! whichever database they come from: text as strings, integers as numbers, booleans as
//! `true`/`false`, times as `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC, to the microsecond, as the
//! application writes them) and binary data as lowercase hex. The columns are read from the database's own
//! catalogue, so a migration that adds a column is carried without a change here.

use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::DbConnection;

/// Every table of the schema, each after the tables its rows refer to, so that rows can be
/// inserted in this order with every foreign key checked. A test compares it with the
/// database's own list.
pub const TABLES: &[&str] = &[
    "users",
    "sessions",
    "api_tokens",
    "setup_tokens",
    "account_links",
    "recovery_codes",
    "login_challenges",
    "notification_preferences",
    "coordinating_organization",
    "organizations",
    "organization_contacts",
    "organization_tags",
    "letters",
    "letter_versions",
    "letter_translations",
    "invitations",
    "responses",
    "sign_on_requests",
    "releases",
    "webhooks",
    "outbox",
    "audit_events",
    "rate_limit_counters",
];

/// Tables whose rows the migrations write (the coordinating organization's one row): a new
/// database has them, and an import replaces them with the exported ones.
pub const SEEDED_BY_MIGRATIONS: &[&str] = &["coordinating_organization"];

/// How a column's values are stored and written in an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    Text,
    Integer,
    Boolean,
    Timestamp,
    Binary,
}

/// One column of a table, as the database's catalogue describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub column_type: ColumnType,
    /// Position in the primary key, from 1; 0 for a column outside it.
    #[serde(skip)]
    pub key_position: i64,
}

#[derive(QueryableByName)]
struct CatalogueRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    declared_type: String,
    #[diesel(sql_type = BigInt)]
    key_position: i64,
}

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = Text)]
    value: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// The tables of the database (its own migration bookkeeping left out), sorted by name.
pub fn table_names(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    let rows: Vec<JsonRow> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT name AS value FROM sqlite_schema WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations' ORDER BY name",
        )
        .load(c)?,
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT table_name::text AS value FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name <> '__diesel_schema_migrations' ORDER BY table_name",
        )
        .load(c)?,
    };
    Ok(rows.into_iter().map(|row| row.value).collect())
}

/// The columns of `table` in the database's order, with their export types. A column of a
/// type this module does not know is an error naming it.
pub fn columns(conn: &mut DbConnection, table: &str) -> QueryResult<Vec<Column>> {
    let rows: Vec<CatalogueRow> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT name, type AS declared_type, pk AS key_position \
             FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind::<Text, _>(table)
        .load(c)?,
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT c.column_name::text AS name, c.data_type::text AS declared_type, \
               COALESCE((SELECT k.ordinal_position FROM information_schema.key_column_usage k \
                 JOIN information_schema.table_constraints t \
                   ON t.constraint_name = k.constraint_name AND t.table_schema = k.table_schema \
                 WHERE t.constraint_type = 'PRIMARY KEY' AND k.table_schema = c.table_schema \
                   AND k.table_name = c.table_name AND k.column_name = c.column_name), 0)::bigint \
                 AS key_position \
             FROM information_schema.columns c \
             WHERE c.table_schema = current_schema() AND c.table_name = $1 \
             ORDER BY c.ordinal_position",
        )
        .bind::<Text, _>(table)
        .load(c)?,
    };
    rows.into_iter()
        .map(|row| {
            let column_type = column_type(&row.declared_type).ok_or_else(|| {
                diesel::result::Error::QueryBuilderError(
                    format!(
                        "column {table}.{} has a type an export cannot carry: {}",
                        row.name, row.declared_type
                    )
                    .into(),
                )
            })?;
            Ok(Column {
                name: row.name,
                column_type,
                key_position: row.key_position,
            })
        })
        .collect()
}

/// The export type of a column declared as `declared` (SQLite's or PostgreSQL's name).
fn column_type(declared: &str) -> Option<ColumnType> {
    Some(match declared.to_ascii_lowercase().as_str() {
        "text" | "character varying" => ColumnType::Text,
        "integer" | "bigint" | "smallint" => ColumnType::Integer,
        "boolean" => ColumnType::Boolean,
        "timestamp" | "timestamp without time zone" => ColumnType::Timestamp,
        "blob" | "bytea" => ColumnType::Binary,
        _ => return None,
    })
}

/// How many rows `table` holds.
pub fn count(conn: &mut DbConnection, table: &str) -> QueryResult<i64> {
    let query = format!("SELECT COUNT(*) AS count FROM {}", quoted(table));
    let row: Count = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(query).get_result(c)?,
        DbConnection::Postgres(c) => diesel::sql_query(query).get_result(c)?,
    };
    Ok(row.count)
}

/// Up to `limit` rows of `table` from the `offset`-th, in primary-key order, each as a JSON
/// array of canonical values in the order of `columns`.
pub fn rows(
    conn: &mut DbConnection,
    table: &str,
    columns: &[Column],
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Vec<Value>>> {
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    let values = columns
        .iter()
        .map(|column| {
            let name = quoted(&column.name);
            match (column.column_type, sqlite) {
                (ColumnType::Boolean, true) => format!(
                    "CASE WHEN {name} IS NULL THEN NULL WHEN {name} THEN json('true') \
                     ELSE json('false') END"
                ),
                (ColumnType::Binary, true) => {
                    format!("CASE WHEN {name} IS NULL THEN NULL ELSE lower(hex({name})) END")
                }
                (ColumnType::Binary, false) => format!("encode({name}, 'hex')"),
                (ColumnType::Timestamp, false) => {
                    format!("to_char({name}, 'YYYY-MM-DD HH24:MI:SS.US')")
                }
                _ => name,
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut key: Vec<&Column> = columns.iter().filter(|c| c.key_position > 0).collect();
    key.sort_by_key(|c| c.key_position);
    let order = if key.is_empty() {
        columns.iter().map(|c| quoted(&c.name)).collect::<Vec<_>>()
    } else {
        key.iter().map(|c| quoted(&c.name)).collect()
    }
    .join(", ");
    let array = if sqlite {
        "json_array"
    } else {
        "json_build_array"
    };
    let cast = if sqlite { "" } else { "::text" };
    let query = format!(
        "SELECT {array}({values}){cast} AS value FROM {} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
        quoted(table)
    );
    let loaded: Vec<JsonRow> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(query).load(c)?,
        DbConnection::Postgres(c) => diesel::sql_query(query).load(c)?,
    };
    loaded
        .into_iter()
        .map(|row| {
            let values: Vec<Value> = serde_json::from_str(&row.value)
                .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
            canonical_row(columns, values).map_err(|e| {
                diesel::result::Error::DeserializationError(format!("{table}: {e}").into())
            })
        })
        .collect()
}

/// Checks a row against its columns and writes each value in its canonical form.
pub fn canonical_row(columns: &[Column], values: Vec<Value>) -> Result<Vec<Value>, String> {
    if values.len() != columns.len() {
        return Err(format!(
            "a row has {} values for {} columns",
            values.len(),
            columns.len()
        ));
    }
    columns
        .iter()
        .zip(values)
        .map(|(column, value)| {
            canonical_value(column.column_type, value)
                .map_err(|e| format!("column {}: {e}", column.name))
        })
        .collect()
}

fn canonical_value(column_type: ColumnType, value: Value) -> Result<Value, String> {
    Ok(match (column_type, value) {
        (_, Value::Null) => Value::Null,
        (ColumnType::Text, Value::String(s)) => Value::String(s),
        (ColumnType::Integer, Value::Number(n)) if n.is_i64() => Value::Number(n),
        (ColumnType::Boolean, Value::Bool(b)) => Value::Bool(b),
        (ColumnType::Boolean, Value::Number(n)) if n.as_i64().is_some() => {
            Value::Bool(n.as_i64() != Some(0))
        }
        (ColumnType::Timestamp, Value::String(s)) => {
            let time = NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S%.f")
                .or_else(|_| NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S%.f"))
                .map_err(|_| format!("{s:?} is not a time"))?;
            // PostgreSQL keeps microseconds: a finer SQLite time is cut to them, so that
            // both backends give the same value.
            let time = time
                .with_nanosecond(time.nanosecond() / 1_000 * 1_000)
                .unwrap_or(time);
            Value::String(time.format("%Y-%m-%d %H:%M:%S%.f").to_string())
        }
        (ColumnType::Binary, Value::String(s))
            if s.len() % 2 == 0 && s.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Value::String(s.to_ascii_lowercase())
        }
        (column_type, value) => return Err(format!("{value} is not a {column_type:?} value")),
    })
}

/// Deletes every row of `table`.
pub fn clear(conn: &mut DbConnection, table: &str) -> QueryResult<usize> {
    let query = format!("DELETE FROM {}", quoted(table));
    match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(query).execute(c),
        DbConnection::Postgres(c) => diesel::sql_query(query).execute(c),
    }
}

/// Inserts canonical rows (as `rows` gives them) into `table`, in one statement. Returns how
/// many rows were written.
pub fn insert_rows(
    conn: &mut DbConnection,
    table: &str,
    columns: &[Column],
    rows: &[Vec<Value>],
) -> QueryResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    let names = columns
        .iter()
        .map(|c| quoted(&c.name))
        .collect::<Vec<_>>()
        .join(", ");
    match conn {
        DbConnection::Sqlite(c) => {
            let values = columns
                .iter()
                .enumerate()
                .map(|(i, column)| match column.column_type {
                    ColumnType::Binary => format!("unhex(json_extract(value, '$[{i}]'))"),
                    _ => format!("json_extract(value, '$[{i}]')"),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let rows = serde_json::to_string(rows).expect("JSON values serialize");
            diesel::sql_query(format!(
                "INSERT INTO {} ({names}) SELECT {values} FROM json_each(?)",
                quoted(table)
            ))
            .bind::<Text, _>(rows)
            .execute(c)
        }
        DbConnection::Postgres(c) => {
            let objects: Vec<serde_json::Map<String, Value>> = rows
                .iter()
                .map(|row| {
                    columns
                        .iter()
                        .zip(row)
                        .map(|(column, value)| {
                            let value = match (column.column_type, value) {
                                (ColumnType::Binary, Value::String(hex)) => {
                                    Value::String(format!("\\x{hex}"))
                                }
                                _ => value.clone(),
                            };
                            (column.name.clone(), value)
                        })
                        .collect()
                })
                .collect();
            let rows = serde_json::to_string(&objects).expect("JSON values serialize");
            diesel::sql_query(format!(
                "INSERT INTO {table} ({names}) SELECT {names} \
                 FROM json_populate_recordset(NULL::{table}, $1::json)",
                table = quoted(table)
            ))
            .bind::<Text, _>(rows)
            .execute(c)
        }
    }
}

/// An SQL identifier in double quotes, any double quote in it doubled.
fn quoted(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}
