//! Accounts: admins manage the accounts of their colleagues; everyone manages their own password
//! and API tokens.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::field_errors::FieldErrors;
use super::{Chrome, CsrfForm, render, when, when_opt};
use crate::app::Context;
use crate::app::accounts::{self, AccountError, NewAccount, TokenSummary};
use crate::app::audit::Who;
use crate::db::users::User;
use crate::domain::{InvalidInput, Password, PersonName, Role, optional_text};
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
    /// The "add an account" form, empty or as typed when refused (never its password).
    form: NewAccountForm,
    errors: FieldErrors,
}

impl AccountsPage {
    fn role_is(&self, role: &str) -> bool {
        self.form.role == role
    }
}

/// The accounts page with the "add an account" form as given, and the given status.
async fn accounts_again(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    form: NewAccountForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let accounts = ctx.db.run(accounts::list_accounts).await?;
    let mut response = html_page(
        request,
        render(AccountsPage {
            chrome: Chrome::new(request, user),
            accounts,
            own_id: user.0.user_id.clone(),
            form,
            errors,
        })?,
    );
    *response.status_mut() = status;
    Ok(response)
}

#[get("/accounts")]
async fn accounts_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    let form = NewAccountForm {
        role: Role::Coordinator.to_string(),
        ..Default::default()
    };
    accounts_again(
        &request,
        &user,
        &ctx,
        form,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
struct NewAccountForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
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
    let mut form = form.into_inner();
    let mut errors = FieldErrors::default();
    let name = errors.check("name", PersonName::parse(&form.name));
    let email = errors.check("email", ctx.parse_email(&form.email));
    let password = errors.check("password", Password::parse(&form.password));
    let role = errors.check("role", Role::parse(&form.role));
    // The password is never sent back into a page.
    form.password.clear();
    let (Some(name), Some(email), Some(password), Some(role)) = (name, email, password, role)
    else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return accounts_again(&request, &user, &ctx, form, errors, status).await;
    };
    let account = NewAccount {
        email,
        name,
        password,
        role,
    };
    let (context, actor) = (ctx.clone(), user.actor(&request));
    let created = ctx
        .db
        .run(move |conn| {
            accounts::create_account(conn, &context.clock, Who::Account(&actor), account)
        })
        .await;
    let created = match created {
        Ok(created) => created,
        Err(AccountError::EmailTaken) => {
            errors.add("email", InvalidInput(AccountError::EmailTaken.to_string()));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return accounts_again(&request, &user, &ctx, form, errors, status).await;
        }
        Err(other) => return Err(other.into()),
    };
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
    /// The label typed into the token form when it was refused.
    token_label: String,
    token_errors: FieldErrors,
    /// The refused fields of the password form (passwords are never sent back).
    password_errors: FieldErrors,
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
    change: impl FnOnce(&mut OwnAccountPage),
) -> Result<HttpResponse, PageError> {
    let user_id = user.0.user_id.clone();
    let tokens = ctx
        .db
        .run(move |conn| accounts::list_tokens(conn, &user_id))
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
    };
    change(&mut page);
    let refused = !(page.token_errors.is_empty() && page.password_errors.is_empty());
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
