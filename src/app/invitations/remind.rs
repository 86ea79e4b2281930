//! Reminders by hand: to every invitation that has not answered, or to the chosen ones.

use serde_json::json;

use crate::app::audit::{self, Subject};
use crate::app::outbox::{self, Email, Job};
use crate::app::{Actor, AppError, hold_letter};
use crate::clock::Clock;
use crate::db::invitations::{self};
use crate::db::letters::{self};
use crate::db::{self, DbConnection};
use crate::domain::{EmailKind, LetterId, LetterStatus};

use super::*;

/// Queues a reminder to every invitation of the letter that has not answered (or to the chosen
/// ones among them), skipping those with a reminder still waiting. Returns how many were queued.
pub fn remind(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &LetterId,
    only: Option<&[InvitationId]>,
) -> Result<usize, AppError> {
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let letter = letters::find(conn, letter_id)?.ok_or(AppError::NotFound("letter"))?;
        if letter.status != LetterStatus::Open {
            return Err(AppError::conflict(
                "reminders go out only while the letter is open",
            ));
        }
        let mut queued = 0;
        for invitation in invitations::for_letter(conn, letter_id)? {
            let chosen = only.is_none_or(|ids| ids.contains(&invitation.id));
            if !chosen
                || !invitation.status.awaits_answer()
                || crate::db::outbox::has_pending(conn, &invitation.id, EmailKind::Reminder)?
            {
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
            queued += 1;
        }
        Ok(queued)
    })
}
