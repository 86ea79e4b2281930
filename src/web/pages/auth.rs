//! Logging in and out, and the one-time setup link that creates the first admin.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::field_errors::FieldErrors;
use super::{CsrfForm, render};
use crate::app::accounts::NewAccount;
use crate::app::rate_limits::LoginAttempt;
use crate::app::sessions::{self, LoginError};
use crate::app::{AppError, Context};
use crate::domain::{Password, PersonName, Role};
use crate::web::session::{
    self, SESSION_COOKIE, csrf_token, html_page, redirect_with_notice, safe_next, take_notice,
    verify_csrf,
};
use crate::web::{PageError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(login_page)
        .service(login)
        .service(logout)
        .service(setup_page)
        .service(setup);
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    next: String,
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

#[get("/login")]
async fn login_page(
    request: HttpRequest,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let page = LoginPage {
        csrf: csrf_token(&request),
        next: safe_next(query.next.as_deref()),
        email: String::new(),
        error: None,
        notice: take_notice(&request),
    };
    Ok(html_page(&request, render(page)?))
}

#[derive(Deserialize)]
struct LoginForm {
    csrf_token: String,
    email: String,
    password: String,
    next: Option<String>,
}

#[post("/login")]
async fn login(
    request: HttpRequest,
    ctx: web::Data<Context>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let form = form.into_inner();
    let (ip, user_agent) = crate::web::client::client_info(&request);
    let attempt = LoginAttempt::new(
        &ctx.settings.security,
        ip.as_deref().unwrap_or_default(),
        &form.email,
    );
    let (check, clock) = (attempt.clone(), ctx.clock.clone());
    if ctx
        .db
        .run(move |conn| check.is_blocked(conn, &clock))
        .await?
    {
        return Err(PageError(WebError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many failed logins. Please wait 15 minutes and try again.",
        )));
    }
    let context = ctx.clone();
    let (email, password) = (form.email.clone(), form.password);
    let result = ctx
        .db
        .run(move |conn| {
            crate::app::login::login(
                conn,
                &context.clock,
                &context.settings.security,
                &email,
                &password,
                ip.as_deref(),
                user_agent.as_deref(),
            )
        })
        .await;
    match result {
        Ok(step) => {
            ctx.db.run(move |conn| attempt.succeeded(conn)).await?;
            Ok(super::second_step::continue_login(
                &ctx,
                step,
                &safe_next(form.next.as_deref()),
            ))
        }
        Err(LoginError::BadCredentials) => {
            let clock = ctx.clock.clone();
            ctx.db.run(move |conn| attempt.failed(conn, &clock)).await?;
            let page = LoginPage {
                csrf: csrf_token(&request),
                next: safe_next(form.next.as_deref()),
                email: form.email,
                error: Some("The email address or the password is not right.".into()),
                notice: None,
            };
            let mut response = html_page(&request, render(page)?);
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            Ok(response)
        }
        Err(LoginError::Storage(error)) => Err(error.into()),
    }
}

#[post("/logout")]
async fn logout(
    request: HttpRequest,
    ctx: web::Data<Context>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    if let Some(token) = request
        .cookie(SESSION_COOKIE)
        .map(|c| c.value().to_string())
    {
        let context = ctx.clone();
        ctx.db
            .run(move |conn| sessions::logout(conn, &context.clock, &token))
            .await?;
    }
    let mut response = redirect_with_notice(&ctx, "/login", "You are logged out.");
    response
        .add_removal_cookie(&session::removal(&ctx, SESSION_COOKIE))
        .map_err(WebError::internal)?;
    Ok(response)
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    csrf: String,
    token: String,
    name: String,
    email: String,
    /// The refused fields, each shown beside its input.
    errors: FieldErrors,
}

fn setup_link_dead() -> PageError {
    PageError(WebError::new(
        StatusCode::NOT_FOUND,
        "This setup link is no longer valid. Restart `undersigned serve` to get a new one while no account exists, or ask an admin to create your account.",
    ))
}

#[get("/setup/{token}")]
async fn setup_page(
    request: HttpRequest,
    ctx: web::Data<Context>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let (context, check) = (ctx.clone(), token.clone());
    if !ctx
        .db
        .run(move |conn| sessions::setup_token_usable(conn, &context.clock, &check))
        .await?
    {
        return Err(setup_link_dead());
    }
    let page = SetupPage {
        csrf: csrf_token(&request),
        token,
        name: String::new(),
        email: String::new(),
        errors: FieldErrors::default(),
    };
    Ok(html_page(&request, render(page)?))
}

#[derive(Deserialize)]
struct SetupForm {
    csrf_token: String,
    name: String,
    email: String,
    password: String,
}

#[post("/setup/{token}")]
async fn setup(
    request: HttpRequest,
    ctx: web::Data<Context>,
    token: web::Path<String>,
    form: web::Form<SetupForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let token = token.into_inner();
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let name = errors.check("name", PersonName::parse(&form.name));
    let email = errors.check("email", ctx.parse_email(&form.email));
    let password = errors.check("password", Password::parse(&form.password));
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        // Everything typed comes back but the password.
        let page = SetupPage {
            csrf: csrf_token(&request),
            token,
            name: form.name,
            email: form.email,
            errors,
        };
        let mut response = html_page(&request, render(page)?);
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    };
    let account = NewAccount {
        email,
        name,
        password,
        role: Role::Admin,
    };
    let context = ctx.clone();
    match ctx
        .db
        .run(move |conn| sessions::complete_setup(conn, &context.clock, &token, account))
        .await
    {
        Ok(()) => Ok(redirect_with_notice(
            &ctx,
            "/login",
            "Your admin account is ready. Log in to start your first letter.",
        )),
        Err(AppError::NotFound(_)) => Err(setup_link_dead()),
        Err(other) => Err(other.into()),
    }
}
