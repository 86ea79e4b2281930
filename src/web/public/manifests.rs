//! What lets anyone verify a published list: each revision's signed manifest
//! (`/letters/{slug}/revisions/{n}.json`) and the installation's public key
//! (`/.well-known/undersigned-release-key`).

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use serde_json::json;

use super::{is_slug, not_published};
use crate::app::release;
use crate::app::{AppError, Context};
use crate::clock::rfc3339;
use crate::web::PageError;

/// The public key of this installation's release signatures: Ed25519, 32 bytes, base64.
pub(super) fn public_key(ctx: &Context) -> String {
    ctx.secrets.release_public_key()
}

/// The public key of this installation's release signatures (Ed25519, base64).
#[get("/.well-known/undersigned-release-key")]
pub(super) async fn release_key(ctx: web::Data<Context>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(format!("{}\n", public_key(&ctx)))
}

/// One revision's signed manifest, so that the original list (and each later one) can be
/// verified after the letter changed, with the individuals frozen with it (empty when none).
/// Revisions never change: cached for a year.
#[get("/letters/{slug}/revisions/{name}")]
pub(super) async fn revision_manifest(
    ctx: web::Data<Context>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, name) = path.into_inner();
    let revision: i32 = name
        .strip_suffix(".json")
        .and_then(|n| n.parse().ok())
        .filter(|n| *n >= 1)
        .ok_or_else(not_published)?;
    if !is_slug(&slug) {
        return Err(not_published());
    }
    let published = match ctx
        .db
        .run(move |conn| release::published(conn, &slug))
        .await
    {
        Ok(published) => published,
        Err(AppError::NotFound(_)) => return Err(not_published()),
        Err(other) => return Err(other.into()),
    };
    let release = published
        .revisions
        .iter()
        .find(|r| r.revision == revision)
        .ok_or_else(not_published)?;
    let signatories = release.signatory_list()?;
    let individuals = release.individual_list()?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .json(json!({
            "revision": release.revision,
            "at": rfc3339(release.released_at),
            "change": release.change_note,
            "signatories": signatories,
            "individuals": individuals,
            "manifest": release.manifest,
            "manifest_sha256": release.manifest_sha256,
            "signature": release.signature,
            "signature_algorithm": "ed25519",
            "public_key": public_key(&ctx),
        })))
}
