//! The outbox worker: claims due email jobs, renders each at send time, sends it, and records
//! the outcome, so that no email is lost and none goes twice in normal running. Temporary
//! failures come back later with a growing wait; a recipient refused for good bounces its
//! invitation; jobs that gave up wait in the dead-letter list until an admin retries them.
//! It runs inside `serve` or alone as `undersigned worker`, any number at once on PostgreSQL.

use chrono::TimeDelta;
use futures_util::StreamExt;
use lettre::message::Mailbox;
use tokio::sync::watch;
use uuid::Uuid;

use super::outcomes::{record_bounce, record_sent, record_temporary_failure};
use super::pacing::RateLimiter;
use super::render::{Prepared, Renderer};
use super::scheduler::Scheduler;
use crate::app::Context;
use crate::app::webhook_events;
use crate::app::webhooks::delivery::{self, Outcome};
use crate::clock::Clock;
use crate::db::outbox::{self, OutboxJob};
use crate::db::{self, DbConnection, DbError};
use crate::mail::{Mailer, MailerError, SendError};

/// How often the worker looks for reminders that have become due, in the application's time.

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error(transparent)]
    Storage(#[from] DbError),
    #[error(transparent)]
    Mailer(#[from] MailerError),
    #[error("setting `mail.from` cannot be used: {0}")]
    From(String),
}

impl From<crate::db::QueryError> for DeliveryError {
    fn from(error: crate::db::QueryError) -> Self {
        Self::Storage(error.into())
    }
}

/// One worker: its identity in `locked_by`, its transport, its pace.
pub struct Worker {
    ctx: Context,
    mailer: Mailer,
    id: String,
    from: Mailbox,
    limiter: RateLimiter,
    /// Embargoed releases and scheduled reminders, looked at on every pass.
    scheduler: Scheduler,
    /// Passes of the loop in `run` completed so far (see `WorkerHandle::completed_passes`).
    passes: watch::Sender<u64>,
}

/// A running worker; `stop` lets it finish the job in hand (dropping the handle does too).
pub struct WorkerHandle {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
    passes: watch::Receiver<u64>,
}

impl WorkerHandle {
    /// Asks the worker to stop and waits until sends in flight are done and untried jobs of
    /// its batch are handed back.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }

    /// Kills the worker where it stands, like a crash (tests use it): its jobs stay claimed
    /// until their lease runs out.
    pub fn kill(self) {
        self.task.abort();
    }

    /// How many passes of its loop (due releases, due reminders, one batch of email) the
    /// worker has completed.
    pub fn passes(&self) -> u64 {
        *self.passes.borrow()
    }

    /// Waits until the worker has completed `n` more passes than when called. A pass already
    /// under way counts as the first, so with `n = 2` at least one whole pass began after the
    /// call: whatever was due by then has been acted on. False if the worker ended first.
    pub async fn completed_passes(&self, n: u64) -> bool {
        let mut passes = self.passes.clone();
        let target = *passes.borrow_and_update() + n;
        passes.wait_for(|done| *done >= target).await.is_ok()
    }
}

impl Worker {
    /// A worker with the transport `mail.smtp_url` names.
    pub fn new(ctx: Context) -> Result<Self, DeliveryError> {
        let mailer = Mailer::from_settings(&ctx.settings)?;
        Self::with_mailer(ctx, mailer)
    }

    pub fn with_mailer(ctx: Context, mailer: Mailer) -> Result<Self, DeliveryError> {
        let from = ctx
            .settings
            .mail_from()
            .map_err(|e| DeliveryError::From(e.to_string()))?;
        let limiter = RateLimiter::new(ctx.settings.mail.rate_per_second);
        let host = hostname();
        Ok(Self {
            scheduler: Scheduler::new(ctx.clone()),
            ctx,
            mailer,
            id: format!("{host}:{}:{}", std::process::id(), Uuid::new_v4().simple()),
            from,
            limiter,
            passes: watch::Sender::new(0),
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn describe_transport(&self) -> String {
        self.mailer.describe()
    }

    /// Runs the worker on its own task.
    pub fn spawn(self) -> WorkerHandle {
        let (stop, stopped) = watch::channel(false);
        let passes = self.passes.subscribe();
        let task = tokio::spawn(self.run(stopped));
        WorkerHandle { stop, task, passes }
    }

    /// Delivers until `stop` turns true (or its sender is dropped). Wakes when this process
    /// queues email, and otherwise looks at the queue every `mail.poll_interval_ms`.
    #[tracing::instrument(skip_all, fields(worker = %self.id))]
    pub async fn run(mut self, mut stop: watch::Receiver<bool>) {
        let poll = std::time::Duration::from_millis(self.ctx.settings.mail.poll_interval_ms);
        let wake = self.ctx.mail_wake.clone();
        tracing::info!(transport = %self.mailer.describe(), "mail worker started");
        while !*stop.borrow() {
            self.scheduler.tick().await;
            let delivered = match self.deliver_due(&stop).await {
                Ok(count) => count,
                Err(error) => {
                    tracing::warn!(%error, "mail worker could not reach the queue");
                    0
                }
            };
            self.passes.send_modify(|n| *n += 1);
            if delivered > 0 {
                continue;
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
                changed = stop.changed() => if changed.is_err() { break },
            }
        }
        tracing::info!("mail worker stopped");
    }

    /// Claims up to `limit` due jobs for this worker, under a lease of `mail.lease_seconds`.
    pub async fn claim(&self, limit: i64) -> Result<Vec<OutboxJob>, DeliveryError> {
        let clock = self.ctx.clock.clone();
        let worker = self.id.clone();
        let lease = TimeDelta::seconds(self.ctx.settings.mail.lease_seconds as i64);
        self.ctx
            .db
            .run(move |conn| {
                db::write_transaction(conn, |conn| {
                    let now = clock.now();
                    outbox::claim_due(conn, now, now + lease, &worker, limit)
                        .map_err(DeliveryError::from)
                })
            })
            .await
    }

    /// Claims one batch of due jobs and delivers them over `mail.connections` connections at
    /// once. Returns how many jobs were claimed.
    pub async fn deliver_due(&self, stop: &watch::Receiver<bool>) -> Result<usize, DeliveryError> {
        let parallel = self.ctx.settings.mail.connections as usize;
        let jobs = self.claim((parallel * 8) as i64).await?;
        let claimed = jobs.len();
        futures_util::stream::iter(jobs)
            .map(|job| self.deliver_one(job, stop))
            .buffer_unordered(parallel)
            .collect::<Vec<()>>()
            .await;
        Ok(claimed)
    }

    #[tracing::instrument(skip_all, fields(job = %job.id, kind = %job.kind, attempt = job.attempts))]
    async fn deliver_one(&self, job: OutboxJob, stop: &watch::Receiver<bool>) {
        if *stop.borrow() {
            let (id, worker) = (job.id.clone(), self.id.clone());
            self.record("release", move |conn, _| {
                outbox::release(conn, &id, &worker).map(drop)
            })
            .await;
            return;
        }
        if job.kind == webhook_events::DELIVERY_KIND {
            return self.deliver_webhook(job).await;
        }
        self.limiter.wait().await;
        let ctx = self.ctx.clone();
        let from = self.from.clone();
        let claimed = job.clone();
        let prepared = self
            .ctx
            .db
            .run(move |conn| {
                Renderer {
                    clock: &ctx.clock,
                    links: ctx.links(),
                    from: &from,
                    organization: &ctx.settings.organization,
                }
                .prepare(conn, &claimed)
            })
            .await;
        let outcome = match prepared {
            Ok(Prepared::Send(message)) => {
                let stem = format!(
                    "{}-{}",
                    self.ctx.clock.now().format("%Y%m%dT%H%M%S%6f"),
                    job.id
                );
                self.mailer.send(*message, &stem).await
            }
            Ok(Prepared::Drop(reason)) => {
                tracing::info!(reason, "email no longer needed; dropped");
                self.ctx.metrics.count_delivery("email", "dropped");
                let id = job.id.clone();
                self.record("drop", move |conn, _| outbox::discard(conn, &id))
                    .await;
                return;
            }
            Ok(Prepared::Undeliverable(reason)) => Err(SendError::Permanent(reason)),
            Err(error) => Err(SendError::Temporary(format!("rendering failed: {error}"))),
        };
        let max_attempts = self.ctx.settings.mail.max_attempts as i32;
        let worker = self.id.clone();
        let result = match &outcome {
            Ok(()) => "sent",
            Err(SendError::Temporary(_)) if job.attempts < max_attempts => "retry",
            Err(_) => "dead",
        };
        self.ctx.metrics.count_delivery("email", result);
        match outcome {
            Ok(()) => {
                tracing::info!("email sent");
                self.record("sent", move |conn, clock| record_sent(conn, clock, &job))
                    .await;
            }
            Err(SendError::Temporary(error)) => {
                tracing::warn!(%error, "email not sent; will retry");
                self.record("retry", move |conn, clock| {
                    record_temporary_failure(conn, clock, &job, &worker, &error, max_attempts)
                })
                .await;
            }
            Err(SendError::Permanent(error)) => {
                tracing::warn!(%error, "email refused for good");
                let base_url = self.ctx.base_url.clone();
                self.record("bounce", move |conn, clock| {
                    record_bounce(conn, (clock, &base_url), &job, &worker, &error)
                })
                .await;
            }
        }
    }

    /// Delivers a webhook job (outside the email pace) and records the outcome; one refused for
    /// good goes to the dead-letter list without touching any invitation.
    async fn deliver_webhook(&self, job: OutboxJob) {
        let outcome = delivery::deliver(&self.ctx, &job).await;
        let max_attempts = self.ctx.settings.mail.max_attempts as i32;
        let worker = self.id.clone();
        let result = match &outcome {
            Outcome::Sent => "sent",
            Outcome::Retry(_) if job.attempts < max_attempts => "retry",
            Outcome::Retry(_) | Outcome::Dead(_) => "dead",
            Outcome::Drop(_) => "dropped",
        };
        self.ctx.metrics.count_delivery("webhook", result);
        match outcome {
            Outcome::Sent => {
                tracing::info!("webhook delivered");
                self.record("sent", move |conn, clock| record_sent(conn, clock, &job))
                    .await;
            }
            Outcome::Retry(error) => {
                tracing::warn!(%error, "webhook not delivered; will retry");
                self.record("retry", move |conn, clock| {
                    record_temporary_failure(conn, clock, &job, &worker, &error, max_attempts)
                })
                .await;
            }
            Outcome::Dead(error) => {
                tracing::warn!(%error, "webhook cannot be delivered");
                self.record("dead", move |conn, _| {
                    outbox::mark_dead(conn, &job.id, &worker, &error).map(drop)
                })
                .await;
            }
            Outcome::Drop(reason) => {
                tracing::info!(reason, "webhook delivery no longer needed; dropped");
                self.record("drop", move |conn, _| outbox::discard(conn, &job.id))
                    .await;
            }
        }
    }

    /// Writes an outcome in its own transaction; a failure is logged (the lease brings the job
    /// back, so nothing is lost).
    async fn record<F>(&self, what: &'static str, work: F)
    where
        F: FnOnce(&mut DbConnection, &Clock) -> crate::db::QueryResult<()> + Send + 'static,
    {
        let clock = self.ctx.clock.clone();
        let result = self
            .ctx
            .db
            .run(move |conn| {
                db::write_transaction(conn, |conn| work(conn, &clock).map_err(DbError::from))
            })
            .await;
        if let Err(error) = result {
            tracing::error!(%error, outcome = what, "the outcome of a send could not be stored");
        }
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".into())
}
