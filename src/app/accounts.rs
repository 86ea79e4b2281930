//! Accounts of coordinators and admins, and the API tokens they hold.

use diesel::result::Error as DieselError;
use uuid::Uuid;

use crate::clock::Clock;
use crate::crypto;
use crate::db::{self, DbConnection, DbError, api_tokens, users};
use crate::domain::{EmailAddress, Password, PersonName, Role};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("an account with this email address already exists")]
    EmailTaken,
    #[error("no account has this email address")]
    UnknownAccount,
    #[error("the password could not be hashed")]
    Hashing,
    #[error(transparent)]
    Storage(#[from] DbError),
}

impl From<DieselError> for AccountError {
    fn from(error: DieselError) -> Self {
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

/// Creates an account; the password is stored as an argon2id hash only.
#[tracing::instrument(skip_all, fields(role = %account.role))]
pub fn create_account(
    conn: &mut DbConnection,
    clock: &Clock,
    account: NewAccount,
) -> Result<users::User, AccountError> {
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
            },
        )?;
        users::find_by_email(conn, &email)?.ok_or(AccountError::UnknownAccount)
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
pub fn list_accounts(conn: &mut DbConnection) -> Result<Vec<users::User>, AccountError> {
    use crate::db::schema::users as table;
    use diesel::prelude::*;
    Ok(table::table
        .order((table::role.asc(), table::name.asc()))
        .select(users::User::as_select())
        .load(conn)
        .map_err(DbError::from)?)
}

/// Disables an account (its sessions and API tokens stop working at once) or enables it again.
pub fn set_disabled(
    conn: &mut DbConnection,
    clock: &Clock,
    user_id: &str,
    disabled: bool,
) -> Result<(), AccountError> {
    use crate::db::schema::users as table;
    use diesel::prelude::*;
    db::write_transaction(conn, |conn| {
        let changed = diesel::update(table::table.find(user_id))
            .set(table::disabled_at.eq(disabled.then(|| clock.now())))
            .execute(conn)?;
        if changed == 0 {
            return Err(AccountError::UnknownAccount);
        }
        if disabled {
            super::sessions::revoke_sessions(conn, clock, user_id, None)?;
        }
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
    use crate::db::schema::users as table;
    use diesel::prelude::*;
    let stored: String = table::table
        .find(user_id)
        .select(table::password_hash)
        .first(conn)
        .map_err(DbError::from)?;
    if !crypto::verify_password(current, &stored) {
        return Ok(false);
    }
    let hash = crypto::hash_password(new.expose()).map_err(|_| AccountError::Hashing)?;
    db::write_transaction(conn, |conn| {
        diesel::update(table::table.find(user_id))
            .set(table::password_hash.eq(&hash))
            .execute(conn)?;
        super::sessions::revoke_sessions(conn, clock, user_id, Some(keep_session))?;
        Ok(true)
    })
}

/// An API token as its owner sees it (never the token itself).
#[derive(Debug, Clone, diesel::Queryable)]
pub struct TokenSummary {
    pub id: String,
    pub label: String,
    pub created_at: chrono::NaiveDateTime,
    pub last_used_at: Option<chrono::NaiveDateTime>,
    pub revoked_at: Option<chrono::NaiveDateTime>,
}

pub fn list_tokens(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<Vec<TokenSummary>, AccountError> {
    use crate::db::schema::api_tokens as table;
    use diesel::prelude::*;
    Ok(table::table
        .filter(table::user_id.eq(user_id))
        .order(table::created_at.desc())
        .select((
            table::id,
            table::label,
            table::created_at,
            table::last_used_at,
            table::revoked_at,
        ))
        .load(conn)
        .map_err(DbError::from)?)
}

/// Revokes one of the account's own tokens.
pub fn revoke_token(
    conn: &mut DbConnection,
    clock: &Clock,
    user_id: &str,
    token_id: &str,
) -> Result<(), AccountError> {
    use crate::db::schema::api_tokens as table;
    use diesel::prelude::*;
    db::write_transaction(conn, |conn| {
        let changed = diesel::update(
            table::table
                .filter(table::id.eq(token_id))
                .filter(table::user_id.eq(user_id)),
        )
        .set(table::revoked_at.eq(clock.now()))
        .execute(conn)?;
        if changed == 0 {
            Err(AccountError::UnknownAccount)
        } else {
            Ok(())
        }
    })
}
