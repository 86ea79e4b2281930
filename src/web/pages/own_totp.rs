//! The second factor on your own account page: start setting it up (a new secret), confirm it
//! with a code (then the recovery codes are shown once), turn it off with a code or the password.

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;

use super::CsrfForm;
use super::field_errors::FieldErrors;
use super::own_account::own_page;
use crate::app::Context;
use crate::app::audit::Who;
use crate::app::rate_limits::LoginAttempt;
use crate::app::second_factor;
use crate::domain::InvalidInput;
use crate::web::session::{CurrentUser, redirect_with_notice, verify_csrf};
use crate::web::{PageError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(start).service(confirm).service(disable);
}

#[post("/account/totp")]
pub(super) async fn start(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (secrets, user_id) = (ctx.secrets.clone(), user.0.user_id.clone());
    ctx.db
        .run(move |conn| second_factor::enrolment(conn, &secrets, &user_id))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        "/app/account#second-factor",
        "Add the key to your authenticator app, then type the code it shows.",
    ))
}

#[derive(Deserialize)]
pub(super) struct CodeForm {
    csrf_token: String,
    #[serde(default)]
    code: String,
}

/// Codes typed on the account page are counted like failed logins.
async fn limited(
    request: &HttpRequest,
    ctx: &Context,
    user: &CurrentUser,
) -> Result<LoginAttempt, PageError> {
    let (ip, _) = crate::web::client::client_info(request);
    let attempt = LoginAttempt::second_factor(
        &ctx.settings.security,
        ip.as_deref().unwrap_or_default(),
        &user.0.email,
    );
    let (check, clock) = (attempt.clone(), ctx.clock.clone());
    if ctx
        .db
        .run(move |conn| check.is_blocked(conn, &clock))
        .await?
    {
        return Err(PageError(WebError::new(
            actix_web::http::StatusCode::TOO_MANY_REQUESTS,
            "Too many wrong codes. Please wait 15 minutes and try again.",
        )));
    }
    Ok(attempt)
}

async fn refused(
    request: &HttpRequest,
    ctx: &Context,
    user: &CurrentUser,
    attempt: LoginAttempt,
    field: &'static str,
    message: &str,
) -> Result<HttpResponse, PageError> {
    let clock = ctx.clock.clone();
    ctx.db.run(move |conn| attempt.failed(conn, &clock)).await?;
    let mut errors = FieldErrors::default();
    errors.add(field, InvalidInput::new(message));
    own_page(request, user, ctx, |page| page.totp_errors = errors).await
}

#[post("/account/totp/confirm")]
pub(super) async fn confirm(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let attempt = limited(&request, &ctx, &user).await?;
    let (context, actor, code) = (ctx.clone(), user.actor(&request), form.into_inner().code);
    let codes = ctx
        .db
        .run(move |conn| {
            second_factor::confirm_enrolment(
                conn,
                &context.clock,
                &context.secrets,
                Who::Account(&actor),
                &actor.user_id,
                &code,
            )
        })
        .await?;
    match codes {
        Some(codes) => {
            ctx.db.run(move |conn| attempt.succeeded(conn)).await?;
            own_page(&request, &user, &ctx, |page| page.codes = codes).await
        }
        None => {
            let message = "This code is not right. Type the code your app shows now.";
            refused(&request, &ctx, &user, attempt, "totp-code", message).await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct DisableForm {
    csrf_token: String,
    #[serde(default)]
    proof: String,
}

#[post("/account/totp/disable")]
pub(super) async fn disable(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    form: web::Form<DisableForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    if ctx.settings.security.require_totp {
        return Err(PageError(WebError::new(
            actix_web::http::StatusCode::CONFLICT,
            "This installation requires a second factor for every account; it cannot be turned off.",
        )));
    }
    let attempt = limited(&request, &ctx, &user).await?;
    let (context, actor, proof) = (ctx.clone(), user.actor(&request), form.into_inner().proof);
    let done = ctx
        .db
        .run(move |conn| {
            second_factor::disable(conn, &context.clock, &context.secrets, &actor, &proof)
        })
        .await?;
    if !done {
        let message = "Neither a current code nor your password: the second factor stays on.";
        return refused(&request, &ctx, &user, attempt, "proof", message).await;
    }
    ctx.db.run(move |conn| attempt.succeeded(conn)).await?;
    Ok(redirect_with_notice(
        &ctx,
        "/app/account",
        "Your second factor is off; your recovery codes no longer work.",
    ))
}
