//! Withdrawing a signature, asked again (`POST /sign/withdraw`, from the sign page's plain
//! button): a page that says what the
//! withdrawal does and holds the form that really sends it to `POST /sign`. Nothing is
//! recorded until that form is sent.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use askama::Template;
use serde::Deserialize;

use super::languages::{browser_languages, sign_localizer};
use super::link::cookie_invitation;
use super::page::{Typed, chosen_interface, localized_errors};
use crate::app::Context;
use crate::app::signing::{self, SignPage};
use crate::crypto::random_token;
use crate::domain::{Decision, LetterStatus};
use crate::i18n::Localizer;
use crate::web::pages::field_errors::FieldErrors;
use crate::web::session::{csrf_token, html_page, redirect, verify_csrf};
use crate::web::{PageError, WebError};

#[derive(Template)]
#[template(path = "sign_withdraw.html")]
struct WithdrawTemplate {
    l: Localizer,
    page: SignPage,
    csrf: String,
    submission_key: String,
    signer_name: String,
    signer_title: String,
    organization_display_name: String,
    comment: String,
    errors: FieldErrors,
}

impl WithdrawTemplate {
    fn released(&self) -> bool {
        self.page.view.status() == LetterStatus::Released
    }
}

#[derive(Deserialize)]
struct AskForm {
    #[serde(default)]
    csrf_token: String,
    /// The language of the words of the page the partner asked from.
    #[serde(default)]
    interface: String,
}

/// The confirmation page (records nothing); back to the sign page when there is no signature
/// to withdraw.
#[post("/sign/withdraw")]
pub(super) async fn confirm_withdrawal(
    request: HttpRequest,
    ctx: web::Data<Context>,
    form: web::Form<AskForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let typed = Typed {
        interface: Some(form.interface.clone()).filter(|i| !i.is_empty()),
        ..Typed::default()
    };
    render_withdrawal(&request, &ctx, typed).await
}

/// The confirmation page with what was typed and each refused field's reason beside it (422
/// when `typed` has refused fields, else 200).
pub(super) async fn render_withdrawal(
    request: &HttpRequest,
    ctx: &Context,
    typed: Typed,
) -> Result<HttpResponse, PageError> {
    let invitation = cookie_invitation(request, ctx).await?;
    let context = ctx.clone();
    let page = ctx
        .db
        .run(move |conn| signing::sign_page(conn, &context.clock, invitation, None, &[]))
        .await?;
    if !page.choices.contains(&Decision::Withdraw) {
        return Ok(redirect("/sign"));
    }
    let latest = page.history.first();
    let refused = !typed.errors.is_empty();
    let chosen = chosen_interface(request, typed.interface.as_deref());
    let l = sign_localizer(
        chosen.as_ref(),
        page.invitation.language.as_deref(),
        &browser_languages(request),
        &page.view.letter.language,
    );
    let errors = localized_errors(&l, typed.errors);
    let template = WithdrawTemplate {
        l,
        csrf: csrf_token(request),
        submission_key: random_token(),
        signer_name: typed
            .signer_name
            .unwrap_or_else(|| latest.map(|r| r.signer_name.clone()).unwrap_or_default()),
        signer_title: typed
            .signer_title
            .unwrap_or_else(|| latest.map(|r| r.signer_title.clone()).unwrap_or_default()),
        organization_display_name: typed
            .organization_display_name
            .unwrap_or_else(|| page.invitation.display_name.clone()),
        comment: typed.comment.unwrap_or_default(),
        errors,
        page,
    };
    let mut response = html_page(request, template.render().map_err(WebError::internal)?);
    if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}
