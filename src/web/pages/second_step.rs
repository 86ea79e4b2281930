//! The second step of a login: after the password, an account with a second factor gives a
//! code from its authenticator app (or a recovery code); when `security.require_totp` is on, an
//! account without one sets it up here first. No session exists until this step is done: the
//! pending login lives in the database, named by a short-lived cookie.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::field_errors::FieldErrors;
use super::render;
use crate::app::login::LoginStep;
use crate::app::login_challenge::{self, Completed, PendingLogin};
use crate::app::rate_limits::LoginAttempt;
use crate::app::second_factor::{self, Enrolment};
use crate::app::{AppError, Context};
use crate::domain::InvalidInput;
use crate::web::session::{
    self, SESSION_COOKIE, csrf_token, html_page, redirect_with_notice, safe_next, verify_csrf,
};
use crate::web::{PageError, WebError};

/// The cookie of a pending login (its token's SHA-256 is stored).
pub const LOGIN_COOKIE: &str = "us_login";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(code_page)
        .service(submit_code)
        .service(enrol_page)
        .service(submit_enrolment);
}

/// Where a proven password leads: into the app with a session cookie, or to the second step
/// with the cookie of the pending login.
pub fn continue_login(ctx: &Context, step: LoginStep, next: &str) -> HttpResponse {
    match step {
        LoginStep::Session { token, user } => {
            tracing::info!(user = %user.user_id, "logged in");
            HttpResponse::SeeOther()
                .insert_header(("Location", next.to_string()))
                .cookie(session::cookie(ctx, SESSION_COOKIE, token))
                .finish()
        }
        LoginStep::SecondFactor { token, enrol } => {
            let page = if enrol { "/login/enrol" } else { "/login/code" };
            let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
            HttpResponse::SeeOther()
                .insert_header(("Location", format!("{page}?next={next}")))
                .cookie(session::cookie(ctx, LOGIN_COOKIE, token))
                .finish()
        }
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "login_code.html")]
struct CodePage {
    csrf: String,
    next: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "login_enrol.html")]
struct EnrolPage {
    csrf: String,
    next: String,
    enrolment: Enrolment,
    qr: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct RecoveryCodesPage {
    codes: Vec<String>,
    next: String,
}

/// The enrolment QR code of an `otpauth://` URI, as inline SVG (empty if it cannot be made).
pub fn qr_svg(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(180, 180)
                .build();
            svg.find("<svg")
                .map(|at| svg[at..].to_string())
                .unwrap_or_default()
        }
        Err(_) => String::new(),
    }
}

fn expired(ctx: &Context) -> HttpResponse {
    redirect_with_notice(
        ctx,
        "/login",
        "Your login has expired. Please log in again.",
    )
}

/// The pending login of this browser, if any.
async fn pending(request: &HttpRequest, ctx: &Context) -> Result<Option<PendingLogin>, PageError> {
    let Some(token) = request.cookie(LOGIN_COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    let clock = ctx.clock.clone();
    Ok(ctx
        .db
        .run(move |conn| login_challenge::pending_login(conn, &clock, &token))
        .await?)
}

async fn enrol_again(
    request: &HttpRequest,
    ctx: &Context,
    pending: &PendingLogin,
    next: String,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let (secrets, user_id) = (ctx.secrets.clone(), pending.user_id.clone());
    let Some(enrolment) = ctx
        .db
        .run(move |conn| second_factor::enrolment(conn, &secrets, &user_id))
        .await?
    else {
        return Ok(expired(ctx));
    };
    let refused = !errors.is_empty();
    let page = EnrolPage {
        csrf: csrf_token(request),
        next,
        qr: qr_svg(&enrolment.uri),
        enrolment,
        errors,
    };
    let mut response = html_page(request, render(page)?);
    if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

#[get("/login/code")]
async fn code_page(
    request: HttpRequest,
    ctx: web::Data<Context>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    match pending(&request, &ctx).await? {
        Some(p) if !p.enrol => {}
        _ => return Ok(expired(&ctx)),
    }
    let page = CodePage {
        csrf: csrf_token(&request),
        next: safe_next(query.next.as_deref()),
        errors: FieldErrors::default(),
    };
    Ok(html_page(&request, render(page)?))
}

#[get("/login/enrol")]
async fn enrol_page(
    request: HttpRequest,
    ctx: web::Data<Context>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let pending = match pending(&request, &ctx).await? {
        Some(p) if p.enrol => p,
        _ => return Ok(expired(&ctx)),
    };
    let next = safe_next(query.next.as_deref());
    enrol_again(&request, &ctx, &pending, next, FieldErrors::default()).await
}

#[derive(Deserialize)]
struct CodeForm {
    csrf_token: String,
    #[serde(default)]
    code: String,
    next: Option<String>,
}

/// Checks the code of a pending login, rate-limited like failed logins (per client address and
/// per account); a right one opens the session.
async fn prove(
    request: &HttpRequest,
    ctx: &Context,
    form: CodeForm,
    enrol: bool,
) -> Result<HttpResponse, PageError> {
    verify_csrf(request, &form.csrf_token)?;
    let next = safe_next(form.next.as_deref());
    let pending = match pending(request, ctx).await? {
        Some(p) if p.enrol == enrol => p,
        _ => return Ok(expired(ctx)),
    };
    let (ip, _) = crate::web::client::client_info(request);
    let attempt = LoginAttempt::second_factor(
        &ctx.settings.security,
        ip.as_deref().unwrap_or_default(),
        &pending.email,
    );
    let (check, clock) = (attempt.clone(), ctx.clock.clone());
    if ctx
        .db
        .run(move |conn| check.is_blocked(conn, &clock))
        .await?
    {
        return Err(PageError(WebError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many wrong codes. Please wait 15 minutes and try again.",
        )));
    }
    let (context, held) = (ctx.clone(), pending.clone());
    let outcome = ctx
        .db
        .run(move |conn| {
            login_challenge::complete(
                conn,
                &context.clock,
                &context.settings.security,
                &context.secrets,
                &held,
                &form.code,
            )
        })
        .await;
    match outcome {
        Ok(Completed::Session {
            token,
            recovery_codes,
            ..
        }) => {
            ctx.db.run(move |conn| attempt.succeeded(conn)).await?;
            let mut response = if recovery_codes.is_empty() {
                HttpResponse::SeeOther()
                    .insert_header(("Location", next))
                    .finish()
            } else {
                let page = RecoveryCodesPage {
                    codes: recovery_codes,
                    next,
                };
                html_page(request, render(page)?)
            };
            response
                .add_cookie(&session::cookie(ctx, SESSION_COOKIE, token))
                .map_err(WebError::internal)?;
            response
                .add_removal_cookie(&session::removal(ctx, LOGIN_COOKIE))
                .map_err(WebError::internal)?;
            Ok(response)
        }
        Ok(Completed::WrongCode) => {
            let clock = ctx.clock.clone();
            ctx.db.run(move |conn| attempt.failed(conn, &clock)).await?;
            let mut errors = FieldErrors::default();
            errors.add(
                "code",
                InvalidInput::new("This code is not right. Type the code your app shows now."),
            );
            if enrol {
                return enrol_again(request, ctx, &pending, next, errors).await;
            }
            let page = CodePage {
                csrf: csrf_token(request),
                next,
                errors,
            };
            let mut response = html_page(request, render(page)?);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(AppError::NotFound(_)) => Ok(expired(ctx)),
        Err(other) => Err(other.into()),
    }
}

#[post("/login/code")]
async fn submit_code(
    request: HttpRequest,
    ctx: web::Data<Context>,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, PageError> {
    prove(&request, &ctx, form.into_inner(), false).await
}

#[post("/login/enrol")]
async fn submit_enrolment(
    request: HttpRequest,
    ctx: web::Data<Context>,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, PageError> {
    prove(&request, &ctx, form.into_inner(), true).await
}
