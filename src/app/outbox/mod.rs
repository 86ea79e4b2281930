//! Queuing email jobs. A job is written in the transaction of the change that causes it, and
//! carries no working link: the worker derives sign links when it renders the message.
//!
//! The worker (`Worker`, run by `serve` and by `undersigned worker`) claims due jobs, renders
//! them (`render`), sends them at the configured pace (`pacing`) and records the outcome
//! (`outcomes`); on every pass its `scheduler` also fires embargoed releases and queues
//! scheduled reminders.

mod account_render;
mod branding;
mod email;
mod join_render;
mod outcomes;
mod pacing;
mod render;
mod renderer;
mod scheduler;
mod worker;

pub use account_render::queue_account_email;
pub use email::{DigestLine, Email, Event, Recorded};
pub use outcomes::{dead_jobs, retry_job};
pub use render::{
    Recipient, Senders, email_view, logo_address, sender, template_of, translation_for,
};
pub use worker::{DeliveryError, Worker, WorkerHandle};

use uuid::Uuid;

use crate::clock::Clock;
use crate::config::BaseUrl;
use crate::db::{DbConnection, QueryResult, outbox};
use crate::domain::JobStatus;

/// One email to queue: which email, for which letter and invitation, to whom.
pub struct Job<'a> {
    pub email: Email,
    pub letter_id: &'a str,
    pub invitation_id: Option<&'a str>,
    pub recipient: &'a str,
    /// Jobs with the same key are one email: the second is not queued.
    pub dedupe_key: Option<&'a str>,
}

/// Writes the job with a stable Message-ID (`<uuid@host of the base URL>`), so a retry after an
/// unknown outcome is recognisable as the same message. A job with a `dedupe_key` that was
/// queued before (one release notice per organization, one reminder per slot) is not queued
/// again. The email's facts are stored as its payload (never a link or a secret).
pub fn queue(
    conn: &mut DbConnection,
    clock: &Clock,
    base_url: &BaseUrl,
    job: Job,
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
            kind: job.email.kind().as_str(),
            letter_id: Some(job.letter_id),
            invitation_id: job.invitation_id,
            recipient: job.recipient,
            payload: &job.email.payload(),
            message_id: &format!("<{id}@{host}>"),
            dedupe_key: job.dedupe_key,
            status: JobStatus::Pending.as_str(),
            run_after: now,
            created_at: now,
        },
    )
    .map(drop)
}
