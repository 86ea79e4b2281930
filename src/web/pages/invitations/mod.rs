//! Pages for inviting organizations (from the address book, a pasted list or a CSV file) and
//! for one invitation: its details, tier and printed name, a new link, revocation.

mod from_file;
mod one;
mod record;
mod record_form;

pub use from_file::{CsvUpload, upload_problem};

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::dashboard::{field, form_pairs};
use super::{Chrome, render};
use crate::app::invitations::{self, Invitee};
use crate::app::letters::{self, LetterView};
use crate::app::organizations::{self, OrganizationView};
use crate::app::{AppError, Context};
use crate::domain::{InvalidInput, LetterId, OrganizationId, OrganizationName, Tier};
use crate::web::session::{CurrentUser, html_page, verify_csrf};
use crate::web::{PageError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(invite_page)
        .service(invite_from_address_book)
        .service(invite_pasted)
        .service(from_file::invite_csv)
        .service(one::invitation_page)
        .service(one::edit_invitation)
        .service(one::reinvite)
        .service(one::revoke)
        .service(record::record_response);
}

#[derive(Template)]
#[template(path = "app/invite.html")]
struct InvitePage {
    chrome: Chrome,
    view: LetterView,
    q: String,
    organizations: Vec<OrganizationView>,
    /// Why the uploaded file could not be read, shown beside its field.
    file_error: Option<String>,
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
    let page = InvitePage::load(&request, &user, &ctx, id.into_inner(), q, None).await?;
    Ok(html_page(&request, render(page)?))
}

impl InvitePage {
    async fn load(
        request: &HttpRequest,
        user: &CurrentUser,
        ctx: &web::Data<Context>,
        letter_id: LetterId,
        q: String,
        file_error: Option<String>,
    ) -> Result<Self, PageError> {
        let search = q.clone();
        let (view, organizations) = ctx
            .db
            .run(move |conn| {
                Ok::<_, AppError>((
                    letters::get_letter(conn, &letter_id)?,
                    organizations::search(conn, &search)?,
                ))
            })
            .await?;
        Ok(Self {
            chrome: Chrome::new(request, user),
            view,
            q,
            organizations,
            file_error,
        })
    }
}

/// The outcome of an invitation batch, row by row.
pub struct ResultRow {
    pub label: String,
    pub problem: Option<String>,
}

#[derive(Template)]
#[template(path = "app/invite_result.html")]
struct InviteResultPage {
    chrome: Chrome,
    letter_id: LetterId,
    created: usize,
    rows: Vec<ResultRow>,
    /// How an uploaded file was read ("Read as Windows-1252, …").
    read_as: Option<String>,
}

/// Invites the parsed rows and shows what happened to each.
async fn invite_rows(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &web::Data<Context>,
    letter_id: LetterId,
    labels: Vec<String>,
    invitees: Vec<Result<Invitee, InvalidInput>>,
    read_as: Option<String>,
) -> Result<HttpResponse, PageError> {
    if invitees.is_empty() {
        return Err(PageError(WebError::bad_request(
            "Nothing to invite: the list is empty.",
        )));
    }
    let (context, actor, lookup) = (ctx.clone(), user.actor(request), letter_id.clone());
    let outcome = ctx
        .db
        .run(move |conn| {
            invitations::invite(
                conn,
                &context.clock,
                &context.links(),
                &actor,
                &lookup,
                invitees,
            )
        })
        .await?;
    ctx.mail_queued();
    let mut rows: Vec<ResultRow> = labels
        .into_iter()
        .map(|label| ResultRow {
            label,
            problem: None,
        })
        .collect();
    for (index, problem) in outcome.rejected {
        if let Some(row) = rows.get_mut(index) {
            row.problem = Some(problem);
        }
    }
    let page = InviteResultPage {
        chrome: Chrome::new(request, user),
        letter_id,
        created: outcome.created.len(),
        rows,
        read_as,
    };
    Ok(html_page(request, render(page)?))
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
    let tier = Tier::parse(field(&pairs, "tier"))?;
    let chosen: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "organization_ids")
        .map(|(_, v)| v.clone())
        .collect();
    let found = ctx
        .db
        .run(move |conn| {
            chosen
                .iter()
                .map(|id| organizations::get(conn, &OrganizationId::from(id.as_str())))
                .collect::<Result<Vec<_>, AppError>>()
        })
        .await?;
    let labels = found
        .iter()
        .map(|o| o.organization.display_name.clone())
        .collect();
    let invitees = found
        .into_iter()
        .map(|o| {
            let contact = o.contacts.first().ok_or_else(|| {
                InvalidInput::new(format!(
                    "{} has no contact email in the address book",
                    o.organization.name
                ))
            })?;
            Ok(Invitee {
                organization: OrganizationName::parse(&o.organization.name)?,
                display_name: Some(OrganizationName::parse(&o.organization.display_name)?),
                email: ctx.parse_email(&contact.email)?,
                contact_name: contact.name.clone(),
                tier,
                country: crate::domain::CountryCode::parse_optional(
                    o.organization.country.as_deref(),
                )?,
            })
        })
        .collect();
    invite_rows(
        &request,
        &user,
        &ctx,
        id.into_inner(),
        labels,
        invitees,
        None,
    )
    .await
}

#[derive(Deserialize)]
struct PastedForm {
    csrf_token: String,
    list: String,
    tier: String,
}

/// Each line: `Organization, email[, tier[, country]]` (a comma or a semicolon between).
fn parse_pasted(
    ctx: &Context,
    list: &str,
    default_tier: Tier,
) -> (Vec<String>, Vec<Result<Invitee, InvalidInput>>) {
    let mut labels = Vec::new();
    let mut invitees = Vec::new();
    for line in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        labels.push(line.to_string());
        let separator = if line.contains(';') { ';' } else { ',' };
        let cells: Vec<&str> = line.split(separator).map(str::trim).collect();
        invitees.push((|| {
            let organization = OrganizationName::parse(cells.first().copied().unwrap_or(""))?;
            let email = ctx.parse_email(cells.get(1).copied().unwrap_or(""))?;
            let tier = match cells.get(2) {
                Some(t) if !t.is_empty() => Tier::parse(t)?,
                _ => default_tier,
            };
            let country = crate::domain::CountryCode::parse_optional(cells.get(3).copied())?;
            Ok(Invitee {
                organization,
                display_name: None,
                email,
                contact_name: None,
                tier,
                country,
            })
        })());
    }
    (labels, invitees)
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
    let (labels, invitees) = parse_pasted(&ctx, &form.list, Tier::parse(&form.tier)?);
    invite_rows(
        &request,
        &user,
        &ctx,
        id.into_inner(),
        labels,
        invitees,
        None,
    )
    .await
}
