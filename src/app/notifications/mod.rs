//! News that finds the coordinator: the emails a letter's coordinators get at once when something
//! needs them (a lead organization declines, a signatory withdraws from a published letter, a
//! scheduled release fires or fails, an invitation bounces), and a daily digest of the day's
//! answers. Who gets them: the letter's author and every admin, each as their preferences say
//! (all on by default). Every notice is queued in the transaction that made the news.

mod digest;
mod preferences;

pub use digest::queue_daily_digests;
pub use preferences::{Preferences, preferences_of, set_preferences};

use crate::app::outbox::{self, Email, Job};
pub use crate::app::outbox::{DigestLine, Event};
use crate::clock::Clock;
use crate::config::BaseUrl;
use crate::db::{DbConnection, QueryResult, users};
use crate::domain::{LetterId, Role};

impl Event {
    /// Whether these preferences want this event.
    fn wanted_by(&self, preferences: &Preferences) -> bool {
        match self {
            Self::LeadDeclined { .. } => preferences.lead_declined,
            Self::WithdrawnAfterRelease { .. } => preferences.withdrawn_after_release,
            Self::ReleaseFired => preferences.release_outcome,
            Self::Bounced { .. } => preferences.bounced,
        }
    }
}

/// The accounts that hear about a letter: its author and every admin, enabled, with their
/// preferences, each once.
pub(crate) fn audience(
    conn: &mut DbConnection,
    author: Option<&str>,
) -> QueryResult<Vec<(users::User, Preferences)>> {
    let mut audience = Vec::new();
    for user in users::list(conn)? {
        let concerned = user.role == Role::Admin.as_str() || Some(user.id.as_str()) == author;
        if concerned && user.disabled_at.is_none() {
            let preferences = preferences::stored_or_everything(conn, &user.id)?;
            audience.push((user, preferences));
        }
    }
    Ok(audience)
}

/// Queues the notice of `event` about the letter to each account of its audience that wants
/// it. Runs in the caller's transaction.
pub fn notify(
    conn: &mut DbConnection,
    clock: &Clock,
    base_url: &BaseUrl,
    letter_id: &LetterId,
    event: Event,
) -> QueryResult<()> {
    let author = crate::db::letters::find(conn, letter_id)?.and_then(|l| l.created_by);
    for (user, preferences) in audience(conn, author.as_deref())? {
        if !event.wanted_by(&preferences) {
            continue;
        }
        outbox::queue(
            conn,
            clock,
            base_url,
            Job {
                email: Email::Notice {
                    event: event.clone(),
                },
                letter_id,
                invitation_id: None,
                recipient: &user.email,
                dedupe_key: None,
            },
        )?;
    }
    Ok(())
}
