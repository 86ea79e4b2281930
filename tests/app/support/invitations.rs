//! Finding an invitation: as stored (with the nonce its sign link is derived from), by its
//! organization's printed name or by id, or as the API lists it to a coordinator.

use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use undersigned::db::invitations::Invitation;
use undersigned::db::schema::invitations;

use super::TestApp;

/// The stored invitation of the organization printed under this name.
pub async fn invitation_named(app: &TestApp, organization: &str) -> Invitation {
    let name = organization.to_string();
    app.in_database(move |conn| {
        invitations::table
            .filter(invitations::display_name.eq(&name))
            .select(Invitation::as_select())
            .first(conn)
            .unwrap_or_else(|e| panic!("no invitation for {name}: {e}"))
    })
    .await
}

/// The stored invitation with this id.
pub async fn invitation_by_id(app: &TestApp, id: &str) -> Invitation {
    let id = id.to_string();
    app.in_database(move |conn| {
        invitations::table
            .find(&id)
            .select(Invitation::as_select())
            .first(conn)
            .unwrap_or_else(|e| panic!("no invitation {id}: {e}"))
    })
    .await
}

/// The organization's invitation as `GET /letters/{letter}/invitations` lists it.
pub async fn listed_invitation(
    app: &TestApp,
    token: &str,
    letter: &str,
    organization: &str,
) -> Value {
    let listed = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{letter}/invitations"),
            token,
            None,
        )
        .await;
    listed["invitations"]
        .as_array()
        .expect("a list of invitations")
        .iter()
        .find(|i| i["organization"] == organization)
        .unwrap_or_else(|| panic!("{organization} is not listed: {listed}"))
        .clone()
}
