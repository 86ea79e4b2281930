//! Queuing email jobs. A job is written in the transaction of the change that causes it, and
//! carries no working link: the worker derives sign links when it renders the message.

//!
//! The worker (`Worker`, run by `serve` and by `undersigned worker`) claims due jobs, renders
//! them (`render`), sends them at the configured pace (`pacing`) and records the outcome
//! (`outcomes`); on every pass its `scheduler` also fires embargoed releases and queues
//! scheduled reminders.

mod outcomes;
mod pacing;
mod render;
mod scheduler;
mod worker;

pub use outcomes::{dead_jobs, retry_job};
pub use worker::{DeliveryError, Worker, WorkerHandle};

use crate::db::QueryResult;
use uuid::Uuid;

use crate::clock::Clock;
use crate::config::BaseUrl;
use crate::db::{DbConnection, outbox};

/// What kind of email a job sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailKind {
    Invitation,
    Reminder,
    /// Confirms a signature or a decline; the payload says which: `{"decision":"sign"}`.
    Confirmation,
    /// Asks a signatory to approve a substantively changed text again.
    Reapproval,
    /// Tells a signatory the letter is public.
    ReleaseNotice,
}

impl EmailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::Reminder => "reminder",
            Self::Confirmation => "confirmation",
            Self::Reapproval => "reapproval",
            Self::ReleaseNotice => "release_notice",
        }
    }

    /// The kind of a stored job; `None` for kinds this version does not send.
    pub fn from_stored(raw: &str) -> Option<Self> {
        [
            Self::Invitation,
            Self::Reminder,
            Self::Confirmation,
            Self::Reapproval,
            Self::ReleaseNotice,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == raw)
    }
}

pub struct Job<'a> {
    pub kind: EmailKind,
    pub letter_id: &'a str,
    pub invitation_id: Option<&'a str>,
    pub recipient: &'a str,
    pub dedupe_key: Option<&'a str>,
}

/// Writes the job with a stable Message-ID (`<uuid@host of the base URL>`), so a retry after an
/// unknown outcome is recognisable as the same message. A job with a `dedupe_key` that was
/// queued before (one release notice per organization, one reminder per slot) is not queued
/// again.
pub fn queue(
    conn: &mut DbConnection,
    clock: &Clock,
    base_url: &BaseUrl,
    job: Job,
) -> QueryResult<()> {
    queue_with_payload(conn, clock, base_url, job, &serde_json::json!({}))
}

/// The same with facts the email needs beyond its letter and invitation (never a link or a
/// secret: the payload is stored as it is).
pub fn queue_with_payload(
    conn: &mut DbConnection,
    clock: &Clock,
    base_url: &BaseUrl,
    job: Job,
    payload: &serde_json::Value,
) -> QueryResult<()> {
    let id = Uuid::new_v4().to_string();
    let host = url::Url::parse(base_url.as_str())
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "undersigned.invalid".into());
    let now = clock.now();
    outbox::insert(
        conn,
        &outbox::NewOutboxJob {
            id: &id,
            kind: job.kind.as_str(),
            letter_id: Some(job.letter_id),
            invitation_id: job.invitation_id,
            recipient: job.recipient,
            payload: &payload.to_string(),
            message_id: &format!("<{id}@{host}>"),
            dedupe_key: job.dedupe_key,
            status: "pending",
            run_after: now,
            created_at: now,
        },
    )
    .map(drop)
}
