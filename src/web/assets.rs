//! The files of `static/`, embedded in the binary so it runs from any folder. Each answer
//! carries an ETag; a request whose `?v=` matches the file's fingerprint may be cached for a
//! year, since a changed file gets a new fingerprint (see `asset_url`).

use std::sync::LazyLock;

use actix_web::http::header::{self, ETag, EntityTag, Header, IfNoneMatch};
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
    Asset {
        name: "favicon.ico",
        content_type: "image/vnd.microsoft.icon",
        bytes: include_bytes!("../../static/favicon.ico"),
    },
    Asset {
        name: "select-all.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../static/select-all.js"),
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

/// Whether the request's `If-None-Match` holds this tag, so the browser's copy is current:
/// `*`, or a list with the tag in it, weak (`W/"…"`) or strong, compared weakly as RFC 9110
/// asks for GET. A header that does not parse holds nothing.
pub fn holds_tag(request: &HttpRequest, tag: &EntityTag) -> bool {
    match IfNoneMatch::parse(request) {
        Ok(IfNoneMatch::Any) => true,
        Ok(IfNoneMatch::Items(tags)) => tags.iter().any(|held| held.weak_eq(tag)),
        Err(_) => false,
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(static_file).service(favicon);
}

/// `/favicon.ico`, which browsers and feed readers ask for without looking at the page.
#[get("/favicon.ico")]
async fn favicon(request: HttpRequest) -> Result<HttpResponse, PageError> {
    serve(&request, "favicon.ico", None)
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
    serve(&request, &name, version.v.as_deref())
}

/// A static file with its ETag: cached for a year when `version` is its fingerprint.
fn serve(
    request: &HttpRequest,
    name: &str,
    version: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let (asset, fingerprint) = find(name).ok_or_else(WebError::not_found)?;
    let tag = EntityTag::new_strong(fingerprint.clone());
    let cache = if version == Some(fingerprint.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let fresh = holds_tag(request, &tag);
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
