//! Whether the browser's copy of a rendered letter is still current (answered with 304 Not
//! Modified), from `If-None-Match` when the request has one, else from `If-Modified-Since`
//! (RFC 9110, section 13.2.2), both parsed by actix-web's typed headers.

use std::time::SystemTime;

use actix_web::HttpRequest;
use actix_web::http::header::{self, EntityTag, Header, HttpDate, IfModifiedSince};

use crate::web::assets::holds_tag;

/// True when the request's `If-None-Match` holds `tag` (weak comparison, a list or `*`) or,
/// without `If-None-Match`, its `If-Modified-Since` is not before `last_modified`. A header
/// that does not parse never makes a copy current.
pub(super) fn is_fresh(request: &HttpRequest, tag: &EntityTag, last_modified: HttpDate) -> bool {
    if request.headers().contains_key(header::IF_NONE_MATCH) {
        return holds_tag(request, tag);
    }
    IfModifiedSince::parse(request)
        .is_ok_and(|since| SystemTime::from(since.0) >= SystemTime::from(last_modified))
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn fresh(headers: &[(&str, &str)]) -> bool {
        let mut request = TestRequest::default();
        for &header in headers {
            request = request.insert_header(header);
        }
        let tag = EntityTag::new_strong("0123abcd".into());
        let modified: HttpDate = "Wed, 25 Nov 2026 10:00:00 GMT"
            .parse()
            .expect("an HTTP date");
        is_fresh(&request.to_http_request(), &tag, modified)
    }

    #[test]
    fn a_matching_tag_in_a_list_weak_or_strong_or_a_star() {
        assert!(fresh(&[("if-none-match", r#""0123abcd""#)]));
        assert!(fresh(&[("if-none-match", r#""other", "0123abcd""#)]));
        assert!(fresh(&[("if-none-match", r#"W/"0123abcd""#)]));
        assert!(fresh(&[("if-none-match", "*")]));
        assert!(!fresh(&[("if-none-match", r#""other""#)]));
        assert!(!fresh(&[("if-none-match", "0123abcd")]));
    }

    #[test]
    fn by_date_only_without_a_tag() {
        let since = ("if-modified-since", "Wed, 25 Nov 2026 10:00:00 GMT");
        assert!(fresh(&[since]));
        assert!(fresh(&[(
            "if-modified-since",
            "Thu, 26 Nov 2026 08:00:00 GMT"
        )]));
        assert!(!fresh(&[(
            "if-modified-since",
            "Wed, 25 Nov 2026 09:59:59 GMT"
        )]));
        assert!(!fresh(&[since, ("if-none-match", r#""other""#)]));
        assert!(!fresh(&[("if-modified-since", "yesterday")]));
        assert!(!fresh(&[]));
    }
}
