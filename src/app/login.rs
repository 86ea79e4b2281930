//! Logging in: the password checked (in the same time whether or not the account exists, and a
//! refusal audited), then a session opened, or a pending login started when a second factor is
//! on or required. Sits above `sessions` and `login_challenge`, which both lead here.

use std::sync::LazyLock;

use super::login_challenge::start_challenge;
use super::sessions::{LoginError, SessionUser, open_session};
use crate::clock::Clock;
use crate::config::SecuritySettings;
use crate::crypto;
use crate::db::{self, DbConnection};
use crate::domain::EmailAddress;

/// A hash to verify against when the account does not exist, so that an unknown email takes as
/// long to refuse as a wrong password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| crypto::hash_password("no account has this password").unwrap_or_default());

/// What a correct password leads to. No `Debug`: it holds the token of a cookie.
pub enum LoginStep {
    /// A session is open: the token for the cookie.
    Session { token: String, user: SessionUser },
    /// No session yet: the account must give its second factor (`enrol: false`) or set one up
    /// first (`enrol: true`, when `security.require_totp`). The token is for the short-lived
    /// cookie of the pending login.
    SecondFactor { token: String, enrol: bool },
}

/// Checks the password, then opens a session or, when a second factor is on or required,
/// starts a pending login. A refused attempt is audited as `login.failed` with the address
/// tried and the client address (never the password).
#[tracing::instrument(skip_all)]
pub fn login(
    conn: &mut DbConnection,
    clock: &Clock,
    security: &SecuritySettings,
    email: &str,
    password: &str,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> Result<LoginStep, LoginError> {
    let account = match EmailAddress::parse_international(email) {
        Ok(email) => db::users::find_by_email(conn, &email.lookup_key())?,
        Err(_) => None,
    };
    let hash = account
        .as_ref()
        .map_or(DUMMY_HASH.as_str(), |a| a.password_hash.as_str());
    let password_ok = crypto::verify_password(password, hash);
    let usable = |a: &db::users::User| a.disabled_at.is_none() && a.pending_since.is_none();
    let Some(account) = account.filter(|a| password_ok && usable(a)) else {
        let tried: String = email.trim().chars().take(254).collect();
        db::write_transaction(conn, |conn| {
            super::audit::write(
                conn,
                clock,
                super::audit::Who::LoggingIn {
                    user_id: None,
                    email: &tried,
                    ip,
                    user_agent,
                },
                super::audit::Subject::default(),
                "login.failed",
                serde_json::json!({ "email": tried, "ip": ip }),
            )
        })?;
        return Err(LoginError::BadCredentials);
    };
    after_password(conn, clock, security, &account, ip, user_agent)
}

/// The step after a proven password (at login, or an invited colleague who has just chosen
/// one): a pending login when a second factor is on or required, a session otherwise.
pub fn after_password(
    conn: &mut DbConnection,
    clock: &Clock,
    security: &SecuritySettings,
    account: &db::users::User,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> Result<LoginStep, LoginError> {
    if account.totp_enabled_at.is_some() || security.require_totp {
        let enrol = account.totp_enabled_at.is_none();
        let token = start_challenge(conn, clock, account, enrol, ip, user_agent)?;
        return Ok(LoginStep::SecondFactor { token, enrol });
    }
    let (token, user) = open_session(conn, clock, security, account, ip, user_agent, "password")?;
    Ok(LoginStep::Session { token, user })
}
