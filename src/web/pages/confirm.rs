//! The confirmation page of an action that cannot be undone (release now, schedule a release,
//! remind everyone, revoke organizations that signed): what will happen, with counts and names,
//! and a form that sends the same action again with `confirm=yes`. No JavaScript is needed.

use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::{Chrome, render};
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page};

/// One confirmation: the question, what will happen, the organizations concerned, and the form
/// fields that repeat the action.
pub struct Confirmation {
    /// The question, such as "Release “Joint letter” now?".
    pub question: String,
    /// What will happen, one sentence each.
    pub consequences: Vec<String>,
    /// The organizations the action concerns, as they are printed.
    pub names: Vec<String>,
    /// Where the confirmed form goes.
    pub action: String,
    /// The fields of the original form (the CSRF token is added).
    pub fields: Vec<(String, String)>,
    /// The confirming button's label.
    pub button: String,
    /// Where "Go back" leads.
    pub back: String,
}

#[derive(Template)]
#[template(path = "app/confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    confirmation: Confirmation,
}

/// The page asking to confirm (200: nothing has happened yet).
pub fn confirmation_page(
    request: &HttpRequest,
    user: &CurrentUser,
    confirmation: Confirmation,
) -> Result<HttpResponse, PageError> {
    let page = ConfirmPage {
        chrome: Chrome::new(request, user),
        confirmation,
    };
    Ok(html_page(request, render(page)?))
}

/// Whether a form came back from its confirmation page.
pub fn confirmed(value: Option<&str>) -> bool {
    value == Some("yes")
}
