//! A letter's version history and the word-level difference between two versions.

use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use crate::app::letters::{self, DiffSegment};
use crate::app::{AppError, Context};
use crate::db::letters::LetterVersion;
use crate::domain::LetterId;
use crate::web::PageError;
use crate::web::pages::{Chrome, render, when};
use crate::web::session::{CurrentUser, html_page};

#[derive(Template)]
#[template(path = "app/history.html")]
struct HistoryPage {
    chrome: Chrome,
    letter_id: LetterId,
    title: String,
    versions: Vec<LetterVersion>,
}

impl HistoryPage {
    fn when(&self, version: &LetterVersion) -> String {
        when(&version.created_at)
    }
}

#[get("/letters/{id}/history")]
pub(super) async fn history(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, PageError> {
    let letter_id = id.into_inner();
    let lookup = letter_id.clone();
    let (view, versions) = ctx
        .db
        .run(move |conn| {
            Ok::<_, AppError>((
                letters::get_letter(conn, &lookup)?,
                letters::versions(conn, &lookup)?,
            ))
        })
        .await?;
    let page = HistoryPage {
        chrome: Chrome::new(&request, &user),
        letter_id,
        title: view.current.title,
        versions,
    };
    Ok(html_page(&request, render(page)?))
}

#[derive(Template)]
#[template(path = "app/diff.html")]
struct DiffPage {
    chrome: Chrome,
    letter_id: LetterId,
    from: LetterVersion,
    to: LetterVersion,
    segments: Vec<DiffSegment>,
}

#[derive(Deserialize)]
struct DiffQuery {
    from: i32,
    to: i32,
}

#[get("/letters/{id}/diff")]
pub(super) async fn diff_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    query: web::Query<DiffQuery>,
) -> Result<HttpResponse, PageError> {
    let letter_id = id.into_inner();
    let (lookup, from, to) = (letter_id.clone(), query.from, query.to);
    let (from, to, segments) = ctx
        .db
        .run(move |conn| letters::diff(conn, &lookup, from, to))
        .await?;
    let page = DiffPage {
        chrome: Chrome::new(&request, &user),
        letter_id,
        from,
        to,
        segments,
    };
    Ok(html_page(&request, render(page)?))
}
