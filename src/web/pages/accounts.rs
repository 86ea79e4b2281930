//! Accounts: admins invite their colleagues (a one-time link by email to choose a password),
//! send an invitation again, change roles and disable accounts. Everyone's own account (password,
//! API tokens, second factor) is in `own_account`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::field_errors::FieldErrors;
use super::{Chrome, CsrfForm, render};
use crate::app::Context;
use crate::app::account_links::{self, Invitee};
use crate::app::accounts::{self, AccountError};
use crate::db::users::User;
use crate::domain::{InvalidInput, PersonName, Role};
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};
use crate::web::{IntoWebError, PageError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(accounts_page)
        .service(create_account)
        .service(set_disabled)
        .service(resend_invitation)
        .service(set_role)
        .service(reset_second_factor);
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
            AccountError::LastAdmin => WebError::new(
                StatusCode::CONFLICT,
                "This is the last admin: make another account admin first.",
            ),
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
    /// The "invite a colleague" form, empty or as typed when refused.
    form: NewAccountForm,
    errors: FieldErrors,
}

impl AccountsPage {
    fn role_is(&self, role: &str) -> bool {
        self.form.role == role
    }
}

/// The accounts page with the "invite a colleague" form as given, and the given status.
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
    role: String,
}

/// Invites a colleague: a pending account and an email with a one-time link (72 hours) to
/// choose a password. Refusals answer 422 with the form as typed.
#[post("/accounts")]
async fn create_account(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    form: web::Form<NewAccountForm>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    verify_csrf(&request, &form.csrf_token)?;
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let name = errors.check("name", PersonName::parse(&form.name));
    let email = errors.check("email", ctx.parse_email(&form.email));
    let role = errors.check("role", Role::parse(&form.role));
    let (Some(name), Some(email), Some(role)) = (name, email, role) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return accounts_again(&request, &user, &ctx, form, errors, status).await;
    };
    let invitee = Invitee { email, name, role };
    let (context, actor) = (ctx.clone(), user.actor(&request));
    let invited = ctx
        .db
        .run(move |conn| {
            account_links::invite(
                conn,
                &context.clock,
                &context.secrets,
                &context.base_url,
                &actor,
                invitee,
            )
        })
        .await;
    let invited = match invited {
        Ok(invited) => invited,
        Err(AccountError::EmailTaken) => {
            errors.add("email", InvalidInput(AccountError::EmailTaken.to_string()));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return accounts_again(&request, &user, &ctx, form, errors, status).await;
        }
        Err(other) => return Err(other.into()),
    };
    ctx.mail_queued();
    tracing::info!(by = %user.0.user_id, account = %invited.id, role = %invited.role, "colleague invited");
    Ok(redirect_with_notice(
        &ctx,
        "/app/accounts",
        &format!(
            "{} is invited: an email with a link to choose a password is on its way (it works for 72 hours).",
            invited.email
        ),
    ))
}

/// Sends a pending account's invitation again; the previous link stops working.
#[post("/accounts/{id}/invitation")]
async fn resend_invitation(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    verify_csrf(&request, &form.csrf_token)?;
    let (context, actor, id) = (ctx.clone(), user.actor(&request), id.into_inner());
    let email = ctx
        .db
        .run(move |conn| {
            account_links::resend_invitation(
                conn,
                &context.clock,
                &context.secrets,
                &context.base_url,
                &actor,
                &id,
            )
        })
        .await?;
    ctx.mail_queued();
    Ok(redirect_with_notice(
        &ctx,
        "/app/accounts",
        &format!("A new invitation is on its way to {email}; the previous link no longer works."),
    ))
}

#[derive(Deserialize)]
struct RoleForm {
    csrf_token: String,
    #[serde(default)]
    role: String,
}

/// Makes an account admin or coordinator; the last admin cannot be demoted.
#[post("/accounts/{id}/role")]
async fn set_role(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    verify_csrf(&request, &form.csrf_token)?;
    let role = Role::parse(&form.role).map_err(|e| {
        PageError(WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            e.to_string(),
        ))
    })?;
    let (context, actor, id) = (ctx.clone(), user.actor(&request), id.into_inner());
    ctx.db
        .run(move |conn| accounts::set_role(conn, &context.clock, &actor, &id, role))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        "/app/accounts",
        &format!("The account is now {role}."),
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

/// Turns off the second factor of a colleague who lost their phone and recovery codes.
#[post("/accounts/{id}/totp/reset")]
async fn reset_second_factor(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    verify_csrf(&request, &form.csrf_token)?;
    let (context, actor, id) = (ctx.clone(), user.actor(&request), id.into_inner());
    ctx.db
        .run(move |conn| {
            crate::app::second_factor::reset_by_admin(conn, &context.clock, &actor, &id)
        })
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        "/app/accounts",
        "The second factor is off; its recovery codes no longer work. They set it up again from their account page.",
    ))
}
