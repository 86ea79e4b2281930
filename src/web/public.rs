//! The public face of a released letter: its page, `/letters/{slug}.json`, the signatory list
//! as CSV, the index of released letters, and the public key that verifies release manifests.
//! Unreleased letters answer 404, like letters that do not exist.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};

use actix_web::http::header::{self, ETag, EntityTag, HttpDate};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use super::session::html_page;
use super::{PageError, WebError};
use crate::app::audit::neutralize_formula;
use crate::app::release::{self, Signatory};
use crate::app::{AppError, Context};
use crate::db::releases::Release;
use crate::pdf;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(feed)
        .service(release_key)
        .service(signatories_csv)
        .service(letter);
}

fn public_key(ctx: &Context) -> String {
    STANDARD.encode(ctx.secrets.release_signing_key().verifying_key().to_bytes())
}

/// The public key of this installation's release signatures (Ed25519, base64).
#[get("/.well-known/undersigned-release-key")]
async fn release_key(ctx: web::Data<Context>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(format!("{}\n", public_key(&ctx)))
}

/// A released letter rendered once, in every form and encoding it is served in. Releases are
/// immutable, so these bytes never go stale; a press spike costs no database query.
pub struct Rendered {
    tag: EntityTag,
    last_modified: HttpDate,
    page: Variants,
    json: Variants,
    csv: Variants,
    text: Variants,
    pdf: Variants,
}

/// One body, stored plain, gzip-compressed and brotli-compressed.
struct Variants {
    content_type: &'static str,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

impl Variants {
    /// A body that is compressed already (a PDF): served as it is to every browser.
    fn identity(content_type: &'static str, body: Vec<u8>) -> Self {
        Self {
            content_type,
            identity: body.into(),
            gzip: Bytes::new(),
            brotli: Bytes::new(),
        }
    }

    fn new(content_type: &'static str, body: Vec<u8>) -> Self {
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
}

/// The rendered letters of this process, by slug.
#[derive(Default)]
pub struct PublicCache {
    letters: RwLock<HashMap<String, Arc<Rendered>>>,
}

fn not_published() -> PageError {
    PageError(WebError::new(
        actix_web::http::StatusCode::NOT_FOUND,
        "No published letter has this address.",
    ))
}

/// The rendered letter, from memory, or rendered now from its snapshot and kept.
async fn rendered(
    ctx: &Context,
    cache: &PublicCache,
    slug: &str,
) -> Result<Arc<Rendered>, PageError> {
    if !slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(not_published());
    }
    if let Some(found) = cache
        .letters
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(slug)
    {
        return Ok(found.clone());
    }
    let lookup = slug.to_string();
    let release = match ctx
        .db
        .run(move |conn| release::published(conn, &lookup))
        .await
    {
        Ok(release) => release,
        Err(AppError::NotFound(_)) => return Err(not_published()),
        Err(other) => return Err(other.into()),
    };
    let rendered = Arc::new(render_all(ctx, slug, release)?);
    cache
        .letters
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(slug.to_string(), rendered.clone());
    Ok(rendered)
}

fn render_all(ctx: &Context, slug: &str, release: Release) -> Result<Rendered, PageError> {
    let json = json!({
        "title": release.title,
        "addressee": release.addressee,
        "body_html": release.body_html,
        "released_at": release.released_at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "version": release.version,
        "content_sha256": release.content_sha256,
        "signatories": release.signatory_list(),
        "manifest": release.manifest,
        "manifest_sha256": release.manifest_sha256,
        "signature": release.signature,
        "signature_algorithm": "ed25519",
        "public_key": public_key(ctx),
    });
    let mut writer = csv::Writer::from_writer(Vec::new());
    let rows = std::iter::once(["organization".to_string(), "tier".into(), "country".into()])
        .chain(release.signatory_list().into_iter().map(|s| {
            [
                neutralize_formula(&s.organization),
                s.tier,
                s.country.unwrap_or_default(),
            ]
        }));
    for row in rows {
        writer.write_record(&row).map_err(WebError::internal)?;
    }
    let csv = writer
        .into_inner()
        .map_err(|e| WebError::internal(e.into_error()))?;
    let text = plain_text(&release);
    let tag = EntityTag::new_strong(release.manifest_sha256[..32].to_string());
    // Whole seconds, as HTTP dates carry them, so that If-Modified-Since compares equal.
    let released_secs = release.released_at.and_utc().timestamp().max(0) as u64;
    let last_modified =
        HttpDate::from(std::time::UNIX_EPOCH + std::time::Duration::from_secs(released_secs));
    let pdf = printed(ctx, slug, &release)?;
    let (leads, supporting): (Vec<Signatory>, Vec<Signatory>) = release
        .signatory_list()
        .into_iter()
        .partition(|s| s.tier == "lead");
    let page = LetterPage {
        url: ctx.base_url.join(&format!("/letters/{slug}")),
        description: format!(
            "An open letter to {}, signed by {} organizations.",
            release.addressee,
            leads.len() + supporting.len()
        ),
        released_on: release.released_at.format("%-d %B %Y").to_string(),
        public_key: public_key(ctx),
        slug: slug.to_string(),
        leads,
        supporting,
        release,
    }
    .render()
    .map_err(WebError::internal)?;
    Ok(Rendered {
        tag,
        last_modified,
        page: Variants::new("text/html; charset=utf-8", page.into_bytes()),
        json: Variants::new("application/json", json.to_string().into_bytes()),
        csv: Variants::new("text/csv; charset=utf-8", csv),
        text: Variants::new("text/plain; charset=utf-8", text.into_bytes()),
        pdf: Variants::identity("application/pdf", pdf),
    })
}

/// The letter as a printable PDF.
fn printed(ctx: &Context, slug: &str, release: &Release) -> Result<Vec<u8>, PageError> {
    let signatories = release.signatory_list();
    fn printed(s: &Signatory) -> pdf::PrintedSignatory<'_> {
        pdf::PrintedSignatory {
            organization: &s.organization,
            country: s.country.as_deref(),
            note: s.approved_by.as_ref().map(|by| format!("approved by {by}")),
        }
    }
    let (leads, supporting): (Vec<&Signatory>, Vec<&Signatory>) =
        signatories.iter().partition(|s| s.tier == "lead");
    let published_on = release.released_at.format("%-d %B %Y").to_string();
    let url = ctx.base_url.join(&format!("/letters/{slug}"));
    let printed_letter = pdf::PrintedLetter {
        title: &release.title,
        addressee: &release.addressee,
        published_on: &published_on,
        body_html: &release.body_html,
        leads: leads.into_iter().map(printed).collect(),
        supporting: supporting.into_iter().map(printed).collect(),
        url: &url,
        content_sha256: &release.content_sha256,
    };
    Ok(pdf::render(&printed_letter).map_err(WebError::internal)?)
}

/// Serves one form of a rendered letter: 304 when the browser's copy is current, else the
/// best encoding the browser accepts.
fn serve(request: &HttpRequest, rendered: &Rendered, variants: &Variants) -> HttpResponse {
    let unmodified_since = request
        .headers()
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<HttpDate>().ok())
        .is_some_and(|since| {
            std::time::SystemTime::from(since)
                >= std::time::SystemTime::from(rendered.last_modified)
        });
    let has_etag_check = request.headers().contains_key(header::IF_NONE_MATCH);
    let fresh = if has_etag_check {
        super::assets::holds_tag(request, &rendered.tag)
    } else {
        unmodified_since
    };
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
    let (encoding, body) = if accepts("br") && !variants.brotli.is_empty() {
        (Some("br"), variants.brotli.clone())
    } else if accepts("gzip") && !variants.gzip.is_empty() {
        (Some("gzip"), variants.gzip.clone())
    } else {
        (None, variants.identity.clone())
    };
    if let Some(encoding) = encoding {
        response.insert_header((header::CONTENT_ENCODING, encoding));
    }
    response.content_type(variants.content_type).body(body)
}

#[derive(Template)]
#[template(path = "public_letter.html")]
struct LetterPage {
    slug: String,
    release: Release,
    leads: Vec<Signatory>,
    supporting: Vec<Signatory>,
    released_on: String,
    url: String,
    description: String,
    public_key: String,
}

#[get("/letters/{name}")]
async fn letter(
    request: HttpRequest,
    ctx: web::Data<Context>,
    cache: web::Data<PublicCache>,
    name: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let name = name.into_inner();
    let (slug, form): (&str, fn(&Rendered) -> &Variants) =
        if let Some(slug) = name.strip_suffix(".json") {
            (slug, |r| &r.json)
        } else if let Some(slug) = name.strip_suffix(".txt") {
            (slug, |r| &r.text)
        } else if let Some(slug) = name.strip_suffix(".pdf") {
            (slug, |r| &r.pdf)
        } else {
            (name.as_str(), |r| &r.page)
        };
    let rendered = rendered(&ctx, &cache, slug).await?;
    let mut response = serve(&request, &rendered, form(&rendered));
    if name.ends_with(".pdf") {
        // The slug is known to be lowercase letters, digits and hyphens.
        if let Ok(value) =
            header::HeaderValue::from_str(&format!("inline; filename=\"{slug}.pdf\""))
        {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, value);
        }
    }
    Ok(response)
}

#[get("/letters/{slug}/signatories.csv")]
async fn signatories_csv(
    request: HttpRequest,
    ctx: web::Data<Context>,
    cache: web::Data<PublicCache>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let rendered = rendered(&ctx, &cache, &slug).await?;
    Ok(serve(&request, &rendered, &rendered.csv))
}

#[derive(Template)]
#[template(path = "letters_index.html")]
struct IndexPage {
    letters: Vec<(String, Release)>,
}

impl IndexPage {
    fn date(&self, release: &Release) -> String {
        release.released_at.format("%-d %B %Y").to_string()
    }
}

#[get("/letters")]
async fn index(request: HttpRequest, ctx: web::Data<Context>) -> Result<HttpResponse, PageError> {
    let letters = ctx.db.run(release::published_letters).await?;
    Ok(html_page(
        &request,
        IndexPage { letters }.render().map_err(WebError::internal)?,
    ))
}

/// The letter as plain text: title, addressee, the text (its Markdown source is not kept in
/// the snapshot, so the text is the rendered HTML with its tags removed), the signatories.
fn plain_text(release: &Release) -> String {
    let text = ammonia::Builder::empty()
        .clean(
            &release
                .body_html
                .replace("</p>", "</p>\n")
                .replace("<br>", "\n")
                .replace("</li>", "</li>\n"),
        )
        .to_string();
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    let mut out = format!(
        "{}\n\nTo {}\nPublished {}\n\n{}\n\nSignatories:\n",
        release.title,
        release.addressee,
        release.released_at.format("%-d %B %Y"),
        text.trim()
    );
    for s in release.signatory_list() {
        out.push_str(&format!("- {}\n", s.organization));
    }
    out.push_str(&format!(
        "\nSHA-256 of the text: {}\n",
        release.content_sha256
    ));
    out
}

struct FeedEntry {
    title: String,
    addressee: String,
    url: String,
    released: String,
    body_html: String,
    signatories: String,
    count: usize,
}

#[derive(Template)]
#[template(path = "feed.atom.xml")]
struct Feed {
    base: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

/// An Atom feed of the released letters, newest first.
#[get("/letters.atom")]
async fn feed(ctx: web::Data<Context>) -> Result<HttpResponse, PageError> {
    let letters = ctx.db.run(release::published_letters).await?;
    let stamp = |r: &Release| {
        r.released_at
            .and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let entries = letters
        .iter()
        .take(50)
        .map(|(slug, release)| {
            let list = release.signatory_list();
            FeedEntry {
                title: release.title.clone(),
                addressee: release.addressee.clone(),
                url: ctx.base_url.join(&format!("/letters/{slug}")),
                released: stamp(release),
                body_html: release.body_html.clone(),
                signatories: list
                    .iter()
                    .map(|s| s.organization.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                count: list.len(),
            }
        })
        .collect();
    let updated = letters
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |(_, r)| stamp(r));
    let xml = Feed {
        base: ctx.base_url.as_str().to_string(),
        updated,
        entries,
    }
    .render()
    .map_err(WebError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .body(xml))
}
