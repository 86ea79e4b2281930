//! The address book pages: search page by page with the total, filter by tag, add and edit
//! organizations, their tags and contacts; the CSV import lives in `import`, duplicates,
//! deleting and merging in `manage`.

mod contacts;
mod form;
mod import;
mod manage;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use self::form::{ContactForm, OrganizationForm, parse_contact};
use super::Chrome;
use super::field_errors::{FieldErrors, sentence};
use super::paging::Pager;
use super::render;
use crate::app::organizations::{self, OrganizationPage, OrganizationView, PageRequest, Tags};
use crate::app::{AppError, Context};
use crate::domain::{InvalidInput, OrganizationId, Tag};
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(new_page)
        .service(import::import_page)
        .service(import::import_preview)
        .service(import::import_confirm)
        .service(manage::duplicates)
        .service(manage::delete)
        .service(manage::merge)
        .service(create)
        .service(show)
        .service(update)
        .service(contacts::add_contact)
        .service(contacts::remove_contact);
}

#[derive(Template)]
#[template(path = "app/organizations.html")]
struct ListPage {
    chrome: Chrome,
    q: String,
    /// The tag filter as typed (empty: every organization).
    tag: String,
    tags: Tags,
    list: OrganizationPage,
    pager: Pager,
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
    tag: Option<String>,
    page: Option<String>,
}

#[get("/organizations")]
async fn list(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let q = query.q.unwrap_or_default();
    let tag_text = query.tag.unwrap_or_default();
    let page = PageRequest::parse(query.page.as_deref(), None).unwrap_or_default();
    let tag = Tag::parse(&tag_text).ok();
    let search = q.clone();
    let (tags, list) = ctx
        .db
        .run(move |conn| {
            let tags = organizations::tags(conn)?;
            let list = organizations::list(conn, &search, tag.as_ref(), page)?;
            Ok::<_, AppError>((tags, list))
        })
        .await?;
    let (first, last) = list.range();
    let pager = Pager::new(
        "/app/organizations",
        &[("q", &q), ("tag", &tag_text)],
        (u64::from(page.page), list.pages()),
        (first, last, list.total),
    );
    Ok(html_page(
        &request,
        render(ListPage {
            chrome: Chrome::new(&request, &user),
            q,
            tag: tag_text,
            tags,
            list,
            pager,
        })?,
    ))
}

#[derive(Template)]
#[template(path = "app/organization_form.html")]
struct FormPage {
    chrome: Chrome,
    form: OrganizationForm,
    errors: FieldErrors,
    /// Why the organization as a whole was refused (a name already in the address book).
    refused: Option<String>,
}

#[get("/organizations/new")]
async fn new_page(request: HttpRequest, user: CurrentUser) -> Result<HttpResponse, PageError> {
    Ok(html_page(
        &request,
        render(FormPage {
            chrome: Chrome::new(&request, &user),
            form: OrganizationForm::default(),
            errors: FieldErrors::default(),
            refused: None,
        })?,
    ))
}

#[post("/organizations/new")]
async fn create(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    form: web::Form<OrganizationForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let actor = user.actor(&request);
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let input = form.parse(&mut errors);
    let contact = parse_contact(
        &form.email,
        &form.contact_name,
        true,
        |e| ctx.parse_email(e),
        &mut errors,
    );
    let (status, refused) = match (input, contact) {
        (Some(input), Some((email, name))) => {
            let context = ctx.clone();
            let created = ctx
                .db
                .run(move |conn| {
                    organizations::create(
                        conn,
                        &context.clock,
                        &actor,
                        &input,
                        email.as_ref().map(|e| (e, name.as_deref())),
                    )
                })
                .await;
            match created {
                Ok(organization) => {
                    return Ok(redirect_with_notice(
                        &ctx,
                        &format!("/app/organizations/{}", organization.id),
                        "Added to the address book.",
                    ));
                }
                // The only conflict: the name is already in the address book.
                Err(AppError::Conflict(message)) => {
                    errors.add("name", InvalidInput(message));
                    (StatusCode::UNPROCESSABLE_ENTITY, None)
                }
                Err(error) => {
                    let (status, message) = refusal(error)?;
                    (status, Some(message))
                }
            }
        }
        _ => (StatusCode::UNPROCESSABLE_ENTITY, None),
    };
    let mut response = html_page(
        &request,
        render(FormPage {
            chrome: Chrome::new(&request, &user),
            form,
            errors,
            refused,
        })?,
    );
    *response.status_mut() = status;
    Ok(response)
}

#[derive(Template)]
#[template(path = "app/organization.html")]
struct ShowPage {
    chrome: Chrome,
    view: OrganizationView,
    /// The details form: as stored, or as typed when refused.
    form: OrganizationForm,
    errors: FieldErrors,
    refused: Option<String>,
    /// The "add a contact" form, empty or as typed when refused.
    contact: ContactForm,
    contact_errors: FieldErrors,
    contact_refused: Option<String>,
    /// The merge form's name as typed, and why it was refused.
    merge_name: String,
    merge_error: Option<String>,
}

impl ShowPage {
    fn new(request: &HttpRequest, user: &CurrentUser, view: OrganizationView) -> Self {
        Self {
            chrome: Chrome::new(request, user),
            form: OrganizationForm::of(&view),
            view,
            errors: FieldErrors::default(),
            refused: None,
            contact: ContactForm::default(),
            contact_errors: FieldErrors::default(),
            contact_refused: None,
            merge_name: String::new(),
            merge_error: None,
        }
    }
}

/// The organization's page as stored, with `change` applied to the form that was refused, and
/// the given status.
async fn show_again(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    id: OrganizationId,
    status: StatusCode,
    change: impl FnOnce(&mut ShowPage),
) -> Result<HttpResponse, PageError> {
    let view = ctx
        .db
        .run(move |conn| organizations::get(conn, &id))
        .await?;
    let mut page = ShowPage::new(request, user, view);
    change(&mut page);
    let mut response = html_page(request, render(page)?);
    *response.status_mut() = status;
    Ok(response)
}

/// The status and message of a use case's refusal shown above a form, or the error page.
fn refusal(error: AppError) -> Result<(StatusCode, String), PageError> {
    match error {
        AppError::Invalid(InvalidInput(message)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, sentence(&message)))
        }
        AppError::Conflict(message) => Ok((StatusCode::CONFLICT, sentence(&message))),
        other => Err(other.into()),
    }
}

#[get("/organizations/{id}")]
async fn show(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<OrganizationId>,
) -> Result<HttpResponse, PageError> {
    show_again(
        &request,
        &user,
        &ctx,
        id.into_inner(),
        StatusCode::OK,
        |_| (),
    )
    .await
}

#[post("/organizations/{id}")]
async fn update(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<OrganizationId>,
    form: web::Form<OrganizationForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let actor = user.actor(&request);
    let (id, form) = (id.into_inner(), form.into_inner());
    let mut errors = FieldErrors::default();
    let Some(input) = form.parse(&mut errors) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show_again(&request, &user, &ctx, id, status, |page| {
            (page.form, page.errors) = (form, errors);
        })
        .await;
    };
    let (context, organization_id) = (ctx.clone(), id.clone());
    let updated = ctx
        .db
        .run(move |conn| {
            organizations::update(conn, &context.clock, &actor, &organization_id, &input)
        })
        .await;
    match updated {
        Ok(organization) => Ok(redirect_with_notice(
            &ctx,
            &format!("/app/organizations/{}", organization.id),
            "Saved.",
        )),
        // The only conflict: another organization has the name.
        Err(AppError::Conflict(message)) => {
            errors.add("name", InvalidInput(message));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            show_again(&request, &user, &ctx, id, status, |page| {
                (page.form, page.errors) = (form, errors);
            })
            .await
        }
        Err(error) => {
            let (status, message) = refusal(error)?;
            show_again(&request, &user, &ctx, id, status, |page| {
                (page.form, page.refused) = (form, Some(message));
            })
            .await
        }
    }
}
