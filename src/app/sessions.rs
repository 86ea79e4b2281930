//! Coordinator and admin sessions: login with email and password, server-side sessions stored
//! by their SHA-256 (so logout and revocation take effect at once, on every instance), idle and
//! absolute expiry, and the one-time setup link that creates the first admin.

use std::sync::LazyLock;

use chrono::TimeDelta;
use diesel::prelude::*;
use uuid::Uuid;

use super::AppError;
use super::accounts::{self, AccountError, NewAccount};
use crate::clock::Clock;
use crate::config::SecuritySettings;
use crate::crypto::{self, sha256_hex};
use crate::db::schema::{sessions, setup_tokens, users};
use crate::db::{self, DbConnection, DbError};
use crate::domain::{EmailAddress, Role};

/// The account behind a valid session cookie.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub session_id: String,
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// The same answer for an unknown email, a wrong password and a disabled account.
    #[error("the email address or the password is not right")]
    BadCredentials,
    #[error(transparent)]
    Storage(#[from] DbError),
}

impl From<diesel::result::Error> for LoginError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Storage(error.into())
    }
}

/// A hash to verify against when the account does not exist, so that an unknown email takes as
/// long to refuse as a wrong password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| crypto::hash_password("no account has this password").unwrap_or_default());

/// Checks the password and opens a session; returns the session token for the cookie.
#[tracing::instrument(skip_all)]
pub fn login(
    conn: &mut DbConnection,
    clock: &Clock,
    security: &SecuritySettings,
    email: &str,
    password: &str,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> Result<(String, SessionUser), LoginError> {
    let account = match EmailAddress::parse(email) {
        Ok(email) => db::users::find_by_email(conn, &email.lookup_key())?,
        Err(_) => None,
    };
    let hash = account
        .as_ref()
        .map_or(DUMMY_HASH.as_str(), |a| a.password_hash.as_str());
    let password_ok = crypto::verify_password(password, hash);
    let Some(account) = account.filter(|a| password_ok && a.disabled_at.is_none()) else {
        return Err(LoginError::BadCredentials);
    };
    let token = crypto::random_token();
    let now = clock.now();
    let session_id = Uuid::new_v4().to_string();
    db::write_transaction(conn, |conn| {
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(&session_id),
                sessions::token_hash.eq(sha256_hex(&token)),
                sessions::user_id.eq(&account.id),
                sessions::created_at.eq(now),
                sessions::last_seen_at.eq(now),
                sessions::expires_at
                    .eq(now + TimeDelta::hours(security.session_absolute_hours.into())),
                sessions::ip.eq(ip),
                sessions::user_agent.eq(user_agent),
            ))
            .execute(conn)?;
        db::audit::insert(
            conn,
            &db::audit::NewAuditEvent {
                id: &Uuid::new_v4().to_string(),
                letter_id: None,
                invitation_id: None,
                actor_user_id: Some(&account.id),
                actor: &account.email,
                action: "session.login",
                detail: "{}",
                ip,
                user_agent,
                created_at: now,
            },
        )
    })?;
    let role = Role::parse(&account.role).map_err(|_| LoginError::BadCredentials)?;
    Ok((
        token,
        SessionUser {
            session_id,
            user_id: account.id,
            email: account.email,
            name: account.name,
            role,
        },
    ))
}

/// The session behind a cookie, if it is live: not revoked, not past its absolute expiry, used
/// within the idle time, its account not disabled. Notes the use at most once a minute.
pub fn authenticate(
    conn: &mut DbConnection,
    clock: &Clock,
    security: &SecuritySettings,
    token: &str,
) -> Result<Option<SessionUser>, DbError> {
    let now = clock.now();
    let idle_since = now - TimeDelta::minutes(security.session_idle_minutes.into());
    let found = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(sha256_hex(token)))
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
        ))
        .first::<(
            String,
            chrono::NaiveDateTime,
            String,
            String,
            String,
            String,
        )>(conn)
        .optional()?;
    let Some((session_id, last_seen, user_id, email, name, role)) = found else {
        return Ok(None);
    };
    if now - last_seen > TimeDelta::minutes(1) {
        diesel::update(sessions::table.find(&session_id))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    let Ok(role) = Role::parse(&role) else {
        return Ok(None);
    };
    Ok(Some(SessionUser {
        session_id,
        user_id,
        email,
        name,
        role,
    }))
}

/// Ends the session of this cookie at once.
pub fn logout(conn: &mut DbConnection, clock: &Clock, token: &str) -> Result<(), DbError> {
    diesel::update(sessions::table.filter(sessions::token_hash.eq(sha256_hex(token))))
        .set(sessions::revoked_at.eq(clock.now()))
        .execute(conn)?;
    Ok(())
}

/// Ends every session of an account (after a password change or when it is disabled), except
/// the one given.
pub fn revoke_sessions(
    conn: &mut DbConnection,
    clock: &Clock,
    user_id: &str,
    keep: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::id.ne(keep.unwrap_or(""))),
    )
    .set(sessions::revoked_at.eq(clock.now()))
    .execute(conn)
}

/// When no account exists yet, makes a one-time setup link token valid for an hour.
pub fn create_setup_token(
    conn: &mut DbConnection,
    clock: &Clock,
) -> Result<Option<String>, DbError> {
    if db::users::count(conn)? > 0 {
        return Ok(None);
    }
    let token = crypto::random_token();
    let now = clock.now();
    db::write_transaction(conn, |conn| {
        diesel::insert_into(setup_tokens::table)
            .values((
                setup_tokens::id.eq(Uuid::new_v4().to_string()),
                setup_tokens::token_hash.eq(sha256_hex(&token)),
                setup_tokens::created_at.eq(now),
                setup_tokens::expires_at.eq(now + TimeDelta::hours(1)),
            ))
            .execute(conn)
    })?;
    Ok(Some(token))
}

/// Whether the setup link still works: unused, unexpired, and still no account.
pub fn setup_token_usable(
    conn: &mut DbConnection,
    clock: &Clock,
    token: &str,
) -> Result<bool, DbError> {
    Ok(usable_setup_token(conn, clock, token)?.is_some())
}

fn usable_setup_token(
    conn: &mut DbConnection,
    clock: &Clock,
    token: &str,
) -> Result<Option<String>, DbError> {
    if db::users::count(conn)? > 0 {
        return Ok(None);
    }
    Ok(setup_tokens::table
        .filter(setup_tokens::token_hash.eq(sha256_hex(token)))
        .filter(setup_tokens::used_at.is_null())
        .filter(setup_tokens::expires_at.gt(clock.now()))
        .select(setup_tokens::id)
        .first::<String>(conn)
        .optional()?)
}

/// Creates the first admin through the setup link, which then stops working.
pub fn complete_setup(
    conn: &mut DbConnection,
    clock: &Clock,
    token: &str,
    account: NewAccount,
) -> Result<(), AppError> {
    let account = NewAccount {
        role: Role::Admin,
        ..account
    };
    db::write_transaction(conn, |conn| {
        let id = usable_setup_token(conn, clock, token)?.ok_or(AppError::NotFound("setup link"))?;
        // Spent only if still unspent: of two people completing the setup at the same moment,
        // one creates the first admin and the other is told the link no longer works.
        let spent = diesel::update(
            setup_tokens::table
                .find(id)
                .filter(setup_tokens::used_at.is_null()),
        )
        .set(setup_tokens::used_at.eq(clock.now()))
        .execute(conn)?;
        if spent == 0 {
            return Err(AppError::NotFound("setup link"));
        }
        accounts::create_account(conn, clock, account).map_err(|e| match e {
            AccountError::Storage(e) => AppError::Storage(e),
            other => AppError::conflict(other.to_string()),
        })?;
        Ok(())
    })
}
