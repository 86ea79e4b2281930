//! What each account wants to hear about, chosen on its notifications page; everything is on
//! until the account turns something off.

use crate::app::AppError;
use crate::clock::Clock;
use crate::db::notification_preferences::{self as stored, Choices};
use crate::db::{self, DbConnection, QueryResult};

/// The notices an account gets.
pub type Preferences = Choices;

/// Everything on: what an account gets until it chooses.
pub const EVERYTHING: Preferences = Choices {
    lead_declined: true,
    withdrawn_after_release: true,
    release_outcome: true,
    bounced: true,
    daily_digest: true,
};

/// The account's preferences (everything when it never chose).
pub fn preferences_of(conn: &mut DbConnection, user_id: &str) -> Result<Preferences, AppError> {
    Ok(stored_or_everything(conn, user_id)?)
}

/// The same, in a caller's transaction.
pub(super) fn stored_or_everything(
    conn: &mut DbConnection,
    user_id: &str,
) -> QueryResult<Preferences> {
    Ok(stored::find(conn, user_id)?.unwrap_or(EVERYTHING))
}

/// Saves the account's own choices.
pub fn set_preferences(
    conn: &mut DbConnection,
    clock: &Clock,
    user_id: &str,
    preferences: &Preferences,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        stored::save(conn, user_id, preferences, clock.now())?;
        Ok(())
    })
}
