//! API v1: the address book. A page of organizations with the total, create, update, delete
//! (never one that was invited) and merge. Bad input answers 422 naming the field in
//! `details.field`; unknown fields 422 with `details.unknown_fields`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, post, put, web};
use serde::Deserialize;
use serde_json::json;

use super::auth::ApiUser;
use super::body::StrictJson;
use super::organization_json::{
    MergeBody, MergedJson, OrganizationBody, OrganizationJson, OrganizationListJson,
};
use crate::app::organizations::{self, OrganizationInput, PageRequest};
use crate::app::{AppError, Context};
use crate::domain::{
    CountryCode, EmailAddress, InvalidInput, OrganizationId, OrganizationName, Tag, Website,
    optional_text,
};
use crate::web::{ApiError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(one)
        .service(update)
        .service(remove)
        .service(merge);
}

/// A 422 naming the field the problem is in.
fn invalid(field: &str, problem: InvalidInput) -> ApiError {
    ApiError(
        WebError::new(StatusCode::UNPROCESSABLE_ENTITY, problem.0)
            .with_details(json!({ "field": field })),
    )
}

/// A contact to add: its email and name.
type NewContact = (EmailAddress, Option<String>);

/// The body read into the use case's input, the contact apart.
fn parse(
    ctx: &Context,
    body: &OrganizationBody,
) -> Result<(OrganizationInput, Option<NewContact>), ApiError> {
    let name = body
        .name
        .as_deref()
        .ok_or_else(|| InvalidInput::new("the organization's name is required"))
        .and_then(OrganizationName::parse)
        .map_err(|e| invalid("name", e))?;
    let display_name = optional_text(body.display_name.as_deref(), "the display name", 300)
        .and_then(|d| d.as_deref().map(OrganizationName::parse).transpose())
        .map_err(|e| invalid("display_name", e))?;
    let country =
        CountryCode::parse_optional(body.country.as_deref()).map_err(|e| invalid("country", e))?;
    let website =
        Website::parse_optional(body.website.as_deref()).map_err(|e| invalid("website", e))?;
    let tags = body
        .tags
        .as_ref()
        .map(|tags| Tag::parse_list(&tags.join(",")))
        .transpose()
        .map_err(|e| invalid("tags", e))?;
    let email = optional_text(body.email.as_deref(), "the email", 254)
        .and_then(|e| e.map(|e| ctx.parse_email(&e)).transpose())
        .map_err(|e| invalid("email", e))?;
    let contact_name = optional_text(body.contact_name.as_deref(), "the contact's name", 200)
        .map_err(|e| invalid("contact_name", e))?;
    if email.is_none() && contact_name.is_some() {
        return Err(invalid(
            "email",
            InvalidInput::new("the email: a contact needs an email address"),
        ));
    }
    let input = OrganizationInput {
        name,
        display_name,
        country,
        website,
        tags,
    };
    Ok((input, email.map(|e| (e, contact_name))))
}

#[derive(Deserialize)]
struct ListQuery {
    page: Option<String>,
    per_page: Option<String>,
    /// Text in a name or a contact's email.
    q: Option<String>,
    /// Only organizations with this tag.
    tag: Option<String>,
}

/// A page of the address book, alphabetical, with the total of organizations matching.
/// `page` counts from 1 (default 1); `per_page` from 1 to 500 (default 50).
#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations",
    params(("page" = Option<u32>, Query, description = "from 1"), ("per_page" = Option<u32>, Query, description = "1 to 500, default 50"),
        ("q" = Option<String>, Query, description = "text in a name or contact email"), ("tag" = Option<String>, Query, description = "only this tag")),
    responses((status = 200, body = OrganizationListJson), (status = 422, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[get("/organizations")]
async fn list(
    _user: ApiUser,
    ctx: web::Data<Context>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page =
        PageRequest::parse(query.page.as_deref(), query.per_page.as_deref()).map_err(|e| {
            let field = if e.0.starts_with("per_page") {
                "per_page"
            } else {
                "page"
            };
            invalid(field, e)
        })?;
    let tag = match query.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(raw) => Some(Tag::parse(raw).map_err(|e| invalid("tag", e))?),
        None => None,
    };
    let text = query.q.unwrap_or_default();
    let listed = ctx
        .db
        .run(move |conn| organizations::list(conn, &text, tag.as_ref(), page))
        .await?;
    Ok(HttpResponse::Ok().json(OrganizationListJson {
        organizations: listed
            .organizations
            .iter()
            .map(OrganizationJson::from)
            .collect(),
        total: listed.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// Add an organization, with a first contact when `email` is given.
#[utoipa::path(post, path = "/api/v1/organizations", tag = "organizations", request_body = OrganizationBody,
    responses((status = 201, body = OrganizationJson), (status = 409, body = super::json::ErrorJson), (status = 422, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[post("/organizations")]
async fn create(
    user: ApiUser,
    ctx: web::Data<Context>,
    body: StrictJson<OrganizationBody>,
) -> Result<HttpResponse, ApiError> {
    let (input, contact) = parse(&ctx, &body)?;
    let context = ctx.clone();
    let view = ctx
        .db
        .run(move |conn| {
            let contact = contact.as_ref().map(|(e, n)| (e, n.as_deref()));
            let created = organizations::create(conn, &context.clock, &user.0, &input, contact)?;
            organizations::get(conn, &created.id)
        })
        .await?;
    Ok(HttpResponse::Created().json(OrganizationJson::from(&view)))
}

/// An organization with its contacts and tags.
#[utoipa::path(get, path = "/api/v1/organizations/{id}", tag = "organizations",
    responses((status = 200, body = OrganizationJson), (status = 404, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[get("/organizations/{id}")]
async fn one(
    _user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<OrganizationId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let view = ctx
        .db
        .run(move |conn| organizations::get(conn, &id))
        .await?;
    Ok(HttpResponse::Ok().json(OrganizationJson::from(&view)))
}

/// Replace an organization's details (and its tags when `tags` is given); `email` adds a
/// contact.
#[utoipa::path(put, path = "/api/v1/organizations/{id}", tag = "organizations", request_body = OrganizationBody,
    responses((status = 200, body = OrganizationJson), (status = 404, body = super::json::ErrorJson), (status = 409, body = super::json::ErrorJson), (status = 422, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[put("/organizations/{id}")]
async fn update(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<OrganizationId>,
    body: StrictJson<OrganizationBody>,
) -> Result<HttpResponse, ApiError> {
    let (input, contact) = parse(&ctx, &body)?;
    let (context, id) = (ctx.clone(), id.into_inner());
    let view = ctx
        .db
        .run(move |conn| {
            organizations::update(conn, &context.clock, &user.0, &id, &input)?;
            if let Some((email, name)) = &contact {
                organizations::add_contact(
                    conn,
                    &context.clock,
                    &user.0,
                    &id,
                    email,
                    name.as_deref(),
                )?;
            }
            organizations::get(conn, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(OrganizationJson::from(&view)))
}

/// Delete an organization that was never invited to a letter (409 otherwise: merge it instead).
#[utoipa::path(delete, path = "/api/v1/organizations/{id}", tag = "organizations",
    responses((status = 204), (status = 404, body = super::json::ErrorJson), (status = 409, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[delete("/organizations/{id}")]
async fn remove(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<OrganizationId>,
) -> Result<HttpResponse, ApiError> {
    let (context, id) = (ctx.clone(), id.into_inner());
    ctx.db
        .run(move |conn| organizations::delete(conn, &context.clock, &user.0, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Merge this organization into `into`: its contacts, tags and invitations move there and it
/// is deleted. 409 when both are invited to the same letter.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/merge", tag = "organizations", request_body = MergeBody,
    responses((status = 200, body = MergedJson), (status = 404, body = super::json::ErrorJson), (status = 409, body = super::json::ErrorJson), (status = 422, body = super::json::ErrorJson)), security(("bearer" = [])))]
#[post("/organizations/{id}/merge")]
async fn merge(
    user: ApiUser,
    ctx: web::Data<Context>,
    id: web::Path<OrganizationId>,
    body: StrictJson<MergeBody>,
) -> Result<HttpResponse, ApiError> {
    let into = OrganizationId::from(body.into_inner().into);
    let (context, from) = (ctx.clone(), id.into_inner());
    let (outcome, view) = ctx
        .db
        .run(move |conn| {
            let outcome = organizations::merge(conn, &context.clock, &user.0, &from, &into)?;
            let view = organizations::get(conn, &outcome.kept.id)?;
            Ok::<_, AppError>((outcome, view))
        })
        .await?;
    Ok(HttpResponse::Ok().json(MergedJson {
        organization: OrganizationJson::from(&view),
        contacts_moved: outcome.contacts_moved,
        invitations_moved: outcome.invitations_moved,
    }))
}
