//! API v1: the release check and releasing a letter (admins only).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::body::StrictJson;
use crate::app::Context;
use crate::app::release::{self, ReleaseError};
use crate::clock::rfc3339;
use crate::domain::{LetterId, LetterStatus};
use crate::web::{ApiError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(release_check)
        .service(cancel_release)
        .service(release_letter);
}

#[derive(Deserialize, ToSchema, Default)]
pub struct ReleaseBody {
    /// RFC 3339 time of an embargoed release; absent: now.
    pub at: Option<String>,
    /// IANA time zone the embargo time is shown in, such as Europe/Zurich (default UTC).
    pub time_zone: Option<String>,
    /// With `at`: freeze the list of signatories now. Otherwise partners may still sign or
    /// decline until the release fires, and the release check runs again then.
    pub freeze_answers: Option<bool>,
}

/// Who would be listed, who is left out and why, and what blocks the release.
#[utoipa::path(get, path = "/api/v1/letters/{id}/release-check", tag = "release", responses((status = 200)), security(("bearer" = [])))]
#[get("/letters/{id}/release-check")]
async fn release_check(
    _user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, ApiError> {
    let check = ctx.db.run(move |conn| release::check(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(check))
}

/// Release the letter now, or at `at` (an embargo; admins only). 409 with the reasons when the
/// release check fails.
#[utoipa::path(post, path = "/api/v1/letters/{id}/release", tag = "release", request_body(content = ReleaseBody, description = "optional"),
    responses((status = 200), (status = 403, body = super::json::ErrorJson), (status = 409, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[post("/letters/{id}/release")]
async fn release_letter(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: StrictJson<Option<ReleaseBody>>,
) -> Result<HttpResponse, ApiError> {
    user.require_admin()?;
    let body = body.into_inner().unwrap_or_default();
    if let Some(at) = body.at.as_deref().filter(|at| !at.trim().is_empty()) {
        let when =
            crate::domain::Deadline::parse_rfc3339(at, body.time_zone.as_deref()).map_err(|e| {
                crate::domain::InvalidInput::new(e.0.replace("the deadline", "the release time"))
            })?;
        let context = ctx.clone();
        let scheduled = ctx
            .db
            .run(move |conn| {
                let embargo = release::Embargo {
                    at: when.at,
                    zone: when.zone,
                    freeze_answers: body.freeze_answers.unwrap_or(false),
                };
                release::schedule(conn, &context.clock, &user.0, &id, embargo)
            })
            .await;
        return match scheduled {
            Ok(view) => Ok(HttpResponse::Ok().json(serde_json::json!({
                "status": LetterStatus::Scheduled,
                "release_at": view.letter.release_at.map(rfc3339),
                "time_zone": view.letter.release_tz,
                "answers_frozen": view.letter.answers_frozen,
            }))),
            Err(error) => Err(release_error(error)),
        };
    }
    let context = ctx.clone();
    let result = ctx
        .db
        .run(move |conn| release::release_now(conn, &context.clock, &context.links(), &user.0, &id))
        .await;
    match result {
        Ok(release) => {
            ctx.mail_queued();
            let signatories = release.signatory_list().map_err(ApiError::from)?;
            Ok(HttpResponse::Ok().json(serde_json::json!({
                "status": LetterStatus::Released,
                "released_at": rfc3339(release.released_at),
                "version": release.version,
                "content_sha256": release.content_sha256,
                "manifest_sha256": release.manifest_sha256,
                "signature": release.signature,
                "signatories": signatories,
            })))
        }
        Err(error) => Err(release_error(error)),
    }
}

fn release_error(error: ReleaseError) -> ApiError {
    match error {
        ReleaseError::Blocked(check) => ApiError(
            WebError::new(StatusCode::CONFLICT, "the release check failed")
                .with_details(serde_json::to_value(&check).unwrap_or_default()),
        ),
        ReleaseError::App(error) => error.into(),
    }
}

/// Cancel a scheduled release (admins only); the letter stays closed until reopened.
#[utoipa::path(post, path = "/api/v1/letters/{id}/release/cancel", tag = "release", responses((status = 200), (status = 409, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[post("/letters/{id}/release/cancel")]
async fn cancel_release(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, ApiError> {
    user.require_admin()?;
    let context = ctx.clone();
    let view = ctx
        .db
        .run(move |conn| release::cancel_schedule(conn, &context.clock, &user.0, &id))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": view.letter.status })))
}
