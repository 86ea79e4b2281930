//! The contacts of an organization: adding one (its email and name), removing one.

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;

use super::super::CsrfForm;
use crate::app::Context;
use crate::app::organizations;
use crate::domain::{OrganizationId, optional_text};
use crate::web::PageError;
use crate::web::session::{CurrentUser, redirect_with_notice, verify_csrf};

#[derive(Deserialize)]
pub struct ContactForm {
    csrf_token: String,
    email: String,
    #[serde(default)]
    contact_name: String,
}

#[post("/organizations/{id}/contacts")]
pub async fn add_contact(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<OrganizationId>,
    form: web::Form<ContactForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let actor = user.actor(&request);
    let email = ctx.parse_email(&form.email)?;
    let name = optional_text(Some(&form.contact_name), "the contact's name", 200)?;
    let (context, id) = (ctx.clone(), id.into_inner());
    let location = format!("/app/organizations/{id}");
    ctx.db
        .run(move |conn| {
            organizations::add_contact(conn, &context.clock, &actor, &id, &email, name.as_deref())
        })
        .await?;
    Ok(redirect_with_notice(&ctx, &location, "Contact added."))
}

#[post("/organizations/{id}/contacts/{contact}/remove")]
pub async fn remove_contact(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    path: web::Path<(OrganizationId, String)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let actor = user.actor(&request);
    let (id, contact) = path.into_inner();
    let location = format!("/app/organizations/{id}");
    let context = ctx.clone();
    ctx.db
        .run(move |conn| organizations::remove_contact(conn, &context.clock, &actor, &id, &contact))
        .await?;
    Ok(redirect_with_notice(&ctx, &location, "Contact removed."))
}
