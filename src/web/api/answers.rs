//! API v1: what each organization answered. The items of a letter's invitation list carry the
//! current decision's signer and note and the organization's reminders; one invitation adds
//! the history of its decisions.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::json::InvitationJson;
use crate::app::Context;
use crate::app::invitations::answers::{self, Detail, Overview};
use crate::clock::rfc3339 as utc;
use crate::db::responses::Response;
use crate::domain::InvitationId;
use crate::web::ApiError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(one);
}

/// An invitation as a letter's list shows it.
#[derive(Serialize, ToSchema)]
pub struct InvitationItemJson {
    #[serde(flatten)]
    pub invitation: InvitationJson,
    /// Who decided for the organization, in its current decision (null before any).
    pub signer_name: Option<String>,
    /// Their title, in the current decision.
    pub signer_title: Option<String>,
    /// The note or decline reason of the current decision, if they wrote one.
    pub comment: Option<String>,
    /// Reminders sent (or on their way) to the organization for this letter.
    pub reminders_sent: usize,
    /// When the latest reminder went out (RFC 3339), if any did.
    pub last_reminded_at: Option<String>,
}

impl From<&Overview> for InvitationItemJson {
    fn from(overview: &Overview) -> Self {
        let current = overview.current.as_ref();
        Self {
            invitation: InvitationJson::from(&overview.invitation),
            signer_name: current.map(|r| r.signer_name.clone()),
            signer_title: current.map(|r| r.signer_title.clone()),
            comment: current.and_then(|r| r.comment.clone()),
            reminders_sent: overview.reminded.count,
            last_reminded_at: overview.reminded.last_at.map(utc),
        }
    }
}

/// A letter's invitations with their answers.
#[derive(Serialize, ToSchema)]
pub struct InvitationItemListJson {
    pub invitations: Vec<InvitationItemJson>,
}

/// One decision of an organization.
#[derive(Serialize, ToSchema)]
pub struct ResponseJson {
    /// sign, decline or withdraw.
    pub decision: String,
    pub signer_name: String,
    pub signer_title: String,
    /// The organization's name as the partner asked it to be printed.
    pub organization_display_name: String,
    /// The partner's note or decline reason.
    pub comment: Option<String>,
    /// The version of the letter the decision was about, and the SHA-256 of its text.
    pub version: i32,
    pub content_sha256: String,
    /// How the decision arrived: `sign_link` (the partner's personal link).
    pub source: String,
    /// The translation the partner read (BCP 47) and its version; null for the letter's own
    /// text.
    pub language: Option<String>,
    pub translation_version: Option<i32>,
    pub created_at: String,
}

impl From<&Response> for ResponseJson {
    fn from(response: &Response) -> Self {
        Self {
            decision: response.decision.as_str().to_string(),
            signer_name: response.signer_name.clone(),
            signer_title: response.signer_title.clone(),
            organization_display_name: response.organization_display_name.clone(),
            comment: response.comment.clone(),
            version: response.version,
            content_sha256: response.content_sha256.clone(),
            source: response.channel.source().to_string(),
            language: response.language.clone(),
            translation_version: response.translation_version,
            created_at: utc(response.created_at),
        }
    }
}

/// One invitation with every decision of the organization, newest first.
#[derive(Serialize, ToSchema)]
pub struct InvitationDetailJson {
    #[serde(flatten)]
    pub item: InvitationItemJson,
    pub responses: Vec<ResponseJson>,
}

impl From<&Detail> for InvitationDetailJson {
    fn from(detail: &Detail) -> Self {
        Self {
            item: InvitationItemJson::from(&detail.overview),
            responses: detail.history.iter().map(ResponseJson::from).collect(),
        }
    }
}

/// One invitation, its current answer, its reminders and the history of its decisions.
#[utoipa::path(get, path = "/api/v1/invitations/{id}", tag = "invitations",
    responses((status = 200, body = InvitationDetailJson), (status = 404, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[get("/invitations/{id}")]
async fn one(
    _user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<InvitationId>,
) -> Result<HttpResponse, ApiError> {
    let detail = ctx.db.run(move |conn| answers::detail(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(InvitationDetailJson::from(&detail)))
}
