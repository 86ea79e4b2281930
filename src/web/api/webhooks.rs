//! API v1: webhooks. A letter's (`/letters/{id}/webhooks`, any coordinator) or every letter's
//! (`/webhooks`, admins), their deliveries, a test event, removal. The `secret` that signs
//! deliveries is in the 201 answer only.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::body::StrictJson;
use crate::app::webhook_events;
use crate::app::webhooks::{self, NewWebhook};
use crate::app::{Actor, Context};
use crate::clock::rfc3339;
use crate::db::outbox::OutboxJob;
use crate::db::webhooks::Webhook;
use crate::domain::{LetterId, WebhookEvent};
use crate::web::ApiError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(register_for_letter)
        .service(list_for_letter)
        .service(register_for_all)
        .service(list_for_all)
        .service(deliveries)
        .service(send_test)
        .service(remove);
}

/// A webhook to register: an `https://` address and the events it listens for.
#[derive(Deserialize, ToSchema)]
pub struct WebhookBody {
    pub url: String,
    /// Among `invitation.opened`, `invitation.signed`, `invitation.declined`,
    /// `invitation.withdrawn`, `invitation.bounced`, `reminder.sent`, `letter.released`,
    /// `revision.published`.
    pub events: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookJson {
    pub id: String,
    /// `null` for a webhook told of every letter.
    pub letter_id: Option<String>,
    pub url: String,
    pub events: Vec<String>,
    pub created_at: String,
    /// The key of the deliveries' HMAC-SHA256 signatures: in the answer that registers the
    /// webhook only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl From<&Webhook> for WebhookJson {
    fn from(webhook: &Webhook) -> Self {
        Self {
            id: webhook.id.clone(),
            letter_id: webhook.letter_id.clone(),
            url: webhook.url.clone(),
            events: webhook.event_names().map(str::to_string).collect(),
            created_at: rfc3339(webhook.created_at),
            secret: None,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WebhookListJson {
    pub webhooks: Vec<WebhookJson>,
}

/// One delivery: `status` is `pending` (waiting, perhaps for a retry), `sending`, `sent` or
/// `dead` (given up; an admin can retry it from the dead-letter list).
#[derive(Serialize, ToSchema)]
pub struct DeliveryJson {
    pub id: String,
    pub event: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: String,
    pub next_attempt_at: Option<String>,
    pub sent_at: Option<String>,
}

impl From<&OutboxJob> for DeliveryJson {
    fn from(job: &OutboxJob) -> Self {
        let event = webhook_events::event_of(&job.payload);
        let waiting = job.status == crate::domain::JobStatus::Pending;
        Self {
            id: job.id.clone(),
            event,
            status: job.status.as_str().to_string(),
            attempts: job.attempts,
            last_error: job.last_error.clone(),
            created_at: rfc3339(job.created_at),
            next_attempt_at: waiting.then(|| rfc3339(job.run_after)),
            sent_at: job.sent_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryListJson {
    pub deliveries: Vec<DeliveryJson>,
}

/// Checks the body: the address (its host looked up, every address allowed) and the events.
async fn checked(ctx: &Context, body: WebhookBody) -> Result<NewWebhook, ApiError> {
    let url = webhooks::checked_url(&body.url, ctx.settings.webhooks.allow_private).await?;
    let events = WebhookEvent::parse_list(body.events.iter().map(String::as_str))?;
    Ok(NewWebhook { url, events })
}

async fn register(
    ctx: web::Data<Context>,
    actor: Actor,
    letter_id: Option<LetterId>,
    body: WebhookBody,
) -> Result<HttpResponse, ApiError> {
    let input = checked(&ctx, body).await?;
    let context = ctx.clone();
    let registered = ctx
        .db
        .run(move |conn| {
            webhooks::register(
                conn,
                &context.clock,
                &context.secrets,
                &actor,
                letter_id.as_ref(),
                input,
            )
        })
        .await?;
    let mut json = WebhookJson::from(&registered.webhook);
    json.secret = Some(registered.secret);
    Ok(HttpResponse::Created().json(json))
}

/// Register a webhook told of this letter's events. The answer holds its `secret`, shown once.
#[utoipa::path(post, path = "/api/v1/letters/{id}/webhooks", tag = "webhooks", request_body = WebhookBody,
    responses((status = 201, body = WebhookJson), (status = 404, body = super::json::ErrorJson),
        (status = 422, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[post("/letters/{id}/webhooks")]
async fn register_for_letter(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: StrictJson<WebhookBody>,
) -> Result<HttpResponse, ApiError> {
    register(ctx, user.0, Some(id.into_inner()), body.into_inner()).await
}

/// Register a webhook told of every letter's events (admins only).
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = WebhookBody,
    responses((status = 201, body = WebhookJson), (status = 403, body = super::json::ErrorJson),
        (status = 422, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[post("/webhooks")]
async fn register_for_all(
    user: ApiUser,
    ctx: web::Data<Context>,
    body: StrictJson<WebhookBody>,
) -> Result<HttpResponse, ApiError> {
    register(ctx, user.0, None, body.into_inner()).await
}

async fn list(
    ctx: web::Data<Context>,
    letter_id: Option<LetterId>,
) -> Result<HttpResponse, ApiError> {
    let listed = ctx
        .db
        .run(move |conn| webhooks::list(conn, letter_id.as_ref()))
        .await?;
    Ok(HttpResponse::Ok().json(WebhookListJson {
        webhooks: listed.iter().map(WebhookJson::from).collect(),
    }))
}

/// The letter's webhooks (without their secrets).
#[utoipa::path(get, path = "/api/v1/letters/{id}/webhooks", tag = "webhooks",
    responses((status = 200, body = WebhookListJson), (status = 404, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[get("/letters/{id}/webhooks")]
async fn list_for_letter(
    _user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, ApiError> {
    list(ctx, Some(id.into_inner())).await
}

/// The webhooks told of every letter (admins only).
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    responses((status = 200, body = WebhookListJson), (status = 403, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[get("/webhooks")]
async fn list_for_all(user: ApiUser, ctx: web::Data<Context>) -> Result<HttpResponse, ApiError> {
    if user.0.role != crate::domain::Role::Admin {
        return Err(crate::app::AppError::AdminOnly.into());
    }
    list(ctx, None).await
}

/// The webhook's latest 50 deliveries, newest first.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks",
    responses((status = 200, body = DeliveryListJson), (status = 404, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[get("/webhooks/{id}/deliveries")]
async fn deliveries(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let jobs = ctx
        .db
        .run(move |conn| webhooks::deliveries(conn, &user.0, &id))
        .await?;
    Ok(HttpResponse::Ok().json(DeliveryListJson {
        deliveries: jobs.iter().map(DeliveryJson::from).collect(),
    }))
}

/// Queue a `webhook.test` event for this webhook; answers 202 at once.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks",
    responses((status = 202), (status = 404, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[post("/webhooks/{id}/test")]
async fn send_test(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let context = ctx.clone();
    let queued: NaiveDateTime = ctx
        .db
        .run(move |conn| webhooks::send_test(conn, &context.clock, &user.0, &id))
        .await?;
    ctx.mail_queued();
    Ok(HttpResponse::Accepted().json(serde_json::json!({ "queued_at": rfc3339(queued) })))
}

/// Remove the webhook; deliveries not yet made are dropped.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    responses((status = 204), (status = 404, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[delete("/webhooks/{id}")]
async fn remove(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let context = ctx.clone();
    ctx.db
        .run(move |conn| webhooks::remove(conn, &context.clock, &user.0, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
