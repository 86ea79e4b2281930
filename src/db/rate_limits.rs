//! Rows of `rate_limit_counters`: failures counted per key in a window that starts at the key's
//! first failure. Every instance on the same database reads and bumps the same rows, so a limit
//! holds across instances. The counting is one upsert, atomic on both backends.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use super::DbConnection;
use super::schema::rate_limit_counters;

/// Adds a failure to the key's window, or starts a new window of one failure ending at
/// `window_ends_at` when the key has none open at `now`. Returns the failures counted in the
/// window, this one included (1 for a new window).
pub fn record_failure(
    conn: &mut DbConnection,
    key: &str,
    now: NaiveDateTime,
    window_ends_at: NaiveDateTime,
) -> QueryResult<u32> {
    #[derive(QueryableByName)]
    struct Counted {
        #[diesel(sql_type = Integer)]
        failures: i32,
    }
    // Upserts are not available on the connection enum: each backend runs its own dialect.
    // Both read the old row in every SET expression, so the two CASEs agree.
    let counted = match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(
            "INSERT INTO rate_limit_counters (key, failures, window_ends_at) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN rate_limit_counters.window_ends_at <= $3 THEN 1 \
                        ELSE rate_limit_counters.failures + 1 END, \
             window_ends_at = CASE WHEN rate_limit_counters.window_ends_at <= $3 \
                        THEN excluded.window_ends_at ELSE rate_limit_counters.window_ends_at END \
             RETURNING failures",
        )
        .bind::<Text, _>(key)
        .bind::<Timestamp, _>(window_ends_at)
        .bind::<Timestamp, _>(now)
        .get_result::<Counted>(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(
            "INSERT INTO rate_limit_counters (key, failures, window_ends_at) VALUES (?1, 1, ?2) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN rate_limit_counters.window_ends_at <= ?3 THEN 1 \
                        ELSE rate_limit_counters.failures + 1 END, \
             window_ends_at = CASE WHEN rate_limit_counters.window_ends_at <= ?3 \
                        THEN excluded.window_ends_at ELSE rate_limit_counters.window_ends_at END \
             RETURNING failures",
        )
        .bind::<Text, _>(key)
        .bind::<Timestamp, _>(window_ends_at)
        .bind::<Timestamp, _>(now)
        .get_result::<Counted>(sqlite)?,
    };
    Ok(u32::try_from(counted.failures).unwrap_or(0))
}

/// The failures counted for the key in its window open at `now` (0 when none is open).
pub fn failures(conn: &mut DbConnection, key: &str, now: NaiveDateTime) -> QueryResult<u32> {
    let failures = rate_limit_counters::table
        .find(key)
        .filter(rate_limit_counters::window_ends_at.gt(now))
        .select(rate_limit_counters::failures)
        .first::<i32>(conn)
        .optional()?;
    Ok(failures.map_or(0, |n| u32::try_from(n).unwrap_or(0)))
}

/// Forgets the key's failures.
pub fn clear(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::delete(rate_limit_counters::table.find(key))
        .execute(conn)
        .map(drop)
}

/// Deletes the windows that have ended by `now`; returns how many.
pub fn delete_ended(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(rate_limit_counters::table.filter(rate_limit_counters::window_ends_at.le(now)))
        .execute(conn)
}
