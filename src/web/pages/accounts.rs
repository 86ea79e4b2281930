//! Accounts: admins manage the accounts of their colleagues; everyone manages their own password
//! and API tokens.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{Chrome, CsrfForm, render, when, when_opt};
use crate::app::Context;
use crate::app::accounts::{self, AccountError, NewAccount, TokenSummary};
use crate::app::audit::Who;
use crate::db::users::User;
use crate::domain::{InvalidInput, Password, PersonName, Role};
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};
use crate::web::{IntoWebError, PageError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(accounts_page)
        .service(create_account)
        .service(set_disabled)
        .service(own_account)
        .service(change_password)
        .service(create_token)
        .service(revoke_token);
}

impl IntoWebError for AccountError {
    fn into_web_error(self) -> WebError {
        match self {
            AccountError::EmailTaken => WebError::new(StatusCode::CONFLICT, self.to_string()),
            AccountError::UnknownAccount => WebError::new(StatusCode::NOT_FOUND, self.to_string()),
            AccountError::Hashing => WebError::internal(self),
            AccountError::AdminOnly => WebError::new(StatusCode::FORBIDDEN, self.to_string()),
            AccountError::OwnAccount => {
                WebError::new(StatusCode::CONFLICT, "You cannot disable your own account.")
            }
            AccountError::Storage(error) => error.into_web_error(),
        }
    }
}

#[derive(Template)]
#[template(path = "app/accounts.html")]
struct AccountsPage {
    chrome: Chrome,
    accounts: Vec<User>,
    own_id: String,
}

#[get("/accounts")]
async fn accounts_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    let accounts = ctx.db.run(accounts::list_accounts).await?;
    Ok(html_page(
        &request,
        render(AccountsPage {
            chrome: Chrome::new(&request, &user),
            accounts,
            own_id: user.0.user_id.clone(),
        })?,
    ))
}

#[derive(Deserialize)]
struct NewAccountForm {
    csrf_token: String,
    name: String,
    email: String,
    password: String,
    role: String,
}

#[post("/accounts")]
async fn create_account(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    form: web::Form<NewAccountForm>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    verify_csrf(&request, &form.csrf_token)?;
    let account = (|| -> Result<NewAccount, InvalidInput> {
        Ok(NewAccount {
            email: ctx.parse_email(&form.email)?,
            name: PersonName::parse(&form.name)?,
            password: Password::parse(&form.password)?,
            role: Role::parse(&form.role)?,
        })
    })()?;
    let (context, actor) = (ctx.clone(), user.actor(&request));
    let created = ctx
        .db
        .run(move |conn| {
            accounts::create_account(conn, &context.clock, Who::Account(&actor), account)
        })
        .await?;
    tracing::info!(by = %user.0.user_id, account = %created.id, role = %created.role, "account created");
    Ok(redirect_with_notice(
        &ctx,
        "/app/accounts",
        &format!(
            "The account of {} is ready. Give them their password in person or by phone.",
            created.email
        ),
    ))
}

#[derive(Deserialize)]
struct DisableForm {
    csrf_token: String,
    disabled: String,
}

#[post("/accounts/{id}/disabled")]
async fn set_disabled(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
    form: web::Form<DisableForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (id, disabled) = (id.into_inner(), form.disabled == "true");
    let (context, actor) = (ctx.clone(), user.actor(&request));
    ctx.db
        .run(move |conn| accounts::set_disabled(conn, &context.clock, &actor, &id, disabled))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        "/app/accounts",
        if disabled {
            "The account is disabled; its sessions and tokens stopped working."
        } else {
            "The account is enabled again."
        },
    ))
}

#[derive(Template)]
#[template(path = "app/account.html")]
struct OwnAccountPage {
    chrome: Chrome,
    email: String,
    role: Role,
    tokens: Vec<TokenSummary>,
    new_token: Option<String>,
}

impl OwnAccountPage {
    fn created(&self, token: &TokenSummary) -> String {
        when(&token.created_at)
    }
    fn used(&self, token: &TokenSummary) -> String {
        when_opt(&token.last_used_at)
    }
}

async fn own_page(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    new_token: Option<String>,
) -> Result<HttpResponse, PageError> {
    let user_id = user.0.user_id.clone();
    let tokens = ctx
        .db
        .run(move |conn| accounts::list_tokens(conn, &user_id))
        .await?;
    let page = OwnAccountPage {
        chrome: Chrome::new(request, user),
        email: user.0.email.clone(),
        role: user.0.role,
        tokens,
        new_token,
    };
    Ok(html_page(request, render(page)?))
}

#[get("/account")]
async fn own_account(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
) -> Result<HttpResponse, PageError> {
    own_page(&request, &user, &ctx, None).await
}

#[derive(Deserialize)]
struct PasswordForm {
    csrf_token: String,
    current: String,
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
    let new = Password::parse(&form.new)?;
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
        return Err(PageError(WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The current password is not right; nothing was changed.",
        )));
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
    let label = crate::domain::optional_text(Some(&form.label), "the label", 100)?
        .unwrap_or_else(|| "API token".into());
    let email = ctx.parse_email(&user.0.email)?;
    let context = ctx.clone();
    let token = ctx
        .db
        .run(move |conn| accounts::issue_api_token(conn, &context.clock, &email, &label))
        .await?;
    own_page(&request, &user, &ctx, Some(token)).await
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
