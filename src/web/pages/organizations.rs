//! The address book pages: search, add and edit organizations and their contacts; the CSV
//! import lives in `import`.

mod import;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::Chrome;
use super::{CsrfForm, render};
use crate::app::organizations::{self, OrganizationInput, OrganizationView};
use crate::app::{AppError, Context};
use crate::domain::{
    CountryCode, InvalidInput, OrganizationId, OrganizationName, Website, optional_text,
};
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(new_page)
        .service(import::import_page)
        .service(import::import_preview)
        .service(import::import_confirm)
        .service(create)
        .service(show)
        .service(update)
        .service(add_contact)
        .service(remove_contact);
}

#[derive(Template)]
#[template(path = "app/organizations.html")]
struct ListPage {
    chrome: Chrome,
    q: String,
    organizations: Vec<OrganizationView>,
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

#[get("/organizations")]
async fn list(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, PageError> {
    let q = query.into_inner().q.unwrap_or_default();
    let search = q.clone();
    let organizations = ctx
        .db
        .run(move |conn| organizations::search(conn, &search))
        .await?;
    Ok(html_page(
        &request,
        render(ListPage {
            chrome: Chrome::new(&request, &user),
            q,
            organizations,
        })?,
    ))
}

#[derive(Deserialize, Default, Clone)]
struct OrganizationForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    contact_name: String,
}

impl OrganizationForm {
    fn parse(&self) -> Result<OrganizationInput, InvalidInput> {
        Ok(OrganizationInput {
            name: OrganizationName::parse(&self.name)?,
            display_name: optional_text(Some(&self.display_name), "the display name", 300)?
                .map(|d| OrganizationName::parse(&d))
                .transpose()?,
            country: CountryCode::parse_optional(Some(&self.country))?,
            website: Website::parse_optional(Some(&self.website))?,
        })
    }
}

#[derive(Template)]
#[template(path = "app/organization_form.html")]
struct FormPage {
    chrome: Chrome,
    form: OrganizationForm,
    error: Option<String>,
}

#[get("/organizations/new")]
async fn new_page(request: HttpRequest, user: CurrentUser) -> Result<HttpResponse, PageError> {
    Ok(html_page(
        &request,
        render(FormPage {
            chrome: Chrome::new(&request, &user),
            form: OrganizationForm::default(),
            error: None,
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
    let parsed = form.parse().and_then(|input| {
        let email = optional_text(Some(&form.email), "the email", 254)?
            .map(|e| ctx.parse_email(&e))
            .transpose()?;
        let name = optional_text(Some(&form.contact_name), "the contact's name", 200)?;
        Ok((input, email, name))
    });
    let result = match parsed {
        Ok((input, email, name)) => {
            let context = ctx.clone();
            ctx.db
                .run(move |conn| {
                    organizations::create(
                        conn,
                        &context.clock,
                        &actor,
                        &input,
                        email.as_ref().map(|e| (e, name.as_deref())),
                    )
                })
                .await
        }
        Err(problem) => Err(AppError::Invalid(problem)),
    };
    match result {
        Ok(organization) => Ok(redirect_with_notice(
            &ctx,
            &format!("/app/organizations/{}", organization.id),
            "Added to the address book.",
        )),
        Err(AppError::Invalid(InvalidInput(message)) | AppError::Conflict(message)) => {
            let mut response = html_page(
                &request,
                render(FormPage {
                    chrome: Chrome::new(&request, &user),
                    form,
                    error: Some(message),
                })?,
            );
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "app/organization.html")]
struct ShowPage {
    chrome: Chrome,
    view: OrganizationView,
}

#[get("/organizations/{id}")]
async fn show(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<OrganizationId>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let view = ctx
        .db
        .run(move |conn| organizations::get(conn, &id))
        .await?;
    Ok(html_page(
        &request,
        render(ShowPage {
            chrome: Chrome::new(&request, &user),
            view,
        })?,
    ))
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
    let input = form.parse()?;
    let (context, id) = (ctx.clone(), id.into_inner());
    let organization = ctx
        .db
        .run(move |conn| organizations::update(conn, &context.clock, &actor, &id, &input))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/app/organizations/{}", organization.id),
        "Saved.",
    ))
}

#[derive(Deserialize)]
struct ContactForm {
    csrf_token: String,
    email: String,
    #[serde(default)]
    contact_name: String,
}

#[post("/organizations/{id}/contacts")]
async fn add_contact(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<OrganizationId>,
    form: web::Form<ContactForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let actor = user.actor(&request);
    let email = ctx.parse_email(&form.email)?;
    let name = optional_text(Some(&form.contact_name), "the contact's name", 200)?;
    let (context, id) = (ctx.clone(), id.into_inner());
    let location = format!("/app/organizations/{id}");
    ctx.db
        .run(move |conn| {
            organizations::add_contact(conn, &context.clock, &actor, &id, &email, name.as_deref())
        })
        .await?;
    Ok(redirect_with_notice(&ctx, &location, "Contact added."))
}

#[post("/organizations/{id}/contacts/{contact}/remove")]
async fn remove_contact(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    path: web::Path<(OrganizationId, String)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let actor = user.actor(&request);
    let (id, contact) = path.into_inner();
    let location = format!("/app/organizations/{id}");
    let context = ctx.clone();
    ctx.db
        .run(move |conn| organizations::remove_contact(conn, &context.clock, &actor, &id, &contact))
        .await?;
    Ok(redirect_with_notice(&ctx, &location, "Contact removed."))
}
