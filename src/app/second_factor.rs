//! The optional second factor: TOTP codes from an authenticator app (RFC 6238: SHA-1, 6 digits,
//! 30 seconds, as `totp-rs` computes them) and ten one-time recovery codes. The login step that
//! asks for them is `login_challenge`.
//!
//! The TOTP secret is stored sealed with the server secret; recovery codes by their SHA-256
//! only. A code is accepted once: the time step of the last accepted code is kept.

use totp_rs::{Algorithm, TOTP};
use uuid::Uuid;

use super::Actor;
use super::audit::{self, Subject, Who};
use crate::clock::Clock;
use crate::crypto::{self, sha256_hex};
use crate::db::account_security as store;
use crate::db::users::{self, User};
use crate::db::{self, DbConnection, DbError, QueryResult};
use crate::secrets::ServerSecrets;

const RECOVERY_CODES: usize = 10;
/// Letters and digits that cannot be mistaken for one another when copied by hand.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// The TOTP of a secret, as authenticator apps compute it: one step of skew either way.
fn totp(secret: Vec<u8>, email: &str) -> Option<TOTP> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        secret,
        Some("Undersigned".into()),
        email.to_string(),
    )
    .ok()
}

/// What the enrolment page shows: the secret as text (base32) and as an `otpauth://` URI.
#[derive(Clone)]
pub struct Enrolment {
    pub secret_base32: String,
    pub uri: String,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrolment(…)")
    }
}

/// Where an account's second factor stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Off,
    /// A secret was made but no code confirmed it yet.
    Enrolling,
    On,
}

/// The state of the account's second factor.
pub fn status(conn: &mut DbConnection, user_id: &str) -> Result<Status, DbError> {
    let user = users::find(conn, user_id)?;
    Ok(match user {
        Some(u) if u.totp_enabled_at.is_some() => Status::On,
        Some(u) if u.totp_secret.is_some() => Status::Enrolling,
        _ => Status::Off,
    })
}

/// Starts (or resumes) the enrolment of an account whose second factor is off: makes and
/// stores a new secret unless one awaits confirmation, and returns it to show.
pub fn enrolment(
    conn: &mut DbConnection,
    secrets: &ServerSecrets,
    user_id: &str,
) -> Result<Option<Enrolment>, DbError> {
    db::write_transaction(conn, |conn| {
        let Some(user) = users::find(conn, user_id)? else {
            return Ok(None);
        };
        if user.totp_enabled_at.is_some() {
            return Ok(None);
        }
        let existing = user
            .totp_secret
            .as_deref()
            .and_then(|sealed| secrets.open_totp_secret(user_id, sealed));
        let secret = match existing {
            Some(secret) => secret,
            None => {
                let mut secret = vec![0u8; 20];
                rand::fill(&mut secret[..]);
                let sealed = secrets.seal_totp_secret(user_id, &secret);
                users::set_totp_secret(conn, user_id, Some(&sealed))?;
                secret
            }
        };
        Ok(totp(secret, &user.email).map(|t| Enrolment {
            secret_base32: t.get_secret_base32(),
            uri: t.get_url(),
        }))
    })
}

/// The time step of `code` if it is the account's current TOTP code (one step of skew).
fn matching_step(secrets: &ServerSecrets, clock: &Clock, user: &User, code: &str) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secret = secrets.open_totp_secret(&user.id, user.totp_secret.as_deref()?)?;
    let totp = totp(secret, &user.email)?;
    let now = u64::try_from(clock.now().and_utc().timestamp()).ok()?;
    let mut found = None;
    for skew in [-30i64, 0, 30] {
        let time = now.checked_add_signed(skew)?;
        if crypto::constant_time_eq(&totp.generate(time), &code) {
            found = Some((time / 30) as i64);
        }
    }
    found
}

/// Ten new recovery codes: stored by their SHA-256, returned once to show.
fn new_recovery_codes(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<String>> {
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::fill(&mut bytes);
            let chars: String = bytes
                .iter()
                .map(|b| RECOVERY_ALPHABET[*b as usize % RECOVERY_ALPHABET.len()] as char)
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect();
    let stored: Vec<(String, String)> = codes
        .iter()
        .map(|code| (Uuid::new_v4().to_string(), recovery_hash(code)))
        .collect();
    store::replace_recovery_codes(conn, user_id, &stored)?;
    Ok(codes)
}

fn recovery_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    sha256_hex(format!("recovery:{normal}"))
}

/// Turns the second factor on when `code` is the current code of the secret being enrolled;
/// returns the ten recovery codes to show once, or `None` for a wrong code. Audited as
/// `totp.enabled`.
pub fn confirm_enrolment(
    conn: &mut DbConnection,
    clock: &Clock,
    secrets: &ServerSecrets,
    who: Who,
    user_id: &str,
    code: &str,
) -> Result<Option<Vec<String>>, DbError> {
    db::write_transaction(conn, |conn| {
        let Some(user) = users::find(conn, user_id)?.filter(|u| u.totp_enabled_at.is_none()) else {
            return Ok(None);
        };
        let Some(step) = matching_step(secrets, clock, &user, code) else {
            return Ok(None);
        };
        users::enable_totp(conn, user_id, clock.now(), step)?;
        let codes = new_recovery_codes(conn, user_id)?;
        audit::write(
            conn,
            clock,
            who,
            Subject::default(),
            "totp.enabled",
            serde_json::json!({ "account": user.email }),
        )?;
        Ok(Some(codes))
    })
}

/// Checks a second factor of an account whose TOTP is on: a current code not used before, or
/// an unused recovery code (then spent). Returns how it was proven, or `None`.
pub(crate) fn prove(
    conn: &mut DbConnection,
    clock: &Clock,
    secrets: &ServerSecrets,
    user: &User,
    code: &str,
) -> QueryResult<Option<&'static str>> {
    if let Some(step) = matching_step(secrets, clock, user, code) {
        return Ok(users::advance_totp_step(conn, &user.id, step)?.then_some("totp"));
    }
    let hash = recovery_hash(code);
    for (id, stored) in store::unused_recovery_codes(conn, &user.id)? {
        if crypto::constant_time_eq(&stored, &hash)
            && store::spend_recovery_code(conn, &id, clock.now())?
        {
            return Ok(Some("recovery_code"));
        }
    }
    Ok(None)
}

/// Turns the second factor off after a current code, a recovery code or the password; removes
/// the secret and the recovery codes. Audited as `totp.disabled`. False: nothing proven.
pub fn disable(
    conn: &mut DbConnection,
    clock: &Clock,
    secrets: &ServerSecrets,
    actor: &Actor,
    code_or_password: &str,
) -> Result<bool, DbError> {
    let Some(user) = users::find(conn, &actor.user_id)? else {
        return Ok(false);
    };
    let password_ok = crypto::verify_password(code_or_password, &user.password_hash);
    db::write_transaction(conn, |conn| {
        let proven = password_ok
            || (user.totp_enabled_at.is_some()
                && prove(conn, clock, secrets, &user, code_or_password)?.is_some());
        if !proven {
            return Ok(false);
        }
        users::set_totp_secret(conn, &user.id, None)?;
        store::replace_recovery_codes(conn, &user.id, &[])?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::default(),
            "totp.disabled",
            serde_json::json!({ "account": user.email }),
        )?;
        Ok(true)
    })
}

/// An admin turns off the second factor of a colleague who lost both their phone and their
/// recovery codes; they set it up again (at their next login, when it is required). Audited as
/// `totp.reset`. Errors: `AdminOnly`, `NotFound`.
pub fn reset_by_admin(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    user_id: &str,
) -> Result<(), super::AppError> {
    if actor.role != crate::domain::Role::Admin {
        return Err(super::AppError::AdminOnly);
    }
    db::write_transaction(conn, |conn| {
        let user = users::find(conn, user_id)?.ok_or(super::AppError::NotFound("account"))?;
        users::set_totp_secret(conn, user_id, None)?;
        store::replace_recovery_codes(conn, user_id, &[])?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::default(),
            "totp.reset",
            serde_json::json!({ "account": user.email }),
        )?;
        Ok(())
    })
}
