//! API v1: answers that reached the coordinators by email, phone, on paper or at a meeting,
//! recorded on the organization's behalf (`POST /invitations/{id}/responses`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::body::StrictJson;
use super::json::InvitationJson;
use crate::app::{Context, signing};
use crate::clock::rfc3339;
use crate::db::responses::Response;
use crate::domain::{FieldError, InvitationId, RecordedAnswer};
use crate::web::{ApiError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(record_response);
}

/// An answer received outside the app.
#[derive(Deserialize, ToSchema)]
pub struct RecordResponseBody {
    /// "sign" or "decline".
    pub decision: String,
    /// Who answered for the organization.
    pub signer_name: String,
    pub signer_title: Option<String>,
    /// How the answer arrived: "email", "phone", "paper" or "meeting".
    pub channel: String,
    /// What shows the answer: the email's subject and date, who took the call, where the
    /// paper is kept.
    pub evidence: String,
}

/// One decision of an organization, as recorded.
#[derive(Serialize, ToSchema)]
pub struct ResponseJson {
    pub id: String,
    /// "sign", "decline" or "withdraw".
    pub decision: String,
    /// The version of the text the decision is bound to, and its SHA-256.
    pub version: i32,
    pub content_sha256: String,
    pub signer_name: String,
    pub signer_title: String,
    /// "sign_link", or what a coordinator recorded it from: "email", "phone", "paper", "meeting".
    pub channel: String,
    /// As published: "sign_link" or "coordinator".
    pub source: String,
    pub evidence: Option<String>,
    /// The account that recorded it, for an answer recorded by a coordinator.
    pub recorded_by: Option<String>,
    pub created_at: String,
}

impl From<&Response> for ResponseJson {
    fn from(response: &Response) -> Self {
        Self {
            id: response.id.clone(),
            decision: response.decision.as_str().into(),
            version: response.version,
            content_sha256: response.content_sha256.clone(),
            signer_name: response.signer_name.clone(),
            signer_title: response.signer_title.clone(),
            channel: response.channel.as_str().into(),
            source: response.channel.source().into(),
            evidence: response.evidence.clone(),
            recorded_by: response.recorded_by.clone(),
            created_at: rfc3339(response.created_at),
        }
    }
}

/// The invitation after the answer, and the answer.
#[derive(Serialize, ToSchema)]
pub struct RecordedJson {
    pub invitation: InvitationJson,
    pub response: ResponseJson,
}

/// The refused fields of a body, as an API error: the first reason as the message, every field
/// with its reason in `details.fields`.
fn refused(errors: Vec<FieldError>) -> ApiError {
    let message = errors
        .first()
        .map_or("the answer is incomplete".into(), |e| e.message.clone());
    let fields: Map<String, Value> = errors
        .into_iter()
        .map(|e| (e.field.to_string(), Value::String(e.message)))
        .collect();
    ApiError(
        WebError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
            .with_details(serde_json::json!({ "fields": fields })),
    )
}

/// Record an answer that arrived by email, phone, on paper or at a meeting, on the
/// organization's behalf. It is bound to the current version of the text and follows the rules
/// of a partner's own answer (409 past the deadline, after release without late signatures, or
/// for a revoked invitation); the organization's contact is emailed a confirmation with their
/// own link to correct it.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/responses", tag = "invitations", request_body = RecordResponseBody,
    responses((status = 201, body = RecordedJson), (status = 404, body = super::json::ErrorJson), (status = 409, body = super::json::ErrorJson), (status = 422, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[post("/invitations/{id}/responses")]
async fn record_response(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<InvitationId>,
    body: StrictJson<RecordResponseBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let answer = RecordedAnswer::parse(
        &body.decision,
        &body.signer_name,
        body.signer_title.as_deref().unwrap_or(""),
        &body.channel,
        &body.evidence,
    )
    .map_err(refused)?;
    let context = ctx.clone();
    let (invitation, response) = ctx
        .db
        .run(move |conn| {
            signing::record(
                conn,
                &context.clock,
                &context.links(),
                &user.0,
                &id,
                &answer,
                None,
            )
        })
        .await?;
    ctx.mail_queued();
    Ok(HttpResponse::Created().json(RecordedJson {
        invitation: InvitationJson::from(&invitation),
        response: ResponseJson::from(&response),
    }))
}
