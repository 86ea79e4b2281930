//! Inviting organizations in two steps. First the coordinator chooses recipients on the invite
//! page (ticked in the address book, all of it or all matching a search, a pasted list, a CSV
//! file); then `review` shows exactly what will go out, and only its Send button queues
//! anything. A list with a bad line comes back to the invite page (422) with each line's
//! reason beside it and the input kept. The invitation page of one organization is in `one`.

mod from_file;
mod one;
mod record;
mod record_form;
mod review;

pub use from_file::{CsvUpload, upload_problem};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::dashboard::{field, form_pairs};
use super::{Chrome, render};
use crate::app::invitations::{self, Candidate, Invitee};
use crate::app::letters::LetterView;
use crate::app::{AppError, Context};
use crate::domain::{CountryCode, InvalidInput, LetterId, OrganizationName, Tier};
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page, verify_csrf};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(invite_page)
        .service(invite_from_address_book)
        .service(invite_pasted)
        .service(from_file::invite_csv)
        .service(review::review_or_send)
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
    candidates: Vec<Candidate>,
    /// How many of `candidates` can be invited.
    selectable: usize,
    refusal: Refusal,
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

#[get("/letters/{id}/invite")]
async fn invite_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, PageError> {
    let q = query.into_inner().q.unwrap_or_default();
    show_invite_page(
        &request,
        &user,
        &ctx,
        id.into_inner(),
        q,
        Refusal::default(),
    )
    .await
}

/// The invite page; with a refusal it answers 422 (409 when the letter takes no invitations).
async fn show_invite_page(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &web::Data<Context>,
    letter_id: LetterId,
    q: String,
    mut refusal: Refusal,
) -> Result<HttpResponse, PageError> {
    let refused = refusal.book_error.is_some()
        || !refusal.book_problems.is_empty()
        || !refusal.paste_problems.is_empty()
        || refusal.file_error.is_some()
        || !refusal.file_problems.is_empty();
    let search = q.clone();
    let (view, candidates) = ctx
        .db
        .run(move |conn| invitations::candidates(conn, &letter_id, &search))
        .await?;
    let letter_refuses = refusal.closed.is_some();
    if refusal.closed.is_none()
        && let Err(AppError::Conflict(reason)) = invitations::refuse_unless_inviting(&view.letter)
    {
        refusal.closed = Some(review::sentence(&reason));
    }
    let page = InvitePage {
        chrome: Chrome::new(request, user),
        view,
        q,
        selectable: candidates.iter().filter(|c| c.selectable()).count(),
        candidates,
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

/// Which organizations of the address book a submit means.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Ticked,
    /// Every organization that can be invited, whatever the search.
    All,
    /// Every organization matching the search that can be invited.
    Filtered,
}

#[post("/letters/{id}/invite/address-book")]
async fn invite_from_address_book(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let pairs = form_pairs(&body);
    verify_csrf(&request, field(&pairs, "csrf_token"))?;
    let letter_id = id.into_inner();
    let q = field(&pairs, "q").to_string();
    let scope = match field(&pairs, "scope") {
        "all" => Scope::All,
        "filtered" => Scope::Filtered,
        _ => Scope::Ticked,
    };
    let ticked: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "organization_ids")
        .map(|(_, v)| v.as_str())
        .collect();
    let search = if scope == Scope::Filtered {
        q.clone()
    } else {
        String::new()
    };
    let lookup = letter_id.clone();
    let (_, candidates) = ctx
        .db
        .run(move |conn| invitations::candidates(conn, &lookup, &search))
        .await?;
    let chosen: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| match scope {
            Scope::Ticked => ticked.contains(&c.organization.organization.id.as_str()),
            Scope::All | Scope::Filtered => c.selectable(),
        })
        .collect();
    if chosen.is_empty() {
        let message = match scope {
            Scope::Ticked => "Tick at least one organization, or choose “Review all”.",
            _ => {
                "No organization here can be invited: each is invited already or has no \
                  contact email."
            }
        };
        let refusal = Refusal {
            book_error: Some(message.into()),
            ..Refusal::default()
        };
        return show_invite_page(&request, &user, &ctx, letter_id, q, refusal).await;
    }
    let left_out = candidates
        .iter()
        .filter(|c| scope != Scope::Ticked && !c.invited && c.email().is_none())
        .map(|c| c.organization.organization.display_name.clone())
        .collect();
    let rows: Vec<Row> = chosen
        .iter()
        .map(|c| {
            let tier = Tier::parse(field(
                &pairs,
                &format!("tier_{}", c.organization.organization.id),
            ))
            .unwrap_or(Tier::Supporting);
            Row {
                place: String::new(),
                text: c.organization.organization.display_name.clone(),
                parsed: invitee_from_address_book(&ctx, c, tier),
            }
        })
        .collect();
    let source = review::Source::AddressBook { left_out };
    review::review_rows(&request, &user, &ctx, letter_id, rows, source).await
}

/// The invitee an organization of the address book makes: its names, country, tier as chosen,
/// and its first contact.
fn invitee_from_address_book(
    ctx: &Context,
    candidate: &Candidate,
    tier: Tier,
) -> Result<Invitee, InvalidInput> {
    let organization = &candidate.organization.organization;
    let contact = candidate.organization.contacts.first().ok_or_else(|| {
        InvalidInput::new(format!(
            "{} has no contact email in the address book",
            organization.name
        ))
    })?;
    Ok(Invitee {
        organization: OrganizationName::parse(&organization.name)?,
        display_name: Some(OrganizationName::parse(&organization.display_name)?),
        email: ctx.parse_email(&contact.email)?,
        contact_name: contact.name.clone(),
        tier,
        country: CountryCode::parse_optional(organization.country.as_deref())?,
    })
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
