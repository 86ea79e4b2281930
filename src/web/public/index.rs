//! The released letters as a list: the `/letters` page (a card per letter, with its count
//! and date) and the `/letters.atom` feed, newest
//! first. Both read the database on every request (they are not what a press spike hits).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;

use crate::app::release;
use crate::app::{AppError, Context};
use crate::clock::{long_date, rfc3339};
use crate::db::releases::Release;
use crate::web::session::html_page;
use crate::web::{PageError, WebError};

/// How many letters the feed carries at most.
const FEED_ENTRIES: usize = 50;

/// One released letter as the index shows it: a card with its title, addressee, date and
/// how many organizations signed it at release.
struct Card {
    slug: String,
    title: String,
    addressee: String,
    released_on: String,
    /// RFC 3339, for `<time datetime>`.
    released_at: String,
    count: usize,
}

#[derive(Template)]
#[template(path = "letters_index.html")]
struct IndexPage {
    letters: Vec<Card>,
}

#[get("/letters")]
pub(super) async fn index(
    request: HttpRequest,
    ctx: web::Data<Context>,
) -> Result<HttpResponse, PageError> {
    let letters = ctx.db.run(release::published_letters).await?;
    let letters = letters
        .into_iter()
        .map(|(slug, release)| {
            Ok(Card {
                count: release.signatory_list()?.len(),
                released_on: long_date(release.released_at),
                released_at: rfc3339(release.released_at),
                slug,
                title: release.title,
                addressee: release.addressee,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(html_page(
        &request,
        IndexPage { letters }.render().map_err(WebError::internal)?,
    ))
}

struct FeedEntry {
    title: String,
    addressee: String,
    url: String,
    /// RFC 3339.
    released: String,
    body_html: String,
    /// The organizations of the original release, joined with ", ".
    signatories: String,
    count: usize,
}

#[derive(Template)]
#[template(path = "feed.atom.xml")]
struct Feed {
    base: String,
    /// RFC 3339: the newest release, or the Unix epoch when there is none.
    updated: String,
    entries: Vec<FeedEntry>,
}

/// An Atom feed of the released letters, newest first.
#[get("/letters.atom")]
pub(super) async fn feed(ctx: web::Data<Context>) -> Result<HttpResponse, PageError> {
    let letters = ctx.db.run(release::published_letters).await?;
    let stamp = |r: &Release| rfc3339(r.released_at);
    let entries = letters
        .iter()
        .take(FEED_ENTRIES)
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
