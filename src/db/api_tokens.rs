//! Rows of `api_tokens`: bearer tokens of the JSON API, stored as SHA-256 only.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{api_tokens, users};

#[derive(Debug, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct NewApiToken<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub token_hash: &'a str,
    pub label: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, token: &NewApiToken) -> QueryResult<()> {
    diesel::insert_into(api_tokens::table)
        .values(token)
        .execute(conn)
        .map(drop)
}

/// An API token as its owner sees it (never the token itself).
#[derive(Debug, Clone, Queryable)]
pub struct TokenSummary {
    pub id: String,
    pub label: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// The account's tokens, newest first.
pub fn for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<TokenSummary>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .order(api_tokens::created_at.desc())
        .select((
            api_tokens::id,
            api_tokens::label,
            api_tokens::created_at,
            api_tokens::last_used_at,
            api_tokens::revoked_at,
        ))
        .load(conn)
}

/// Revokes one token of this account; false when the account has no such token.
pub fn revoke(
    conn: &mut DbConnection,
    user_id: &str,
    token_id: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        api_tokens::table
            .filter(api_tokens::id.eq(token_id))
            .filter(api_tokens::user_id.eq(user_id)),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)
    .map(|n| n == 1)
}

/// The owner of an active token with this hash: `(token id, last used, user id, email, role)`.
#[derive(Debug, Clone, Queryable)]
pub struct TokenOwner {
    pub token_id: String,
    pub last_used_at: Option<NaiveDateTime>,
    pub user_id: String,
    pub email: String,
    pub role: String,
}

/// The owner of the unrevoked token with this hash, if the account is not disabled.
pub fn find_owner(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<TokenOwner>> {
    api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::disabled_at.is_null())
        .select((
            api_tokens::id,
            api_tokens::last_used_at,
            users::id,
            users::email,
            users::role,
        ))
        .first(conn)
        .optional()
}

pub fn touch(conn: &mut DbConnection, token_id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(api_tokens::table.find(token_id))
        .set(api_tokens::last_used_at.eq(now))
        .execute(conn)
        .map(drop)
}
