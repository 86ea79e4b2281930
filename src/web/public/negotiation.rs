//! Which stored encoding of a rendered letter a request gets, from its `Accept-Encoding`.

use actix_web::HttpRequest;
use actix_web::http::header;

/// A content coding a rendered letter is stored in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Coding {
    /// The `Content-Encoding` of an answer in this coding; none for identity.
    pub(super) fn header_value(self) -> Option<&'static str> {
        match self {
            Coding::Brotli => Some("br"),
            Coding::Gzip => Some("gzip"),
            Coding::Identity => None,
        }
    }
}

/// The coding to answer `request` in: brotli if named, else gzip if named, else identity.
pub(super) fn choose(request: &HttpRequest) -> Coding {
    let accepts = request
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let accepts = |name: &str| {
        accepts
            .split(',')
            .any(|e| e.split(';').next().is_some_and(|n| n.trim() == name))
    };
    if accepts("br") {
        Coding::Brotli
    } else if accepts("gzip") {
        Coding::Gzip
    } else {
        Coding::Identity
    }
}
