//! API v1: invitations, reminders and revocation.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, patch, post, web};
use serde_json::{Value, json};

use super::answers::{InvitationItemJson, InvitationItemListJson};
use super::auth::ApiUser;
use super::body::{StrictJson, unknown_fields};
use super::json::{
    EditInvitationBody, InvitationJson, InviteBody, InviteResultJson, RejectedJson, RemindBody,
    RemindResultJson,
};
use crate::app::Context;
use crate::app::invitations::{self, Invitee};
use crate::domain::{
    CountryCode, InvalidInput, InvitationId, LetterId, OrganizationName, Tier, optional_text,
};
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

/// The fields an item of `invitations` may have.
const INVITEE_FIELDS: [&str; 6] = [
    "organization",
    "email",
    "contact_name",
    "tier",
    "country",
    "display_name",
];

/// Reads one item of a request's `invitations`.
pub fn parse_invitee(ctx: &Context, item: &Value) -> Result<Invitee, InvalidInput> {
    let field = |name: &str| -> Result<Option<&str>, InvalidInput> {
        match item.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(InvalidInput::new(format!("“{name}” must be a string"))),
        }
    };
    if !item.is_object() {
        return Err(InvalidInput::new("each invitation must be an object"));
    }
    Ok(Invitee {
        organization: OrganizationName::parse(field("organization")?.unwrap_or(""))?,
        display_name: field("display_name")?
            .filter(|d| !d.trim().is_empty())
            .map(OrganizationName::parse)
            .transpose()?,
        email: ctx.parse_email(field("email")?.unwrap_or(""))?,
        contact_name: optional_text(field("contact_name")?, "the contact's name", 200)?,
        tier: Tier::parse(field("tier")?.unwrap_or(""))?,
        country: CountryCode::parse_optional(field("country")?)?,
    })
}

/// Invite organizations; each accepted one is emailed a personal sign link.
#[utoipa::path(post, path = "/api/v1/letters/{id}/invitations", tag = "invitations", request_body = InviteBody,
    responses((status = 201, body = InviteResultJson), (status = 409, body = super::json::ErrorJson), (status = 422, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[post("/letters/{id}/invitations")]
async fn invite(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: StrictJson<InviteBody>,
) -> Result<HttpResponse, ApiError> {
    let items = body.into_inner().invitations;
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
    let invitees = items.iter().map(|item| parse_invitee(&ctx, item)).collect();
    let context = ctx.clone();
    let outcome = ctx
        .db
        .run(move |conn| {
            invitations::invite(
                conn,
                &context.clock,
                &context.links(),
                &user.0,
                &id,
                invitees,
            )
        })
        .await?;
    ctx.mail_queued();
    let rejected: Vec<RejectedJson> = outcome
        .rejected
        .into_iter()
        .map(|(index, error)| RejectedJson { index, error })
        .collect();
    if outcome.created.is_empty() {
        return Err(ApiError(
            WebError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "no invitation could be created",
            )
            .with_details(json!({ "rejected": rejected })),
        ));
    }
    Ok(HttpResponse::Created().json(InviteResultJson {
        invitations: outcome.created.iter().map(InvitationJson::from).collect(),
        rejected,
    }))
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
