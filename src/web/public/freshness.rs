//! Whether the browser's copy of a rendered letter is still current (answered with 304 Not
//! Modified): by ETag when the request names one, else by date.

use actix_web::HttpRequest;
use actix_web::http::header::{self, EntityTag, HttpDate};

/// True when the request's `If-None-Match` holds `tag` or, without `If-None-Match`, its
/// `If-Modified-Since` is not before `last_modified`.
pub(super) fn is_fresh(request: &HttpRequest, tag: &EntityTag, last_modified: HttpDate) -> bool {
    if request.headers().contains_key(header::IF_NONE_MATCH) {
        return crate::web::assets::holds_tag(request, tag);
    }
    request
        .headers()
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<HttpDate>().ok())
        .is_some_and(|since| {
            std::time::SystemTime::from(since) >= std::time::SystemTime::from(last_modified)
        })
}
