//! Use cases: what coordinators, partners and admins can do, each as one function that owns
//! its transaction. Handlers and commands parse input into domain types and call these.

pub mod account_links;
pub mod accounts;
pub mod audit;
pub mod backup;
pub mod collation;
mod context;
pub mod coordinating;
pub mod dashboard;
pub mod demo;
mod error;
pub mod exports;
mod files;
pub mod invitations;
pub mod letters;
pub mod login;
pub mod login_challenge;
pub mod metrics;
pub mod notifications;
pub mod organizations;
pub mod outbox;
pub mod progress;
pub mod rate_limits;
pub mod release;
pub mod reminded;
pub mod reminder_preview;
pub mod reminders;
pub mod second_factor;
pub mod sessions;
pub mod sign_on;
pub mod signing;
pub mod transfer;
pub mod webhook_events;
pub mod webhooks;

pub use context::Context;
pub use error::AppError;

use crate::domain::{LetterId, Role};

/// Who performs an action, and from where: recorded in the audit trail.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: String,
    pub email: String,
    pub role: Role,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Holds the letter for the rest of this transaction alone: no partner's decision, edit,
/// invitation round or release of it commits in between (see `db::lock_letter`). Every use case
/// that checks a letter's state and then changes the letter or acts on its invitations calls
/// this first, inside its `db::write_transaction`, and reads the letter after it (a missing
/// letter is found missing there).
pub(crate) fn hold_letter(
    conn: &mut crate::db::DbConnection,
    letter_id: &LetterId,
) -> Result<(), AppError> {
    Ok(crate::db::lock_letter(
        conn,
        letter_id,
        crate::db::LetterLock::Exclusive,
    )?)
}
