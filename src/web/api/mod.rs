//! JSON API v1 under `/api/v1`: bearer tokens, JSON in and out, errors as
//! `{"error", "details"}` with a fitting status. Handlers call the same use cases as the pages.

mod answers;
mod auth;
mod body;
mod invitations;
mod json;
mod letters;
mod mail;
mod organization_json;
mod organizations;
mod release;
mod requests;
mod responses;
mod translations;
mod webhooks;

use actix_web::{HttpResponse, get, web};
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};

pub use auth::ApiUser;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .wrap(actix_web::middleware::from_fn(auth::require_api_token))
            .service(openapi_json)
            .configure(letters::routes)
            .configure(invitations::routes)
            .configure(answers::routes)
            .configure(mail::routes)
            .configure(organizations::routes)
            .configure(release::routes)
            .configure(responses::routes)
            .configure(requests::routes)
            .configure(translations::routes)
            .configure(webhooks::routes),
    );
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Undersigned API", version = "1", description = "Coordinate coalition open letters: letters, the address book, invitations, reminders, email delivery."),
    paths(
        letters::create_letter, letters::list_letters, letters::get_letter, letters::update_letter,
        letters::delete_letter, letters::change_status, letters::list_versions,
        invitations::invite, invitations::list, invitations::remind, invitations::revoke,
        invitations::reinvite, invitations::edit, answers::one, responses::record_response,
        mail::dead_jobs, mail::retry_job, mail::get_schedule, mail::set_schedule,
        release::release_check, release::release_letter, release::cancel_release,
        organizations::list, organizations::create, organizations::one, organizations::update,
        organizations::remove, organizations::merge,
        requests::list, requests::approve, requests::reject,
        translations::add_translation, translations::update_translation,
        translations::list_translations,
        webhooks::register_for_letter, webhooks::list_for_letter, webhooks::register_for_all,
        webhooks::list_for_all, webhooks::deliveries, webhooks::send_test, webhooks::remove,
    ),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The OpenAPI 3 description of this API (public: it holds no data).
#[get("/openapi.json")]
async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
