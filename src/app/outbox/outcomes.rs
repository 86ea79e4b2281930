//! What happens to a job after a send: sent (and its invitation `sent`), tried again later
//! with backoff, or set aside in the dead-letter list (and its invitation `bounced`); and an
//! admin putting a dead job back in the queue.

use serde_json::json;

use super::pacing;
use crate::app::AppError;
use crate::clock::Clock;
use crate::db::outbox::{self, OutboxJob};
use crate::db::{self, DbConnection, invitations};
use crate::domain::EmailKind;

/// The email went out: the job is done, and an invitation that was `queued` is now `sent`.
pub(super) fn record_sent(
    conn: &mut DbConnection,
    clock: &Clock,
    job: &OutboxJob,
) -> crate::db::QueryResult<()> {
    let now = clock.now();
    outbox::mark_sent(conn, &job.id, now)?;
    if job.kind == EmailKind::Invitation.as_str()
        && let Some(invitation_id) = job.invitation()
    {
        invitations::mark_sent(conn, &invitation_id, now)?;
    }
    if job.kind == EmailKind::Reminder.as_str()
        && let Some(letter_id) = job.letter()
    {
        crate::app::webhook_events::announce(
            conn,
            clock,
            &letter_id,
            job.invitation().as_ref(),
            crate::domain::WebhookEvent::ReminderSent,
        )?;
    }
    Ok(())
}

/// Another attempt later, or the dead-letter list when the attempts are spent.
pub(super) fn record_temporary_failure(
    conn: &mut DbConnection,
    clock: &Clock,
    job: &OutboxJob,
    worker: &str,
    error: &str,
    max_attempts: i32,
) -> crate::db::QueryResult<()> {
    let error = clip(error);
    if job.attempts >= max_attempts {
        outbox::mark_dead(
            conn,
            &job.id,
            worker,
            &format!("gave up after {} attempts: {error}", job.attempts),
        )?;
    } else {
        let run_after = clock.now() + pacing::backoff(job.attempts);
        outbox::reschedule(conn, &job.id, worker, run_after, &error)?;
    }
    Ok(())
}

/// The recipient was refused for good: the job is dead and its invitation `bounced`.
pub(super) fn record_bounce(
    conn: &mut DbConnection,
    (clock, base_url): (&Clock, &crate::config::BaseUrl),
    job: &OutboxJob,
    worker: &str,
    error: &str,
) -> crate::db::QueryResult<()> {
    let error = clip(error);
    outbox::mark_dead(conn, &job.id, worker, &error)?;
    let Some(invitation_id) = job.invitation() else {
        return Ok(());
    };
    let letter_id = job.letter();
    if invitations::mark_bounced(conn, &invitation_id, clock.now())? {
        crate::app::audit::write(
            conn,
            clock,
            crate::app::audit::Who::System("mail worker"),
            crate::app::audit::Subject {
                letter_id: letter_id.as_ref(),
                invitation_id: Some(&invitation_id),
            },
            "invitation.bounced",
            json!({ "email": job.recipient, "error": error }),
        )?;
        if let (Some(letter_id), Some(invitation)) =
            (letter_id.as_ref(), invitations::find(conn, &invitation_id)?)
        {
            crate::app::notifications::notify(
                conn,
                clock,
                base_url,
                letter_id,
                crate::app::outbox::Event::Bounced {
                    organization: invitation.display_name,
                    email: job.recipient.clone(),
                },
            )?;
        }
    }
    Ok(())
}

/// Errors are stored and shown; a server's answer can be long.
fn clip(error: &str) -> String {
    error.chars().take(500).collect()
}

/// The dead-letter list: jobs that gave up or were refused, most recent first.
pub fn dead_jobs(conn: &mut DbConnection) -> Result<Vec<OutboxJob>, AppError> {
    Ok(outbox::dead(conn)?)
}

/// Puts a dead job back in the queue, with its attempts counted afresh; a bounced invitation
/// goes back to `queued`. Returns the job as it now stands.
pub fn retry_job(conn: &mut DbConnection, clock: &Clock, id: &str) -> Result<OutboxJob, AppError> {
    db::write_transaction(conn, |conn| {
        let job = outbox::find(conn, id)?.ok_or(AppError::NotFound("email job"))?;
        if !outbox::revive(conn, id, clock.now())? {
            return Err(AppError::conflict(format!(
                "only a dead email job can be retried; this one is {}",
                job.status
            )));
        }
        if let Some(invitation_id) = job.invitation() {
            invitations::unbounce(conn, &invitation_id, clock.now())?;
        }
        outbox::find(conn, id)?.ok_or(AppError::NotFound("email job"))
    })
}
