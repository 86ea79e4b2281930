//! Telling webhooks what happened: each event of a letter is queued as one outbox job per
//! webhook that listens for it (the letter's own and the installation's), in the transaction
//! of the change itself, so an event is announced exactly when the change commits. The worker
//! delivers the jobs (`app::webhooks::delivery`).
//!
//! The audit trail calls `announce` for every action that is an event (`WebhookEvent::
//! for_audit_action`); the mail worker calls it when a reminder has gone out.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::clock::{Clock, rfc3339};
use crate::db::outbox::{self, NewOutboxJob};
use crate::db::webhooks::{self, Webhook};
use crate::db::{DbConnection, QueryResult, invitations, letters};
use crate::domain::{InvitationId, JobStatus, LetterId, WebhookEvent};

/// The outbox `kind` of a webhook delivery.
pub const DELIVERY_KIND: &str = "webhook";

/// Queues `event` of the letter (and invitation, when it is about one) for every webhook that
/// listens for it. Returns how many deliveries were queued; none (after one indexed look-up)
/// when no webhook listens.
pub fn announce(
    conn: &mut DbConnection,
    clock: &Clock,
    letter_id: &LetterId,
    invitation_id: Option<&InvitationId>,
    event: WebhookEvent,
) -> QueryResult<usize> {
    let listening: Vec<Webhook> = webhooks::for_event_of(conn, letter_id)?
        .into_iter()
        .filter(|hook| hook.event_names().any(|name| name == event.as_str()))
        .collect();
    if listening.is_empty() {
        return Ok(0);
    }
    let payload = payload(conn, clock, letter_id, invitation_id, event)?;
    for hook in &listening {
        queue(conn, clock, hook, Some(letter_id), &payload, None)?;
    }
    Ok(listening.len())
}

/// Queues the test event for one webhook only, at most one a minute: returns false (nothing
/// queued) when one was queued in this minute already.
pub fn announce_test(conn: &mut DbConnection, clock: &Clock, hook: &Webhook) -> QueryResult<bool> {
    let payload = match hook.letter_id.as_deref().map(LetterId::from) {
        Some(letter_id) => payload(conn, clock, &letter_id, None, WebhookEvent::Test)?,
        None => json!({
            "event": WebhookEvent::Test.as_str(),
            "occurred_at": rfc3339(clock.now()),
        }),
    };
    let letter_id = hook.letter_id.as_deref().map(LetterId::from);
    let minute = clock.now().and_utc().timestamp() / 60;
    let once_a_minute = format!("webhook-test:{}:{minute}", hook.id);
    queue(
        conn,
        clock,
        hook,
        letter_id.as_ref(),
        &payload,
        Some(&once_a_minute),
    )
}

/// One delivery job; false when a job with its `dedupe_key` exists already. It names no
/// invitation (a revoked invitation's cancelled emails must not take its announcements with
/// them); the payload does.
fn queue(
    conn: &mut DbConnection,
    clock: &Clock,
    hook: &Webhook,
    letter_id: Option<&LetterId>,
    payload: &Value,
    dedupe_key: Option<&str>,
) -> QueryResult<bool> {
    let now = clock.now();
    let id = Uuid::new_v4().to_string();
    outbox::insert(
        conn,
        &NewOutboxJob {
            id: &id,
            kind: DELIVERY_KIND,
            letter_id: letter_id.map(LetterId::as_str),
            invitation_id: None,
            recipient: &hook.id,
            payload: &payload.to_string(),
            message_id: &id,
            dedupe_key,
            status: JobStatus::Pending.as_str(),
            run_after: now,
            created_at: now,
        },
    )
}

/// The event a stored delivery announces (`event` of its payload), empty if unreadable.
pub fn event_of(payload: &str) -> String {
    serde_json::from_str::<Value>(payload)
        .ok()
        .and_then(|p| p["event"].as_str().map(str::to_string))
        .unwrap_or_default()
}

/// What a delivery says: the event, when it happened, the letter and the invitation as they
/// stand now. The worker adds the delivery's id and the time it is sent.
fn payload(
    conn: &mut DbConnection,
    clock: &Clock,
    letter_id: &LetterId,
    invitation_id: Option<&InvitationId>,
    event: WebhookEvent,
) -> QueryResult<Value> {
    let mut payload = json!({
        "event": event.as_str(),
        "occurred_at": rfc3339(clock.now()),
    });
    if let Some(letter) = letters::find(conn, letter_id)? {
        payload["letter"] = json!({
            "id": letter.id.as_str(),
            "slug": letter.slug,
            "title": letter.title,
            "status": letter.status.as_str(),
        });
    }
    if let Some(invitation_id) = invitation_id
        && let Some(invitation) = invitations::find(conn, invitation_id)?
    {
        payload["invitation"] = json!({
            "id": invitation.id.as_str(),
            "organization": invitation.display_name,
            "status": invitation.status.as_str(),
        });
    }
    Ok(payload)
}
