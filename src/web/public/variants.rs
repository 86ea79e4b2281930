//! One form of a rendered letter stored plain, gzip-compressed and brotli-compressed, and how
//! one of them is answered to a request: a 304 when the browser's copy is current, else the
//! encoding the browser accepts best.

use std::io::Write;

use actix_web::http::header::{self, ContentEncoding, ETag};
use actix_web::http::header::{EntityTag, HttpDate};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};

use super::freshness::is_fresh;
use super::negotiation::choose;
use crate::app::coordinating::CoordinatingOrganization;

/// A released letter rendered once, in every form and encoding it is served in. A press spike
/// costs no database query.
pub(super) struct Rendered {
    /// The newest revision these bytes show.
    pub(super) revision: i32,
    /// The coordinating organization as these bytes name it.
    pub(super) asking: CoordinatingOrganization,
    /// Strong: the first 32 hex digits of the newest manifest's SHA-256.
    pub(super) tag: EntityTag,
    /// The newest revision's release time, in whole seconds.
    pub(super) last_modified: HttpDate,
    pub(super) page: Variants,
    /// The card for other websites' iframes.
    pub(super) embed: Variants,
    pub(super) json: Variants,
    pub(super) csv: Variants,
    pub(super) xlsx: Variants,
    pub(super) text: Variants,
    pub(super) pdf: Variants,
}

/// One body, stored plain, gzip-compressed and brotli-compressed. A body that is compressed
/// already keeps empty compressed variants and is always served as it is.
pub(super) struct Variants {
    content_type: &'static str,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

impl Variants {
    /// A body that is compressed already (a PDF): served as it is to every browser.
    pub(super) fn identity(content_type: &'static str, body: Vec<u8>) -> Self {
        Self {
            content_type,
            identity: body.into(),
            gzip: Bytes::new(),
            brotli: Bytes::new(),
        }
    }

    /// A body compressed now at the best settings of both codings (gzip 9, brotli 11): slow,
    /// so call it off the async workers; it is done once per revision.
    pub(super) fn new(content_type: &'static str, body: Vec<u8>) -> Self {
        let gzip = {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            let _ = encoder.write_all(&body);
            encoder.finish().unwrap_or_default()
        };
        let brotli = {
            let mut out = Vec::new();
            let params = brotli::enc::BrotliEncoderParams {
                quality: 11,
                ..Default::default()
            };
            let _ = brotli::BrotliCompress(&mut body.as_slice(), &mut out, &params);
            out
        };
        Self {
            content_type,
            identity: body.into(),
            gzip: gzip.into(),
            brotli: brotli.into(),
        }
    }

    /// The compressed codings stored, in order of preference at equal quality.
    fn stored(&self) -> &'static [ContentEncoding] {
        if self.brotli.is_empty() || self.gzip.is_empty() {
            &[]
        } else {
            &[ContentEncoding::Brotli, ContentEncoding::Gzip]
        }
    }
}

/// Serves one form of a rendered letter: 304 when the browser's copy is current, else the
/// best encoding the browser accepts.
pub(super) fn serve(
    request: &HttpRequest,
    rendered: &Rendered,
    variants: &Variants,
) -> HttpResponse {
    let fresh = is_fresh(request, &rendered.tag, rendered.last_modified);
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header(ETag(rendered.tag.clone()))
        .insert_header(header::LastModified(rendered.last_modified))
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .insert_header((header::VARY, "Accept-Encoding"));
    if fresh {
        return response.finish();
    }
    let coding = choose(request, variants.stored());
    let body = match coding {
        ContentEncoding::Brotli => &variants.brotli,
        ContentEncoding::Gzip => &variants.gzip,
        _ => &variants.identity,
    };
    if coding != ContentEncoding::Identity {
        response.insert_header(coding);
    }
    response
        .content_type(variants.content_type)
        .body(body.clone())
}
