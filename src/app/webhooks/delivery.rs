//! Delivering one webhook job: the endpoint's name is looked up and every address checked
//! (public only, unless `webhooks.allow_private`), the connection is pinned to those addresses
//! (no second look-up can send it elsewhere), and the body is POSTed with its signature:
//!
//! - `X-Undersigned-Signature: sha256=<hex HMAC-SHA256 of the body, keyed with the secret>`
//! - `X-Undersigned-Timestamp: <Unix seconds>`, the same as the body's `sent_at`: a receiver
//!   refuses a body whose `sent_at` is not the header's or is more than five minutes old, so a
//!   captured delivery cannot be replayed later;
//! - `X-Undersigned-Event` and `X-Undersigned-Delivery` (the job's id, the same on retries).
//!
//! No redirect is followed. Any answer but 2xx, a time-out or a refused connection is tried
//! again later (the outbox's backoff, then the dead-letter list).

use std::net::SocketAddr;
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::app::Context;
use crate::db::DbError;
use crate::db::outbox::OutboxJob;
use crate::db::webhooks;
use crate::domain::{WebhookUrl, is_public};

/// How long the request may take, connection included.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole attempt may take, the name look-up included, so that a slow endpoint
/// cannot hold a worker's slot (and the jobs of its batch) past their lease.
const ATTEMPT_LIMIT: Duration = Duration::from_secs(15);

/// What became of one delivery attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Worth trying again later, with the reason.
    Retry(String),
    /// Never deliverable as it stands (the address is not allowed), with the reason.
    Dead(String),
    /// Nobody is waiting for it any more (the webhook was removed).
    Drop(&'static str),
}

/// Tries to deliver the job once, in at most `ATTEMPT_LIMIT`.
pub async fn deliver(ctx: &Context, job: &OutboxJob) -> Outcome {
    tokio::time::timeout(ATTEMPT_LIMIT, attempt(ctx, job))
        .await
        .unwrap_or_else(|_| {
            Outcome::Retry(format!(
                "no answer within {} seconds",
                ATTEMPT_LIMIT.as_secs()
            ))
        })
}

async fn attempt(ctx: &Context, job: &OutboxJob) -> Outcome {
    let id = job.recipient.clone();
    let webhook = match ctx
        .db
        .run(move |conn| webhooks::find(conn, &id).map_err(DbError::from))
        .await
    {
        Ok(Some(webhook)) => webhook,
        Ok(None) => return Outcome::Drop("the webhook was removed"),
        Err(error) => return Outcome::Retry(format!("the webhook could not be read: {error}")),
    };
    let allow_private = ctx.settings.webhooks.allow_private;
    let url = match WebhookUrl::parse(&webhook.url, allow_private) {
        Ok(url) => url,
        Err(reason) => return Outcome::Dead(reason.0),
    };
    let addresses = match resolve(&url, allow_private).await {
        Ok(addresses) => addresses,
        Err(Unreachable::NotAllowed(reason)) => return Outcome::Dead(reason),
        Err(Unreachable::Lookup(reason)) => return Outcome::Retry(reason),
    };
    let sent_at = ctx.clock.now_utc().timestamp();
    let Some(body) = body(&job.payload, &job.id, sent_at) else {
        return Outcome::Dead("the stored event is not a JSON object".into());
    };
    let secret = ctx
        .secrets
        .webhook_secret(&webhook.id, &webhook.secret_nonce);
    let event = crate::app::webhook_events::event_of(&job.payload);
    let client = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // Straight to the addresses checked: a proxy named in the environment would choose
        // its own.
        .no_proxy()
        .timeout(TIMEOUT)
        .user_agent(concat!("Undersigned-Webhook/", env!("CARGO_PKG_VERSION")))
        .resolve_to_addrs(url.host(), &addresses)
        .build()
    {
        Ok(client) => client,
        Err(error) => return Outcome::Retry(format!("no HTTP client: {error}")),
    };
    let sent = client
        .post(url.url().clone())
        .header("Content-Type", "application/json")
        .header("X-Undersigned-Event", event)
        .header("X-Undersigned-Delivery", &job.id)
        .header("X-Undersigned-Timestamp", sent_at.to_string())
        .header("X-Undersigned-Signature", signature(&secret, &body))
        .body(body)
        .send()
        .await;
    match sent {
        Ok(answer) if answer.status().is_success() => Outcome::Sent,
        Ok(answer) => Outcome::Retry(format!("the endpoint answered {}", answer.status())),
        Err(error) if error.is_timeout() => {
            Outcome::Retry(format!("no answer within {} seconds", TIMEOUT.as_secs()))
        }
        Err(error) => Outcome::Retry(format!("the endpoint could not be reached: {error}")),
    }
}

/// The stored event with the delivery's id and the time it is sent.
fn body(payload: &str, delivery_id: &str, sent_at: i64) -> Option<Vec<u8>> {
    let mut event: Value = serde_json::from_str(payload).ok()?;
    let object = event.as_object_mut()?;
    object.insert("delivery_id".into(), delivery_id.into());
    object.insert("sent_at".into(), sent_at.into());
    serde_json::to_vec(&event).ok()
}

/// `sha256=` and the hex HMAC-SHA256 of `body` keyed with the webhook's secret (its 64 hex
/// digits, as shown to its creator, taken as the key's bytes).
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

enum Unreachable {
    NotAllowed(String),
    Lookup(String),
}

/// The endpoint's addresses, each one allowed.
async fn resolve(url: &WebhookUrl, allow_private: bool) -> Result<Vec<SocketAddr>, Unreachable> {
    let port = url.port();
    let addresses: Vec<SocketAddr> = match url.url().host() {
        Some(url::Host::Ipv4(ip)) => vec![SocketAddr::new(ip.into(), port)],
        Some(url::Host::Ipv6(ip)) => vec![SocketAddr::new(ip.into(), port)],
        _ => tokio::net::lookup_host((url.host(), port))
            .await
            .map_err(|e| {
                Unreachable::Lookup(format!("{} could not be looked up: {e}", url.host()))
            })?
            .collect(),
    };
    if addresses.is_empty() {
        return Err(Unreachable::Lookup(format!(
            "{} has no address",
            url.host()
        )));
    }
    if !allow_private && let Some(refused) = addresses.iter().find(|a| !is_public(a.ip())) {
        // The address is logged, not told: a coordinator learns nothing of the network.
        tracing::info!(host = url.host(), address = %refused.ip(), "webhook address refused");
        return Err(Unreachable::NotAllowed(format!(
            "{} does not resolve to an address on the public internet",
            url.host()
        )));
    }
    Ok(addresses)
}

/// Checks, when a webhook is registered, that its host resolves and only to allowed
/// addresses. Errors: the reason, for the person registering it.
pub async fn check_reachable(url: &WebhookUrl, allow_private: bool) -> Result<(), String> {
    resolve(url, allow_private)
        .await
        .map(drop)
        .map_err(|e| match e {
            Unreachable::NotAllowed(reason) | Unreachable::Lookup(reason) => reason,
        })
}
