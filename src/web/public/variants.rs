//! One form of a rendered letter stored plain, gzip-compressed and brotli-compressed, and how
//! one of them is answered to a request: a 304 when the browser's copy is current, else the
//! encoding the browser accepts best. The answer's headers are made once per revision.

use std::io::Write;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentEncoding, HeaderValue, TryIntoHeaderValue};
use actix_web::http::header::{EntityTag, HttpDate};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};

use super::freshness::is_fresh;
use super::later::Later;
use super::negotiation::choose;
use crate::app::coordinating::CoordinatingOrganization;
use crate::web::{PageError, WebError};

/// A released letter rendered once per revision, in every form and encoding it is served in
/// (the PDF and the brotli bodies of the forms other than the page and its card on their
/// first request). A press spike costs no database query.
pub(super) struct Rendered {
    /// The newest revision these bytes show.
    pub(super) revision: i32,
    /// The coordinating organization as these bytes name it.
    pub(super) asking: CoordinatingOrganization,
    pub(super) validators: Validators,
    pub(super) page: Variants,
    /// The card for other websites' iframes.
    pub(super) embed: Variants,
    pub(super) json: Variants,
    pub(super) csv: Variants,
    pub(super) xlsx: Variants,
    pub(super) text: Variants,
    /// Printed on its first request: no reader of the page waits for it.
    pub(super) pdf: Later<Variants>,
    /// The letter in each of its translations, at `/letters/{slug}/{language}`.
    pub(super) translations: Vec<RenderedTranslation>,
}

/// A translation's own page and exports (the sheets list the same signatories and are shared).
pub(super) struct RenderedTranslation {
    pub(super) language: crate::domain::LanguageTag,
    pub(super) page: Variants,
    pub(super) json: Variants,
    pub(super) text: Variants,
    pub(super) pdf: Later<Variants>,
}

impl RenderedTranslation {
    fn bytes(&self) -> usize {
        let pdf = self.pdf.made_already().map_or(0, Variants::bytes);
        self.page.bytes() + self.json.bytes() + self.text.bytes() + pdf
    }
}

impl Rendered {
    /// The translation in `language` (a canonical BCP 47 tag), if the letter has it.
    pub(super) fn translation(&self, language: &str) -> Option<&RenderedTranslation> {
        self.translations
            .iter()
            .find(|t| t.language.as_str() == language)
    }

    /// The bytes this letter holds in memory now, in every form and encoding made so far.
    pub(super) fn bytes(&self) -> usize {
        let pdf = self.pdf.made_already().map_or(0, Variants::bytes);
        [
            &self.page,
            &self.embed,
            &self.json,
            &self.csv,
            &self.xlsx,
            &self.text,
        ]
        .iter()
        .map(|v| v.bytes())
        .sum::<usize>()
            + pdf
            + self
                .translations
                .iter()
                .map(RenderedTranslation::bytes)
                .sum::<usize>()
    }
}

/// What tells a browser whether its copy of every form is current, with the header values
/// made once per revision rather than formatted again for every request of a spike.
pub(super) struct Validators {
    /// Strong: the first 32 hex digits of the newest manifest's SHA-256.
    tag: EntityTag,
    /// The newest revision's release time, in whole seconds.
    last_modified: HttpDate,
    etag_header: HeaderValue,
    last_modified_header: HeaderValue,
}

impl Validators {
    pub(super) fn new(tag: EntityTag, last_modified: HttpDate) -> Result<Self, WebError> {
        Ok(Self {
            etag_header: header::ETag(tag.clone())
                .try_into_value()
                .map_err(WebError::internal)?,
            last_modified_header: last_modified.try_into_value().map_err(WebError::internal)?,
            tag,
            last_modified,
        })
    }
}

/// One body, stored plain, gzip-compressed and brotli-compressed. A body that is compressed
/// already keeps no compressed variants and is always served as it is.
pub(super) struct Variants {
    content_type: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    /// Made with the body for the page and its card, on the first request that accepts it
    /// for the other forms.
    brotli: Later<Bytes>,
    compressed: bool,
}

impl Variants {
    /// A body that is compressed already (a PDF): served as it is to every browser.
    pub(super) fn identity(content_type: &'static str, body: Vec<u8>) -> Self {
        Self {
            content_type: HeaderValue::from_static(content_type),
            identity: body.into(),
            gzip: Bytes::new(),
            brotli: Later::made(Bytes::new()),
            compressed: false,
        }
    }

    /// A body compressed now in both codings: slow, so call it off the async workers. For
    /// what every reader of the page is sent.
    pub(super) fn new(content_type: &'static str, body: Vec<u8>) -> Self {
        let brotli = Later::made(brotli(&body));
        Self::compressed(content_type, body.into(), brotli)
    }

    /// A body gzip-compressed now (well under a millisecond) and brotli-compressed on the
    /// first request that accepts it (tens of milliseconds for a long list): for the forms
    /// few readers ask for.
    pub(super) fn brotli_later(content_type: &'static str, body: Vec<u8>) -> Self {
        let body = Bytes::from(body);
        let source = body.clone();
        Self::compressed(content_type, body, Later::new(move || Ok(brotli(&source))))
    }

    fn compressed(content_type: &'static str, body: Bytes, brotli: Later<Bytes>) -> Self {
        Self {
            content_type: HeaderValue::from_static(content_type),
            gzip: gzip(&body),
            identity: body,
            brotli,
            compressed: true,
        }
    }

    /// The bytes held: the body and the compressed codings made so far.
    fn bytes(&self) -> usize {
        self.identity.len() + self.gzip.len() + self.brotli.made_already().map_or(0, Bytes::len)
    }

    /// The compressed codings stored, in order of preference at equal quality.
    fn stored(&self) -> &'static [ContentEncoding] {
        if self.compressed {
            &[ContentEncoding::Brotli, ContentEncoding::Gzip]
        } else {
            &[]
        }
    }
}

/// gzip at its best setting.
fn gzip(body: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = encoder.write_all(body);
    encoder.finish().unwrap_or_default().into()
}

/// Brotli at quality 10. Its best setting, 11, made bodies 1–2 % smaller but took four times
/// as long (about 60 ms for the page and 170 ms for the JSON of a letter of 120 signatories),
/// paid again for each late signature while the letter is being read.
fn brotli(body: &[u8]) -> Bytes {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 10,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
    out.into()
}

/// Serves one form of a rendered letter: 304 when the browser's copy is current, else the
/// best encoding the browser accepts (made now if it is the first request for it).
pub(super) async fn serve(
    request: &HttpRequest,
    rendered: &Rendered,
    variants: &Variants,
) -> Result<HttpResponse, PageError> {
    let validators = &rendered.validators;
    let fresh = is_fresh(request, &validators.tag, validators.last_modified);
    let mut response = HttpResponse::build(if fresh {
        StatusCode::NOT_MODIFIED
    } else {
        StatusCode::OK
    });
    response
        .insert_header((header::ETAG, validators.etag_header.clone()))
        .insert_header((
            header::LAST_MODIFIED,
            validators.last_modified_header.clone(),
        ))
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=60"),
        ))
        .insert_header((header::VARY, HeaderValue::from_static("Accept-Encoding")));
    if fresh {
        return Ok(response.finish());
    }
    let coding = choose(request, variants.stored());
    let body = match coding {
        ContentEncoding::Brotli => variants.brotli.get().await?,
        ContentEncoding::Gzip => &variants.gzip,
        _ => &variants.identity,
    };
    if coding != ContentEncoding::Identity {
        response.insert_header(coding);
    }
    Ok(response
        .insert_header((header::CONTENT_TYPE, variants.content_type.clone()))
        .body(body.clone()))
}
