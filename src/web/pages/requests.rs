//! A letter's requests to join (`/app/letters/{id}/requests`): those waiting for a decision,
//! with what helps judge them (does the email's domain match the website, a free email
//! address, the organization already in the address book), to approve, reject with a reason
//! the requester is told, or approve as the address book's organization; one at a time or the
//! ticked ones together, always through a confirmation page. Unconfirmed and decided requests
//! are listed below.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;

use super::confirm::{Confirmation, confirmation_page, confirmed};
use super::dashboard::{field, form_pairs};
use super::{Chrome, render, when};
use crate::app::sign_on::{self, RequestView};
use crate::app::{AppError, Context, letters};
use crate::domain::{LetterId, OrganizationId};
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(requests_page).service(decide_requests);
}

#[derive(Template)]
#[template(path = "app/requests.html")]
struct RequestsPage {
    chrome: Chrome,
    view: letters::LetterView,
    pending: Vec<RequestView>,
    unconfirmed: Vec<RequestView>,
    decided: Vec<RequestView>,
    join_url: String,
    /// A sentence beside the reason box, when a rejection came without one.
    reason_error: Option<String>,
}

impl RequestsPage {
    fn when(&self, at: &chrono::NaiveDateTime) -> String {
        when(at)
    }
}

async fn load(
    ctx: &Context,
    letter_id: LetterId,
) -> Result<(letters::LetterView, Vec<RequestView>), PageError> {
    Ok(ctx
        .db
        .run(move |conn| {
            let view = letters::get_letter(conn, &letter_id)?;
            let requests = sign_on::requests(conn, &letter_id)?;
            Ok::<_, AppError>((view, requests))
        })
        .await?)
}

async fn page(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    letter_id: LetterId,
    reason_error: Option<String>,
) -> Result<String, PageError> {
    let (view, all) = load(ctx, letter_id).await?;
    let (mut pending, mut unconfirmed, mut decided) = (Vec::new(), Vec::new(), Vec::new());
    for item in all {
        match item.request.status.as_str() {
            "pending" => pending.push(item),
            "unconfirmed" => unconfirmed.push(item),
            _ => decided.push(item),
        }
    }
    decided.reverse();
    let join_url = ctx
        .base_url
        .join(&format!("/letters/{}/join", view.letter.slug));
    render(RequestsPage {
        chrome: Chrome::new(request, user),
        view,
        pending,
        unconfirmed,
        decided,
        join_url,
        reason_error,
    })
}

#[get("/letters/{id}/requests")]
async fn requests_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, PageError> {
    let html = page(&request, &user, &ctx, id.into_inner(), None).await?;
    Ok(html_page(&request, html))
}

/// What the form asks: approve or reject, which requests, and for an approval as the address
/// book's organization, which one.
enum Decision {
    Approve { merge_into: Option<OrganizationId> },
    Reject { reason: String },
}

/// One form for the page: `approve_one`/`reject_one`/`merge_one` (a row's button, its value
/// the request, or `request:organization` to merge) or `approve`/`reject` for the ticked `ids`.
/// The first visit shows the confirmation page; `confirm=yes` decides.
#[post("/letters/{id}/requests")]
async fn decide_requests(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let pairs = form_pairs(&body);
    verify_csrf(&request, field(&pairs, "csrf_token"))?;
    let letter_id = id.into_inner();
    let reason = field(&pairs, "reason").trim().to_string();
    let ticked: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "ids")
        .map(|(_, v)| v.clone())
        .collect();
    let (decision, ids, button_field) = if let Some(one) = value(&pairs, "approve_one") {
        (
            Decision::Approve { merge_into: None },
            vec![one],
            "approve_one",
        )
    } else if let Some(one) = value(&pairs, "merge_one") {
        let (request_id, organization) = one.split_once(':').unwrap_or((one.as_str(), ""));
        (
            Decision::Approve {
                merge_into: Some(OrganizationId::from(organization.to_string())),
            },
            vec![request_id.to_string()],
            "merge_one",
        )
    } else if let Some(one) = value(&pairs, "reject_one") {
        (
            Decision::Reject {
                reason: reason.clone(),
            },
            vec![one],
            "reject_one",
        )
    } else if field(&pairs, "action") == "reject" {
        (
            Decision::Reject {
                reason: reason.clone(),
            },
            ticked,
            "action",
        )
    } else {
        (Decision::Approve { merge_into: None }, ticked, "action")
    };
    let back = format!("/app/letters/{letter_id}/requests");
    if ids.is_empty() {
        return Ok(redirect_with_notice(
            &ctx,
            &back,
            "Tick the requests to decide first.",
        ));
    }
    if matches!(&decision, Decision::Reject { reason } if reason.is_empty()) {
        let html = page(
            &request,
            &user,
            &ctx,
            letter_id,
            Some("Write the reason the requester will be told, then reject again.".into()),
        )
        .await?;
        let mut response = html_page(&request, html);
        *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }
    if !confirmed(value(&pairs, "confirm").as_deref()) {
        let (_, all) = load(&ctx, letter_id.clone()).await?;
        let names: Vec<String> = all
            .iter()
            .filter(|v| ids.contains(&v.request.id))
            .map(|v| format!("{} ({})", v.request.name, v.request.email))
            .collect();
        let count = names.len();
        let (question, consequences, button) = match &decision {
            Decision::Approve { .. } => (
                format!("Approve {count} request{}?", plural(count)),
                vec![
                    "Each organization is added to the address book and to this letter as \
                     signed for the text its requester read; its contact gets their own sign \
                     link to correct or withdraw."
                        .to_string(),
                    "Each individual will be listed apart, after the organizations, and is told \
                     by email."
                        .to_string(),
                ],
                format!("Yes, approve {count}"),
            ),
            Decision::Reject { reason } => (
                format!("Reject {count} request{}?", plural(count)),
                vec![format!(
                    "Each requester is told by email, with this reason: “{reason}”."
                )],
                format!("Yes, reject {count}"),
            ),
        };
        let mut fields: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, _)| k != "csrf_token" && k != "confirm")
            .cloned()
            .collect();
        if button_field == "action" {
            fields.retain(|(k, _)| k != "action");
            fields.push((
                "action".into(),
                match decision {
                    Decision::Approve { .. } => "approve".into(),
                    Decision::Reject { .. } => "reject".into(),
                },
            ));
        }
        fields.push(("confirm".into(), "yes".into()));
        return confirmation_page(
            &request,
            &user,
            Confirmation {
                question,
                consequences,
                names,
                action: back.clone(),
                fields,
                button,
                back,
            },
        );
    }
    let (context, actor) = (ctx.clone(), user.actor(&request));
    let outcomes = ctx
        .db
        .run(move |conn| {
            let links = context.links();
            let results: Vec<(String, Result<(), String>)> = ids
                .iter()
                .map(|request_id| {
                    let result = match &decision {
                        Decision::Approve { merge_into } => sign_on::approve(
                            conn,
                            &context.clock,
                            &links,
                            &actor,
                            request_id,
                            merge_into.as_ref(),
                            context.settings.letters.max_invitations,
                        ),
                        Decision::Reject { reason } => sign_on::reject(
                            conn,
                            &context.clock,
                            &links,
                            &actor,
                            request_id,
                            reason,
                        ),
                    };
                    match result {
                        Ok(done) => (done.name, Ok(())),
                        Err(AppError::Conflict(why)) => (request_id.clone(), Err(why)),
                        Err(other) => (request_id.clone(), Err(other.to_string())),
                    }
                })
                .collect();
            Ok::<_, AppError>(results)
        })
        .await?;
    ctx.mail_queued();
    let done: Vec<&str> = outcomes
        .iter()
        .filter(|(_, r)| r.is_ok())
        .map(|(name, _)| name.as_str())
        .collect();
    let refused: Vec<String> = outcomes
        .iter()
        .filter_map(|(_, r)| r.as_ref().err().cloned())
        .collect();
    let mut notice = if done.is_empty() {
        "Nothing was decided.".to_string()
    } else {
        format!("Decided: {}.", done.join(", "))
    };
    if !refused.is_empty() {
        notice.push_str(&format!(" Not decided: {}", refused.join(" ")));
    }
    Ok(redirect_with_notice(&ctx, &back, &notice))
}

fn value(pairs: &[(String, String)], name: &str) -> Option<String> {
    Some(field(pairs, name))
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
