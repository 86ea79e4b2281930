//! The address book pages: search page by page with the total, filter by tag, add and edit
//! organizations, their tags and contacts; the CSV import lives in `import`, duplicates,
//! deleting and merging in `manage`.

mod contacts;
mod import;
mod manage;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::Chrome;
use super::paging::Pager;
use super::render;
use crate::app::organizations::{
    self, OrganizationInput, OrganizationPage, OrganizationView, PageRequest, Tags,
};
use crate::app::{AppError, Context};
use crate::domain::{
    CountryCode, InvalidInput, OrganizationId, OrganizationName, Tag, Website, optional_text,
};
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
    /// Comma-separated: "Africa network, UN Geneva".
    #[serde(default)]
    tags: String,
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
            tags: Some(Tag::parse_list(&self.tags)?),
        })
    }

    /// The form as the stored organization fills it.
    fn of(view: &OrganizationView) -> Self {
        let o = &view.organization;
        Self {
            name: o.name.clone(),
            display_name: o.display_name.clone(),
            country: o.country.clone().unwrap_or_default(),
            website: o.website.clone().unwrap_or_default(),
            tags: view.tags.join(", "),
            ..Self::default()
        }
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
    form: OrganizationForm,
    state: ShowState,
}

/// What the organization's page shows back after a refused form: the details as typed with
/// their message, or the merge form's name with its message.
#[derive(Default)]
struct ShowState {
    details: Option<OrganizationForm>,
    details_error: Option<String>,
    merge_name: String,
    merge_error: Option<String>,
}

#[get("/organizations/{id}")]
async fn show(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<OrganizationId>,
) -> Result<HttpResponse, PageError> {
    show_page(&request, &user, &ctx, id.into_inner(), ShowState::default()).await
}

async fn show_page(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &web::Data<Context>,
    id: OrganizationId,
    mut state: ShowState,
) -> Result<HttpResponse, PageError> {
    let view = ctx
        .db
        .run(move |conn| organizations::get(conn, &id))
        .await?;
    let form = state
        .details
        .take()
        .unwrap_or_else(|| OrganizationForm::of(&view));
    Ok(html_page(
        request,
        render(ShowPage {
            chrome: Chrome::new(request, user),
            view,
            form,
            state,
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
    let form = form.into_inner();
    let id = id.into_inner();
    let result = match form.parse() {
        Ok(input) => {
            let (context, id) = (ctx.clone(), id.clone());
            ctx.db
                .run(move |conn| organizations::update(conn, &context.clock, &actor, &id, &input))
                .await
        }
        Err(problem) => Err(AppError::Invalid(problem)),
    };
    match result {
        Ok(organization) => Ok(redirect_with_notice(
            &ctx,
            &format!("/app/organizations/{}", organization.id),
            "Saved.",
        )),
        Err(AppError::Invalid(InvalidInput(message)) | AppError::Conflict(message)) => {
            let state = ShowState {
                details: Some(form),
                details_error: Some(message),
                ..ShowState::default()
            };
            let mut response = show_page(&request, &user, &ctx, id, state).await?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}
