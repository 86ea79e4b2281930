//! Pages opened without a session: "Forgot your password?" (always the same answer, whether an
//! account has the address or not; rate-limited per client address and per address asked
//! for), the reset link's new-password form (every session of the account ends), and the
//! invitation link where a colleague chooses a first password and is logged in.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::field_errors::FieldErrors;
use super::render;
use crate::app::Context;
use crate::app::account_links::{self, Purpose};
use crate::app::rate_limits::ResetRequest;
use crate::domain::Password;
use crate::web::session::{csrf_token, html_page, redirect_with_notice, verify_csrf};
use crate::web::{PageError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(forgot_page)
        .service(forgot)
        .service(reset_page)
        .service(reset)
        .service(welcome_page)
        .service(welcome);
}

/// The one answer to "Forgot your password?", known address or not.
const SENT: &str = "If an account has this address, a link to choose a new password is on its way. It works for one hour.";

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    csrf: String,
    email: String,
    sent: Option<&'static str>,
}

#[get("/password/forgot")]
async fn forgot_page(request: HttpRequest) -> Result<HttpResponse, PageError> {
    let page = ForgotPage {
        csrf: csrf_token(&request),
        email: String::new(),
        sent: None,
    };
    Ok(html_page(&request, render(page)?))
}

#[derive(Deserialize)]
struct ForgotForm {
    csrf_token: String,
    #[serde(default)]
    email: String,
}

#[post("/password/forgot")]
async fn forgot(
    request: HttpRequest,
    ctx: web::Data<Context>,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let form = form.into_inner();
    let (ip, _) = crate::web::client::client_info(&request);
    let limit = ResetRequest::new(
        &ctx.settings.security,
        ip.as_deref().unwrap_or_default(),
        &form.email,
    );
    let (context, email) = (ctx.clone(), form.email.clone());
    let sent = ctx
        .db
        .run(move |conn| {
            if !limit.allowed(conn, &context.clock)? {
                return Ok(None);
            }
            account_links::request_reset(
                conn,
                &context.clock,
                &context.secrets,
                &context.base_url,
                &email,
                ip.as_deref(),
            )
            .map(Some)
        })
        .await?;
    match sent {
        None => Err(PageError(WebError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests for a new password. Please wait an hour and try again.",
        ))),
        Some(queued) => {
            if queued {
                ctx.mail_queued();
            }
            let page = ForgotPage {
                csrf: csrf_token(&request),
                email: String::new(),
                sent: Some(SENT),
            };
            Ok(html_page(&request, render(page)?))
        }
    }
}

#[derive(Template)]
#[template(path = "password_choose.html")]
struct ChoosePage {
    csrf: String,
    action: String,
    heading: &'static str,
    intro: String,
    button: &'static str,
    errors: FieldErrors,
}

fn link_dead(purpose: Purpose) -> PageError {
    PageError(WebError::new(
        StatusCode::NOT_FOUND,
        match purpose {
            Purpose::Invitation => {
                "This invitation link no longer works: it was used, replaced by a newer one, or has expired. Ask an admin to send your invitation again."
            }
            Purpose::PasswordReset => {
                "This link no longer works: it was used, replaced by a newer one, or has expired. Ask for a new one on the login page (Forgot your password?)."
            }
        },
    ))
}

fn choose_page(
    request: &HttpRequest,
    purpose: Purpose,
    token: &str,
    name: &str,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let refused = !errors.is_empty();
    let page = match purpose {
        Purpose::Invitation => ChoosePage {
            csrf: csrf_token(request),
            action: format!("/welcome/{token}"),
            heading: "Choose your password",
            intro: format!(
                "Welcome, {name}. Choose the password of your Undersigned account; you are logged in right after."
            ),
            button: "Choose the password and log in",
            errors,
        },
        Purpose::PasswordReset => ChoosePage {
            csrf: csrf_token(request),
            action: format!("/password/reset/{token}"),
            heading: "Choose a new password",
            intro: format!(
                "{name}, choose a new password. Every session of your account is logged out."
            ),
            button: "Change the password",
            errors,
        },
    };
    let mut response = html_page(request, render(page)?);
    if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// The name of the account behind a working link, or the "link no longer works" page.
async fn link_holder(ctx: &Context, token: &str, purpose: Purpose) -> Result<String, PageError> {
    let (clock, token) = (ctx.clock.clone(), token.to_string());
    ctx.db
        .run(move |conn| account_links::link_account(conn, &clock, &token, purpose))
        .await?
        .map(|user| user.name)
        .ok_or_else(|| link_dead(purpose))
}

#[get("/password/reset/{token}")]
async fn reset_page(
    request: HttpRequest,
    ctx: web::Data<Context>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let purpose = Purpose::PasswordReset;
    let name = link_holder(&ctx, &token, purpose).await?;
    choose_page(&request, purpose, &token, &name, FieldErrors::default())
}

#[get("/welcome/{token}")]
async fn welcome_page(
    request: HttpRequest,
    ctx: web::Data<Context>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let purpose = Purpose::Invitation;
    let name = link_holder(&ctx, &token, purpose).await?;
    choose_page(&request, purpose, &token, &name, FieldErrors::default())
}

#[derive(Deserialize)]
struct ChooseForm {
    csrf_token: String,
    #[serde(default)]
    password: String,
}

/// The new password, or the same form again (422) with the problem beside the field.
async fn parse_password(
    request: &HttpRequest,
    ctx: &Context,
    purpose: Purpose,
    token: &str,
    form: &ChooseForm,
) -> Result<Result<Password, HttpResponse>, PageError> {
    verify_csrf(request, &form.csrf_token)?;
    let name = link_holder(ctx, token, purpose).await?;
    let mut errors = FieldErrors::default();
    match errors.check("password", Password::parse(&form.password)) {
        Some(password) => Ok(Ok(password)),
        None => Ok(Err(choose_page(request, purpose, token, &name, errors)?)),
    }
}

#[post("/password/reset/{token}")]
async fn reset(
    request: HttpRequest,
    ctx: web::Data<Context>,
    token: web::Path<String>,
    form: web::Form<ChooseForm>,
) -> Result<HttpResponse, PageError> {
    let (token, purpose) = (token.into_inner(), Purpose::PasswordReset);
    let password = match parse_password(&request, &ctx, purpose, &token, &form).await? {
        Ok(password) => password,
        Err(refused) => return Ok(refused),
    };
    let (ip, user_agent) = crate::web::client::client_info(&request);
    let clock = ctx.clock.clone();
    let done = ctx
        .db
        .run(move |conn| {
            account_links::reset_with_link(
                conn,
                &clock,
                &token,
                password,
                ip.as_deref(),
                user_agent.as_deref(),
            )
        })
        .await?;
    if !done {
        return Err(link_dead(purpose));
    }
    Ok(redirect_with_notice(
        &ctx,
        "/login",
        "Your password is changed and every session of your account is logged out. Log in with the new password.",
    ))
}

#[post("/welcome/{token}")]
async fn welcome(
    request: HttpRequest,
    ctx: web::Data<Context>,
    token: web::Path<String>,
    form: web::Form<ChooseForm>,
) -> Result<HttpResponse, PageError> {
    let (token, purpose) = (token.into_inner(), Purpose::Invitation);
    let password = match parse_password(&request, &ctx, purpose, &token, &form).await? {
        Ok(password) => password,
        Err(refused) => return Ok(refused),
    };
    let (ip, user_agent) = crate::web::client::client_info(&request);
    let context = ctx.clone();
    let step = ctx
        .db
        .run(move |conn| {
            account_links::accept_invitation(
                conn,
                &context.clock,
                &context.settings.security,
                &token,
                password,
                ip.as_deref(),
                user_agent.as_deref(),
            )
        })
        .await?;
    match step {
        Some(step) => Ok(super::second_step::continue_login(&ctx, step, "/app")),
        None => Err(link_dead(purpose)),
    }
}
