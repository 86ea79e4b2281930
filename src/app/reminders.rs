//! Automatic reminders: on the days before its deadline that a letter's schedule names, each
//! organization that has not answered gets one reminder per slot, never twice for a slot (the
//! job's dedupe key), never after the deadline or once the letter is closed or released, and
//! never sooner than `reminders.min_interval_hours` after its last reminder (by hand or not).

use std::collections::HashSet;

use chrono::{NaiveDateTime, TimeDelta};

use super::AppError;
use super::outbox::{self, Email, Job};
use super::reminded::Reminded;
use crate::clock::Clock;
use crate::config::BaseUrl;
use crate::db::{self, DbConnection};
use crate::domain::{
    InvitationId, InvitationStatus, JobStatus, LetterId, LetterStatus, ReminderSchedule,
};

/// The slot due now: the nearest to the deadline among those whose time has come, with the
/// moment it began. Earlier slots that were missed are not caught up on.
pub fn current_slot(
    schedule: &ReminderSchedule,
    deadline: NaiveDateTime,
    now: NaiveDateTime,
) -> Option<(u32, NaiveDateTime)> {
    if now >= deadline {
        return None;
    }
    schedule
        .days()
        .iter()
        .map(|&days| (days, deadline - TimeDelta::days(days.into())))
        .filter(|(_, starts)| *starts <= now)
        .min_by_key(|(days, _)| *days)
}

/// The dedupe key of one invitation's reminder in one slot.
pub fn slot_key(invitation_id: &InvitationId, days: u32) -> String {
    format!("reminder:{invitation_id}:{days}d")
}

/// Queues the reminders that have become due on every open letter; returns how many. An
/// organization reminded less than `min_interval` ago is left for a later pass of the same slot.
#[tracing::instrument(skip_all)]
pub fn queue_scheduled(
    conn: &mut DbConnection,
    clock: &Clock,
    base_url: &BaseUrl,
    min_interval: TimeDelta,
) -> Result<usize, AppError> {
    let now = clock.now();
    let candidates = db::letters::with_reminders_due(conn, now)?;
    let mut queued = 0;
    for (letter_id, deadline, days) in candidates {
        let schedule = ReminderSchedule::from_stored(&days);
        let Some((days, starts)) = deadline.and_then(|d| current_slot(&schedule, d, now)) else {
            continue;
        };
        queued += db::write_transaction(conn, |conn| {
            // Held alone, and still open: another worker may have queued this slot, or the
            // letter closed, since the list above was read.
            super::hold_letter(conn, &letter_id)?;
            let open = db::letters::find(conn, &letter_id)?
                .is_some_and(|l| l.status == LetterStatus::Open);
            if !open {
                return Ok(0);
            }
            let slot = Slot {
                days,
                starts,
                min_interval,
            };
            queue_slot(conn, clock, base_url, &letter_id, &slot)
        })?;
    }
    Ok(queued)
}

/// The slot being queued: its days before the deadline, when it began, and the least time
/// between two reminders to one organization.
struct Slot {
    days: u32,
    starts: NaiveDateTime,
    min_interval: TimeDelta,
}

/// One slot of one letter: every unanswered invitation emailed before the slot began, that has
/// neither this slot's reminder nor a reminder still waiting nor one sent too recently.
fn queue_slot(
    conn: &mut DbConnection,
    clock: &Clock,
    base_url: &BaseUrl,
    letter_id: &LetterId,
    slot: &Slot,
) -> Result<usize, AppError> {
    let Slot { days, starts, .. } = *slot;
    let suffix = format!(":{days}d");
    let reminders = db::outbox::reminders_of_letter(conn, letter_id)?;
    let now = clock.now();
    let mut skip: HashSet<InvitationId> = Reminded::tally(&reminders)
        .into_iter()
        .filter(|(_, reminded)| reminded.too_recent(now, slot.min_interval))
        .map(|(id, _)| id)
        .collect();
    for job in reminders {
        let Some(invitation_id) = job.invitation_id.map(InvitationId::from) else {
            continue;
        };
        let this_slot = job.dedupe_key.is_some_and(|k| k.ends_with(&suffix));
        if this_slot || JobStatus::WAITING.contains(&job.status) {
            skip.insert(invitation_id);
        }
    }
    let due = db::invitations::emailed_before(
        conn,
        letter_id,
        &InvitationStatus::AWAITING_ANSWER.map(InvitationStatus::as_str),
        starts,
    )?;
    let mut queued = 0;
    for (invitation_id, email) in due {
        if skip.contains(&invitation_id) {
            continue;
        }
        outbox::queue(
            conn,
            clock,
            base_url,
            Job {
                email: Email::Reminder,
                letter_id,
                invitation_id: Some(&invitation_id),
                recipient: &email,
                dedupe_key: Some(&slot_key(&invitation_id, days)),
            },
        )?;
        queued += 1;
    }
    Ok(queued)
}

/// Sets the days before the deadline on which a letter's automatic reminders go out.
pub fn set_schedule(
    conn: &mut DbConnection,
    clock: &Clock,
    letter_id: &LetterId,
    schedule: &ReminderSchedule,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        super::hold_letter(conn, letter_id)?;
        if !db::letters::set_reminder_days(conn, letter_id, &schedule.to_stored(), clock.now())? {
            return Err(AppError::NotFound("letter"));
        }
        Ok(())
    })
}

/// A letter's reminder schedule.
pub fn schedule(
    conn: &mut DbConnection,
    letter_id: &LetterId,
) -> Result<ReminderSchedule, AppError> {
    let raw = db::letters::reminder_days(conn, letter_id)?.ok_or(AppError::NotFound("letter"))?;
    Ok(ReminderSchedule::from_stored(&raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_slot_is_the_nearest_one_that_has_begun() {
        let schedule = ReminderSchedule::from_days(&[7, 2]).unwrap();
        let deadline = chrono::DateTime::from_timestamp(10 * 86_400, 0)
            .unwrap()
            .naive_utc();
        let at = |days_before: i64| deadline - TimeDelta::days(days_before);
        assert_eq!(current_slot(&schedule, deadline, at(8)), None);
        assert_eq!(
            current_slot(&schedule, deadline, at(6)).map(|s| s.0),
            Some(7)
        );
        assert_eq!(
            current_slot(&schedule, deadline, at(1)).map(|s| s.0),
            Some(2)
        );
        assert_eq!(current_slot(&schedule, deadline, deadline), None);
    }
}
