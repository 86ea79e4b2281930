//! Inviting organizations in two steps. First the coordinator chooses recipients on the invite
//! page (ticked in the address book, all of it or all matching a search, a pasted list, a CSV
//! file); then `review` shows exactly what will go out, and only its Send button queues
//! anything. A list with a bad line comes back to the invite page (422) with each line's
//! reason beside it and the input kept. The address book is shown page by page with its total,
//! filtered by a search and a tag; what its buttons send is read in `book`. The invitation page
//! of one organization is in `one`.

mod book;
mod from_file;
mod one;
mod record;
mod record_form;
mod review;
mod send;

pub use from_file::{CsvUpload, upload_problem};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::paging::Pager;
use super::{Chrome, render};
use crate::app::invitations::{self, CandidatePage, Invitee};
use crate::app::letters::LetterView;
use crate::app::organizations::{self, PageRequest, Tags};
use crate::app::{AppError, Context};
use crate::domain::{CountryCode, InvalidInput, LetterId, OrganizationName, Tag, Tier};
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page, verify_csrf};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(invite_page)
        .service(book::invite_from_address_book)
        .service(invite_pasted)
        .service(from_file::invite_csv)
        .service(send::review_or_send)
        .service(one::invitation_page)
        .service(one::edit_invitation)
        .service(one::reinvite)
        .service(one::revoke)
        .service(record::record_response);
}

/// One organization of a batch as the coordinator gave it: where it is in their input, its
/// text, and what it reads as.
pub struct Row {
    /// "line 3" of a pasted list, "row 4" of a file; empty for the address book.
    pub place: String,
    pub text: String,
    pub parsed: Result<Invitee, InvalidInput>,
}

/// A line of a pasted list or a row of a file that cannot be invited, and why.
pub struct LineProblem {
    /// How the user finds it: "line 3" or "row 4".
    pub place: String,
    pub text: String,
    pub problem: String,
}

/// What the invite page shows back after a refused step: the input kept, the reasons beside
/// the form they belong to.
#[derive(Default)]
struct Refusal {
    /// Why the letter takes no invitations (released, closed): no form is offered.
    closed: Option<String>,
    book_error: Option<String>,
    book_problems: Vec<LineProblem>,
    /// The pasted list as typed, and its default tier.
    list: String,
    list_tier_lead: bool,
    paste_problems: Vec<LineProblem>,
    file_error: Option<String>,
    file_problems: Vec<LineProblem>,
}

#[derive(Template)]
#[template(path = "app/invite.html")]
struct InvitePage {
    chrome: Chrome,
    view: LetterView,
    q: String,
    /// The tag filter as typed (empty: no filter).
    tag: String,
    tags: Tags,
    /// The page of the address book shown, with the totals of every page.
    book: CandidatePage,
    pager: Pager,
    refusal: Refusal,
}

/// Which part of the address book the invite page shows.
#[derive(Default, Clone)]
struct Browse {
    q: String,
    tag: String,
    page: PageRequest,
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
    tag: Option<String>,
    page: Option<String>,
}

#[get("/letters/{id}/invite")]
async fn invite_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let browse = Browse {
        q: query.q.unwrap_or_default(),
        tag: query.tag.unwrap_or_default(),
        page: PageRequest::parse(query.page.as_deref(), None).unwrap_or_default(),
    };
    show_browsing(
        &request,
        &user,
        &ctx,
        id.into_inner(),
        browse,
        Refusal::default(),
    )
    .await
}

/// The invite page with the search `q`; with a refusal it answers 422 (409 when the letter takes
/// no invitations).
async fn show_invite_page(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &web::Data<Context>,
    letter_id: LetterId,
    q: String,
    refusal: Refusal,
) -> Result<HttpResponse, PageError> {
    let browse = Browse {
        q,
        ..Browse::default()
    };
    show_browsing(request, user, ctx, letter_id, browse, refusal).await
}

async fn show_browsing(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &web::Data<Context>,
    letter_id: LetterId,
    browse: Browse,
    mut refusal: Refusal,
) -> Result<HttpResponse, PageError> {
    let refused = refusal.book_error.is_some()
        || !refusal.book_problems.is_empty()
        || !refusal.paste_problems.is_empty()
        || refusal.file_error.is_some()
        || !refusal.file_problems.is_empty();
    let (search, tag, page) = (browse.q.clone(), Tag::parse(&browse.tag).ok(), browse.page);
    let (view, book, tags) = ctx
        .db
        .run(move |conn| {
            let tags = organizations::tags(conn)?;
            let (view, book) =
                invitations::candidates(conn, &letter_id, &search, tag.as_ref(), page)?;
            Ok::<_, AppError>((view, book, tags))
        })
        .await?;
    let letter_refuses = refusal.closed.is_some();
    if refusal.closed.is_none()
        && let Err(AppError::Conflict(reason)) = invitations::refuse_unless_inviting(&view.letter)
    {
        refusal.closed = Some(review::sentence(&reason));
    }
    let (first, last) = book.as_book_page().range_of(book.candidates.len());
    let pager = Pager::new(
        &format!("/app/letters/{}/invite", view.letter.id),
        &[("q", &browse.q), ("tag", &browse.tag)],
        (u64::from(page.page), book.pages()),
        (first, last, book.total),
    );
    let page = InvitePage {
        chrome: Chrome::new(request, user),
        view,
        q: browse.q,
        tag: browse.tag,
        tags,
        book,
        pager,
        refusal,
    };
    let mut response = html_page(request, render(page)?);
    if letter_refuses {
        *response.status_mut() = StatusCode::CONFLICT;
    } else if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

#[derive(Deserialize)]
struct PastedForm {
    csrf_token: String,
    list: String,
    tier: String,
}

/// Each line: `Organization, email[, tier[, country]]` (a comma or a semicolon between). Blank
/// lines are skipped; each row is labelled with its line number.
fn parse_pasted(ctx: &Context, list: &str, default_tier: Tier) -> Vec<Row> {
    list.lines()
        .enumerate()
        .map(|(at, line)| (at + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty())
        .map(|(number, line)| {
            let separator = if line.contains(';') { ';' } else { ',' };
            let cells: Vec<&str> = line.split(separator).map(str::trim).collect();
            let parsed = (|| {
                let organization = OrganizationName::parse(cells.first().copied().unwrap_or(""))?;
                let email = ctx.parse_email(cells.get(1).copied().unwrap_or(""))?;
                let tier = match cells.get(2) {
                    Some(t) if !t.is_empty() => Tier::parse(t)?,
                    _ => default_tier,
                };
                let country = CountryCode::parse_optional(cells.get(3).copied())?;
                Ok(Invitee {
                    organization,
                    display_name: None,
                    email,
                    contact_name: None,
                    tier,
                    country,
                    language: None,
                })
            })();
            Row {
                place: format!("line {number}"),
                text: line.to_string(),
                parsed,
            }
        })
        .collect()
}

#[post("/letters/{id}/invite/paste")]
async fn invite_pasted(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    form: web::Form<PastedForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let form = form.into_inner();
    let tier = Tier::parse(&form.tier)?;
    let rows = parse_pasted(&ctx, &form.list, tier);
    if rows.is_empty() {
        let refusal = Refusal {
            paste_problems: vec![LineProblem {
                place: String::new(),
                text: String::new(),
                problem: "The list is empty: paste one organization per line.".into(),
            }],
            list: form.list,
            list_tier_lead: tier == Tier::Lead,
            ..Refusal::default()
        };
        return show_invite_page(
            &request,
            &user,
            &ctx,
            id.into_inner(),
            String::new(),
            refusal,
        )
        .await;
    }
    let source = review::Source::Pasted {
        list: form.list,
        tier,
    };
    review::review_rows(&request, &user, &ctx, id.into_inner(), rows, source).await
}
