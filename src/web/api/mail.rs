//! API v1: the email outbox as admins see it (the dead-letter list and retrying a job), and
//! each letter's schedule of automatic reminders.

use actix_web::{HttpResponse, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::body::StrictJson;
use crate::app::{Context, outbox, reminders};
use crate::db::outbox::OutboxJob;
use crate::domain::{LetterId, ReminderSchedule};
use crate::web::ApiError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(dead_jobs)
        .service(retry_job)
        .service(get_schedule)
        .service(set_schedule);
}

use crate::clock::rfc3339 as utc;

/// An email job, without its rendered body (which is never stored).
#[derive(Serialize, ToSchema)]
pub struct MailJobJson {
    pub id: String,
    /// invitation, reminder, confirmation, reapproval or release_notice.
    pub kind: String,
    pub letter_id: Option<String>,
    pub invitation_id: Option<String>,
    pub recipient: String,
    pub message_id: String,
    /// pending, sending, sent or dead.
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: String,
    pub created_at: String,
}

impl From<&OutboxJob> for MailJobJson {
    fn from(job: &OutboxJob) -> Self {
        Self {
            id: job.id.clone(),
            kind: job.kind.clone(),
            letter_id: job.letter_id.clone(),
            invitation_id: job.invitation_id.clone(),
            recipient: job.recipient.clone(),
            message_id: job.message_id.clone(),
            status: job.status.to_string(),
            attempts: job.attempts,
            last_error: job.last_error.clone(),
            next_attempt_at: utc(job.run_after),
            created_at: utc(job.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MailJobListJson {
    pub jobs: Vec<MailJobJson>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ReminderScheduleJson {
    /// Days before the deadline on which organizations that have not answered are reminded,
    /// largest first; empty for none.
    pub days_before_deadline: Vec<u32>,
}

/// Emails that gave up or were refused for good, most recent first (admins only).
#[utoipa::path(get, path = "/api/v1/mail/dead", tag = "mail", responses((status = 200, body = MailJobListJson), (status = 403, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[get("/mail/dead")]
async fn dead_jobs(user: ApiUser, ctx: web::Data<Context>) -> Result<HttpResponse, ApiError> {
    user.require_admin()?;
    let jobs = ctx.db.run(outbox::dead_jobs).await?;
    Ok(HttpResponse::Ok().json(MailJobListJson {
        jobs: jobs.iter().map(MailJobJson::from).collect(),
    }))
}

/// Put a dead email back in the queue (admins only).
#[utoipa::path(post, path = "/api/v1/mail/{id}/retry", tag = "mail", responses((status = 200, body = MailJobJson), (status = 404, body = super::json::ErrorJson), (status = 409, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[post("/mail/{id}/retry")]
async fn retry_job(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require_admin()?;
    let clock = ctx.clock.clone();
    let job = ctx
        .db
        .run(move |conn| outbox::retry_job(conn, &clock, &id))
        .await?;
    ctx.mail_queued();
    Ok(HttpResponse::Ok().json(MailJobJson::from(&job)))
}

/// The letter's automatic reminder schedule.
#[utoipa::path(get, path = "/api/v1/letters/{id}/reminder-schedule", tag = "invitations", responses((status = 200, body = ReminderScheduleJson)), security(("bearer" = [])))]
#[get("/letters/{id}/reminder-schedule")]
async fn get_schedule(
    _user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, ApiError> {
    let schedule = ctx
        .db
        .run(move |conn| reminders::schedule(conn, &id))
        .await?;
    Ok(HttpResponse::Ok().json(ReminderScheduleJson {
        days_before_deadline: schedule.days().to_vec(),
    }))
}

/// Set on which days before the deadline reminders go out automatically (`[]` for none).
#[utoipa::path(put, path = "/api/v1/letters/{id}/reminder-schedule", tag = "invitations", request_body = ReminderScheduleJson, responses((status = 200, body = ReminderScheduleJson), (status = 422, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[put("/letters/{id}/reminder-schedule")]
async fn set_schedule(
    _user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: StrictJson<ReminderScheduleJson>,
) -> Result<HttpResponse, ApiError> {
    let schedule = ReminderSchedule::from_days(&body.days_before_deadline)?;
    let days = schedule.days().to_vec();
    let clock = ctx.clock.clone();
    ctx.db
        .run(move |conn| reminders::set_schedule(conn, &clock, &id, &schedule))
        .await?;
    Ok(HttpResponse::Ok().json(ReminderScheduleJson {
        days_before_deadline: days,
    }))
}
