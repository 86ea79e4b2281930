//! The installation's settings page, for admins: who is asking — the coordinating
//! organization's name, website, press contact and logo — and what an operator still has to
//! fix before real partners receive email. A refused field comes back beside its input (422).

use actix_multipart::form::{MultipartForm, bytes::Bytes as UploadedBytes, text::Text};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ETag, EntityTag};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::field_errors::FieldErrors;
use super::{Chrome, render};
use crate::app::coordinating::{self, Profile, ProfileInput};
use crate::app::{AppError, Context};
use crate::domain::{EmailAddress, OrganizationName, Website};
use crate::web::assets::holds_tag;
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};
use crate::web::{PageError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(settings_page)
        .service(save_settings)
        .service(upload_logo)
        .service(remove_logo);
}

/// The public address of the logo, outside `/app`.
pub fn public_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(logo);
}

/// The organization's fields as typed.
#[derive(Deserialize, Default)]
struct OrganizationForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    contact_email: String,
}

#[derive(Template)]
#[template(path = "app/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    profile: Profile,
    form: OrganizationForm,
    errors: FieldErrors,
    /// Why the logo was refused.
    logo_error: Option<String>,
    /// What to fix before real use (`mail.from`, https).
    warnings: Vec<String>,
    /// The `organization.*` settings the empty fields fall back to.
    fallback: crate::config::OrganizationSettings,
}

#[get("/settings")]
async fn settings_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    show(&request, &user, &ctx, None, FieldErrors::default(), None).await
}

/// The page with the form as typed (or as stored), 422 when something was refused.
async fn show(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &web::Data<Context>,
    typed: Option<OrganizationForm>,
    errors: FieldErrors,
    logo_error: Option<String>,
) -> Result<HttpResponse, PageError> {
    let context = ctx.clone();
    let profile = ctx
        .db
        .run(move |conn| coordinating::profile(conn, &context.settings.organization))
        .await?;
    let refused = !errors.is_empty() || logo_error.is_some();
    let form = typed.unwrap_or_else(|| OrganizationForm {
        csrf_token: String::new(),
        name: profile.set_here.name.clone().unwrap_or_default(),
        website: profile.set_here.website.clone().unwrap_or_default(),
        contact_email: profile.set_here.contact_email.clone().unwrap_or_default(),
    });
    let page = SettingsPage {
        chrome: Chrome::new(request, user),
        profile,
        form,
        errors,
        logo_error,
        warnings: ctx.settings.production_warnings(),
        fallback: ctx.settings.organization.clone(),
    };
    let mut response = html_page(request, render(page)?);
    if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

#[post("/settings")]
async fn save_settings(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    form: web::Form<OrganizationForm>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    verify_csrf(&request, &form.csrf_token)?;
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let blank = |text: &str| text.trim().is_empty();
    let name = if blank(&form.name) {
        Some(None)
    } else {
        errors.check("name", OrganizationName::parse(&form.name).map(Some))
    };
    let website = errors.check("website", Website::parse_optional(Some(&form.website)));
    let contact_email = if blank(&form.contact_email) {
        Some(None)
    } else {
        errors.check(
            "contact_email",
            EmailAddress::parse(&form.contact_email).map(Some),
        )
    };
    let (Some(name), Some(website), Some(contact_email)) = (name, website, contact_email) else {
        return show(&request, &user, &ctx, Some(form), errors, None).await;
    };
    let (context, actor) = (ctx.clone(), user.actor(&request));
    let input = ProfileInput {
        name,
        website,
        contact_email,
    };
    ctx.db
        .run(move |conn| coordinating::save(conn, &context.clock, &actor, input))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        "/app/settings",
        "Saved: emails, sign pages and published letters name the organization this way now.",
    ))
}

/// A logo uploaded with the form's CSRF token.
#[derive(MultipartForm)]
struct LogoUpload {
    csrf_token: Text<String>,
    #[multipart(limit = "2MB")]
    logo: UploadedBytes,
}

#[post("/settings/logo")]
async fn upload_logo(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    upload: Result<MultipartForm<LogoUpload>, actix_web::Error>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    let upload = match upload {
        Ok(upload) => upload,
        Err(error) => {
            let problem = super::invitations::upload_problem(&error);
            return show(
                &request,
                &user,
                &ctx,
                None,
                FieldErrors::default(),
                Some(problem),
            )
            .await;
        }
    };
    verify_csrf(&request, &upload.csrf_token)?;
    let (context, actor) = (ctx.clone(), user.actor(&request));
    let bytes = upload.logo.data.to_vec();
    let saved = ctx
        .db
        .run(move |conn| coordinating::set_logo(conn, &context.clock, &actor, &bytes))
        .await;
    match saved {
        Ok(()) => Ok(redirect_with_notice(
            &ctx,
            "/app/settings",
            "The logo is saved; it shows on sign pages and published letters.",
        )),
        Err(AppError::Invalid(problem)) => {
            let problem = super::field_errors::sentence(&problem.0);
            show(
                &request,
                &user,
                &ctx,
                None,
                FieldErrors::default(),
                Some(problem),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf_token: String,
}

#[post("/settings/logo/remove")]
async fn remove_logo(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    verify_csrf(&request, &form.csrf_token)?;
    let (context, actor) = (ctx.clone(), user.actor(&request));
    ctx.db
        .run(move |conn| coordinating::remove_logo(conn, &context.clock, &actor))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        "/app/settings",
        "The logo is removed.",
    ))
}

#[derive(Deserialize)]
struct Fingerprint {
    v: Option<String>,
}

/// The coordinating organization's logo (PNG); cached for a year under its fingerprinted
/// address (`?v=` the first 16 hex digits of its SHA-256), five minutes otherwise; 404 when
/// there is none.
#[get("/organization/logo.png")]
async fn logo(
    request: HttpRequest,
    ctx: web::Data<Context>,
    version: web::Query<Fingerprint>,
) -> Result<HttpResponse, PageError> {
    let found = ctx.db.run(coordinating::logo_png).await?;
    let (png, sha) = found.ok_or_else(WebError::not_found)?;
    let tag = EntityTag::new_strong(sha[..32].to_string());
    let cache = if version.v.as_deref() == Some(&sha[..16]) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let mut response = if holds_tag(&request, &tag) {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header(ETag(tag.clone()))
        .insert_header((header::CACHE_CONTROL, cache));
    if holds_tag(&request, &tag) {
        return Ok(response.finish());
    }
    Ok(response.content_type("image/png").body(png))
}
