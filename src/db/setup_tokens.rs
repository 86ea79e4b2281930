//! Rows of `setup_tokens`: the one-time link that creates the first admin, stored as SHA-256.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::setup_tokens;

pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    token_hash: &str,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(setup_tokens::table)
        .values((
            setup_tokens::id.eq(id),
            setup_tokens::token_hash.eq(token_hash),
            setup_tokens::created_at.eq(created_at),
            setup_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

/// The id of the unused, unexpired token with this hash.
pub fn find_usable(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<String>> {
    setup_tokens::table
        .filter(setup_tokens::token_hash.eq(token_hash))
        .filter(setup_tokens::used_at.is_null())
        .filter(setup_tokens::expires_at.gt(now))
        .select(setup_tokens::id)
        .first(conn)
        .optional()
}

/// Marks the token used if it still is unused; false when another request spent it first.
pub fn spend(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        setup_tokens::table
            .find(id)
            .filter(setup_tokens::used_at.is_null()),
    )
    .set(setup_tokens::used_at.eq(now))
    .execute(conn)
    .map(|n| n == 1)
}
