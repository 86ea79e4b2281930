//! The address book filled quickly: many organizations in one CSV import through the import
//! page, one organization through the API, and a row of a page found by its organization.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::TestApp;

/// Imports `count` organizations "Org 0000", "Org 0001", … each with the contact
/// `contact{n}@org{n}.example`, through the import page's confirmed form (303).
pub async fn import_organizations(app: &TestApp, count: usize) {
    let mut csv = String::from("organization,email,country\n");
    for n in 0..count {
        csv.push_str(&format!("Org {n:04},contact{n}@org{n}.example,CH\n"));
    }
    let imported = app
        .post_form("/app/organizations/import", &[("csv", csv.as_str())])
        .await;
    assert_eq!(imported.status(), StatusCode::SEE_OTHER, "the import");
}

/// Creates an organization with `POST /organizations` (201); returns it as the API answered.
pub async fn create_organization(app: &TestApp, token: &str, body: Value) -> Value {
    app.api_expecting(
        StatusCode::CREATED,
        Method::POST,
        "/organizations",
        token,
        Some(body),
    )
    .await
}

/// The text of a page from `start` to the next `end` (panics when either is missing).
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {html}"));
    let to = html[from..]
        .find(end)
        .map(|at| from + at)
        .unwrap_or_else(|| panic!("no {end} after {start} in {html}"));
    &html[from..to]
}
