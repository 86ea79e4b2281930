//! API v1: letters and their versions.

use actix_web::{HttpResponse, delete, get, post, put, web};
use serde_json::Value;

use super::auth::ApiUser;
use super::body::StrictJson;
use super::json::{
    CreateLetterBody, LetterJson, LetterListJson, UpdateLetterBody, VersionJson, VersionListJson,
};
use crate::app::letters::{self, LetterEdit, NewLetterInput, SignOnEdit, StatusChange};
use crate::app::{AppError, Context};
use crate::domain::{
    Addressee, ChangeKind, Deadline, InvalidInput, LanguageTag, LetterBody, LetterId, LetterTitle,
    Slug,
};
use crate::web::ApiError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(create_letter)
        .service(list_letters)
        .service(get_letter)
        .service(update_letter)
        .service(delete_letter)
        .service(change_status)
        .service(list_versions);
}

fn parse_deadline(raw: Option<&str>, zone: Option<&str>) -> Result<Option<Deadline>, InvalidInput> {
    raw.filter(|r| !r.trim().is_empty())
        .map(|r| Deadline::parse_rfc3339(r, zone))
        .transpose()
}

/// Create a letter (a draft, version 1).
#[utoipa::path(post, path = "/api/v1/letters", tag = "letters", request_body = CreateLetterBody,
    responses((status = 201, body = LetterJson), (status = 409, body = super::json::ErrorJson), (status = 422, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[post("/letters")]
async fn create_letter(
    user: ApiUser,
    ctx: web::Data<Context>,
    body: StrictJson<CreateLetterBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = NewLetterInput {
        title: LetterTitle::parse(&body.title)?,
        addressee: Addressee::parse(&body.addressee)?,
        body: LetterBody::parse(&body.body_markdown)?,
        deadline: parse_deadline(body.deadline.as_deref(), body.deadline_time_zone.as_deref())?,
        slug: body.slug.as_deref().map(Slug::parse).transpose()?,
        show_signatories: body.show_signatories.unwrap_or(false),
        show_signers: body.show_signers.unwrap_or(false),
        allow_late_signatures: body.allow_late_signatures.unwrap_or(false),
        language: LanguageTag::parse(body.language.as_deref().unwrap_or("en"))?,
    };
    let context = ctx.clone();
    let view = ctx
        .db
        .run(move |conn| {
            let view = letters::create_letter(conn, &context.clock, &user.0, input)?;
            letters::overview(conn, view)
        })
        .await?;
    Ok(HttpResponse::Created().json(LetterJson::from_overview(&view, &ctx.base_url)))
}

/// Every letter that is not archived, newest first.
#[utoipa::path(get, path = "/api/v1/letters", tag = "letters", responses((status = 200, body = LetterListJson)), security(("bearer" = [])))]
#[get("/letters")]
async fn list_letters(_user: ApiUser, ctx: web::Data<Context>) -> Result<HttpResponse, ApiError> {
    let views = ctx
        .db
        .run(|conn| letters::list_letters(conn, false))
        .await?;
    let letters = views
        .iter()
        .map(|v| LetterJson::from_overview(v, &ctx.base_url))
        .collect();
    Ok(HttpResponse::Ok().json(LetterListJson { letters }))
}

/// A letter with its counts per invitation status.
#[utoipa::path(get, path = "/api/v1/letters/{id}", tag = "letters", responses((status = 200, body = LetterJson), (status = 404, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[get("/letters/{id}")]
async fn get_letter(
    _user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, ApiError> {
    let view = ctx
        .db
        .run(move |conn| letters::get_overview(conn, &id))
        .await?;
    Ok(HttpResponse::Ok().json(LetterJson::from_overview(&view, &ctx.base_url)))
}

/// Edit a letter; a change of text makes a new version.
#[utoipa::path(put, path = "/api/v1/letters/{id}", tag = "letters", request_body = UpdateLetterBody,
    responses((status = 200, body = LetterJson), (status = 409, body = super::json::ErrorJson), (status = 422, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[put("/letters/{id}")]
async fn update_letter(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: StrictJson<UpdateLetterBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let text_given =
        body.title.is_some() || body.addressee.is_some() || body.body_markdown.is_some();
    let change = match body.change.as_deref() {
        Some(raw) => ChangeKind::from_input(raw)?,
        None if text_given => {
            return Err(InvalidInput::new(
                "“change” is required when the text changes: “minor” or “substantive”",
            )
            .into());
        }
        None => ChangeKind::Minor,
    };
    let deadline = match &body.deadline {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(raw)) => Some(parse_deadline(
            Some(raw),
            body.deadline_time_zone.as_deref(),
        )?),
        Some(_) => {
            return Err(
                InvalidInput::new("the deadline must be an RFC 3339 string or null").into(),
            );
        }
    };
    let edit = LetterEdit {
        title: body.title.as_deref().map(LetterTitle::parse).transpose()?,
        addressee: body
            .addressee
            .as_deref()
            .map(Addressee::parse)
            .transpose()?,
        body: body
            .body_markdown
            .as_deref()
            .map(LetterBody::parse)
            .transpose()?,
        change,
        note: crate::domain::optional_text(body.note.as_deref(), "the note", 500)?,
        deadline,
        show_signatories: body.show_signatories,
        show_signers: body.show_signers,
        allow_late_signatures: body.allow_late_signatures,
        slug: body.slug.as_deref().map(Slug::parse).transpose()?,
        language: body
            .language
            .as_deref()
            .map(LanguageTag::parse)
            .transpose()?,
        sign_on: SignOnEdit {
            open_sign_on: body.open_sign_on,
            accept_individuals: body.accept_individuals,
            individuals_heading: match &body.individuals_heading {
                None => None,
                Some(Value::Null) => Some(None),
                Some(Value::String(raw)) => Some(crate::domain::optional_text(
                    Some(raw),
                    "the individuals' heading",
                    200,
                )?),
                Some(_) => {
                    return Err(InvalidInput::new(
                        "the individuals' heading must be a string or null",
                    )
                    .into());
                }
            },
        },
    };
    let context = ctx.clone();
    let view = ctx
        .db
        .run(move |conn| {
            let view =
                letters::edit_letter(conn, &context.clock, &context.links(), &user.0, &id, edit)?;
            letters::overview(conn, view)
        })
        .await?;
    ctx.mail_queued();
    Ok(HttpResponse::Ok().json(LetterJson::from_overview(&view, &ctx.base_url)))
}

/// Delete a letter nobody has answered yet (otherwise 409: archive it instead).
#[utoipa::path(delete, path = "/api/v1/letters/{id}", tag = "letters", responses((status = 204), (status = 409, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[delete("/letters/{id}")]
async fn delete_letter(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, ApiError> {
    let context = ctx.clone();
    ctx.db
        .run(move |conn| letters::delete_letter(conn, &context.clock, &user.0, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Open, close, reopen, archive or unarchive a letter.
#[utoipa::path(post, path = "/api/v1/letters/{id}/{action}", tag = "letters",
    params(("action" = String, Path, description = "open, close, reopen, archive or unarchive")),
    responses((status = 200, body = LetterJson), (status = 409, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[post("/letters/{id}/{action:open|close|reopen|archive|unarchive}")]
async fn change_status(
    user: ApiUser,
    ctx: web::Data<Context>,
    path: web::Path<(LetterId, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, action) = path.into_inner();
    let context = ctx.clone();
    let view = ctx
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (clock, actor) = (&context.clock, &user.0);
            let view = match action.as_str() {
                "open" => letters::set_status(conn, clock, actor, &id, StatusChange::Open),
                "close" => letters::set_status(conn, clock, actor, &id, StatusChange::Close),
                "reopen" => letters::set_status(conn, clock, actor, &id, StatusChange::Reopen),
                archive => letters::set_archived(conn, clock, actor, &id, archive == "archive"),
            }?;
            letters::overview(conn, view)
        })
        .await?;
    Ok(HttpResponse::Ok().json(LetterJson::from_overview(&view, &ctx.base_url)))
}

/// The versions of a letter, newest first.
#[utoipa::path(get, path = "/api/v1/letters/{id}/versions", tag = "letters", responses((status = 200, body = VersionListJson)), security(("bearer" = [])))]
#[get("/letters/{id}/versions")]
async fn list_versions(
    _user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, ApiError> {
    let versions = ctx.db.run(move |conn| letters::versions(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(VersionListJson {
        versions: versions.iter().map(VersionJson::from).collect(),
    }))
}
