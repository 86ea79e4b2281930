//! The optional second factor: TOTP codes from an authenticator app (RFC 6238: SHA-1, 6 digits,
//! 30 seconds) and ten one-time recovery codes; and the pending login that waits for a code (or
//! for an enrolment, when `security.require_totp`) before any session exists.
//!
//! The TOTP secret is stored sealed with the server secret; recovery codes and the pending
//! login's token by their SHA-256 only. A code is accepted once: the time step of the last
//! accepted code is kept.

use chrono::TimeDelta;
use totp_rs::{Algorithm, TOTP};
use uuid::Uuid;

use super::audit::{self, Subject, Who};
use super::sessions::{self, LoginError, SessionUser};
use super::{Actor, AppError};
use crate::clock::Clock;
use crate::config::SecuritySettings;
use crate::crypto::{self, sha256_hex};
use crate::db::account_security::{self as store, LoginChallenge};
use crate::db::users::{self, User};
use crate::db::{self, DbConnection, DbError, QueryResult};
use crate::secrets::ServerSecrets;

/// How long a login may wait between its password and its second factor.
const CHALLENGE_MINUTES: i64 = 10;
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
fn prove(
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

/// Starts a pending login after a proven password; returns the token of its cookie.
pub(crate) fn start_challenge(
    conn: &mut DbConnection,
    clock: &Clock,
    account: &User,
    enrol: bool,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> QueryResult<String> {
    let token = crypto::random_token();
    let now = clock.now();
    db::write_transaction(conn, |conn| {
        store::insert_challenge(
            conn,
            &LoginChallenge {
                id: Uuid::new_v4().to_string(),
                token_hash: sha256_hex(&token),
                user_id: account.id.clone(),
                purpose: if enrol { "enrol" } else { "code" }.into(),
                created_at: now,
                expires_at: now + TimeDelta::minutes(CHALLENGE_MINUTES),
                ip: ip.map(str::to_string),
                user_agent: user_agent.map(str::to_string),
            },
        )
    })?;
    Ok(token)
}

/// A pending login: the account and whether it must enrol rather than give a code.
#[derive(Debug, Clone)]
pub struct PendingLogin {
    challenge: LoginChallenge,
    pub email: String,
    pub enrol: bool,
    pub user_id: String,
}

/// The pending login of this cookie, if it has not expired and its account may still log in.
pub fn pending_login(
    conn: &mut DbConnection,
    clock: &Clock,
    token: &str,
) -> Result<Option<PendingLogin>, DbError> {
    let Some(challenge) = store::find_challenge(conn, &sha256_hex(token), clock.now())? else {
        return Ok(None);
    };
    let Some(user) = users::find(conn, &challenge.user_id)?.filter(|u| u.disabled_at.is_none())
    else {
        return Ok(None);
    };
    Ok(Some(PendingLogin {
        enrol: challenge.purpose == "enrol",
        email: user.email,
        user_id: user.id,
        challenge,
    }))
}

/// How a second step ended. No `Debug`: it holds a session token and recovery codes.
pub enum Completed {
    /// The session is open; `recovery_codes` are shown once after an enrolment.
    Session {
        token: String,
        user: SessionUser,
        recovery_codes: Vec<String>,
    },
    /// The code was not right (audited as `login.failed`); the pending login stays.
    WrongCode,
}

/// Completes a pending login with a code (or, when it enrols, the first code of the new
/// secret): the pending login ends and a session opens.
pub fn complete(
    conn: &mut DbConnection,
    clock: &Clock,
    security: &SecuritySettings,
    secrets: &ServerSecrets,
    pending: &PendingLogin,
    code: &str,
) -> Result<Completed, AppError> {
    let challenge = &pending.challenge;
    let (ip, user_agent) = (challenge.ip.as_deref(), challenge.user_agent.as_deref());
    let storage = |e: LoginError| match e {
        LoginError::Storage(e) => AppError::Storage(e),
        LoginError::BadCredentials => AppError::NotFound("account"),
    };
    let user = users::find(conn, &pending.user_id)
        .map_err(DbError::from)?
        .ok_or(AppError::NotFound("account"))?;
    let who = Who::LoggingIn {
        user_id: Some(&user.id),
        email: &user.email,
        ip,
        user_agent,
    };
    let proven = db::write_transaction(conn, |conn| -> Result<_, AppError> {
        let proven = if pending.enrol {
            confirm_enrolment(conn, clock, secrets, who, &user.id, code)?
                .map(|codes| ("totp_enrolment", codes))
        } else {
            prove(conn, clock, secrets, &user, code)
                .map_err(DbError::from)?
                .map(|how| (how, Vec::new()))
        };
        match &proven {
            Some(_) => {
                if !store::delete_challenge(conn, &challenge.id).map_err(DbError::from)? {
                    return Err(AppError::NotFound("pending login"));
                }
            }
            None => audit::write(
                conn,
                clock,
                who,
                Subject::default(),
                "login.failed",
                serde_json::json!({ "email": user.email, "ip": ip, "step": "second factor" }),
            )
            .map_err(DbError::from)?,
        }
        Ok(proven)
    })?;
    let Some((how, recovery_codes)) = proven else {
        return Ok(Completed::WrongCode);
    };
    if how == "recovery_code" {
        db::write_transaction(conn, |conn| {
            audit::write(
                conn,
                clock,
                who,
                Subject::default(),
                "totp.recovery_code_used",
                serde_json::json!({ "account": user.email }),
            )
        })
        .map_err(DbError::from)?;
    }
    let (token, session_user) =
        sessions::open_session(conn, clock, security, &user, ip, user_agent, how)
            .map_err(storage)?;
    Ok(Completed::Session {
        token,
        user: session_user,
        recovery_codes,
    })
}
