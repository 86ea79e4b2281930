//! The public side of open sign-on: a letter's join page (`/letters/{slug}/join`, for an
//! organization, or `?as=individual`), and the page an emailed confirmation link opens
//! (`/join/confirm/{token}`), where a button confirms: a mail scanner that follows the link
//! confirms nothing.

mod confirm;
mod join;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(join::join_page)
        .service(join::send_request)
        .service(confirm::confirm_page)
        .service(confirm::confirm_request);
}
