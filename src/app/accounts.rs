//! Accounts of coordinators and admins, and the API tokens they hold.

use uuid::Uuid;

use super::Actor;
use super::audit::{self, Subject, Who};
use crate::clock::Clock;
use crate::crypto;
pub use crate::db::api_tokens::TokenSummary;
use crate::db::{self, DbConnection, DbError, QueryError, api_tokens, users};
use crate::domain::{EmailAddress, Password, PersonName, Role};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("an account with this email address already exists")]
    EmailTaken,
    #[error("no account has this email address")]
    UnknownAccount,
    #[error("the password could not be hashed")]
    Hashing,
    #[error("only an admin may do this")]
    AdminOnly,
    #[error("you cannot disable your own account")]
    OwnAccount,
    #[error("this is the last admin: make another account admin first")]
    LastAdmin,
    #[error(transparent)]
    Storage(#[from] DbError),
}

impl From<QueryError> for AccountError {
    fn from(error: QueryError) -> Self {
        if db::is_unique_violation(&error) {
            Self::EmailTaken
        } else {
            Self::Storage(error.into())
        }
    }
}

pub struct NewAccount {
    pub email: EmailAddress,
    pub name: PersonName,
    pub password: Password,
    pub role: Role,
}

/// Creates an account, by an admin (`Who::Account`) or an operator at the console or the setup
/// link (`Who::System`), and records `account.created`. The password is stored as an argon2id
/// hash only. Errors: `AdminOnly` for a coordinator, `EmailTaken`.
#[tracing::instrument(skip_all, fields(role = %account.role))]
pub fn create_account(
    conn: &mut DbConnection,
    clock: &Clock,
    by: Who,
    account: NewAccount,
) -> Result<users::User, AccountError> {
    if matches!(by, Who::Account(actor) if actor.role != Role::Admin) {
        return Err(AccountError::AdminOnly);
    }
    let password_hash =
        crypto::hash_password(account.password.expose()).map_err(|_| AccountError::Hashing)?;
    let id = Uuid::new_v4().to_string();
    let email = account.email.lookup_key();
    db::write_transaction(conn, |conn| {
        users::insert(
            conn,
            &users::NewUser {
                id: &id,
                email: &email,
                name: account.name.as_str(),
                password_hash: &password_hash,
                role: account.role.as_str(),
                created_at: clock.now(),
                pending_since: None,
            },
        )?;
        let created = users::find_by_email(conn, &email)?.ok_or(AccountError::UnknownAccount)?;
        audit::write(
            conn,
            clock,
            by,
            Subject::default(),
            "account.created",
            serde_json::json!({ "account": created.email, "role": created.role }),
        )?;
        Ok(created)
    })
}

/// Makes a new API token for the account and returns it; only its SHA-256 is kept, so this is
/// the one time anybody sees it.
#[tracing::instrument(skip_all)]
pub fn issue_api_token(
    conn: &mut DbConnection,
    clock: &Clock,
    email: &EmailAddress,
    label: &str,
) -> Result<String, AccountError> {
    let token = format!("ust_{}", crypto::random_token());
    let token_hash = crypto::sha256_hex(&token);
    db::write_transaction(conn, |conn| {
        let user = users::find_by_email(conn, &email.lookup_key())?
            .filter(|user| user.disabled_at.is_none())
            .ok_or(AccountError::UnknownAccount)?;
        api_tokens::insert(
            conn,
            &api_tokens::NewApiToken {
                id: &Uuid::new_v4().to_string(),
                user_id: &user.id,
                token_hash: &token_hash,
                label,
                created_at: clock.now(),
            },
        )?;
        Ok(token)
    })
}

/// Every account, admins first, then by name.
/// The account with this email address. Errors: `UnknownAccount`.
pub fn account_by_email(
    conn: &mut DbConnection,
    email: &EmailAddress,
) -> Result<users::User, AccountError> {
    users::find_by_email(conn, &email.lookup_key())
        .map_err(DbError::from)?
        .ok_or(AccountError::UnknownAccount)
}

pub fn list_accounts(conn: &mut DbConnection) -> Result<Vec<users::User>, AccountError> {
    Ok(users::list(conn).map_err(DbError::from)?)
}

/// Disables an account (its sessions and API tokens stop working at once) or enables it again,
/// and records `account.disabled` or `account.enabled`. Only admins, and never their own
/// account. Errors: `AdminOnly`, `OwnAccount`, `UnknownAccount`.
pub fn set_disabled(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    user_id: &str,
    disabled: bool,
) -> Result<(), AccountError> {
    if actor.role != Role::Admin {
        return Err(AccountError::AdminOnly);
    }
    if actor.user_id == user_id {
        return Err(AccountError::OwnAccount);
    }
    db::write_transaction(conn, |conn| {
        if !users::set_disabled_at(conn, user_id, disabled.then(|| clock.now()))? {
            return Err(AccountError::UnknownAccount);
        }
        if disabled {
            db::sessions::revoke_all_of_user(conn, user_id, None, clock.now())?;
        }
        audit::record(
            conn,
            clock,
            actor,
            Subject::default(),
            if disabled {
                "account.disabled"
            } else {
                "account.enabled"
            },
            serde_json::json!({ "account_id": user_id }),
        )?;
        Ok(())
    })
}

/// Changes the role of an account (coordinator ↔ admin) and records `account.role_changed`.
/// Only admins; never leaves the installation without an enabled admin. Errors: `AdminOnly`,
/// `UnknownAccount`, `LastAdmin`.
pub fn set_role(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    user_id: &str,
    role: Role,
) -> Result<(), AccountError> {
    if actor.role != Role::Admin {
        return Err(AccountError::AdminOnly);
    }
    db::write_transaction(conn, |conn| {
        let user = users::find(conn, user_id)?.ok_or(AccountError::UnknownAccount)?;
        if user.role == role.as_str() {
            return Ok(());
        }
        let counts_as_admin =
            user.role == "admin" && user.disabled_at.is_none() && user.pending_since.is_none();
        if counts_as_admin && users::count_active_admins(conn)? <= 1 {
            return Err(AccountError::LastAdmin);
        }
        users::set_role(conn, user_id, role.as_str())?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::default(),
            "account.role_changed",
            serde_json::json!({ "account": user.email, "from": user.role, "to": role.as_str() }),
        )?;
        Ok(())
    })
}

/// Changes a password after checking the current one; other sessions of the account end.
pub fn change_password(
    conn: &mut DbConnection,
    clock: &Clock,
    user_id: &str,
    keep_session: &str,
    current: &str,
    new: Password,
) -> Result<bool, AccountError> {
    let stored = users::find(conn, user_id)
        .map_err(DbError::from)?
        .ok_or(AccountError::UnknownAccount)?;
    if !crypto::verify_password(current, &stored.password_hash) {
        return Ok(false);
    }
    let hash = crypto::hash_password(new.expose()).map_err(|_| AccountError::Hashing)?;
    db::write_transaction(conn, |conn| {
        users::set_password_hash(conn, user_id, &hash)?;
        db::sessions::revoke_all_of_user(conn, user_id, Some(keep_session), clock.now())?;
        Ok(true)
    })
}

/// Sets a new password without the current one — by an admin (`Who::Account`, admins only) or
/// an operator at the console (`Who::System`) — ends every session of the account, and records
/// `account.password_reset`. Errors: `AdminOnly`, `UnknownAccount`, `Hashing`.
pub fn reset_password(
    conn: &mut DbConnection,
    clock: &Clock,
    by: Who,
    user_id: &str,
    new: Password,
) -> Result<(), AccountError> {
    if matches!(by, Who::Account(actor) if actor.role != Role::Admin) {
        return Err(AccountError::AdminOnly);
    }
    let hash = crypto::hash_password(new.expose()).map_err(|_| AccountError::Hashing)?;
    db::write_transaction(conn, |conn| {
        let user = users::find(conn, user_id)?.ok_or(AccountError::UnknownAccount)?;
        users::set_password_hash(conn, user_id, &hash)?;
        db::sessions::revoke_all_of_user(conn, user_id, None, clock.now())?;
        audit::write(
            conn,
            clock,
            by,
            Subject::default(),
            "account.password_reset",
            serde_json::json!({ "account": user.email }),
        )?;
        Ok(())
    })
}

/// The account's API tokens, newest first (never the tokens themselves).
pub fn list_tokens(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<Vec<TokenSummary>, AccountError> {
    Ok(api_tokens::for_user(conn, user_id).map_err(DbError::from)?)
}

/// Revokes one of the account's own tokens.
pub fn revoke_token(
    conn: &mut DbConnection,
    clock: &Clock,
    user_id: &str,
    token_id: &str,
) -> Result<(), AccountError> {
    db::write_transaction(conn, |conn| {
        if api_tokens::revoke(conn, user_id, token_id, clock.now())? {
            Ok(())
        } else {
            Err(AccountError::UnknownAccount)
        }
    })
}

/// The account behind an API token, if the token is active and the account enabled: `(user id,
/// email, role as stored)`. Notes the token's use at most once a minute. The token is looked
/// up by its SHA-256.
pub fn api_token_owner(
    conn: &mut DbConnection,
    clock: &Clock,
    token: &str,
) -> Result<Option<(String, String, String)>, DbError> {
    let Some(owner) = api_tokens::find_owner(conn, &crypto::sha256_hex(token))? else {
        return Ok(None);
    };
    let now = clock.now();
    if owner
        .last_used_at
        .is_none_or(|at| now - at > chrono::TimeDelta::minutes(1))
    {
        api_tokens::touch(conn, &owner.token_id, now)?;
    }
    Ok(Some((owner.user_id, owner.email, owner.role)))
}
