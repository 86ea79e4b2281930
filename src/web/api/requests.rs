//! API v1: open sign-on's requests to join a letter (`GET /letters/{id}/requests`) and the
//! coordinators' decisions (`POST /requests/{id}/approve`, `POST /requests/{id}/reject`).

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::body::StrictJson;
use crate::app::Context;
use crate::app::sign_on::{self, RequestView};
use crate::clock::rfc3339;
use crate::db::sign_on_requests::SignOnRequest;
use crate::domain::{LetterId, OrganizationId};
use crate::web::ApiError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(approve).service(reject);
}

/// What helps judge a request.
#[derive(Serialize, ToSchema)]
pub struct HintsJson {
    /// Whether the email's domain is the website's; null without a website.
    pub email_matches_website: Option<bool>,
    /// The address is at a free email service.
    pub free_mail: bool,
    /// The address book's organization with the same key, if any: `{"id", "name"}`.
    #[schema(value_type = Option<Object>)]
    pub matching_organization: Option<serde_json::Value>,
}

/// A request to join a letter.
#[derive(Serialize, ToSchema)]
pub struct RequestJson {
    pub id: String,
    /// "organization" or "individual".
    pub kind: String,
    /// The organization's name, or the individual's.
    pub name: String,
    pub email: String,
    /// "unconfirmed", "pending", "approved" or "rejected".
    pub status: String,
    pub country: Option<String>,
    pub website: Option<String>,
    /// For an organization: the person who asked.
    pub contact_name: Option<String>,
    pub title: Option<String>,
    /// For an individual: for identification only.
    pub affiliation: Option<String>,
    pub note: Option<String>,
    /// The version of the text the requester read.
    pub read_version: i32,
    pub created_at: String,
    pub confirmed_at: Option<String>,
    pub decided_at: Option<String>,
    /// A rejection's reason, as the requester was told.
    pub reason: Option<String>,
    /// The invitation an approved organization became.
    pub invitation_id: Option<String>,
    pub hints: Option<HintsJson>,
}

impl RequestJson {
    fn of(request: &SignOnRequest, hints: Option<HintsJson>) -> Self {
        Self {
            id: request.id.clone(),
            kind: request.kind.clone(),
            name: request.name.clone(),
            email: request.email.clone(),
            status: request.status.clone(),
            country: request.country.clone(),
            website: request.website.clone(),
            contact_name: request.contact_name.clone(),
            title: request.title.clone(),
            affiliation: request.affiliation.clone(),
            note: request.note.clone(),
            read_version: request.read_version,
            created_at: rfc3339(request.created_at),
            confirmed_at: request.confirmed_at.map(rfc3339),
            decided_at: request.decided_at.map(rfc3339),
            reason: request.reason.clone(),
            invitation_id: request.invitation_id.clone(),
            hints,
        }
    }

    fn from_view(view: &RequestView) -> Self {
        let hints = &view.hints;
        Self::of(
            &view.request,
            Some(HintsJson {
                email_matches_website: hints.email_matches_website,
                free_mail: hints.free_mail,
                matching_organization: hints
                    .matching_organization
                    .as_ref()
                    .map(|o| serde_json::json!({ "id": o.id.to_string(), "name": o.name })),
            }),
        )
    }
}

#[derive(Serialize, ToSchema)]
pub struct RequestListJson {
    pub requests: Vec<RequestJson>,
}

/// The letter's requests to join, oldest first, with hints.
#[utoipa::path(get, path = "/api/v1/letters/{id}/requests", tag = "letters",
    responses((status = 200, body = RequestListJson), (status = 404, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[get("/letters/{id}/requests")]
async fn list(
    _user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, ApiError> {
    let views = ctx.db.run(move |conn| sign_on::requests(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(RequestListJson {
        requests: views.iter().map(RequestJson::from_view).collect(),
    }))
}

/// An approval; `merge_into` names the address book's organization the request stands for.
#[derive(Deserialize, ToSchema, Default)]
pub struct ApproveBody {
    pub merge_into: Option<String>,
}

/// Approve a confirmed request: an organization becomes an invitation signed for the version
/// its requester read (asked to approve again after a substantive edit), an individual is
/// listed apart. 409 when it is not confirmed or already decided, when the organization is
/// already invited, or when the letter takes no more signatures.
#[utoipa::path(post, path = "/api/v1/requests/{id}/approve", tag = "letters", request_body = Option<ApproveBody>,
    responses((status = 200, body = RequestJson), (status = 404, body = super::json::ErrorJson), (status = 409, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[post("/requests/{id}/approve")]
async fn approve(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
    body: Option<StrictJson<ApproveBody>>,
) -> Result<HttpResponse, ApiError> {
    let merge_into = body
        .map(StrictJson::into_inner)
        .unwrap_or_default()
        .merge_into
        .map(OrganizationId::from);
    let context = ctx.clone();
    let request = ctx
        .db
        .run(move |conn| {
            sign_on::approve(
                conn,
                &context.clock,
                &context.links(),
                &user.0,
                &id,
                merge_into.as_ref(),
                context.settings.letters.max_invitations,
            )
        })
        .await?;
    ctx.mail_queued();
    Ok(HttpResponse::Ok().json(RequestJson::of(&request, None)))
}

#[derive(Deserialize, ToSchema)]
pub struct RejectBody {
    /// Told to the requester.
    pub reason: String,
}

/// Reject a confirmed request with a reason, which the requester is told by email.
#[utoipa::path(post, path = "/api/v1/requests/{id}/reject", tag = "letters", request_body = RejectBody,
    responses((status = 200, body = RequestJson), (status = 404, body = super::json::ErrorJson), (status = 409, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[post("/requests/{id}/reject")]
async fn reject(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
    body: StrictJson<RejectBody>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.into_inner().reason;
    let context = ctx.clone();
    let request = ctx
        .db
        .run(move |conn| {
            sign_on::reject(
                conn,
                &context.clock,
                &context.links(),
                &user.0,
                &id,
                &reason,
            )
        })
        .await?;
    ctx.mail_queued();
    Ok(HttpResponse::Ok().json(RequestJson::of(&request, None)))
}
