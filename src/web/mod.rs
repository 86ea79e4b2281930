//! The HTTP face of Undersigned: routes, pages, the JSON API, and the middleware every answer
//! passes through (client address, request ids, access log, HEAD as GET, security headers).

pub mod api;
pub mod assets;
pub mod client;
mod errors;
pub mod escape;
mod health;
mod home;
mod invitee_json;
pub mod metrics;
mod middleware;
mod pages;
mod public;
pub mod session;
mod sign;
mod sign_on;

use actix_web::web;

pub use errors::{ApiError, IntoWebError, PageError, WebError};
pub use middleware::{
    framing_as_the_policy_says, head_as_get, policy_allowing_email_styles,
    policy_framable_by_any_site, redact_path, request_context, security_headers,
};
pub use public::PublicCache;

/// Every route of the application.
pub fn routes(cfg: &mut web::ServiceConfig) {
    // Released letters first: the router tries routes in order, and a press spike should not
    // pay for matching every other pattern first (the join pages after them cost 7 % of the
    // server's CPU per page request when they came first). No public pattern matches a join
    // address (`/letters/{slug}/join`, `/join/confirm/{token}`).
    cfg.configure(public::routes)
        .configure(sign_on::routes)
        .configure(health::routes)
        .configure(api::routes)
        .configure(pages::routes)
        .configure(sign::routes)
        .configure(assets::routes)
        .configure(home::routes)
        .default_service(web::to(errors::not_found));
}
