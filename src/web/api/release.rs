//! API v1: the release check and releasing a letter (admins only).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::ApiUser;
use crate::app::Context;
use crate::app::release::{self, ReleaseError};
use crate::web::{ApiError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(release_check).service(release_letter);
}

#[derive(Deserialize, ToSchema, Default)]
pub struct ReleaseBody {
    /// RFC 3339 time of an embargoed release; absent: now.
    pub at: Option<String>,
}

/// Who would be listed, who is left out and why, and what blocks the release.
#[utoipa::path(get, path = "/api/v1/letters/{id}/release-check", tag = "release", responses((status = 200)), security(("bearer" = [])))]
#[get("/letters/{id}/release-check")]
async fn release_check(
    _user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let check = ctx.db.run(move |conn| release::check(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(check))
}

/// Release the letter now (admins only). 409 with the reasons when the release check fails.
#[utoipa::path(post, path = "/api/v1/letters/{id}/release", tag = "release", request_body(content = ReleaseBody, description = "optional"),
    responses((status = 200), (status = 403, body = super::json::ErrorJson), (status = 409, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[post("/letters/{id}/release")]
async fn release_letter(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
    body: Option<web::Json<ReleaseBody>>,
) -> Result<HttpResponse, ApiError> {
    user.require_admin()?;
    if body
        .as_ref()
        .and_then(|b| b.at.as_deref())
        .is_some_and(|at| !at.trim().is_empty())
    {
        return Err(ApiError(WebError::new(
            StatusCode::NOT_IMPLEMENTED,
            "embargoed releases at a set time are not available yet; release now",
        )));
    }
    let context = ctx.clone();
    let result = ctx
        .db
        .run(move |conn| release::release_now(conn, &context.clock, &context.links(), &user.0, &id))
        .await;
    match result {
        Ok(release) => {
            ctx.mail_queued();
            Ok(HttpResponse::Ok().json(serde_json::json!({
                "status": "released",
                "released_at": release.released_at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "version": release.version,
                "content_sha256": release.content_sha256,
                "manifest_sha256": release.manifest_sha256,
                "signature": release.signature,
                "signatories": release.signatory_list(),
            })))
        }
        Err(ReleaseError::Blocked(check)) => Err(ApiError(
            WebError::new(StatusCode::CONFLICT, "the release check failed")
                .with_details(serde_json::to_value(&check).unwrap_or_default()),
        )),
        Err(ReleaseError::App(error)) => Err(error.into()),
    }
}
