//! The partner's decision (`POST /sign`): sign, decline or withdraw for the organization,
//! bound to the text the page showed and recorded once however often the form is sent.

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;

use super::link::SignCookie;
use super::page::{Typed, answer_refusal, answer_with_problem};
use super::withdraw::render_withdrawal;
use super::{link_does_not_work, origin};
use crate::app::Context;
use crate::app::signing;
use crate::domain::{Decision, LanguageTag, Signer};
use crate::i18n::Localizer;
use crate::web::pages::field_errors::FieldErrors;
use crate::web::session::{redirect_with_notice, verify_csrf};
use crate::web::{PageError, WebError};

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    csrf_token: String,
    /// 43 characters (32 random bytes, base64url): one answer per form, however often sent.
    #[serde(default)]
    submission_key: String,
    /// The SHA-256 of the text the page showed, 64 hex digits.
    #[serde(default)]
    content_sha256: String,
    /// The language of the text the page showed (BCP 47): the letter's own, or a translation.
    #[serde(default)]
    language: String,
    /// The language the page's words were shown in (BCP 47), for the thank-you.
    #[serde(default)]
    interface: String,
    /// `sign`, `decline` or `withdraw`.
    #[serde(default)]
    decision: String,
    #[serde(default)]
    signer_name: String,
    #[serde(default)]
    signer_title: String,
    #[serde(default)]
    organization_display_name: String,
    #[serde(default)]
    comment: String,
}

/// Records the decision and redirects to the page with a thank-you notice; a refused answer
/// shows the page again with everything typed, each refused field's reason beside it (422) or
/// the reason the answer was refused above it (see `answer_refusal`); an incomplete form
/// answers 400.
#[post("/sign")]
pub(super) async fn decide(
    request: HttpRequest,
    ctx: web::Data<Context>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let cookie = SignCookie::of(&request, &ctx)?;
    let form = form.into_inner();
    let typed = || Typed {
        decision: Some(form.decision.clone()),
        signer_name: Some(form.signer_name.clone()),
        signer_title: Some(form.signer_title.clone()),
        organization_display_name: Some(form.organization_display_name.clone()),
        comment: Some(form.comment.clone()),
        interface: Some(form.interface.clone()).filter(|i| !i.is_empty()),
        ..Default::default()
    };
    let mut errors = FieldErrors::default();
    let decision = errors.check("decision", Decision::from_input(&form.decision));
    let signer = Signer::parse_fields(
        decision,
        &form.signer_name,
        &form.signer_title,
        &form.organization_display_name,
        &form.comment,
    )
    .map_err(|refused| {
        for e in refused {
            errors.add(e.field, crate::domain::InvalidInput(e.message));
        }
    })
    .ok();
    let (Some(decision), Some(signer)) = (decision, signer) else {
        let typed = Typed { errors, ..typed() };
        if decision == Some(Decision::Withdraw) {
            // Refused on the confirmation page: shown there again, still a withdrawal.
            return render_withdrawal(&request, &ctx, typed).await;
        }
        return answer_with_problem(&request, &ctx, None, typed).await;
    };
    if form.submission_key.len() != 43 || form.content_sha256.len() != 64 {
        return Err(PageError(WebError::bad_request(
            "The form is incomplete; reload the page.",
        )));
    }
    // Back to the page in the language it was read in.
    // …and in the words it was shown in.
    let back = match (
        LanguageTag::parse(&form.language),
        LanguageTag::parse(&form.interface),
    ) {
        (Ok(language), Ok(interface)) => format!("/sign?lang={language}&ui={interface}"),
        (Ok(language), Err(_)) => format!("/sign?lang={language}"),
        _ => "/sign".to_string(),
    };
    let form_interface = form.interface.clone();
    let (context, origin) = (ctx.clone(), origin(&request));
    // The cookie's invitation and the decision in one trip to the database.
    let result = ctx
        .db
        .run(move |conn| {
            let Some(invitation) = cookie.invitation(conn, &context.secrets)? else {
                return Ok(None);
            };
            signing::decide(
                conn,
                &context.clock,
                &context.links(),
                signing::LinkHolder::of(&invitation),
                signing::Answer {
                    decision,
                    signer: &signer,
                    submission_key: &form.submission_key,
                    read_sha256: &form.content_sha256,
                    read_language: Some(form.language.as_str()).filter(|l| !l.is_empty()),
                },
                &origin,
            )
            .map(Some)
        })
        .await;
    match result {
        Ok(None) => Err(link_does_not_work(&request)),
        Ok(Some(_)) => {
            ctx.mail_queued();
            // The thank-you in the language the page was shown in.
            let l = LanguageTag::parse(&form_interface)
                .ok()
                .and_then(|tag| Localizer::for_language(&tag))
                .unwrap_or_default();
            let notice = l.t(match decision {
                Decision::Sign => "answer-signed",
                Decision::Decline => "answer-declined",
                Decision::Withdraw => "answer-withdrawn",
            });
            Ok(redirect_with_notice(&ctx, &back, &notice))
        }
        Err(error) => answer_refusal(&request, &ctx, error, typed()).await,
    }
}
