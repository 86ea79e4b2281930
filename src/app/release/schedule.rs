//! Embargoed releases: scheduling (the check must pass now), cancelling, and firing once the
//! time has come, from any number of workers.

use serde_json::json;

use crate::app::audit::{self, Subject};
use crate::app::invitations::Links;
use crate::app::notifications;
use crate::app::outbox::{self, Email, Job};
use crate::app::{Actor, AppError, hold_letter, letters};
use crate::clock::Clock;
use crate::db::letters::LetterChanges;
use crate::db::{self, DbConnection};
use crate::domain::{LetterId, LetterStatus, Role};

use super::publish::publish;
use super::*;

/// When a scheduled release fires, and whether partners may still answer until then.
#[derive(Debug, Clone, Copy)]
pub struct Embargo {
    pub at: chrono::DateTime<chrono::Utc>,
    /// The time zone the embargo is shown in.
    pub zone: chrono_tz::Tz,
    /// The admin froze the list of signatories now: no answer changes until the release.
    pub freeze_answers: bool,
}

/// Schedules the release for an embargo time (in the future). The check must pass now. From
/// here until the release the text is frozen; answers go on (and the check runs again when the
/// time comes) unless the admin froze them, or the letter was already closed to answers.
pub fn schedule(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &LetterId,
    embargo: Embargo,
) -> Result<letters::LetterView, ReleaseError> {
    let Embargo { at, zone, .. } = embargo;
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
            return Err(ReleaseError::Blocked(Box::new(check)));
        }
        crate::db::letters::update(
            conn,
            letter_id,
            &LetterChanges {
                status: Some(LetterStatus::Scheduled.as_str()),
                answers_frozen: Some(
                    embargo.freeze_answers || view.status() == LetterStatus::Closed,
                ),
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
            json!({
                "at": at.to_rfc3339(),
                "time_zone": zone.name(),
                "answers_frozen": embargo.freeze_answers,
            }),
        )?;
        Ok(letters::get_letter(conn, letter_id)?)
    })
}

/// Cancels a scheduled release: the letter is open again, or closed when its answers were
/// frozen (an admin reopens it).
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
                status: Some(
                    if view.letter.answers_frozen {
                        LetterStatus::Closed
                    } else {
                        LetterStatus::Open
                    }
                    .as_str(),
                ),
                release_at: Some(None),
                release_tz: Some(None),
                release_scheduled_by: Some(None),
                answers_frozen: Some(false),
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
            if !still_due(conn, clock, &letter_id)? {
                return Ok(false);
            }
            publish(conn, clock, links, &actor, &letter_id)?;
            notifications::notify(
                conn,
                clock,
                links.base_url,
                &letter_id,
                notifications::Event::ReleaseFired,
            )
            .map_err(|e| ReleaseError::App(AppError::from(e)))?;
            Ok(true)
        });
        match fired {
            Ok(true) => released.push(letter_id),
            // Another worker released it first, or an admin cancelled it in the meantime.
            Ok(false) => {}
            Err(ReleaseError::Blocked(check)) => {
                tracing::warn!(letter = %letter_id, blockers = ?check.blockers, "a scheduled release was blocked");
                reopen_after_failed_release(conn, clock, links, &letter_id, &check)?;
            }
            Err(ReleaseError::App(AppError::Storage(e))) => return Err(AppError::Storage(e)),
            Err(ReleaseError::App(other)) => {
                tracing::warn!(letter = %letter_id, error = %other, "a scheduled release failed")
            }
        }
    }
    Ok(released)
}

/// A scheduled release whose check failed when its time came: nothing is published, the letter
/// is open again (its text editable, its answers open), and every admin is emailed the reasons.
/// Does nothing when the letter is no longer scheduled and due (another worker got there first).
fn reopen_after_failed_release(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    letter_id: &LetterId,
    check: &ReleaseCheck,
) -> Result<(), AppError> {
    let reasons: Vec<String> = check.blockers.iter().map(ToString::to_string).collect();
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        if !still_due(conn, clock, letter_id)? {
            return Ok(());
        }
        crate::db::letters::update(
            conn,
            letter_id,
            &LetterChanges {
                status: Some(LetterStatus::Open.as_str()),
                release_at: Some(None),
                release_tz: Some(None),
                release_scheduled_by: Some(None),
                answers_frozen: Some(false),
                updated_at: Some(clock.now()),
                ..Default::default()
            },
        )?;
        audit::write(
            conn,
            clock,
            audit::Who::System("scheduled release"),
            Subject::letter(letter_id),
            "letter.release_failed",
            json!({ "reasons": reasons }),
        )?;
        // The letter's author and the admins, as each chose on their notifications page.
        let author = crate::db::letters::find(conn, letter_id)?.and_then(|l| l.created_by);
        let audience = notifications::audience(conn, author.as_deref())?
            .into_iter()
            .filter(|(_, preferences)| preferences.release_outcome)
            .map(|(user, _)| user);
        for admin in audience {
            outbox::queue(
                conn,
                clock,
                links.base_url,
                Job {
                    email: Email::ReleaseFailed {
                        reasons: reasons.clone(),
                    },
                    letter_id,
                    invitation_id: None,
                    recipient: &admin.email,
                    dedupe_key: None,
                },
            )?;
        }
        Ok(())
    })
}

/// Whether the letter is still scheduled and its time has come, read while it is held: another
/// worker may have fired it, or an admin cancelled it, since the list of due letters was read.
fn still_due(
    conn: &mut DbConnection,
    clock: &Clock,
    letter_id: &LetterId,
) -> Result<bool, AppError> {
    Ok(
        crate::db::letters::find(conn, letter_id)?.is_some_and(|letter| {
            letter.status == LetterStatus::Scheduled
                && letter.release_at.is_some_and(|at| at <= clock.now())
        }),
    )
}
