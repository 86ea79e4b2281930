//! The limits that guard secrets against guessing: failed logins per client address and per
//! account (in 15 minutes), sign links that match nothing per client address (in a minute);
//! and "Forgot your password?" requests per client address (`login_failures_per_ip` in an
//! hour) and per address asked for (3 in an hour), which each may send an email.
//! Failures are counted in the database, so every instance sharing it enforces the same limits;
//! an account is counted under the SHA-256 of its email, never the address itself.

use chrono::TimeDelta;

use crate::clock::Clock;
use crate::config::SecuritySettings;
use crate::crypto::sha256_hex;
use crate::db::{self, DbConnection, DbError};

/// How many failures a key may have in a window (which starts at its first failure) before it
/// is refused until the window ends.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Names what is counted; keys of different limits never meet.
    scope: &'static str,
    max_failures: u32,
    window: TimeDelta,
}

/// The limits of `[security]`, checked before and counted after the guarded step.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub login_per_address: Limit,
    pub login_per_account: Limit,
    /// Wrong second-factor codes per account: counted apart from passwords, so a login with
    /// the right password does not forget them.
    pub code_per_account: Limit,
    pub sign_link_per_address: Limit,
    /// "Forgot your password?" requests per client address, and per address asked for.
    pub reset_per_address: Limit,
    pub reset_per_account: Limit,
    /// Requests to join a letter per client address, and per email address asked for: each
    /// one sends a confirmation email.
    pub join_per_address: Limit,
    pub join_per_email: Limit,
}

impl RateLimits {
    pub fn from_settings(security: &SecuritySettings) -> Self {
        Self {
            login_per_address: Limit {
                scope: "login.address",
                max_failures: security.login_failures_per_ip,
                window: TimeDelta::minutes(15),
            },
            login_per_account: Limit {
                scope: "login.account",
                max_failures: security.login_failures_per_account,
                window: TimeDelta::minutes(15),
            },
            code_per_account: Limit {
                scope: "code.account",
                max_failures: security.login_failures_per_account,
                window: TimeDelta::minutes(15),
            },
            sign_link_per_address: Limit {
                scope: "sign_link.address",
                max_failures: security.sign_link_failures_per_ip,
                window: TimeDelta::minutes(1),
            },
            // Every request counts, not only failures: each one may send an email.
            reset_per_address: Limit {
                scope: "reset.address",
                max_failures: security.login_failures_per_ip,
                window: TimeDelta::hours(1),
            },
            reset_per_account: Limit {
                scope: "reset.account",
                // Three emails an hour are plenty for one person, and few for a flood.
                max_failures: 3,
                window: TimeDelta::hours(1),
            },
            join_per_address: Limit {
                scope: "join.address",
                max_failures: security.join_requests_per_ip,
                window: TimeDelta::hours(1),
            },
            join_per_email: Limit {
                scope: "join.email",
                max_failures: 3,
                window: TimeDelta::hours(1),
            },
        }
    }
}

/// The failure counters one login attempt touches: its client address, and the account it
/// names whether or not that account exists (so an unknown email and a wrong password answer
/// alike). The account is counted under the SHA-256 of the email as typed, trimmed and
/// lowercased.
#[derive(Debug, Clone)]
pub struct LoginAttempt {
    address: String,
    account: String,
    limits: RateLimits,
    /// `login_per_account` for passwords, `code_per_account` for second-factor codes.
    account_limit: Limit,
}

impl LoginAttempt {
    pub fn new(security: &SecuritySettings, address: &str, email: &str) -> Self {
        let limits = RateLimits::from_settings(security);
        Self {
            address: address.to_string(),
            account: sha256_hex(email.trim().to_lowercase()),
            account_limit: limits.login_per_account,
            limits,
        }
    }

    /// The attempt of a second-factor code: the client address counts as for passwords (one
    /// counter), the account apart (`code_per_account`).
    pub fn second_factor(security: &SecuritySettings, address: &str, email: &str) -> Self {
        let attempt = Self::new(security, address, email);
        Self {
            account_limit: attempt.limits.code_per_account,
            ..attempt
        }
    }

    /// Whether the address or the account has used up its failed logins.
    pub fn is_blocked(&self, conn: &mut DbConnection, clock: &Clock) -> Result<bool, DbError> {
        Ok(self
            .limits
            .login_per_address
            .is_reached(conn, clock, &self.address)?
            || self.account_limit.is_reached(conn, clock, &self.account)?)
    }

    /// Counts a failed login against the address and the account.
    pub fn failed(&self, conn: &mut DbConnection, clock: &Clock) -> Result<(), DbError> {
        let limits = &self.limits;
        limits
            .login_per_address
            .record_failure(conn, clock, &self.address)?;
        self.account_limit
            .record_failure(conn, clock, &self.account)
    }

    /// A login that succeeded forgets the account's failures; the address keeps its count.
    pub fn succeeded(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        self.account_limit.clear(conn, &self.account)
    }
}

/// One "Forgot your password?" request: counted against its client address and the address
/// it asks for (under its SHA-256, known account or not, so both answer alike).
#[derive(Debug, Clone)]
pub struct ResetRequest {
    address: String,
    account: String,
    limits: RateLimits,
}

impl ResetRequest {
    pub fn new(security: &SecuritySettings, address: &str, email: &str) -> Self {
        Self {
            address: address.to_string(),
            account: sha256_hex(email.trim().to_lowercase()),
            limits: RateLimits::from_settings(security),
        }
    }

    /// Counts the request; false when the address or the account has used up its requests
    /// (then nothing is sent).
    pub fn allowed(&self, conn: &mut DbConnection, clock: &Clock) -> Result<bool, DbError> {
        let limits = &self.limits;
        if limits
            .reset_per_address
            .is_reached(conn, clock, &self.address)?
            || limits
                .reset_per_account
                .is_reached(conn, clock, &self.account)?
        {
            return Ok(false);
        }
        limits
            .reset_per_address
            .record_failure(conn, clock, &self.address)?;
        limits
            .reset_per_account
            .record_failure(conn, clock, &self.account)?;
        Ok(true)
    }
}

impl Limit {
    fn key(&self, subject: &str) -> String {
        format!("{}:{subject}", self.scope)
    }

    /// Whether the subject (a client address, an `account_subject`) has used up its failures.
    pub fn is_reached(
        &self,
        conn: &mut DbConnection,
        clock: &Clock,
        subject: &str,
    ) -> Result<bool, DbError> {
        let failures = db::rate_limits::failures(conn, &self.key(subject), clock.now())?;
        Ok(failures >= self.max_failures)
    }

    /// Counts one failure of the subject. The first failure of a new window also deletes the
    /// windows that have ended, of every key, so the table stays as small as the live windows.
    pub fn record_failure(
        &self,
        conn: &mut DbConnection,
        clock: &Clock,
        subject: &str,
    ) -> Result<(), DbError> {
        let now = clock.now();
        let counted =
            db::rate_limits::record_failure(conn, &self.key(subject), now, now + self.window)?;
        if counted == 1 {
            db::rate_limits::delete_ended(conn, now)?;
        }
        Ok(())
    }

    /// Forgets the subject's failures (an account that logged in).
    pub fn clear(&self, conn: &mut DbConnection, subject: &str) -> Result<(), DbError> {
        Ok(db::rate_limits::clear(conn, &self.key(subject))?)
    }
}
