//! Why a use case refused or failed, in terms the web layer maps to a status once.

use crate::db::DbError;
use crate::domain::InvalidInput;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input that cannot be used; nothing was changed.
    #[error("{0}")]
    Invalid(#[from] InvalidInput),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request is well-formed but the current state forbids it.
    #[error("{0}")]
    Conflict(String),
    #[error("only an admin may do this")]
    AdminOnly,
    /// Something stored cannot be read back (a frozen signatory list that does not parse): a
    /// fault of ours, logged and answered 500, never shown as an empty page.
    #[error("stored data cannot be read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Storage(#[from] DbError),
}

impl AppError {
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }
}

impl From<crate::db::QueryError> for AppError {
    fn from(error: crate::db::QueryError) -> Self {
        Self::Storage(error.into())
    }
}
