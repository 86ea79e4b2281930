//! The public face of a released letter: its page, `/letters/{slug}.json`, the signatory list
//! as CSV, the index of released letters, and the public key that verifies release manifests.
//! Unreleased letters answer 404, like letters that do not exist.
//!
//! A letter is rendered once per revision and served from memory. A copy is rechecked against
//! the database at most once every `RECHECK_AFTER` (one cheap query, by one request while the
//! others are served the copy), so a revision made by any instance reaches every instance.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, RwLock};
use std::time::{Duration, Instant};

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
use crate::app::release::{self, Published, Signatory};
use crate::app::{AppError, Context};
use crate::clock::{long_date, rfc3339};
use crate::db::releases::Release;
use crate::pdf;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // `/letters/{name}` first: it is the one a spike hits, and it matches a single segment, so
    // it never takes the longer addresses below.
    cfg.service(letter)
        .service(index)
        .service(feed)
        .service(release_key)
        .service(signatories_csv)
        .service(revision_manifest);
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

/// A released letter rendered once, in every form and encoding it is served in. Revisions are
/// immutable, so these bytes are current until a newer revision appears; a press spike costs
/// no database query.
pub struct Rendered {
    revision: i32,
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

/// How long a rendered letter is served before the database is asked for a newer revision.
const RECHECK_AFTER: Duration = Duration::from_secs(1);

/// Milliseconds since this process started: a clock that fits in an atomic.
fn uptime_ms() -> u64 {
    static STARTED: LazyLock<Instant> = LazyLock::new(Instant::now);
    STARTED.elapsed().as_millis() as u64
}

/// A rendered letter and when it was last known to be the newest revision. Lock-free on the
/// hot path: two atomic reads per request.
struct Cached {
    rendered: Arc<Rendered>,
    checked_at_ms: AtomicU64,
    checking: AtomicBool,
}

impl Cached {
    fn new(rendered: Arc<Rendered>) -> Self {
        Self {
            rendered,
            checked_at_ms: AtomicU64::new(uptime_ms()),
            checking: AtomicBool::new(false),
        }
    }

    /// True for exactly one caller once the copy is due for a check; the others go on serving.
    fn claim_check(&self) -> bool {
        let due = uptime_ms().saturating_sub(self.checked_at_ms.load(Ordering::Relaxed))
            >= RECHECK_AFTER.as_millis() as u64;
        due && !self.checking.swap(true, Ordering::AcqRel)
    }

    fn checked(&self) {
        self.checked_at_ms.store(uptime_ms(), Ordering::Relaxed);
        self.checking.store(false, Ordering::Release);
    }
}

/// The rendered letters of this process, by slug.
#[derive(Default)]
pub struct PublicCache {
    letters: RwLock<HashMap<String, Arc<Cached>>>,
    /// Held while a letter is rendered, so that the first burst of readers (a release at an
    /// embargo time) renders it once, not once per request.
    rendering: tokio::sync::Mutex<()>,
}

impl PublicCache {
    fn get(&self, slug: &str) -> Option<Arc<Cached>> {
        self.letters
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(slug)
            .cloned()
    }

    fn keep(&self, slug: &str, rendered: Arc<Rendered>) {
        self.letters
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(slug.to_string(), Arc::new(Cached::new(rendered)));
    }
}

fn not_published() -> PageError {
    PageError(WebError::new(
        actix_web::http::StatusCode::NOT_FOUND,
        "No published letter has this address.",
    ))
}

fn is_slug(slug: &str) -> bool {
    slug.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The rendered letter, from memory (rechecked for a newer revision now and then), or rendered
/// now from its revisions and kept.
async fn rendered(
    ctx: &Context,
    cache: &PublicCache,
    slug: &str,
) -> Result<Arc<Rendered>, PageError> {
    if !is_slug(slug) {
        return Err(not_published());
    }
    let cached = cache.get(slug);
    if let Some(cached) = &cached {
        if !cached.claim_check() {
            return Ok(cached.rendered.clone());
        }
        let lookup = slug.to_string();
        let latest = ctx
            .db
            .run(move |conn| release::latest_revision(conn, &lookup))
            .await;
        if let Ok(Some(revision)) = latest
            && revision == cached.rendered.revision
        {
            cached.checked();
            return Ok(cached.rendered.clone());
        }
        cached.checked();
    }
    let _rendering = cache.rendering.lock().await;
    // Another request may have rendered it while this one waited.
    if let Some(fresh) = cache.get(slug)
        && !cached.as_ref().is_some_and(|c| Arc::ptr_eq(c, &fresh))
    {
        return Ok(fresh.rendered.clone());
    }
    let lookup = slug.to_string();
    let published = match ctx
        .db
        .run(move |conn| release::published(conn, &lookup))
        .await
    {
        Ok(published) => published,
        Err(AppError::NotFound(_)) => return Err(not_published()),
        // The database did not answer: the copy in memory is better than an error page.
        Err(other) => {
            return match cached {
                Some(cached) => Ok(cached.rendered.clone()),
                None => Err(other.into()),
            };
        }
    };
    // Rendering (the PDF, brotli at its best setting) takes a while: off the async workers.
    let (context, name) = (ctx.clone(), slug.to_string());
    let rendered = web::block(move || render_all(&context, &name, &published))
        .await
        .map_err(WebError::internal)??;
    let rendered = Arc::new(rendered);
    cache.keep(slug, rendered.clone());
    Ok(rendered)
}

/// One entry of the public change log.
struct Change {
    revision: i32,
    on: String,
    note: String,
}

/// The published list as the page and the PDF group it: leads, the others, and those that
/// joined after publication.
struct Groups<'a> {
    leads: Vec<&'a Signatory>,
    supporting: Vec<&'a Signatory>,
    late: Vec<&'a Signatory>,
}

impl<'a> Groups<'a> {
    fn of(list: &'a [Signatory]) -> Self {
        let (late, on_time): (Vec<_>, Vec<_>) = list.iter().partition(|s| s.joined_at.is_some());
        let (leads, supporting) = on_time.into_iter().partition(|s| s.tier == "lead");
        Self {
            leads,
            supporting,
            late,
        }
    }
}

fn render_all(ctx: &Context, slug: &str, published: &Published) -> Result<Rendered, PageError> {
    let (original, latest) = (published.original(), published.latest());
    let list = latest.signatory_list()?;
    let groups = Groups::of(&list);
    let changes: Vec<Change> = published
        .changes()
        .iter()
        .map(|r| Change {
            revision: r.revision,
            on: long_date(r.released_at),
            note: r.change_note.clone().unwrap_or_default(),
        })
        .collect();
    let revisions: Vec<_> = published
        .revisions
        .iter()
        .map(|r| {
            json!({
                "revision": r.revision,
                "at": rfc3339(r.released_at),
                "change": r.change_note,
                "manifest_sha256": r.manifest_sha256,
                "url": ctx.base_url.join(&format!("/letters/{slug}/revisions/{}.json", r.revision)),
            })
        })
        .collect();
    let json = json!({
        "title": original.title,
        "addressee": original.addressee,
        "body_html": original.body_html,
        "released_at": rfc3339(original.released_at),
        "version": original.version,
        "content_sha256": original.content_sha256,
        "signatories": list,
        "revision": latest.revision,
        "revised_at": (latest.revision > 1).then(|| rfc3339(latest.released_at)),
        "revisions": revisions,
        "manifest": latest.manifest,
        "manifest_sha256": latest.manifest_sha256,
        "signature": latest.signature,
        "signature_algorithm": "ed25519",
        "public_key": public_key(ctx),
    });
    let mut writer = csv::Writer::from_writer(Vec::new());
    let rows = std::iter::once(["organization".to_string(), "tier".into(), "country".into()])
        .chain(list.iter().map(|s| {
            [
                neutralize_formula(&s.organization),
                s.tier.clone(),
                s.country.clone().unwrap_or_default(),
            ]
        }));
    for row in rows {
        writer.write_record(&row).map_err(WebError::internal)?;
    }
    let csv = writer
        .into_inner()
        .map_err(|e| WebError::internal(e.into_error()))?;
    let text = plain_text(original, &list, &changes);
    let tag = EntityTag::new_strong(latest.manifest_sha256[..32].to_string());
    // Whole seconds, as HTTP dates carry them, so that If-Modified-Since compares equal.
    let released_secs = latest.released_at.and_utc().timestamp().max(0) as u64;
    let last_modified =
        HttpDate::from(std::time::UNIX_EPOCH + std::time::Duration::from_secs(released_secs));
    let pdf = printed(ctx, slug, original, &groups, &changes)?;
    let page = LetterPage {
        url: ctx.base_url.join(&format!("/letters/{slug}")),
        description: format!(
            "An open letter to {}, signed by {} organizations.",
            original.addressee,
            list.len()
        ),
        released_on: long_date(original.released_at),
        public_key: public_key(ctx),
        slug: slug.to_string(),
        leads: groups.leads,
        supporting: groups.supporting,
        late: groups.late,
        changes: &changes,
        original_manifest_sha256: &original.manifest_sha256,
        release: latest,
    }
    .render()
    .map_err(WebError::internal)?;
    Ok(Rendered {
        revision: latest.revision,
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
fn printed(
    ctx: &Context,
    slug: &str,
    original: &Release,
    groups: &Groups,
    changes: &[Change],
) -> Result<Vec<u8>, PageError> {
    fn printed<'a>(group: &[&'a Signatory]) -> Vec<pdf::PrintedSignatory<'a>> {
        group
            .iter()
            .map(|s| pdf::PrintedSignatory {
                organization: &s.organization,
                country: s.country.as_deref(),
                note: match (s.joined_on(), &s.approved_by) {
                    (Some(on), _) => Some(format!("joined on {on}")),
                    (None, Some(by)) => Some(format!("approved by {by}")),
                    (None, None) => None,
                },
            })
            .collect()
    }
    let published_on = long_date(original.released_at);
    let url = ctx.base_url.join(&format!("/letters/{slug}"));
    let printed_letter = pdf::PrintedLetter {
        title: &original.title,
        addressee: &original.addressee,
        published_on: &published_on,
        body_html: &original.body_html,
        leads: printed(&groups.leads),
        supporting: printed(&groups.supporting),
        late: printed(&groups.late),
        changes: changes
            .iter()
            .map(|c| format!("{}: {}", c.on, c.note))
            .collect(),
        url: &url,
        content_sha256: &original.content_sha256,
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
struct LetterPage<'a> {
    slug: String,
    /// The newest revision.
    release: &'a Release,
    leads: Vec<&'a Signatory>,
    supporting: Vec<&'a Signatory>,
    /// Organizations that joined after publication, in the order they joined.
    late: Vec<&'a Signatory>,
    /// The public change log: every revision after the original.
    changes: &'a [Change],
    original_manifest_sha256: &'a str,
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

/// One revision's signed manifest, so that the original list (and each later one) can be
/// verified after the letter changed. Revisions never change: cached for a year.
#[get("/letters/{slug}/revisions/{name}")]
async fn revision_manifest(
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
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .json(json!({
            "revision": release.revision,
            "at": rfc3339(release.released_at),
            "change": release.change_note,
            "signatories": signatories,
            "manifest": release.manifest,
            "manifest_sha256": release.manifest_sha256,
            "signature": release.signature,
            "signature_algorithm": "ed25519",
            "public_key": public_key(&ctx),
        })))
}

#[derive(Template)]
#[template(path = "letters_index.html")]
struct IndexPage {
    letters: Vec<(String, Release)>,
}

impl IndexPage {
    fn date(&self, release: &Release) -> String {
        long_date(release.released_at)
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
/// the snapshot, so the text is the rendered HTML with its tags removed), the signatories as
/// they stand, and the changes since publication.
fn plain_text(release: &Release, list: &[Signatory], changes: &[Change]) -> String {
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
        long_date(release.released_at),
        text.trim()
    );
    for s in list {
        match s.joined_on() {
            Some(on) => out.push_str(&format!(
                "- {} (joined after publication, {on})\n",
                s.organization
            )),
            None => out.push_str(&format!("- {}\n", s.organization)),
        }
    }
    if !changes.is_empty() {
        out.push_str("\nChanges since publication:\n");
        for change in changes {
            out.push_str(&format!("- {}: {}\n", change.on, change.note));
        }
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
    let stamp = |r: &Release| rfc3339(r.released_at);
    let entries = letters
        .iter()
        .take(50)
        .map(|(slug, release)| {
            let list = release.signatory_list()?;
            Ok(FeedEntry {
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
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
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
