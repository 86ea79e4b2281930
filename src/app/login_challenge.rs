//! The pending login between a proven password and its second factor (or its enrolment, when
//! `security.require_totp`): no session exists until it completes. It is stored by the SHA-256
//! of its cookie's token and lasts ten minutes.

use chrono::TimeDelta;
use uuid::Uuid;

use super::AppError;
use super::audit::{self, Subject, Who};
use super::second_factor::{confirm_enrolment, prove};
use super::sessions::{self, LoginError, SessionUser};
use crate::clock::Clock;
use crate::config::SecuritySettings;
use crate::crypto::{self, sha256_hex};
use crate::db::account_security::{self as store, LoginChallenge};
use crate::db::users::{self, User};
use crate::db::{self, DbConnection, DbError, QueryResult};
use crate::secrets::ServerSecrets;

/// How long a login may wait between its password and its second factor.
const CHALLENGE_MINUTES: i64 = 10;

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
