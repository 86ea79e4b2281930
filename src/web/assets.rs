//! The files of `static/`, embedded in the binary so it runs from any folder. Each answer
//! carries an ETag; a request whose `?v=` matches the file's fingerprint may be cached for a
//! year, since a changed file gets a new fingerprint (see `asset_url`).

use std::sync::LazyLock;

use actix_web::http::header::{self, ETag, EntityTag};
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;

use super::{PageError, WebError};
use crate::crypto::sha256_hex;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const FILES: &[Asset] = &[
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../static/style.css"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../../static/favicon.svg"),
    },
];

/// Each file with the first 16 hex digits of its SHA-256.
static FINGERPRINTS: LazyLock<Vec<(&'static Asset, String)>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|asset| (asset, sha256_hex(asset.bytes)[..16].to_string()))
        .collect()
});

fn find(name: &str) -> Option<&'static (&'static Asset, String)> {
    FINGERPRINTS.iter().find(|(asset, _)| asset.name == name)
}

/// The URL of a static file with its fingerprint, for templates.
pub fn asset_url(name: &str) -> String {
    match find(name) {
        Some((_, fingerprint)) => format!("/static/{name}?v={fingerprint}"),
        None => format!("/static/{name}"),
    }
}

/// Whether the request's `If-None-Match` names this tag (the browser's copy is current).
pub fn holds_tag(request: &HttpRequest, tag: &EntityTag) -> bool {
    let wanted = tag.to_string();
    request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == wanted)
        })
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(static_file);
}

#[derive(Deserialize)]
struct Version {
    v: Option<String>,
}

#[get("/static/{name}")]
async fn static_file(
    request: HttpRequest,
    name: web::Path<String>,
    version: web::Query<Version>,
) -> Result<HttpResponse, PageError> {
    let (asset, fingerprint) = find(&name).ok_or_else(WebError::not_found)?;
    let tag = EntityTag::new_strong(fingerprint.clone());
    let cache = if version.v.as_deref() == Some(fingerprint.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let fresh = holds_tag(&request, &tag);
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header(ETag(tag))
        .insert_header((header::CACHE_CONTROL, cache));
    if fresh {
        return Ok(response.finish());
    }
    Ok(response.content_type(asset.content_type).body(asset.bytes))
}
