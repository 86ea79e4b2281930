//! The pages of coordinators and admins under `/app`, and the login and setup pages. Each
//! handler parses its form into domain types and calls the same use cases as the JSON API.

mod accounts;
mod audit;
mod auth;
mod bulk;
mod bulk_filtered;
mod chart;
mod confirm;
mod dashboard;
mod exports;
pub(crate) mod field_errors;
mod invitations;
mod letters;
mod mail;
mod notifications;
mod organizations;
mod own_account;
mod own_totp;
mod paging;
mod recovery;
mod release;
mod requests;
mod second_step;
mod settings;
mod webhooks;

use actix_web::middleware::from_fn;
use actix_web::{HttpRequest, web};

use super::session::{CurrentUser, csrf_token, require_session, take_notice};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(auth::routes)
        .configure(settings::public_routes)
        .configure(second_step::routes)
        .configure(recovery::routes)
        .service(
            web::scope("/app")
                .wrap(from_fn(require_session))
                .configure(letters::routes)
                .configure(dashboard::routes)
                .configure(bulk::routes)
                .configure(invitations::routes)
                .configure(organizations::routes)
                .configure(audit::routes)
                .configure(exports::routes)
                .configure(accounts::routes)
                .configure(own_account::routes)
                .configure(own_totp::routes)
                .configure(mail::routes)
                .configure(release::routes)
                .configure(settings::routes)
                .configure(notifications::routes)
                .configure(requests::routes)
                .configure(webhooks::routes),
        );
}

/// What every page of `/app` shows around its content: who is signed in, the CSRF token of its
/// forms, and the notice left by the previous action.
pub struct Chrome {
    pub user_name: String,
    pub is_admin: bool,
    pub csrf: String,
    pub notice: Option<String>,
    /// The section of the navigation this page belongs to (marked as the current page).
    pub section: Section,
}

/// The sections of the app's navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Letters,
    AddressBook,
    Accounts,
    Mail,
    Settings,
    OwnAccount,
}

impl Section {
    /// The section a path of `/app` belongs to.
    pub fn of(path: &str) -> Self {
        let rest = path.strip_prefix("/app").unwrap_or(path);
        if rest.starts_with("/organizations") {
            Self::AddressBook
        } else if rest.starts_with("/accounts") {
            Self::Accounts
        } else if rest.starts_with("/mail") {
            Self::Mail
        } else if rest.starts_with("/settings") {
            Self::Settings
        } else if rest.starts_with("/account") {
            Self::OwnAccount
        } else {
            Self::Letters
        }
    }

    /// ` aria-current="page"` for the current section's link, nothing for the others.
    pub fn current(&self, section: &str) -> &'static str {
        let this = match self {
            Self::Letters => "letters",
            Self::AddressBook => "address-book",
            Self::Accounts => "accounts",
            Self::Mail => "mail",
            Self::Settings => "settings",
            Self::OwnAccount => "account",
        };
        if this == section {
            r#" aria-current="page""#
        } else {
            ""
        }
    }
}

impl Chrome {
    pub fn new(request: &HttpRequest, user: &CurrentUser) -> Self {
        Self {
            user_name: user.0.name.clone(),
            is_admin: user.is_admin(),
            csrf: csrf_token(request),
            notice: take_notice(request),
            section: Section::of(request.path()),
        }
    }
}

/// Renders a page template; a template error is an internal error.
pub(super) fn render(template: impl askama::Template) -> Result<String, super::PageError> {
    template
        .render()
        .map_err(|e| super::PageError(super::WebError::internal(e)))
}

/// A form that carries nothing but its CSRF token (a button that acts).
#[derive(serde::Deserialize)]
pub(super) struct CsrfForm {
    pub csrf_token: String,
}

/// Times as coordinators read them in tables: "2026-11-26 14:05 UTC".
pub fn when(at: &chrono::NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

pub fn when_opt(at: &Option<chrono::NaiveDateTime>) -> String {
    at.as_ref().map(when).unwrap_or_default()
}
