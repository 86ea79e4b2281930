//! The worker's clock-driven duties, looked at on each pass of its loop: releasing letters whose
//! embargo time has come (so a release fires within about `mail.poll_interval_ms` of its time),
//! and queuing the reminders that letters' schedules make due and the coordinators' daily
//! digests of the day before (both at most once a minute). A
//! deployment that runs `serve --no-worker` needs an `undersigned worker` for both.

use chrono::{NaiveDateTime, TimeDelta};

use crate::app::{Context, notifications, release, reminders};

/// How often the reminder schedules are looked at.
const REMINDER_CHECK_EVERY: TimeDelta = TimeDelta::seconds(60);

pub struct Scheduler {
    ctx: Context,
    next_reminder_check: Option<NaiveDateTime>,
}

impl Scheduler {
    pub fn new(ctx: Context) -> Self {
        Self {
            ctx,
            next_reminder_check: None,
        }
    }

    /// One look at what has come due. Failures are logged; the next pass tries again.
    pub async fn tick(&mut self) {
        self.fire_due_releases().await;
        self.queue_due_reminders().await;
    }

    async fn fire_due_releases(&mut self) {
        let ctx = self.ctx.clone();
        let fired = self
            .ctx
            .db
            .run(move |conn| release::fire_due(conn, &ctx.clock, &ctx.links()))
            .await;
        match fired {
            Ok(letters) if letters.is_empty() => {}
            Ok(letters) => {
                tracing::info!(?letters, "released letters at their embargo time");
                self.ctx.mail_queued();
            }
            Err(error) => tracing::warn!(%error, "scheduled releases could not be checked"),
        }
    }

    async fn queue_due_reminders(&mut self) {
        let now = self.ctx.clock.now();
        if self.next_reminder_check.is_some_and(|next| now < next) {
            return;
        }
        self.next_reminder_check = Some(now + REMINDER_CHECK_EVERY);
        let ctx = self.ctx.clone();
        let queued = ctx
            .db
            .run(move |conn| {
                let min_interval = ctx.settings.reminders.min_interval();
                reminders::queue_scheduled(conn, &ctx.clock, &ctx.base_url, min_interval)
            })
            .await;
        match queued {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "queued scheduled reminders"),
            Err(error) => tracing::warn!(%error, "scheduled reminders could not be queued"),
        }
        let ctx = self.ctx.clone();
        let digests = ctx
            .db
            .run(move |conn| {
                notifications::queue_daily_digests(conn, &ctx.clock, &ctx.base_url)
                    .map_err(crate::db::DbError::from)
            })
            .await;
        match digests {
            Ok(0) => {}
            Ok(count) => {
                tracing::info!(count, "queued the daily digests");
                self.ctx.mail_queued();
            }
            Err(error) => tracing::warn!(%error, "the daily digests could not be queued"),
        }
    }
}
