//! The contacts of an organization: adding one (its email and name; a refusal comes back
//! beside its field, the input kept), removing one.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};

use super::form::{ContactForm, parse_contact};
use super::{refusal, show_again};
use crate::app::Context;
use crate::app::organizations;
use crate::domain::OrganizationId;
use crate::web::PageError;
use crate::web::pages::CsrfForm;
use crate::web::pages::field_errors::FieldErrors;
use crate::web::session::{CurrentUser, redirect_with_notice, verify_csrf};

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
    let (id, form) = (id.into_inner(), form.into_inner());
    let mut errors = FieldErrors::default();
    let parsed = parse_contact(
        &form.email,
        &form.contact_name,
        false,
        |e| ctx.parse_email(e),
        &mut errors,
    );
    let Some((Some(email), name)) = parsed else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show_again(&request, &user, &ctx, id, status, |page| {
            (page.contact, page.contact_errors) = (form, errors);
        })
        .await;
    };
    let (context, organization_id) = (ctx.clone(), id.clone());
    let location = format!("/app/organizations/{id}");
    let added = ctx
        .db
        .run(move |conn| {
            organizations::add_contact(
                conn,
                &context.clock,
                &actor,
                &organization_id,
                &email,
                name.as_deref(),
            )
        })
        .await;
    match added {
        Ok(()) => Ok(redirect_with_notice(&ctx, &location, "Contact added.")),
        Err(error) => {
            let (status, message) = refusal(error)?;
            show_again(&request, &user, &ctx, id, status, |page| {
                (page.contact, page.contact_refused) = (form, Some(message));
            })
            .await
        }
    }
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
