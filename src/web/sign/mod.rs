//! The partner's sign page. `GET /sign/{token}` checks the emailed link, exchanges it for a
//! short-lived cookie bound to that invitation and link, and redirects to `/sign`, so the token
//! never reaches a Referer header, the browser history or a log (`link`). The page shows the
//! exact text and takes the decision in a plain form (`page`, `decide`); a partner may hand
//! the request to a colleague instead (`forward`), after seeing the address back. Withdrawing a
//! signature is asked again on a page of its own (`withdraw`). The top of the page tells where
//! the letter stands (`state_box`).

mod decide;
mod forward;
mod forwarded;
mod languages;
mod link;
mod page;
mod state_box;
mod withdraw;

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use actix_web::web;

use super::{PageError, WebError};
use crate::app::signing::Origin;
use crate::i18n::Localizer;

/// The cookie that holds `{invitation id}.{expiry, Unix seconds}.{proof}`, path `/sign`.
const SIGN_COOKIE: &str = "us_sign";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(page::sign_page)
        .service(decide::decide)
        .service(forward::forward)
        .service(withdraw::confirm_withdrawal)
        .service(link::follow_link);
}

/// The one answer for every link that does not work, whatever the reason.
fn link_does_not_work(request: &HttpRequest) -> PageError {
    let l = Localizer::choose(&languages::browser_languages(request));
    PageError(
        WebError::new(StatusCode::NOT_FOUND, l.t("link-does-not-work"))
            .in_words(l.clone(), l.t("link-does-not-work-heading")),
    )
}

/// Where a request came from, as the audit trail records it.
fn origin(request: &HttpRequest) -> Origin {
    let (ip, user_agent) = super::client::client_info(request);
    Origin { ip, user_agent }
}
