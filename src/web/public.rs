//! The public face of a released letter: its page, `/letters/{slug}.json`, the signatory list
//! as CSV, the index of released letters, and the public key that verifies release manifests.
//! Unreleased letters answer 404, like letters that do not exist.

use actix_web::http::header::{self, ETag, EntityTag};
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

async fn published(ctx: &Context, slug: String) -> Result<Release, PageError> {
    match ctx
        .db
        .run(move |conn| release::published(conn, &slug))
        .await
    {
        Ok(release) => Ok(release),
        Err(AppError::NotFound(_)) => Err(PageError(WebError::new(
            actix_web::http::StatusCode::NOT_FOUND,
            "No published letter has this address.",
        ))),
        Err(other) => Err(other.into()),
    }
}

/// Answers 304 when the browser holds this release already.
fn cached(
    request: &HttpRequest,
    release: &Release,
    content_type: &str,
    body: impl actix_web::body::MessageBody + 'static,
) -> HttpResponse {
    let tag = EntityTag::new_strong(release.manifest_sha256[..32].to_string());
    let fresh = super::assets::holds_tag(request, &tag);
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header(ETag(tag))
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"));
    if fresh {
        return response.finish();
    }
    response.content_type(content_type).body(body)
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
    name: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let name = name.into_inner();
    if let Some(slug) = name.strip_suffix(".json") {
        let release = published(&ctx, slug.to_string()).await?;
        let body = json!({
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
            "public_key": public_key(&ctx),
        });
        return Ok(cached(
            &request,
            &release,
            "application/json",
            body.to_string(),
        ));
    }
    if let Some(slug) = name.strip_suffix(".txt") {
        let release = published(&ctx, slug.to_string()).await?;
        return Ok(cached(
            &request,
            &release,
            "text/plain; charset=utf-8",
            plain_text(&release),
        ));
    }
    let release = published(&ctx, name.clone()).await?;
    let (leads, supporting): (Vec<Signatory>, Vec<Signatory>) = release
        .signatory_list()
        .into_iter()
        .partition(|s| s.tier == "lead");
    let page = LetterPage {
        url: ctx.base_url.join(&format!("/letters/{name}")),
        description: format!(
            "An open letter to {}, signed by {} organizations.",
            release.addressee,
            leads.len() + supporting.len()
        ),
        released_on: release.released_at.format("%-d %B %Y").to_string(),
        public_key: public_key(&ctx),
        slug: name,
        leads,
        supporting,
        release,
    };
    let html = page.render().map_err(WebError::internal)?;
    let response = cached(&request, &page.release, "text/html; charset=utf-8", html);
    Ok(response)
}

#[get("/letters/{slug}/signatories.csv")]
async fn signatories_csv(
    request: HttpRequest,
    ctx: web::Data<Context>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let release = published(&ctx, slug.into_inner()).await?;
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
    let bytes = writer
        .into_inner()
        .map_err(|e| WebError::internal(e.into_error()))?;
    Ok(cached(&request, &release, "text/csv; charset=utf-8", bytes))
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
