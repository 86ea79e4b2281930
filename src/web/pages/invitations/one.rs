//! One invitation's page: its details, what the organization answered (the current note in
//! full and every decision with who made it, when, on which version and how it arrived), its
//! reminders, tier and printed name, a new link, revocation, and the form that records an
//! answer received outside the app (`record`).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::record_form::RecordForm;
use super::review::sentence;
use crate::app::invitations::answers;
use crate::app::invitations::{self};
use crate::app::letters::{self};
use crate::app::{AppError, Context};
use crate::db::invitations::Invitation;
use crate::db::responses::Response;
use crate::domain::{InvitationId, OrganizationName, Tier};
use crate::web::PageError;
use crate::web::pages::{Chrome, CsrfForm, render, when, when_opt};
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};

#[derive(Template)]
#[template(path = "app/invitation.html")]
struct InvitationPage {
    chrome: Chrome,
    invitation: Invitation,
    letter_title: String,
    created: String,
    sent: String,
    opened: String,
    responded: String,
    /// The note or decline reason of the current decision, whole.
    note: Option<String>,
    /// "2 reminders, the last on 2026-12-03 09:00 UTC", or nothing.
    reminded: Option<String>,
    /// Every decision, newest first.
    history: Vec<AnswerRow>,
    /// The current version of the letter, which a recorded answer is bound to.
    version: i32,
    /// The form that records an answer received outside the app.
    record: RecordForm,
    /// The tier and printed name as sent back after a refusal.
    printed: PrintedForm,
}

/// The form for the tier and printed name, as typed, with why it was refused.
#[derive(Default)]
pub(super) struct PrintedForm {
    display_name: Option<String>,
    error: Option<String>,
}

/// One decision of the organization, as the page lists it.
struct AnswerRow {
    at: String,
    decision: String,
    signer_name: String,
    signer_title: String,
    version: i32,
    comment: Option<String>,
    arrived_by: &'static str,
}

impl From<&Response> for AnswerRow {
    fn from(response: &Response) -> Self {
        Self {
            at: when(&response.created_at),
            decision: response.decision.as_str().to_string(),
            signer_name: response.signer_name.clone(),
            signer_title: response.signer_title.clone(),
            version: response.version,
            comment: response.comment.clone(),
            arrived_by: response.channel.phrase(),
        }
    }
}

#[get("/invitations/{id}")]
pub(super) async fn invitation_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<InvitationId>,
) -> Result<HttpResponse, PageError> {
    show_invitation(&request, &user, &ctx, id.into_inner(), RecordForm::fresh()).await
}

/// The invitation's page with the form that records an answer as given: fresh, or sent back
/// with what was refused (422 when a field was).
pub(super) async fn show_invitation(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    id: InvitationId,
    record: RecordForm,
) -> Result<HttpResponse, PageError> {
    show_invitation_with(request, user, ctx, id, record, PrintedForm::default()).await
}

/// The invitation's page with both of its forms as given; 422 when a field was refused.
async fn show_invitation_with(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    id: InvitationId,
    record: RecordForm,
    printed: PrintedForm,
) -> Result<HttpResponse, PageError> {
    let (detail, view) = ctx
        .db
        .run(move |conn| -> Result<_, AppError> {
            let detail = answers::detail(conn, &id)?;
            let view = letters::get_letter(conn, &detail.overview.invitation.letter_id)?;
            Ok((detail, view))
        })
        .await?;
    let invalid = !record.errors.is_empty() || printed.error.is_some();
    let reminded = detail.overview.reminded;
    let invitation = detail.overview.invitation;
    let page = InvitationPage {
        note: detail.overview.current.and_then(|r| r.comment),
        reminded: reminded.last_at.map(|last| match reminded.count {
            1 => format!("1 reminder, on {}", when(&last)),
            n => format!("{n} reminders, the last on {}", when(&last)),
        }),
        history: detail.history.iter().map(AnswerRow::from).collect(),
        chrome: Chrome::new(request, user),
        created: when(&invitation.created_at),
        sent: when_opt(&invitation.sent_at),
        opened: when_opt(&invitation.opened_at),
        responded: when_opt(&invitation.responded_at),
        letter_title: view.current.title,
        version: view.current.version,
        invitation,
        record,
        printed,
    };
    let mut response = html_page(request, render(page)?);
    if invalid {
        *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

#[derive(Deserialize)]
struct EditForm {
    csrf_token: String,
    tier: String,
    /// Absent keeps the printed name (the release page's "Make it supporting" sends none).
    display_name: Option<String>,
    /// "release" to come back to the letter's release page.
    back: Option<String>,
}

#[post("/invitations/{id}/edit")]
pub(super) async fn edit_invitation(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<InvitationId>,
    form: web::Form<EditForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (form, invitation_id) = (form.into_inner(), id.into_inner());
    let parsed = Tier::parse(&form.tier).and_then(|tier| {
        let name = form.display_name.as_deref().map(OrganizationName::parse);
        Ok((tier, name.transpose()?))
    });
    let (tier, display_name) = match parsed {
        Ok(parsed) => parsed,
        Err(problem) => {
            let printed = PrintedForm {
                display_name: form.display_name,
                error: Some(sentence(&problem.0)),
            };
            return show_invitation_with(
                &request,
                &user,
                &ctx,
                invitation_id,
                RecordForm::fresh(),
                printed,
            )
            .await;
        }
    };
    let (context, actor, lookup) = (ctx.clone(), user.actor(&request), invitation_id.clone());
    let edited = ctx
        .db
        .run(move |conn| {
            invitations::edit(
                conn,
                &context.clock,
                &actor,
                &lookup,
                Some(tier),
                display_name,
            )
        })
        .await;
    let invitation = match edited {
        Ok(invitation) => invitation,
        Err(AppError::Conflict(reason)) => {
            let printed = PrintedForm {
                display_name: form.display_name,
                error: Some(sentence(&reason)),
            };
            let mut page = show_invitation_with(
                &request,
                &user,
                &ctx,
                invitation_id,
                RecordForm::fresh(),
                printed,
            )
            .await?;
            *page.status_mut() = actix_web::http::StatusCode::CONFLICT;
            return Ok(page);
        }
        Err(other) => return Err(other.into()),
    };
    let (location, notice) = if form.back.as_deref() == Some("release") {
        (
            format!("/app/letters/{}/release", invitation.letter_id),
            format!(
                "{} is now a {} organization.",
                invitation.display_name, invitation.tier
            ),
        )
    } else {
        (
            format!("/app/invitations/{}", invitation.id),
            "Saved.".to_string(),
        )
    };
    Ok(redirect_with_notice(&ctx, &location, &notice))
}

#[post("/invitations/{id}/reinvite")]
pub(super) async fn reinvite(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<InvitationId>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (context, actor, invitation_id) = (ctx.clone(), user.actor(&request), id.into_inner());
    let invitation = ctx
        .db
        .run(move |conn| {
            invitations::reinvite(
                conn,
                &context.clock,
                &context.links(),
                &actor,
                &invitation_id,
            )
        })
        .await?;
    ctx.mail_queued();
    Ok(redirect_with_notice(
        &ctx,
        &format!("/app/invitations/{}", invitation.id),
        "A new link is on its way; the old one no longer works.",
    ))
}

#[post("/invitations/{id}/revoke")]
pub(super) async fn revoke(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<InvitationId>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (context, actor, invitation_id) = (ctx.clone(), user.actor(&request), id.into_inner());
    let invitation = ctx
        .db
        .run(move |conn| invitations::revoke(conn, &context.clock, &actor, &invitation_id))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/app/letters/{}", invitation.letter_id),
        &format!("The invitation of {} is revoked.", invitation.display_name),
    ))
}
