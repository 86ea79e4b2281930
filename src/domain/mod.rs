//! Parsed input: every value from outside (a form, the API, the command line, a CSV file)
//! becomes one of these types at the edge, so the use cases never see an unchecked string.

mod account;
mod email;
mod text;

pub use account::{Password, Role};
pub use email::EmailAddress;
pub use text::PersonName;

/// Why a value was refused, in words fit to show the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);

impl InvalidInput {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
