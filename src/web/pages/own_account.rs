//! Your own account: its password, its API tokens, and its second factor (TOTP: enrolment with
//! a secret shown as text, `otpauth://` URI and QR code, confirmation by a code, recovery codes
//! shown once, turning it off with a code or the password).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::field_errors::FieldErrors;
use super::{Chrome, CsrfForm, render, when, when_opt};
use crate::app::Context;
use crate::app::accounts::{self, TokenSummary};
use crate::app::second_factor::{self, Enrolment, Status};
use crate::domain::{InvalidInput, Password, Role, optional_text};
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(own_account)
        .service(change_password)
        .service(create_token)
        .service(revoke_token);
}

#[derive(Template)]
#[template(path = "app/account.html")]
pub(super) struct OwnAccountPage {
    chrome: Chrome,
    email: String,
    role: Role,
    tokens: Vec<TokenSummary>,
    new_token: Option<String>,
    /// The label typed into the token form when it was refused.
    token_label: String,
    token_errors: FieldErrors,
    /// The refused fields of the password form (passwords are never sent back).
    password_errors: FieldErrors,
    /// Where the second factor stands, and its secret while it is being set up.
    pub(super) totp: Status,
    pub(super) enrolment: Option<Enrolment>,
    pub(super) qr: String,
    /// The recovery codes, on the one page that shows them.
    pub(super) codes: Vec<String>,
    pub(super) totp_errors: FieldErrors,
}

impl OwnAccountPage {
    fn created(&self, token: &TokenSummary) -> String {
        when(&token.created_at)
    }
    fn used(&self, token: &TokenSummary) -> String {
        when_opt(&token.last_used_at)
    }
}

pub(super) async fn own_page(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    change: impl FnOnce(&mut OwnAccountPage),
) -> Result<HttpResponse, PageError> {
    let (user_id, secrets) = (user.0.user_id.clone(), ctx.secrets.clone());
    let (tokens, totp, enrolment) = ctx
        .db
        .run(move |conn| -> Result<_, crate::app::AppError> {
            let tokens = accounts::list_tokens(conn, &user_id).map_err(|e| match e {
                accounts::AccountError::Storage(e) => crate::app::AppError::Storage(e),
                other => crate::app::AppError::conflict(other.to_string()),
            })?;
            let totp = second_factor::status(conn, &user_id)?;
            let enrolment = match totp {
                Status::Enrolling => second_factor::enrolment(conn, &secrets, &user_id)?,
                _ => None,
            };
            Ok((tokens, totp, enrolment))
        })
        .await?;
    let mut page = OwnAccountPage {
        chrome: Chrome::new(request, user),
        email: user.0.email.clone(),
        role: user.0.role,
        tokens,
        new_token: None,
        token_label: String::new(),
        token_errors: FieldErrors::default(),
        password_errors: FieldErrors::default(),
        totp,
        qr: enrolment
            .as_ref()
            .map(|e| super::second_step::qr_svg(&e.uri))
            .unwrap_or_default(),
        enrolment,
        codes: Vec::new(),
        totp_errors: FieldErrors::default(),
    };
    change(&mut page);
    let refused = !(page.token_errors.is_empty()
        && page.password_errors.is_empty()
        && page.totp_errors.is_empty());
    let mut response = html_page(request, render(page)?);
    if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

#[get("/account")]
async fn own_account(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
) -> Result<HttpResponse, PageError> {
    own_page(&request, &user, &ctx, |_| ()).await
}

#[derive(Deserialize)]
struct PasswordForm {
    csrf_token: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
}

#[post("/account/password")]
async fn change_password(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let Some(new) = errors.check("new", Password::parse(&form.new)) else {
        return own_page(&request, &user, &ctx, |page| page.password_errors = errors).await;
    };
    let (context, user_id, session_id) = (
        ctx.clone(),
        user.0.user_id.clone(),
        user.0.session_id.clone(),
    );
    let changed = ctx
        .db
        .run(move |conn| {
            accounts::change_password(
                conn,
                &context.clock,
                &user_id,
                &session_id,
                &form.current,
                new,
            )
        })
        .await?;
    if !changed {
        errors.add(
            "current",
            InvalidInput::new("The current password is not right; nothing was changed."),
        );
        return own_page(&request, &user, &ctx, |page| page.password_errors = errors).await;
    }
    Ok(redirect_with_notice(
        &ctx,
        "/app/account",
        "Your password is changed. Your other sessions were logged out.",
    ))
}

#[derive(Deserialize)]
struct TokenForm {
    csrf_token: String,
    #[serde(default)]
    label: String,
}

/// Shows the new token once, on the page answering the form.
#[post("/account/tokens")]
async fn create_token(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let Some(label) = errors.check("label", optional_text(Some(&form.label), "the label", 100))
    else {
        return own_page(&request, &user, &ctx, |page| {
            (page.token_label, page.token_errors) = (form.label, errors);
        })
        .await;
    };
    let label = label.unwrap_or_else(|| "API token".into());
    let email = ctx.parse_email(&user.0.email)?;
    let context = ctx.clone();
    let token = ctx
        .db
        .run(move |conn| accounts::issue_api_token(conn, &context.clock, &email, &label))
        .await?;
    own_page(&request, &user, &ctx, |page| page.new_token = Some(token)).await
}

#[post("/account/tokens/{id}/revoke")]
async fn revoke_token(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (context, user_id, token_id) = (ctx.clone(), user.0.user_id.clone(), id.into_inner());
    ctx.db
        .run(move |conn| accounts::revoke_token(conn, &context.clock, &user_id, &token_id))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        "/app/account",
        "The token is revoked.",
    ))
}
