//! Rows of `account_links` (one-time invitation and password-reset links), `recovery_codes`
//! (of the second factor) and `login_challenges` (a login waiting for its second factor). Every
//! secret is stored as its SHA-256 only.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{account_links, login_challenges, recovery_codes};

/// A one-time link of an account.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = account_links)]
pub struct AccountLink {
    pub id: String,
    pub user_id: String,
    pub purpose: String,
    pub nonce: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

/// Stores a new link, after spending every unused link of the account for the same purpose (a
/// new link kills the older ones).
pub fn insert_link(conn: &mut DbConnection, link: &AccountLink) -> QueryResult<()> {
    diesel::update(
        account_links::table
            .filter(account_links::user_id.eq(&link.user_id))
            .filter(account_links::purpose.eq(&link.purpose))
            .filter(account_links::used_at.is_null()),
    )
    .set(account_links::used_at.eq(Some(link.created_at)))
    .execute(conn)?;
    diesel::insert_into(account_links::table)
        .values(link)
        .execute(conn)
        .map(drop)
}

/// The link with this id.
pub fn find_link(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AccountLink>> {
    account_links::table
        .find(id)
        .select(AccountLink::as_select())
        .first(conn)
        .optional()
}

/// The unused, unexpired link of this purpose with this token hash.
pub fn find_usable_link(
    conn: &mut DbConnection,
    token_hash: &str,
    purpose: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<AccountLink>> {
    account_links::table
        .filter(account_links::token_hash.eq(token_hash))
        .filter(account_links::purpose.eq(purpose))
        .filter(account_links::used_at.is_null())
        .filter(account_links::expires_at.gt(now))
        .select(AccountLink::as_select())
        .first(conn)
        .optional()
}

/// Spends the link if it is still unspent; false when someone spent it first.
pub fn spend_link(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        account_links::table
            .find(id)
            .filter(account_links::used_at.is_null()),
    )
    .set(account_links::used_at.eq(Some(now)))
    .execute(conn)
    .map(|n| n == 1)
}

/// Replaces the account's recovery codes with these hashes.
pub fn replace_recovery_codes(
    conn: &mut DbConnection,
    user_id: &str,
    codes: &[(String, String)],
) -> QueryResult<()> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)?;
    for (id, hash) in codes {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::id.eq(id),
                recovery_codes::user_id.eq(user_id),
                recovery_codes::code_hash.eq(hash),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The unused recovery codes of the account: `(id, code hash)`.
pub fn unused_recovery_codes(
    conn: &mut DbConnection,
    user_id: &str,
) -> QueryResult<Vec<(String, String)>> {
    recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .select((recovery_codes::id, recovery_codes::code_hash))
        .load(conn)
}

/// Spends one recovery code if it is still unspent.
pub fn spend_recovery_code(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        recovery_codes::table
            .find(id)
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(Some(now)))
    .execute(conn)
    .map(|n| n == 1)
}

/// A login waiting for its second factor.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = login_challenges)]
pub struct LoginChallenge {
    pub id: String,
    pub token_hash: String,
    pub user_id: String,
    pub purpose: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Stores a challenge, after removing the account's expired ones.
pub fn insert_challenge(conn: &mut DbConnection, challenge: &LoginChallenge) -> QueryResult<()> {
    diesel::delete(
        login_challenges::table
            .filter(login_challenges::user_id.eq(&challenge.user_id))
            .filter(login_challenges::expires_at.le(challenge.created_at)),
    )
    .execute(conn)?;
    diesel::insert_into(login_challenges::table)
        .values(challenge)
        .execute(conn)
        .map(drop)
}

/// The unexpired challenge with this token hash.
pub fn find_challenge(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<LoginChallenge>> {
    login_challenges::table
        .filter(login_challenges::token_hash.eq(token_hash))
        .filter(login_challenges::expires_at.gt(now))
        .select(LoginChallenge::as_select())
        .first(conn)
        .optional()
}

/// Removes a challenge (the login completed); false when it was already gone.
pub fn delete_challenge(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::delete(login_challenges::table.find(id))
        .execute(conn)
        .map(|n| n == 1)
}

/// Removes every challenge of the account (its password was reset).
pub fn delete_challenges_of_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    diesel::delete(login_challenges::table.filter(login_challenges::user_id.eq(user_id)))
        .execute(conn)
        .map(drop)
}
