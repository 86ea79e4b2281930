//! The form on an invitation's page that records an answer the coordinators received by email,
//! on the phone, on paper or at a meeting. A refused field is shown beside it (422) and a
//! refused answer above the form (409), with everything typed kept.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};

use super::one::show_invitation;
use super::record_form::RecordForm;
use crate::app::{AppError, Context, signing};
use crate::domain::{InvitationId, RecordedAnswer};
use crate::web::PageError;
use crate::web::session::{CurrentUser, redirect_with_notice, verify_csrf};

#[post("/invitations/{id}/responses")]
pub(super) async fn record_response(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<InvitationId>,
    form: web::Form<RecordForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (invitation_id, mut form) = (id.into_inner(), form.into_inner());
    let answer = match RecordedAnswer::parse(
        &form.decision,
        &form.signer_name,
        &form.signer_title,
        &form.channel,
        &form.evidence,
    ) {
        Ok(answer) => answer,
        Err(errors) => {
            form.errors = errors.into();
            return show_invitation(&request, &user, &ctx, invitation_id, form).await;
        }
    };
    let (context, actor, id) = (ctx.clone(), user.actor(&request), invitation_id.clone());
    let key = (!form.submission_key.is_empty()).then(|| form.submission_key.clone());
    let recorded = ctx
        .db
        .run(move |conn| {
            signing::record(
                conn,
                &context.clock,
                &context.links(),
                &actor,
                &id,
                &answer,
                key.as_deref(),
            )
        })
        .await;
    match recorded {
        Ok((invitation, _)) => {
            ctx.mail_queued();
            Ok(redirect_with_notice(
                &ctx,
                &format!("/app/invitations/{}", invitation.id),
                &format!(
                    "The answer of {} is recorded; its contact is emailed a confirmation with \
                     their own link to correct it.",
                    invitation.display_name
                ),
            ))
        }
        Err(AppError::Conflict(reason)) => {
            form.refused = Some(reason);
            let mut page = show_invitation(&request, &user, &ctx, invitation_id, form).await?;
            *page.status_mut() = StatusCode::CONFLICT;
            Ok(page)
        }
        Err(other) => Err(other.into()),
    }
}
