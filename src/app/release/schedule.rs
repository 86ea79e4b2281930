//! Embargoed releases: scheduling (the check must pass now), cancelling, and firing once the
//! time has come, from any number of workers.

use serde_json::json;

use crate::app::audit::{self, Subject};
use crate::app::invitations::Links;
use crate::app::{Actor, AppError, hold_letter, letters};
use crate::clock::Clock;
use crate::db::letters::LetterChanges;
use crate::db::{self, DbConnection};
use crate::domain::{LetterId, LetterStatus, Role};

use super::publish::publish;
use super::*;

/// Schedules the release for an embargo time (in the future). The check must pass now; from
/// here until the release, answers and edits are frozen so that it still passes then.
pub fn schedule(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &LetterId,
    at: chrono::DateTime<chrono::Utc>,
    zone: chrono_tz::Tz,
) -> Result<letters::LetterView, ReleaseError> {
    if actor.role != Role::Admin {
        return Err(AppError::AdminOnly.into());
    }
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let now = clock.now();
        if at.naive_utc() <= now {
            return Err(AppError::Invalid(crate::domain::InvalidInput::new(
                "the release time must be in the future; to release now, send no time",
            ))
            .into());
        }
        let view = letters::get_letter(conn, letter_id)?;
        if !matches!(view.status(), LetterStatus::Open | LetterStatus::Closed) {
            return Err(AppError::conflict(format!(
                "a {} letter cannot be scheduled",
                view.status().as_str()
            ))
            .into());
        }
        let check = check(conn, letter_id)?;
        if !check.blockers.is_empty() {
            return Err(ReleaseError::Blocked(check));
        }
        crate::db::letters::update(
            conn,
            letter_id,
            &LetterChanges {
                status: Some(LetterStatus::Scheduled.as_str()),
                release_at: Some(Some(at.naive_utc())),
                release_tz: Some(Some(zone.name())),
                release_scheduled_by: Some(Some(&actor.user_id)),
                updated_at: Some(now),
                ..Default::default()
            },
        )?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::letter(letter_id),
            "letter.release_scheduled",
            json!({ "at": at.to_rfc3339(), "time_zone": zone.name() }),
        )?;
        Ok(letters::get_letter(conn, letter_id)?)
    })
}

/// Cancels a scheduled release; the letter stays closed to answers until reopened.
pub fn cancel_schedule(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &LetterId,
) -> Result<letters::LetterView, AppError> {
    if actor.role != Role::Admin {
        return Err(AppError::AdminOnly);
    }
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let view = letters::get_letter(conn, letter_id)?;
        if view.status() != LetterStatus::Scheduled {
            return Err(AppError::conflict(
                "no release is scheduled for this letter",
            ));
        }
        crate::db::letters::update(
            conn,
            letter_id,
            &LetterChanges {
                status: Some(LetterStatus::Closed.as_str()),
                release_at: Some(None),
                release_tz: Some(None),
                release_scheduled_by: Some(None),
                updated_at: Some(clock.now()),
                ..Default::default()
            },
        )?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::letter(letter_id),
            "letter.release_cancelled",
            json!({}),
        )?;
        letters::get_letter(conn, letter_id)
    })
}

/// Releases every letter whose embargo time has come, in the name of the admin who scheduled
/// it. Safe to run from several processes at once: each letter is held alone while its status
/// and time are checked again, so a letter is released once, and a schedule cancelled at the
/// last moment is not released.
pub fn fire_due(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
) -> Result<Vec<LetterId>, AppError> {
    let mut released = Vec::new();
    for (letter_id, scheduled_by) in crate::db::letters::due_releases(conn, clock.now())? {
        let admin = match scheduled_by
            .as_deref()
            .map(|id| crate::db::users::find(conn, id))
        {
            Some(Ok(Some(user))) => user,
            Some(Err(error)) => return Err(error.into()),
            _ => {
                tracing::warn!(letter = %letter_id, "a scheduled release has no admin to act for it");
                continue;
            }
        };
        let actor = Actor {
            user_id: admin.id,
            email: admin.email,
            role: Role::Admin,
            ip: None,
            user_agent: Some("scheduled release".into()),
        };
        let fired = db::write_transaction(conn, |conn| {
            hold_letter(conn, &letter_id)?;
            let still_due = crate::db::letters::find(conn, &letter_id)?.is_some_and(|letter| {
                letter.status == LetterStatus::Scheduled
                    && letter.release_at.is_some_and(|at| at <= clock.now())
            });
            if !still_due {
                return Ok(false);
            }
            publish(conn, clock, links, &actor, &letter_id).map(|_| true)
        });
        match fired {
            Ok(true) => released.push(letter_id),
            // Another worker released it first, or an admin cancelled it in the meantime.
            Ok(false) => {}
            Err(ReleaseError::Blocked(check)) => {
                tracing::warn!(letter = %letter_id, blockers = ?check.blockers, "a scheduled release was blocked");
            }
            Err(ReleaseError::App(AppError::Storage(e))) => return Err(AppError::Storage(e)),
            Err(ReleaseError::App(other)) => {
                tracing::warn!(letter = %letter_id, error = %other, "a scheduled release failed")
            }
        }
    }
    Ok(released)
}
