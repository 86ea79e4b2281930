//! Rows of `sessions`: coordinators' and admins' logins, stored by the SHA-256 of the cookie's
//! token only, so that a revocation takes effect at once on every instance.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{sessions, users};

#[derive(Debug, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub id: &'a str,
    pub token_hash: &'a str,
    pub user_id: &'a str,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

/// A live session with the account behind it.
#[derive(Debug, Clone, Queryable)]
pub struct LiveSession {
    pub session_id: String,
    pub last_seen_at: NaiveDateTime,
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    /// Whether the account has its second factor on.
    pub totp_enabled: bool,
}

pub fn insert(conn: &mut DbConnection, session: &NewSession) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values(session)
        .execute(conn)
        .map(drop)
}

/// The session with this token hash if it is live at `now`: not revoked, before its absolute
/// expiry, seen after `idle_since`, its account not disabled.
pub fn find_live(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
    idle_since: NaiveDateTime,
) -> QueryResult<Option<LiveSession>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::last_seen_at.gt(idle_since))
        .filter(users::disabled_at.is_null())
        .select((
            sessions::id,
            sessions::last_seen_at,
            users::id,
            users::email,
            users::name,
            users::role,
            users::totp_enabled_at.is_not_null(),
        ))
        .first(conn)
        .optional()
}

pub fn touch(conn: &mut DbConnection, session_id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)
        .map(drop)
}

/// Ends the session with this token hash.
pub fn revoke_by_token(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(sessions::table.filter(sessions::token_hash.eq(token_hash)))
        .set(sessions::revoked_at.eq(now))
        .execute(conn)
        .map(drop)
}

/// Ends every live session of an account except `keep`; returns how many ended.
pub fn revoke_all_of_user(
    conn: &mut DbConnection,
    user_id: &str,
    keep: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::id.ne(keep.unwrap_or(""))),
    )
    .set(sessions::revoked_at.eq(now))
    .execute(conn)
}
