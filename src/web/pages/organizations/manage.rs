//! Tidying the address book: duplicate suggestions, deleting an organization never invited and
//! merging one organization into another. Deleting and merging cannot be undone, so each asks
//! on a confirmation page first and acts only on the confirmed form.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::super::confirm::{Confirmation, confirmation_page, confirmed};
use super::super::{Chrome, render};
use crate::app::organizations::{self, DuplicateGroup};
use crate::app::{AppError, Context};
use crate::domain::{OrganizationId, OrganizationName};
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};

#[derive(Template)]
#[template(path = "app/organization_duplicates.html")]
struct DuplicatesPage {
    chrome: Chrome,
    groups: Vec<DuplicateGroup>,
}

#[get("/organizations/duplicates")]
pub async fn duplicates(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
) -> Result<HttpResponse, PageError> {
    let groups = ctx.db.run(organizations::duplicates).await?;
    Ok(html_page(
        &request,
        render(DuplicatesPage {
            chrome: Chrome::new(&request, &user),
            groups,
        })?,
    ))
}

#[derive(Deserialize)]
pub struct DeleteForm {
    csrf_token: String,
    #[serde(default)]
    confirm: String,
}

#[post("/organizations/{id}/delete")]
pub async fn delete(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<OrganizationId>,
    form: web::Form<DeleteForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let id = id.into_inner();
    if !confirmed(Some(&form.confirm)) {
        let lookup = id.clone();
        let view = ctx
            .db
            .run(move |conn| organizations::get(conn, &lookup))
            .await?;
        let organization = view.organization;
        return confirmation_page(
            &request,
            &user,
            Confirmation {
                question: format!("Delete {} from the address book?", organization.name),
                consequences: vec![format!(
                    "It goes with its {} contact{} and its tags. This cannot be undone.",
                    view.contacts.len(),
                    if view.contacts.len() == 1 { "" } else { "s" }
                )],
                names: vec![organization.name.clone()],
                action: format!("/app/organizations/{id}/delete"),
                fields: Vec::new(),
                button: "Delete".into(),
                back: format!("/app/organizations/{id}"),
            },
        );
    }
    let actor = user.actor(&request);
    let context = ctx.clone();
    let deleted = ctx
        .db
        .run(move |conn| organizations::delete(conn, &context.clock, &actor, &id))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        "/app/organizations",
        &format!("{} was deleted.", deleted.name),
    ))
}

#[derive(Deserialize)]
pub struct MergeForm {
    csrf_token: String,
    /// The id of the organization kept (from the duplicates page).
    #[serde(default)]
    into: String,
    /// Or its name as typed (from the organization's page).
    #[serde(default)]
    into_name: String,
    #[serde(default)]
    confirm: String,
}

/// Merges the organization of the path into the one the form names, after a confirmation.
#[post("/organizations/{id}/merge")]
pub async fn merge(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<OrganizationId>,
    form: web::Form<MergeForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let form = form.into_inner();
    let from = id.into_inner();
    let into = match resolve(&ctx, &form).await {
        Ok(into) => into,
        Err(message) => return refused(&request, &user, &ctx, from, &form, message).await,
    };
    if !confirmed(Some(&form.confirm)) {
        let (a, b) = (from.clone(), into.clone());
        let (merged, kept) = ctx
            .db
            .run(move |conn| {
                Ok::<_, AppError>((organizations::get(conn, &a)?, organizations::get(conn, &b)?))
            })
            .await?;
        return confirmation_page(
            &request,
            &user,
            Confirmation {
                question: format!(
                    "Merge {} into {}?",
                    merged.organization.name, kept.organization.name
                ),
                consequences: vec![format!(
                    "{} is kept; its {} contact(s) and its invitations move to it, and {} is \
                         deleted. This cannot be undone.",
                    kept.organization.name,
                    merged.contacts.len(),
                    merged.organization.name
                )],
                names: vec![merged.organization.name, kept.organization.name],
                action: format!("/app/organizations/{from}/merge"),
                fields: vec![("into".into(), into.to_string())],
                button: "Merge".into(),
                back: format!("/app/organizations/{from}"),
            },
        );
    }
    let actor = user.actor(&request);
    let context = ctx.clone();
    let outcome = ctx
        .db
        .run(move |conn| organizations::merge(conn, &context.clock, &actor, &from, &into))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/app/organizations/{}", outcome.kept.id),
        &format!(
            "Merged: {} contact(s) and {} invitation(s) moved here.",
            outcome.contacts_moved, outcome.invitations_moved
        ),
    ))
}

/// The organization kept: by id, or by its name in the address book.
async fn resolve(ctx: &web::Data<Context>, form: &MergeForm) -> Result<OrganizationId, String> {
    if !form.into.trim().is_empty() {
        return Ok(OrganizationId::from(form.into.trim().to_string()));
    }
    let name = OrganizationName::parse(&form.into_name).map_err(|e| e.0)?;
    let key = name.key();
    let found = ctx
        .db
        .run(move |conn| organizations::find_by_name_key(conn, &key))
        .await
        .map_err(|e| e.to_string())?;
    found.ok_or_else(|| {
        format!(
            "No organization called “{}” is in the address book.",
            name.as_str()
        )
    })
}

/// The organization's page again (422) with the merge form's message beside it.
async fn refused(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &web::Data<Context>,
    id: OrganizationId,
    form: &MergeForm,
    message: String,
) -> Result<HttpResponse, PageError> {
    let merge_name = form.into_name.clone();
    super::show_again(
        request,
        user,
        ctx,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        |page| (page.merge_name, page.merge_error) = (merge_name, Some(message)),
    )
    .await
}
