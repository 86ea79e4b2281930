//! API v1: a letter's translations. Each language's text is versioned with its own SHA-256 and
//! says which version of the authoritative text it matches (`app::letters::translations`).

use actix_web::{HttpResponse, get, post, put, web};

use super::auth::ApiUser;
use super::body::StrictJson;
use super::json::{TranslationBody, TranslationJson, TranslationListJson};
use crate::app::Context;
use crate::app::letters::{self, TranslationInput};
use crate::domain::{Addressee, InvalidInput, LanguageTag, LetterBody, LetterId, LetterTitle};
use crate::web::ApiError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(add_translation)
        .service(update_translation)
        .service(list_translations);
}

/// The body parsed, in `language`.
fn input(body: TranslationBody, language: LanguageTag) -> Result<TranslationInput, InvalidInput> {
    Ok(TranslationInput {
        language,
        title: LetterTitle::parse(&body.title)?,
        addressee: Addressee::parse(&body.addressee)?,
        body: LetterBody::parse(&body.body_markdown)?,
        matches_version: body.matches_version,
        offered: body.offered.unwrap_or(true),
    })
}

/// Add a translation of the letter into a language it has none in (version 1).
#[utoipa::path(post, path = "/api/v1/letters/{id}/translations", tag = "letters", request_body = TranslationBody,
    responses((status = 201, body = TranslationJson), (status = 404, body = super::json::ErrorJson),
        (status = 409, body = super::json::ErrorJson), (status = 422, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[post("/letters/{id}/translations")]
async fn add_translation(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: StrictJson<TranslationBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let language =
        LanguageTag::parse(body.language.as_deref().ok_or_else(|| {
            InvalidInput::new("“language” is required: a BCP 47 tag such as fr")
        })?)?;
    let input = input(body, language)?;
    let context = ctx.clone();
    let saved = ctx
        .db
        .run(move |conn| letters::add_translation(conn, &context.clock, &user.0, &id, input))
        .await?;
    Ok(HttpResponse::Created().json(TranslationJson::from(&saved)))
}

/// Save a new version of the letter's translation into `language`; the same text, matched
/// version and offer again change nothing.
#[utoipa::path(put, path = "/api/v1/letters/{id}/translations/{language}", tag = "letters", request_body = TranslationBody,
    responses((status = 200, body = TranslationJson), (status = 404, body = super::json::ErrorJson),
        (status = 409, body = super::json::ErrorJson), (status = 422, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[put("/letters/{id}/translations/{language}")]
async fn update_translation(
    user: ApiUser,
    ctx: web::Data<Context>,
    path: web::Path<(LetterId, String)>,
    body: StrictJson<TranslationBody>,
) -> Result<HttpResponse, ApiError> {
    let (id, language) = path.into_inner();
    let language = LanguageTag::parse(&language)?;
    let body = body.into_inner();
    if let Some(given) = body.language.as_deref()
        && LanguageTag::parse(given)? != language
    {
        return Err(InvalidInput::new(format!(
            "the body's language ({given}) is not the one in the address ({language})"
        ))
        .into());
    }
    let input = input(body, language)?;
    let context = ctx.clone();
    let saved = ctx
        .db
        .run(move |conn| letters::update_translation(conn, &context.clock, &user.0, &id, input))
        .await?;
    Ok(HttpResponse::Ok().json(TranslationJson::from(&saved)))
}

/// The letter's translations, the newest version of each, by language.
#[utoipa::path(get, path = "/api/v1/letters/{id}/translations", tag = "letters",
    responses((status = 200, body = TranslationListJson), (status = 404, body = super::json::ErrorJson)),
    security(("bearer" = [])))]
#[get("/letters/{id}/translations")]
async fn list_translations(
    _user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, ApiError> {
    let translations = ctx
        .db
        .run(move |conn| {
            let view = letters::get_letter(conn, &id)?;
            letters::translations(conn, &view)
        })
        .await?;
    Ok(HttpResponse::Ok().json(TranslationListJson {
        translations: translations.iter().map(TranslationJson::from).collect(),
    }))
}
