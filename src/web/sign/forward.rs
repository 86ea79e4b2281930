//! Handing the request to a colleague (`POST /sign/forward`): first the address is shown back
//! for confirmation (nothing moves); the confirmed form (`confirmed=yes`) gives the colleague a
//! link of their own by email and removes this browser's sign cookie, since its link no longer
//! works.

use actix_web::{HttpRequest, HttpResponse, post, web};
use askama::Template;
use serde::Deserialize;

use super::forwarded::ForwardedTemplate;
use super::languages::browser_languages;
use super::link::cookie_invitation;
use super::page::{Typed, answer_refusal, answer_with_problem, chosen_interface, render_page};
use super::{SIGN_COOKIE, origin};
use crate::app::Context;
use crate::app::signing;
use crate::domain::LanguageTag;
use crate::domain::{PersonName, optional_text};
use crate::i18n::Localizer;
use crate::web::pages::field_errors::FieldErrors;
use crate::web::session::{html_page, removal, verify_csrf};
use crate::web::{PageError, WebError};

#[derive(Deserialize)]
struct ForwardForm {
    csrf_token: String,
    colleague_email: String,
    #[serde(default)]
    colleague_name: String,
    /// `yes` on the confirmation page's form: only then does the link move.
    #[serde(default)]
    confirmed: String,
    /// `yes` when the partner goes back to change the address.
    #[serde(default)]
    edit: String,
    /// The language of the words of the page the form was sent from.
    #[serde(default)]
    interface: String,
}

#[derive(Template)]
#[template(path = "sign_forward_confirm.html")]
struct ConfirmTemplate {
    l: Localizer,
    csrf: String,
    colleague_email: String,
    colleague_name: String,
    organization: String,
}

/// Forwards the invitation and shows to whom; a refused forward shows the sign page again with
/// what was typed, each refused field's reason beside it (see `answer_refusal`).
#[post("/sign/forward")]
pub(super) async fn forward(
    request: HttpRequest,
    ctx: web::Data<Context>,
    form: web::Form<ForwardForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let invitation = cookie_invitation(&request, &ctx).await?;
    let form = form.into_inner();
    let typed = || Typed {
        colleague_email: Some(form.colleague_email.clone()),
        colleague_name: Some(form.colleague_name.clone()),
        interface: Some(form.interface.clone()).filter(|i| !i.is_empty()),
        ..Default::default()
    };
    let mut errors = FieldErrors::default();
    let email = errors.check("colleague_email", ctx.parse_email(&form.colleague_email));
    let name = errors.check(
        "colleague_name",
        optional_text(Some(&form.colleague_name), "your colleague's name", 200)
            .and_then(|name| name.map(|n| PersonName::parse(&n)).transpose()),
    );
    if form.edit == "yes" {
        let typed = Typed { errors, ..typed() };
        return render_page(&request, &ctx, None, typed).await;
    }
    let (Some(email), Some(name)) = (email, name) else {
        let typed = Typed { errors, ..typed() };
        return answer_with_problem(&request, &ctx, None, typed).await;
    };
    let chosen = chosen_interface(&request, Some(form.interface.as_str()));
    let l = Localizer::choose(
        chosen
            .iter()
            .chain(
                invitation
                    .language
                    .as_deref()
                    .map(LanguageTag::from_stored)
                    .iter(),
            )
            .chain(&browser_languages(&request)),
    );
    if form.confirmed != "yes" {
        let page = ConfirmTemplate {
            l: l.clone(),
            csrf: form.csrf_token.clone(),
            colleague_email: email.to_string(),
            colleague_name: name
                .as_ref()
                .map(|n| n.as_str().to_string())
                .unwrap_or_default(),
            organization: invitation.display_name.clone(),
        };
        return Ok(html_page(
            &request,
            page.render().map_err(WebError::internal)?,
        ));
    }
    let (context, origin, shown) = (ctx.clone(), origin(&request), email.to_string());
    let result = ctx
        .db
        .run(move |conn| {
            signing::forward(
                conn,
                &context.clock,
                &context.links(),
                signing::LinkHolder::of(&invitation),
                &email,
                name.as_ref(),
                &origin,
            )
        })
        .await;
    match result {
        Ok(_) => {
            ctx.mail_queued();
            let page = ForwardedTemplate {
                l,
                colleague: shown,
                on: None,
                contact: None,
            };
            let mut response = html_page(&request, page.render().map_err(WebError::internal)?);
            let mut gone = removal(&ctx, SIGN_COOKIE);
            gone.set_path("/sign");
            response
                .add_removal_cookie(&gone)
                .map_err(WebError::internal)?;
            Ok(response)
        }
        Err(error) => answer_refusal(&request, &ctx, error, typed()).await,
    }
}
