//! Reminders by hand: to every invitation that has not answered, or to the chosen ones, except
//! those reminded less than `reminders.min_interval_hours` ago.

use chrono::TimeDelta;
use serde_json::json;

use crate::app::audit::{self, Subject};
use crate::app::outbox::{self, Email, Job};
use crate::app::reminded::Reminded;
use crate::app::{Actor, AppError, hold_letter};
use crate::clock::Clock;
use crate::db::invitations::{self};
use crate::db::letters::{self};
use crate::db::{self, DbConnection};
use crate::domain::{LetterId, LetterStatus};

use super::*;

/// What a round of reminders did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RemindOutcome {
    /// Reminders queued.
    pub queued: usize,
    /// Organizations left out because a reminder is still waiting for them or went out less
    /// than the minimum interval ago.
    pub skipped_recently_reminded: usize,
}

/// Queues a reminder to every invitation of the letter that has not answered (or to the chosen
/// ones among them), skipping those with a reminder still waiting or sent less than
/// `min_interval` ago.
pub fn remind(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &LetterId,
    only: Option<&[InvitationId]>,
    min_interval: TimeDelta,
) -> Result<RemindOutcome, AppError> {
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let letter = letters::find(conn, letter_id)?.ok_or(AppError::NotFound("letter"))?;
        if letter.status != LetterStatus::Open {
            return Err(AppError::conflict(
                "reminders go out only while the letter is open",
            ));
        }
        let reminded = Reminded::tally(&db::outbox::reminders_of_letter(conn, letter_id)?);
        let now = clock.now();
        let mut outcome = RemindOutcome::default();
        for invitation in invitations::for_letter(conn, letter_id)? {
            let chosen = only.is_none_or(|ids| ids.contains(&invitation.id));
            if !chosen || !invitation.status.awaits_answer() {
                continue;
            }
            let before = reminded.get(&invitation.id).copied().unwrap_or_default();
            if before.too_recent(now, min_interval) {
                outcome.skipped_recently_reminded += 1;
                continue;
            }
            outbox::queue(
                conn,
                clock,
                links.base_url,
                Job {
                    email: Email::Reminder,
                    letter_id,
                    invitation_id: Some(&invitation.id),
                    recipient: &invitation.contact_email,
                    dedupe_key: None,
                },
            )?;
            audit::record(
                conn,
                clock,
                actor,
                Subject::invitation(letter_id, &invitation.id),
                "invitation.reminded",
                json!({ "organization": invitation.display_name }),
            )?;
            outcome.queued += 1;
        }
        Ok(outcome)
    })
}
