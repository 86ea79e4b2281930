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
