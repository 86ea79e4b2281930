//! Coordinator and admin sessions: login with email and password, server-side sessions stored
//! by their SHA-256 (so logout and revocation take effect at once, on every instance), idle and
//! absolute expiry, and the one-time setup link that creates the first admin.

use chrono::TimeDelta;
use uuid::Uuid;

use super::AppError;
use super::accounts::{self, AccountError, NewAccount};
use crate::clock::Clock;
use crate::config::SecuritySettings;
use crate::crypto::{self, sha256_hex};
use crate::db::{self, DbConnection, DbError, QueryError};
use crate::domain::Role;

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

impl From<QueryError> for LoginError {
    fn from(error: QueryError) -> Self {
        Self::Storage(error.into())
    }
}

/// Opens a session for an account whose login is complete, and records `session.login` with
/// how it was proven (`password`, `totp`, `recovery_code`, …).
pub(crate) fn open_session(
    conn: &mut DbConnection,
    clock: &Clock,
    security: &SecuritySettings,
    account: &db::users::User,
    ip: Option<&str>,
    user_agent: Option<&str>,
    proven_by: &str,
) -> Result<(String, SessionUser), LoginError> {
    let token = crypto::random_token();
    let now = clock.now();
    let session_id = Uuid::new_v4().to_string();
    db::write_transaction(conn, |conn| {
        db::sessions::insert(
            conn,
            &db::sessions::NewSession {
                id: &session_id,
                token_hash: &sha256_hex(&token),
                user_id: &account.id,
                created_at: now,
                last_seen_at: now,
                expires_at: now + TimeDelta::hours(security.session_absolute_hours.into()),
                ip,
                user_agent,
            },
        )?;
        super::audit::write(
            conn,
            clock,
            super::audit::Who::LoggingIn {
                user_id: Some(&account.id),
                email: &account.email,
                ip,
                user_agent,
            },
            super::audit::Subject::default(),
            "session.login",
            serde_json::json!({ "proven_by": proven_by }),
        )
    })?;
    let role = Role::parse(&account.role).map_err(|_| LoginError::BadCredentials)?;
    Ok((
        token,
        SessionUser {
            session_id,
            user_id: account.id.clone(),
            email: account.email.clone(),
            name: account.name.clone(),
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
    let Some(session) = db::sessions::find_live(conn, &sha256_hex(token), now, idle_since)? else {
        return Ok(None);
    };
    // Required second factor: a session of an account without one (opened before the
    // requirement) no longer counts; its next login sets one up.
    if security.require_totp && !session.totp_enabled {
        return Ok(None);
    }
    if now - session.last_seen_at > TimeDelta::minutes(1) {
        db::sessions::touch(conn, &session.session_id, now)?;
    }
    let Ok(role) = Role::parse(&session.role) else {
        return Ok(None);
    };
    Ok(Some(SessionUser {
        session_id: session.session_id,
        user_id: session.user_id,
        email: session.email,
        name: session.name,
        role,
    }))
}

/// Ends the session of this cookie at once.
pub fn logout(conn: &mut DbConnection, clock: &Clock, token: &str) -> Result<(), DbError> {
    Ok(db::sessions::revoke_by_token(
        conn,
        &sha256_hex(token),
        clock.now(),
    )?)
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
        db::setup_tokens::insert(
            conn,
            &Uuid::new_v4().to_string(),
            &sha256_hex(&token),
            now,
            now + TimeDelta::hours(1),
        )
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
    Ok(db::setup_tokens::find_usable(
        conn,
        &sha256_hex(token),
        clock.now(),
    )?)
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
        if !db::setup_tokens::spend(conn, &id, clock.now())? {
            return Err(AppError::NotFound("setup link"));
        }
        accounts::create_account(
            conn,
            clock,
            super::audit::Who::System("setup link"),
            account,
        )
        .map_err(|e| match e {
            AccountError::Storage(e) => AppError::Storage(e),
            other => AppError::conflict(other.to_string()),
        })?;
        Ok(())
    })
}
