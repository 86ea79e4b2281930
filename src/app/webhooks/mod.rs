//! Webhooks as coordinators and admins manage them: register an endpoint for a letter's events
//! (any coordinator) or every letter's (admins only), list them, look at their deliveries, send
//! a test event, remove them. The signing secret is derived (`ServerSecrets::webhook_secret`)
//! and shown once, when the webhook is registered. Deliveries: `delivery`.

pub mod delivery;

use chrono::NaiveDateTime;
use serde_json::json;
use uuid::Uuid;

use super::audit::{self, Subject};
use super::webhook_events;
use super::{Actor, AppError};
use crate::clock::Clock;
use crate::db::outbox::OutboxJob;
use crate::db::webhooks::{self, Webhook};
use crate::db::{self, DbConnection, letters, outbox};
use crate::domain::{InvalidInput, LetterId, Role, WebhookEvent, WebhookUrl};
use crate::secrets::ServerSecrets;

/// How many of a webhook's deliveries its page and the API show, newest first.
pub const DELIVERIES_SHOWN: i64 = 50;

/// A webhook to register: an address that passed its checks (the name look-up included) and
/// the events it listens for.
pub struct NewWebhook {
    pub url: WebhookUrl,
    pub events: Vec<WebhookEvent>,
}

/// A registered webhook with its secret, which is shown this once.
pub struct Registered {
    pub webhook: Webhook,
    pub secret: String,
}

/// An endpoint address as typed, checked whole: its form (`WebhookUrl::parse`) and every
/// address its host resolves to. Errors: the reason, for the field.
pub async fn checked_url(raw: &str, allow_private: bool) -> Result<WebhookUrl, InvalidInput> {
    let url = WebhookUrl::parse(raw, allow_private)?;
    delivery::check_reachable(&url, allow_private)
        .await
        .map_err(InvalidInput::new)?;
    Ok(url)
}

/// Registers a webhook for `letter_id`'s events, or every letter's when `None` (admins only).
///
/// Errors: `NotFound` (no such letter), `AdminOnly` (a webhook for every letter).
pub fn register(
    conn: &mut DbConnection,
    clock: &Clock,
    secrets: &ServerSecrets,
    actor: &Actor,
    letter_id: Option<&LetterId>,
    input: NewWebhook,
) -> Result<Registered, AppError> {
    if letter_id.is_none() && actor.role != Role::Admin {
        return Err(AppError::AdminOnly);
    }
    db::write_transaction(conn, |conn| {
        if let Some(letter_id) = letter_id
            && letters::find(conn, letter_id)?.is_none()
        {
            return Err(AppError::NotFound("letter"));
        }
        let events: Vec<&str> = input.events.iter().map(|e| e.as_str()).collect();
        let webhook = Webhook {
            id: Uuid::new_v4().to_string(),
            letter_id: letter_id.map(|id| id.as_str().to_string()),
            url: input.url.as_str().to_string(),
            events: events.join(","),
            secret_nonce: Uuid::new_v4().simple().to_string(),
            created_by: Some(actor.user_id.clone()),
            created_at: clock.now(),
        };
        webhooks::insert(conn, &webhook)?;
        audit::record(
            conn,
            clock,
            actor,
            Subject {
                letter_id,
                invitation_id: None,
            },
            "webhook.created",
            json!({ "webhook": webhook.id, "url": webhook.url, "events": events }),
        )?;
        let secret = secrets.webhook_secret(&webhook.id, &webhook.secret_nonce);
        Ok(Registered { webhook, secret })
    })
}

/// A letter's webhooks, or the installation's when `None`.
pub fn list(
    conn: &mut DbConnection,
    letter_id: Option<&LetterId>,
) -> Result<Vec<Webhook>, AppError> {
    if let Some(letter_id) = letter_id
        && letters::find(conn, letter_id)?.is_none()
    {
        return Err(AppError::NotFound("letter"));
    }
    Ok(webhooks::list(conn, letter_id)?)
}

/// The webhook, if this account may manage it: a letter's webhooks any coordinator, the
/// installation's only admins.
pub fn find(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<Webhook, AppError> {
    let webhook = webhooks::find(conn, id)?.ok_or(AppError::NotFound("webhook"))?;
    if webhook.letter_id.is_none() && actor.role != Role::Admin {
        return Err(AppError::AdminOnly);
    }
    Ok(webhook)
}

/// The webhook, if it is this letter's (a page of one letter acts on that letter's only).
///
/// Errors: `NotFound` (none, or another letter's or every letter's).
pub fn of_letter(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    id: &str,
) -> Result<Webhook, AppError> {
    webhooks::find(conn, id)?
        .filter(|w| w.letter_id.as_deref() == Some(letter_id.as_str()))
        .ok_or(AppError::NotFound("webhook"))
}

/// The webhook's latest deliveries, newest first.
pub fn deliveries(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<Vec<OutboxJob>, AppError> {
    let webhook = find(conn, actor, id)?;
    Ok(outbox::for_recipient(
        conn,
        webhook_events::DELIVERY_KIND,
        &webhook.id,
        DELIVERIES_SHOWN,
    )?)
}

/// Queues the test event (`webhook.test`) for this webhook, one a minute at most.
///
/// Errors: `NotFound`, `AdminOnly` (`find`), `Conflict` when a test was queued this minute.
pub fn send_test(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    id: &str,
) -> Result<NaiveDateTime, AppError> {
    db::write_transaction(conn, |conn| {
        let webhook = find(conn, actor, id)?;
        if !webhook_events::announce_test(conn, clock, &webhook)? {
            return Err(AppError::conflict(
                "a test event was sent to this webhook less than a minute ago",
            ));
        }
        Ok(clock.now())
    })
}

/// Removes the webhook; deliveries not yet made are dropped, the record of those made stays.
pub fn remove(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let webhook = find(conn, actor, id)?;
        webhooks::delete(conn, &webhook.id)?;
        let letter_id = webhook.letter_id.as_deref().map(LetterId::from);
        audit::record(
            conn,
            clock,
            actor,
            Subject {
                letter_id: letter_id.as_ref(),
                invitation_id: None,
            },
            "webhook.removed",
            json!({ "webhook": webhook.id, "url": webhook.url }),
        )?;
        Ok(())
    })
}
