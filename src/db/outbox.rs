//! Rows of `outbox`: email jobs, written in the transaction of the change that causes them and
//! delivered by the mail worker. A job holds no working link; links are derived at send time.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::outbox;

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
    pub status: String,
    pub attempts: i32,
    pub run_after: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
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

pub fn insert(conn: &mut DbConnection, job: &NewOutboxJob) -> QueryResult<()> {
    diesel::insert_into(outbox::table)
        .values(job)
        .execute(conn)
        .map(drop)
}

/// Jobs of one invitation, oldest first.
pub fn for_invitation(conn: &mut DbConnection, invitation_id: &str) -> QueryResult<Vec<OutboxJob>> {
    outbox::table
        .filter(outbox::invitation_id.eq(invitation_id))
        .order(outbox::created_at.asc())
        .select(OutboxJob::as_select())
        .load(conn)
}

/// Whether a job of this kind still waits to be sent for the invitation.
pub fn has_pending(conn: &mut DbConnection, invitation_id: &str, kind: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        outbox::table
            .filter(outbox::invitation_id.eq(invitation_id))
            .filter(outbox::kind.eq(kind))
            .filter(outbox::status.eq_any(["pending", "sending"])),
    ))
    .get_result(conn)
}

/// Withdraws the jobs of an invitation that were not sent yet (after a revocation).
pub fn cancel_pending(conn: &mut DbConnection, invitation_id: &str) -> QueryResult<usize> {
    diesel::delete(
        outbox::table
            .filter(outbox::invitation_id.eq(invitation_id))
            .filter(outbox::status.eq("pending")),
    )
    .execute(conn)
}
