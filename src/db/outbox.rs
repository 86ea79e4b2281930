//! Rows of `outbox`: email jobs, written in the transaction of the change that causes them and
//! delivered by the mail worker. A job holds no working link; links are derived at send time.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::outbox;
use crate::domain::{EmailKind, InvitationId, JobStatus, LetterId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxJob {
    pub id: String,
    pub kind: String,
    pub letter_id: Option<String>,
    pub invitation_id: Option<String>,
    pub recipient: String,
    pub payload: String,
    pub message_id: String,
    pub dedupe_key: Option<String>,
    #[diesel(deserialize_as = String)]
    pub status: JobStatus,
    pub attempts: i32,
    pub run_after: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

impl OutboxJob {
    /// The letter the email is about, if it still names one.
    pub fn letter(&self) -> Option<LetterId> {
        self.letter_id.as_deref().map(LetterId::from)
    }

    /// The invitation the email belongs to, if any.
    pub fn invitation(&self) -> Option<InvitationId> {
        self.invitation_id.as_deref().map(InvitationId::from)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = outbox)]
pub struct NewOutboxJob<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub letter_id: Option<&'a str>,
    pub invitation_id: Option<&'a str>,
    pub recipient: &'a str,
    pub payload: &'a str,
    pub message_id: &'a str,
    pub dedupe_key: Option<&'a str>,
    pub status: &'a str,
    pub run_after: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// Queues the job. A job whose `dedupe_key` is already in the queue (sent or not) is the same
/// email again and is left out; returns whether the job was written.
pub fn insert(conn: &mut DbConnection, job: &NewOutboxJob) -> QueryResult<bool> {
    let insert = diesel::insert_into(outbox::table).values(job);
    let written = match conn {
        DbConnection::Postgres(pg) => insert
            .on_conflict(outbox::dedupe_key)
            .do_nothing()
            .execute(pg)?,
        DbConnection::Sqlite(sqlite) => insert
            .on_conflict(outbox::dedupe_key)
            .do_nothing()
            .execute(sqlite)?,
    };
    Ok(written == 1)
}

/// Jobs of one invitation, oldest first.
pub fn for_invitation(
    conn: &mut DbConnection,
    invitation_id: &InvitationId,
) -> QueryResult<Vec<OutboxJob>> {
    outbox::table
        .filter(outbox::invitation_id.eq(invitation_id.as_str()))
        .order(outbox::created_at.asc())
        .select(OutboxJob::as_select())
        .load(conn)
}

/// Withdraws the jobs of an invitation that were not sent yet (after a revocation).
pub fn cancel_pending(conn: &mut DbConnection, invitation_id: &InvitationId) -> QueryResult<usize> {
    diesel::delete(
        outbox::table
            .filter(outbox::invitation_id.eq(invitation_id.as_str()))
            .filter(outbox::status.eq(JobStatus::Pending.as_str())),
    )
    .execute(conn)
}

/// Jobs whose turn has come: pending and due, oldest first.
macro_rules! due_pending {
    ($now:expr, $limit:expr) => {
        outbox::table
            .filter(outbox::status.eq(JobStatus::Pending.as_str()))
            .filter(outbox::run_after.le($now))
            .order(outbox::run_after.asc())
            .limit($limit)
            .select(outbox::id)
    };
}

/// Jobs a worker was sending when its lease ran out: it died or lost its way.
macro_rules! lease_expired {
    ($now:expr, $limit:expr) => {
        outbox::table
            .filter(outbox::status.eq(JobStatus::Sending.as_str()))
            .filter(outbox::locked_until.lt($now))
            .order(outbox::locked_until.asc())
            .limit($limit)
            .select(outbox::id)
    };
}

/// Claims up to `limit` due jobs for `worker` until `lease_until`, counting an attempt each.
/// Call it inside a write transaction: on PostgreSQL the rows are locked with `FOR UPDATE SKIP
/// LOCKED`, so workers sharing the queue never take the same job; on SQLite the transaction
/// began IMMEDIATE holds the only write lock, which makes the select-then-update atomic.
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    worker: &str,
    limit: i64,
) -> QueryResult<Vec<OutboxJob>> {
    let mut ids: Vec<String> = match conn {
        DbConnection::Postgres(pg) => due_pending!(now, limit)
            .for_update()
            .skip_locked()
            .load(pg)?,
        DbConnection::Sqlite(sqlite) => due_pending!(now, limit).load(sqlite)?,
    };
    let room = limit - ids.len() as i64;
    if room > 0 {
        let expired: Vec<String> = match conn {
            DbConnection::Postgres(pg) => lease_expired!(now, room)
                .for_update()
                .skip_locked()
                .load(pg)?,
            DbConnection::Sqlite(sqlite) => lease_expired!(now, room).load(sqlite)?,
        };
        ids.extend(expired);
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
        .set((
            outbox::status.eq(JobStatus::Sending.as_str()),
            outbox::locked_until.eq(lease_until),
            outbox::locked_by.eq(worker),
            outbox::attempts.eq(outbox::attempts + 1),
        ))
        .execute(conn)?;
    outbox::table
        .filter(outbox::id.eq_any(&ids))
        .order(outbox::run_after.asc())
        .select(OutboxJob::as_select())
        .load(conn)
}

/// The job went out: whoever holds it, it must not be sent again.
pub fn mark_sent(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(JobStatus::Sent.as_str()),
            outbox::sent_at.eq(now),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::locked_by.eq(None::<String>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(drop)
}

/// The filter of a job still held by this worker (not taken over after its lease ran out).
macro_rules! held_by {
    ($id:expr, $worker:expr) => {
        outbox::table
            .find($id)
            .filter(outbox::status.eq(JobStatus::Sending.as_str()))
            .filter(outbox::locked_by.eq($worker))
    };
}

/// Puts a job back in the queue for `run_after` after a temporary failure. False when the job
/// is no longer held by this worker.
pub fn reschedule(
    conn: &mut DbConnection,
    id: &str,
    worker: &str,
    run_after: NaiveDateTime,
    error: &str,
) -> QueryResult<bool> {
    diesel::update(held_by!(id, worker))
        .set((
            outbox::status.eq(JobStatus::Pending.as_str()),
            outbox::run_after.eq(run_after),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::locked_by.eq(None::<String>),
            outbox::last_error.eq(error),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Sets a job aside in the dead-letter list with its last error.
pub fn mark_dead(
    conn: &mut DbConnection,
    id: &str,
    worker: &str,
    error: &str,
) -> QueryResult<bool> {
    diesel::update(held_by!(id, worker))
        .set((
            outbox::status.eq(JobStatus::Dead.as_str()),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::locked_by.eq(None::<String>),
            outbox::last_error.eq(error),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Hands back a claimed job that was not tried (the worker is stopping); the attempt it was
/// counted is given back too.
pub fn release(conn: &mut DbConnection, id: &str, worker: &str) -> QueryResult<bool> {
    diesel::update(held_by!(id, worker))
        .set((
            outbox::status.eq(JobStatus::Pending.as_str()),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::locked_by.eq(None::<String>),
            outbox::attempts.eq(outbox::attempts - 1),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Removes a job that has no reason to be sent any more (its invitation was revoked, its letter
/// released before a reminder went out).
pub fn discard(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(outbox::table.find(id))
        .execute(conn)
        .map(drop)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<OutboxJob>> {
    outbox::table
        .find(id)
        .select(OutboxJob::as_select())
        .first(conn)
        .optional()
}

/// The dead-letter list, most recent first.
pub fn dead(conn: &mut DbConnection) -> QueryResult<Vec<OutboxJob>> {
    outbox::table
        .filter(outbox::status.eq(JobStatus::Dead.as_str()))
        .order(outbox::created_at.desc())
        .select(OutboxJob::as_select())
        .load(conn)
}

/// Puts a dead job back in the queue with a fresh count of attempts; its last error stays
/// until it is sent. False when the job is not dead.
pub fn revive(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::status.eq(JobStatus::Dead.as_str())),
    )
    .set((
        outbox::status.eq(JobStatus::Pending.as_str()),
        outbox::attempts.eq(0),
        outbox::run_after.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Whether a job with this dedupe key was ever queued (in any status).
pub fn dedupe_key_used(conn: &mut DbConnection, key: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        outbox::table.filter(outbox::dedupe_key.eq(key)),
    ))
    .get_result(conn)
}

/// A reminder job as the reminder schedule and the reminder counts look at it.
#[derive(Debug, Clone, Queryable)]
pub struct ReminderJob {
    pub invitation_id: Option<String>,
    pub dedupe_key: Option<String>,
    #[diesel(deserialize_as = String)]
    pub status: JobStatus,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

/// The columns of a `ReminderJob`.
macro_rules! reminder_columns {
    () => {
        (
            outbox::invitation_id,
            outbox::dedupe_key,
            outbox::status,
            outbox::created_at,
            outbox::sent_at,
        )
    };
}

/// The reminder jobs of a letter.
pub fn reminders_of_letter(
    conn: &mut DbConnection,
    letter_id: &LetterId,
) -> QueryResult<Vec<ReminderJob>> {
    outbox::table
        .filter(outbox::letter_id.eq(letter_id.as_str()))
        .filter(outbox::kind.eq(EmailKind::Reminder.as_str()))
        .select(reminder_columns!())
        .load(conn)
}

/// The reminder jobs of one invitation.
pub fn reminders_of_invitation(
    conn: &mut DbConnection,
    invitation_id: &InvitationId,
) -> QueryResult<Vec<ReminderJob>> {
    outbox::table
        .filter(outbox::invitation_id.eq(invitation_id.as_str()))
        .filter(outbox::kind.eq(EmailKind::Reminder.as_str()))
        .select(reminder_columns!())
        .load(conn)
}

/// How many jobs are in each status (`pending`, `sending`, `sent`, `dead`), by kind.
pub fn depth(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, i64)>> {
    outbox::table
        .group_by((outbox::kind, outbox::status))
        .select((outbox::kind, outbox::status, diesel::dsl::count_star()))
        .load(conn)
}

/// When the oldest job still waiting to go out (pending or being sent) was queued.
pub fn oldest_waiting(conn: &mut DbConnection) -> QueryResult<Option<NaiveDateTime>> {
    outbox::table
        .filter(outbox::status.eq_any([JobStatus::Pending.as_str(), JobStatus::Sending.as_str()]))
        .select(diesel::dsl::min(outbox::created_at))
        .get_result(conn)
}

/// The latest jobs of one kind for one recipient (a webhook's deliveries), newest first.
pub fn for_recipient(
    conn: &mut DbConnection,
    kind: &str,
    recipient: &str,
    limit: i64,
) -> QueryResult<Vec<OutboxJob>> {
    outbox::table
        .filter(outbox::kind.eq(kind))
        .filter(outbox::recipient.eq(recipient))
        .order((outbox::created_at.desc(), outbox::id.desc()))
        .limit(limit)
        .select(OutboxJob::as_select())
        .load(conn)
}
