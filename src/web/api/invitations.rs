//! API v1: invitations, reminders and revocation.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, patch, post, web};
use serde_json::json;

use super::answers::{InvitationItemJson, InvitationItemListJson};
use super::auth::ApiUser;
use super::body::{StrictJson, unknown_fields};
use super::json::{
    DryRunJson, EditInvitationBody, EmailPreviewJson, InvitationJson, InviteBody, InviteResultJson,
    PlannedInvitationJson, RejectedJson, RemindBody, RemindResultJson,
};
use crate::app::Context;
use crate::app::invitations::{self, BadRows, Batch, Invitee};
use crate::domain::{
    InvalidInput, InvitationId, LetterId, OrganizationName, PersonalMessage, Tier,
};
use crate::web::invitee_json::{INVITEE_FIELDS, parse_invitee};
use crate::web::{ApiError, WebError};

/// The most invitations one request may carry.
const MAX_BATCH: usize = 1000;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(invite)
        .service(list)
        .service(remind)
        .service(revoke)
        .service(reinvite)
        .service(edit);
}

/// Invite organizations; each accepted one is emailed a personal sign link.
#[utoipa::path(post, path = "/api/v1/letters/{id}/invitations", tag = "invitations", request_body = InviteBody,
    responses((status = 201, body = InviteResultJson), (status = 200, description = "with dry_run", body = DryRunJson), (status = 409, body = super::json::ErrorJson), (status = 422, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[post("/letters/{id}/invitations")]
async fn invite(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: StrictJson<InviteBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let items = &body.invitations;
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(
            InvalidInput::new(format!("send between 1 and {MAX_BATCH} invitations")).into(),
        );
    }
    let unknown: Vec<String> = items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| Some((index, item.as_object()?)))
        .flat_map(|(index, item)| {
            item.keys()
                .filter(|key| !INVITEE_FIELDS.contains(&key.as_str()))
                .map(move |key| format!("invitations.{index}.{key}"))
        })
        .collect();
    if !unknown.is_empty() {
        return Err(unknown_fields(unknown));
    }
    let invitees: Vec<_> = items.iter().map(|item| parse_invitee(&ctx, item)).collect();
    let message = PersonalMessage::parse_optional(body.message.as_deref().unwrap_or(""))?;
    if body.dry_run {
        return dry_run(&ctx, id.into_inner(), invitees, message).await;
    }
    let context = ctx.clone();
    let batch = Batch {
        invitees,
        message,
        bad_rows: BadRows::Skip,
        max_invitations: ctx.settings.letters.max_invitations,
    };
    let outcome = ctx
        .db
        .run(move |conn| {
            invitations::invite(conn, &context.clock, &context.links(), &user.0, &id, batch)
        })
        .await?;
    ctx.mail_queued();
    let rejected = rejected_json(outcome.rejected);
    if outcome.created.is_empty() {
        return Err(nothing_to_invite(rejected));
    }
    Ok(HttpResponse::Created().json(InviteResultJson {
        invitations: outcome.created.iter().map(InvitationJson::from).collect(),
        rejected,
    }))
}

/// Checks the batch and renders its first email; stores and queues nothing. Answers like the
/// real request would: 422 when no invitation would be made.
async fn dry_run(
    ctx: &web::Data<Context>,
    letter_id: LetterId,
    invitees: Vec<Result<Invitee, InvalidInput>>,
    message: Option<PersonalMessage>,
) -> Result<HttpResponse, ApiError> {
    let context = ctx.clone();
    let (plan, preview) = ctx
        .db
        .run(move |conn| {
            let max_invitations = context.settings.letters.max_invitations;
            let plan = invitations::plan(conn, &letter_id, invitees, max_invitations)?;
            let preview = invitations::preview(
                conn,
                (
                    &context.base_url,
                    &context.sender(),
                    &context.settings.organization,
                ),
                &plan,
                message.as_ref(),
            )?;
            Ok::<_, crate::app::AppError>((plan, preview))
        })
        .await?;
    let rejected = rejected_json(plan.rejected);
    if plan.accepted.is_empty() {
        return Err(nothing_to_invite(rejected));
    }
    Ok(HttpResponse::Ok().json(DryRunJson {
        preview: preview.map(|p| EmailPreviewJson {
            from: p.from,
            reply_to: p.reply_to,
            to: p.to,
            subject: p.subject,
            text: p.text,
            html: p.html,
        }),
        invitations: plan
            .accepted
            .into_iter()
            .map(|planned| PlannedInvitationJson {
                index: planned.index,
                organization: planned.printed_name,
                email: planned.invitee.email.as_str().to_string(),
                contact_name: planned.invitee.contact_name,
                tier: planned.invitee.tier.as_str().to_string(),
                country: planned.country,
                in_address_book: planned.known,
            })
            .collect(),
        rejected,
    }))
}

fn rejected_json(rejected: Vec<(usize, String)>) -> Vec<RejectedJson> {
    rejected
        .into_iter()
        .map(|(index, error)| RejectedJson { index, error })
        .collect()
}

/// 422 with every row's reason in `details.rejected`.
fn nothing_to_invite(rejected: Vec<RejectedJson>) -> ApiError {
    ApiError(
        WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no invitation could be created",
        )
        .with_details(json!({ "rejected": rejected })),
    )
}

/// The invitations of a letter with their status, approved version, current answer (signer,
/// title, note) and reminders.
#[utoipa::path(get, path = "/api/v1/letters/{id}/invitations", tag = "invitations", responses((status = 200, body = InvitationItemListJson)), security(("bearer" = [])))]
#[get("/letters/{id}/invitations")]
async fn list(
    _user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, ApiError> {
    let all = ctx
        .db
        .run(move |conn| invitations::answers::overview(conn, &id))
        .await?;
    Ok(HttpResponse::Ok().json(InvitationItemListJson {
        invitations: all.iter().map(InvitationItemJson::from).collect(),
    }))
}

/// Remind the organizations that have not answered, except those reminded less than
/// `reminders.min_interval_hours` ago (counted in `skipped_recently_reminded`).
#[utoipa::path(post, path = "/api/v1/letters/{id}/reminders", tag = "invitations", request_body(content = RemindBody, description = "optional"),
    responses((status = 200, body = RemindResultJson), (status = 409, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[post("/letters/{id}/reminders")]
async fn remind(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: StrictJson<Option<RemindBody>>,
) -> Result<HttpResponse, ApiError> {
    let only = body.into_inner().and_then(|b| b.invitation_ids);
    let context = ctx.clone();
    let outcome = ctx
        .db
        .run(move |conn| {
            invitations::remind(
                conn,
                &context.clock,
                &context.links(),
                &user.0,
                &id,
                only.as_deref(),
                context.settings.reminders.min_interval(),
            )
        })
        .await?;
    ctx.mail_queued();
    Ok(HttpResponse::Ok().json(RemindResultJson {
        queued: outcome.queued,
        skipped_recently_reminded: outcome.skipped_recently_reminded,
    }))
}

/// Revoke an invitation: its link stops working.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/revoke", tag = "invitations", responses((status = 200, body = InvitationJson), (status = 409, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[post("/invitations/{id}/revoke")]
async fn revoke(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<InvitationId>,
) -> Result<HttpResponse, ApiError> {
    let context = ctx.clone();
    let invitation = ctx
        .db
        .run(move |conn| invitations::revoke(conn, &context.clock, &user.0, &id))
        .await?;
    Ok(HttpResponse::Ok().json(InvitationJson::from(&invitation)))
}

/// Send a new link; the old one stops working.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/reinvite", tag = "invitations", responses((status = 200, body = InvitationJson), (status = 409, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[post("/invitations/{id}/reinvite")]
async fn reinvite(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<InvitationId>,
) -> Result<HttpResponse, ApiError> {
    let context = ctx.clone();
    let invitation = ctx
        .db
        .run(move |conn| {
            invitations::reinvite(conn, &context.clock, &context.links(), &user.0, &id)
        })
        .await?;
    ctx.mail_queued();
    Ok(HttpResponse::Ok().json(InvitationJson::from(&invitation)))
}

/// Change the tier or the printed name of an invited organization.
#[utoipa::path(patch, path = "/api/v1/invitations/{id}", tag = "invitations", request_body = EditInvitationBody, responses((status = 200, body = InvitationJson)), security(("bearer" = [])))]
#[patch("/invitations/{id}")]
async fn edit(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<InvitationId>,
    body: StrictJson<EditInvitationBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let tier = body.tier.as_deref().map(Tier::parse).transpose()?;
    let display_name = body
        .display_name
        .as_deref()
        .map(OrganizationName::parse)
        .transpose()?;
    let context = ctx.clone();
    let invitation = ctx
        .db
        .run(move |conn| invitations::edit(conn, &context.clock, &user.0, &id, tier, display_name))
        .await?;
    Ok(HttpResponse::Ok().json(InvitationJson::from(&invitation)))
}
