//! Sending a reviewed batch: the review page's form comes back with the batch it carries (read
//! again, as untrusted as any input) and the personal message. "Update the preview" shows the
//! review page again; "Send" queues every invitation or, when a row no longer passes (an
//! organization invited meanwhile), nothing, and shows the review page with each reason.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use serde_json::Value;

use super::LineProblem;
use super::review::{
    MAX_BATCH, ReviewPage, capitalized, closed, plan_and_preview, review_response,
};
use crate::app::invitations::{self, BadRows, Batch};
use crate::app::{AppError, Context};
use crate::domain::{LetterId, PersonalMessage};
use crate::web::invitee_json::parse_invitee;
use crate::web::session::{CurrentUser, redirect_with_notice, verify_csrf};
use crate::web::{PageError, WebError};

#[derive(Deserialize)]
struct SendForm {
    csrf_token: String,
    batch: String,
    #[serde(default)]
    message: String,
    /// The language for every invitation of the batch (BCP 47); empty for the letter's own.
    #[serde(default)]
    language: String,
    /// "preview" to show the email again with the message; "send" to queue the batch.
    action: String,
}

#[post("/letters/{id}/invite/send")]
pub(super) async fn review_or_send(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    form: web::Form<SendForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (letter_id, form) = (id.into_inner(), form.into_inner());
    let items: Vec<Value> = serde_json::from_str(&form.batch)
        .ok()
        .filter(|items: &Vec<Value>| !items.is_empty() && items.len() <= MAX_BATCH)
        .ok_or_else(|| {
            PageError(WebError::bad_request(
                "The list to send did not arrive whole; choose the organizations again.",
            ))
        })?;
    let items = with_language(items, &form.language);
    let invitees = || items.iter().map(|item| parse_invitee(&ctx, item)).collect();
    let message = PersonalMessage::parse_optional(&form.message);
    let send = form.action == "send";
    if let (true, Ok(message)) = (send, &message) {
        let batch = Batch {
            invitees: invitees(),
            message: message.clone(),
            bad_rows: BadRows::SendNothing,
            max_invitations: ctx.settings.letters.max_invitations,
        };
        let (context, actor, lookup) = (ctx.clone(), user.actor(&request), letter_id.clone());
        let sent = ctx
            .db
            .run(move |conn| {
                invitations::invite(
                    conn,
                    &context.clock,
                    &context.links(),
                    &actor,
                    &lookup,
                    batch,
                )
            })
            .await;
        match sent {
            Ok(outcome) if outcome.rejected.is_empty() => {
                ctx.mail_queued();
                let count = outcome.created.len();
                return Ok(redirect_with_notice(
                    &ctx,
                    &format!("/app/letters/{letter_id}"),
                    &format!(
                        "{} queued: each organization is emailed its own sign link now.",
                        match count {
                            1 => "1 invitation is".to_string(),
                            n => format!("{n} invitations are"),
                        }
                    ),
                ));
            }
            Ok(outcome) => {
                return show_send_problems(
                    &request,
                    &user,
                    &ctx,
                    letter_id,
                    &items,
                    outcome.rejected,
                    (&form.message, message.clone()),
                )
                .await;
            }
            Err(AppError::Conflict(reason)) => {
                return closed(&request, &user, &ctx, letter_id, reason).await;
            }
            Err(other) => return Err(other.into()),
        }
    }
    let (message, message_error) = match message {
        Ok(message) => (message, None),
        Err(problem) => (None, Some(capitalized(&problem.0))),
    };
    let planned = plan_and_preview(&ctx, letter_id.clone(), invitees(), message).await;
    let (plan, preview) = match planned {
        Ok(planned) => planned,
        Err(AppError::Conflict(reason)) => {
            return closed(&request, &user, &ctx, letter_id, reason).await;
        }
        Err(other) => return Err(other.into()),
    };
    let refused = message_error.is_some();
    let page = ReviewPage {
        message: form.message,
        message_error,
        ..ReviewPage::new(&request, &user, plan, preview)
    };
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    review_response(&request, page, status)
}

/// The batch's items with the language chosen for all of them (none when left empty: each
/// item then keeps what it carried). A language that does not parse is refused by
/// `parse_invitee`, row by row.
fn with_language(mut items: Vec<Value>, language: &str) -> Vec<Value> {
    let language = language.trim();
    for item in &mut items {
        if let Some(fields) = item.as_object_mut() {
            if language.is_empty() {
                fields.remove("language");
            } else {
                fields.insert("language".into(), Value::from(language));
            }
        }
    }
    items
}

/// The review page again after Send found rows that no longer pass: nothing was sent; each row
/// with its reason above the list (422).
async fn show_send_problems(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &web::Data<Context>,
    letter_id: LetterId,
    items: &[Value],
    rejected: Vec<(usize, String)>,
    (typed, message): (&str, Option<PersonalMessage>),
) -> Result<HttpResponse, PageError> {
    let send_problems = rejected
        .into_iter()
        .map(|(index, problem)| LineProblem {
            place: String::new(),
            text: items
                .get(index)
                .and_then(|item| item.get("organization"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            problem: capitalized(&problem),
        })
        .collect();
    let invitees = items.iter().map(|item| parse_invitee(ctx, item)).collect();
    let planned = plan_and_preview(ctx, letter_id, invitees, message).await?;
    let page = ReviewPage {
        message: typed.to_string(),
        send_problems,
        ..ReviewPage::new(request, user, planned.0, planned.1)
    };
    review_response(request, page, StatusCode::UNPROCESSABLE_ENTITY)
}
