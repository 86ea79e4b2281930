//! Which stored encoding of a rendered letter a request gets, from its `Accept-Encoding`
//! (RFC 9110, section 12.5.3), parsed by actix-web's typed header.
//!
//! A coding named with `q=0` is never sent; a coding not named takes the quality of `*` when
//! the header has one; the highest quality wins, brotli before gzip at equal quality; identity
//! is the answer when no stored coding is acceptable, when the header is absent or does not
//! parse, and when `identity` is named with a higher quality than every stored coding.
//! (`AcceptEncoding::negotiate` is not used: it never lets `*` choose a compressed coding.)

use actix_web::HttpRequest;
use actix_web::http::header::{
    self, AcceptEncoding, ContentEncoding, Encoding, Header, Preference, Quality,
};

/// The coding to answer `request` in: one of `stored` (in order of preference at equal
/// quality) or `ContentEncoding::Identity`.
pub(super) fn choose(request: &HttpRequest, stored: &[ContentEncoding]) -> ContentEncoding {
    if stored.is_empty() || !request.headers().contains_key(header::ACCEPT_ENCODING) {
        return ContentEncoding::Identity;
    }
    match AcceptEncoding::parse(request) {
        Ok(accepted) => best(&accepted, stored),
        Err(_) => ContentEncoding::Identity,
    }
}

/// The quality `accepted` gives `coding`: its own entry, else that of `*`, else none.
fn quality(accepted: &AcceptEncoding, coding: ContentEncoding) -> Option<Quality> {
    let named = Preference::Specific(Encoding::Known(coding));
    accepted
        .0
        .iter()
        .find(|item| item.item == named)
        .or_else(|| accepted.0.iter().find(|item| item.item == Preference::Any))
        .map(|item| item.quality)
}

fn best(accepted: &AcceptEncoding, stored: &[ContentEncoding]) -> ContentEncoding {
    let mut best: Option<(ContentEncoding, Quality)> = None;
    for &coding in stored {
        if let Some(q) = quality(accepted, coding)
            && q > Quality::ZERO
            && best.is_none_or(|(_, so_far)| q > so_far)
        {
            best = Some((coding, q));
        }
    }
    let identity = Preference::Specific(Encoding::identity());
    let identity = accepted.0.iter().find(|item| item.item == identity);
    match best {
        Some((coding, q)) if identity.is_none_or(|item| q >= item.quality) => coding,
        _ => ContentEncoding::Identity,
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    const STORED: &[ContentEncoding] = &[ContentEncoding::Brotli, ContentEncoding::Gzip];

    fn chosen(accept: Option<&str>, stored: &[ContentEncoding]) -> ContentEncoding {
        let mut request = TestRequest::default();
        if let Some(accept) = accept {
            request = request.insert_header((header::ACCEPT_ENCODING, accept));
        }
        choose(&request.to_http_request(), stored)
    }

    #[test]
    fn brotli_before_gzip_at_equal_quality() {
        assert_eq!(chosen(Some("gzip, br"), STORED), ContentEncoding::Brotli);
        assert_eq!(chosen(Some("br"), STORED), ContentEncoding::Brotli);
        assert_eq!(
            chosen(Some("gzip, deflate, br, zstd"), STORED),
            ContentEncoding::Brotli
        );
    }

    #[test]
    fn quality_zero_is_not_acceptable() {
        assert_eq!(chosen(Some("br;q=0, gzip"), STORED), ContentEncoding::Gzip);
        assert_eq!(chosen(Some("gzip;q=0"), STORED), ContentEncoding::Identity);
        assert_eq!(
            chosen(Some("br;q=0, gzip;q=0"), STORED),
            ContentEncoding::Identity
        );
    }

    #[test]
    fn the_higher_quality_wins() {
        assert_eq!(
            chosen(Some("br;q=0.5, gzip;q=0.8"), STORED),
            ContentEncoding::Gzip
        );
        assert_eq!(
            chosen(Some("gzip;q=0.5, identity"), STORED),
            ContentEncoding::Identity
        );
        assert_eq!(
            chosen(Some("gzip, identity;q=0.5"), STORED),
            ContentEncoding::Gzip
        );
    }

    #[test]
    fn a_star_stands_for_every_coding_not_named() {
        assert_eq!(chosen(Some("*"), STORED), ContentEncoding::Brotli);
        assert_eq!(chosen(Some("*, br;q=0"), STORED), ContentEncoding::Gzip);
        assert_eq!(chosen(Some("*;q=0"), STORED), ContentEncoding::Identity);
        assert_eq!(chosen(Some("gzip, *;q=0"), STORED), ContentEncoding::Gzip);
    }

    #[test]
    fn identity_when_nothing_else_fits() {
        assert_eq!(chosen(None, STORED), ContentEncoding::Identity);
        assert_eq!(chosen(Some(""), STORED), ContentEncoding::Identity);
        assert_eq!(chosen(Some("identity"), STORED), ContentEncoding::Identity);
        assert_eq!(chosen(Some("deflate"), STORED), ContentEncoding::Identity);
        assert_eq!(chosen(Some("br;q=nope"), STORED), ContentEncoding::Identity);
        assert_eq!(chosen(Some("br, gzip"), &[]), ContentEncoding::Identity);
    }

    #[test]
    fn names_are_case_insensitive() {
        assert_eq!(chosen(Some("BR;Q=1"), STORED), ContentEncoding::Brotli);
    }
}
