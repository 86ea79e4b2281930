//! One-time links emailed to an account: the invitation of a colleague (choose a first password,
//! valid 72 hours) and the password reset ("Forgot your password?", valid one hour). A link's
//! token is derived from the server secret and a stored nonce when its email is rendered; only
//! the token's SHA-256 is stored. A new link of the same kind kills the older ones, and a link
//! works once.

use chrono::TimeDelta;
use uuid::Uuid;

mod invitation;

pub use invitation::{Invitee, accept_invitation, invite, resend_invitation};

use super::accounts::{self, AccountError};
use super::audit::{self, Subject, Who};
use super::outbox::{self, Email};
use crate::clock::Clock;
use crate::config::BaseUrl;
use crate::crypto::{self, sha256_hex};
use crate::db::account_security::{self as store, AccountLink};
use crate::db::users::{self, User};
use crate::db::{self, DbConnection, DbError};
use crate::domain::{EmailAddress, Password};
use crate::secrets::ServerSecrets;

/// Why a link is sent, as stored in `account_links.purpose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invitation,
    PasswordReset,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::PasswordReset => "password_reset",
        }
    }

    /// How long the link works.
    pub fn lifetime(self) -> TimeDelta {
        match self {
            Self::Invitation => TimeDelta::hours(72),
            Self::PasswordReset => TimeDelta::hours(1),
        }
    }

    /// The path of the page the link opens, before its token.
    pub fn path(self) -> &'static str {
        match self {
            Self::Invitation => "/welcome/",
            Self::PasswordReset => "/password/reset/",
        }
    }
}

/// What the email of a link needs: where and until when it works.
pub struct LinkFacts {
    pub name: String,
    pub url: String,
    pub expires_at: chrono::NaiveDateTime,
}

/// The working link of a stored link, derived from the server secret; `None` once it was used
/// or has expired (its email is then dropped).
pub fn link_facts(
    conn: &mut DbConnection,
    clock: &Clock,
    secrets: &ServerSecrets,
    base_url: &BaseUrl,
    link_id: &str,
    purpose: Purpose,
) -> Result<Option<LinkFacts>, DbError> {
    let Some(link) = store::find_link(conn, link_id)?
        .filter(|l| l.purpose == purpose.as_str())
        .filter(|l| l.used_at.is_none() && l.expires_at > clock.now())
    else {
        return Ok(None);
    };
    let Some(user) = users::find(conn, &link.user_id)? else {
        return Ok(None);
    };
    let token = secrets.account_link_token(&link.id, &link.nonce);
    Ok(Some(LinkFacts {
        name: user.name,
        url: base_url.join(&format!("{}{token}", purpose.path())),
        expires_at: link.expires_at,
    }))
}

/// Stores a new link for the account (killing older ones of the purpose) and queues its email.
pub(super) fn send_link(
    conn: &mut DbConnection,
    clock: &Clock,
    secrets: &ServerSecrets,
    base_url: &BaseUrl,
    user: &User,
    purpose: Purpose,
) -> Result<(), DbError> {
    let (id, nonce, now) = (
        Uuid::new_v4().to_string(),
        crypto::random_token(),
        clock.now(),
    );
    let token = secrets.account_link_token(&id, &nonce);
    store::insert_link(
        conn,
        &AccountLink {
            token_hash: sha256_hex(&token),
            id: id.clone(),
            user_id: user.id.clone(),
            purpose: purpose.as_str().into(),
            nonce,
            created_at: now,
            expires_at: now + purpose.lifetime(),
            used_at: None,
        },
    )?;
    let email = match purpose {
        Purpose::Invitation => Email::AccountInvitation { link_id: id },
        Purpose::PasswordReset => Email::PasswordReset { link_id: id },
    };
    Ok(outbox::queue_account_email(
        conn,
        clock,
        base_url,
        email,
        &user.email,
    )?)
}

/// The account a usable link of this purpose belongs to (for the page the link opens).
pub fn link_account(
    conn: &mut DbConnection,
    clock: &Clock,
    token: &str,
    purpose: Purpose,
) -> Result<Option<User>, DbError> {
    let Some(link) =
        store::find_usable_link(conn, &sha256_hex(token), purpose.as_str(), clock.now())?
    else {
        return Ok(None);
    };
    Ok(users::find(conn, &link.user_id)?.filter(|u| u.disabled_at.is_none()))
}

/// Spends a usable link; the account it belongs to, or `None` when it does not work.
pub(super) fn spend(
    conn: &mut DbConnection,
    clock: &Clock,
    token: &str,
    purpose: Purpose,
) -> Result<Option<User>, DbError> {
    db::write_transaction(conn, |conn| {
        let Some(user) = link_account(conn, clock, token, purpose)? else {
            return Ok(None);
        };
        let link =
            store::find_usable_link(conn, &sha256_hex(token), purpose.as_str(), clock.now())?;
        match link {
            Some(link) if store::spend_link(conn, &link.id, clock.now())? => Ok(Some(user)),
            _ => Ok(None),
        }
    })
}

/// "Forgot your password?": sends a reset link when an enabled account (not pending) has this
/// address, and does nothing otherwise; the caller answers alike either way. Audited as
/// `account.password_reset_requested` when a link is sent.
pub fn request_reset(
    conn: &mut DbConnection,
    clock: &Clock,
    secrets: &ServerSecrets,
    base_url: &BaseUrl,
    email: &str,
    ip: Option<&str>,
) -> Result<bool, DbError> {
    let Ok(email) = EmailAddress::parse_international(email) else {
        return Ok(false);
    };
    db::write_transaction(conn, |conn| {
        let Some(user) = users::find_by_email(conn, &email.lookup_key())?
            .filter(|u| u.disabled_at.is_none() && u.pending_since.is_none())
        else {
            return Ok(false);
        };
        send_link(
            conn,
            clock,
            secrets,
            base_url,
            &user,
            Purpose::PasswordReset,
        )?;
        audit::write(
            conn,
            clock,
            Who::LoggingIn {
                user_id: Some(&user.id),
                email: &user.email,
                ip,
                user_agent: None,
            },
            Subject::default(),
            "account.password_reset_requested",
            serde_json::json!({ "account": user.email, "ip": ip }),
        )?;
        Ok(true)
    })
}

/// Sets a new password through a reset link (which then stops working): every session and
/// pending login of the account ends (`accounts::reset_password`, audited as
/// `account.password_reset`). False: the link does not work.
pub fn reset_with_link(
    conn: &mut DbConnection,
    clock: &Clock,
    token: &str,
    password: Password,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> Result<bool, AccountError> {
    let Some(user) = spend(conn, clock, token, Purpose::PasswordReset)? else {
        return Ok(false);
    };
    let who = Who::LoggingIn {
        user_id: Some(&user.id),
        email: &user.email,
        ip,
        user_agent,
    };
    accounts::reset_password(conn, clock, who, &user.id, password)?;
    store::delete_challenges_of_user(conn, &user.id).map_err(DbError::from)?;
    Ok(true)
}
