//! Inviting a colleague: an admin makes a pending account (it cannot log in) and sends it a
//! one-time link, again if need be; the colleague chooses a password through the link and the
//! login goes on.

use uuid::Uuid;

use super::{Purpose, send_link, spend};
use crate::app::Actor;
use crate::app::accounts::AccountError;
use crate::app::audit::{self, Subject, Who};
use crate::app::login::LoginStep;
use crate::app::sessions::LoginError;
use crate::clock::Clock;
use crate::config::{BaseUrl, SecuritySettings};
use crate::crypto;
use crate::db::users::{self, User};
use crate::db::{self, DbConnection, DbError};
use crate::domain::{EmailAddress, Password, PersonName, Role};
use crate::secrets::ServerSecrets;

/// The stored password of an invited account: not a hash, so no password matches it.
const NO_PASSWORD: &str = "!invited";

/// A colleague to invite: no password, they choose it through the link.
pub struct Invitee {
    pub email: EmailAddress,
    pub name: PersonName,
    pub role: Role,
}

/// An admin invites a colleague: a pending account that cannot log in, and an email with a
/// one-time link to choose a password. Audited as `account.invited`. Errors: `AdminOnly`,
/// `EmailTaken`.
pub fn invite(
    conn: &mut DbConnection,
    clock: &Clock,
    secrets: &ServerSecrets,
    base_url: &BaseUrl,
    actor: &Actor,
    invitee: Invitee,
) -> Result<User, AccountError> {
    if actor.role != Role::Admin {
        return Err(AccountError::AdminOnly);
    }
    let email = invitee.email.lookup_key();
    db::write_transaction(conn, |conn| {
        users::insert(
            conn,
            &users::NewUser {
                id: &Uuid::new_v4().to_string(),
                email: &email,
                name: invitee.name.as_str(),
                password_hash: NO_PASSWORD,
                role: invitee.role.as_str(),
                created_at: clock.now(),
                pending_since: Some(clock.now()),
            },
        )?;
        let user = users::find_by_email(conn, &email)?.ok_or(AccountError::UnknownAccount)?;
        send_link(conn, clock, secrets, base_url, &user, Purpose::Invitation)?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::default(),
            "account.invited",
            serde_json::json!({ "account": user.email, "role": user.role }),
        )?;
        Ok(user)
    })
}

/// Sends a pending account's invitation again: a new link, the old one stops working.
/// Audited as `account.invitation_resent`. Errors: `AdminOnly`, `UnknownAccount` (also for an
/// account that is no longer pending).
pub fn resend_invitation(
    conn: &mut DbConnection,
    clock: &Clock,
    secrets: &ServerSecrets,
    base_url: &BaseUrl,
    actor: &Actor,
    user_id: &str,
) -> Result<String, AccountError> {
    if actor.role != Role::Admin {
        return Err(AccountError::AdminOnly);
    }
    db::write_transaction(conn, |conn| {
        let user = users::find(conn, user_id)?
            .filter(|u| u.pending_since.is_some() && u.disabled_at.is_none())
            .ok_or(AccountError::UnknownAccount)?;
        send_link(conn, clock, secrets, base_url, &user, Purpose::Invitation)?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::default(),
            "account.invitation_resent",
            serde_json::json!({ "account": user.email }),
        )?;
        Ok(user.email)
    })
}

/// An invited colleague chooses a password through their link: the account stops being pending
/// and the login goes on (a session, or a second factor to set up when one is required).
/// `None`: the link does not work (used, expired, replaced). Audited as
/// `account.invitation_accepted`.
pub fn accept_invitation(
    conn: &mut DbConnection,
    clock: &Clock,
    security: &SecuritySettings,
    token: &str,
    password: Password,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> Result<Option<LoginStep>, AccountError> {
    let hash = crypto::hash_password(password.expose()).map_err(|_| AccountError::Hashing)?;
    let Some(user) = spend(conn, clock, token, Purpose::Invitation)? else {
        return Ok(None);
    };
    db::write_transaction(conn, |conn| {
        users::set_password_hash(conn, &user.id, &hash)?;
        users::clear_pending(conn, &user.id)?;
        audit::write(
            conn,
            clock,
            Who::LoggingIn {
                user_id: Some(&user.id),
                email: &user.email,
                ip,
                user_agent,
            },
            Subject::default(),
            "account.invitation_accepted",
            serde_json::json!({ "account": user.email }),
        )
    })
    .map_err(DbError::from)?;
    let user = users::find(conn, &user.id)
        .map_err(DbError::from)?
        .ok_or(AccountError::UnknownAccount)?;
    match crate::app::login::after_password(conn, clock, security, &user, ip, user_agent) {
        Ok(step) => Ok(Some(step)),
        Err(LoginError::Storage(e)) => Err(e.into()),
        Err(LoginError::BadCredentials) => Err(AccountError::UnknownAccount),
    }
}
