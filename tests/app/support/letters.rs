//! Letters as tests need them: one builder that drafts a letter through the API and invites
//! its organizations, failing the test (with the app's answer) when any step is refused.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use super::{TestApp, api};

/// A letter to create; by default the joint letter on Xinjiang of the seed, inviting nobody.
pub struct NewLetter {
    fields: Value,
    invitees: Vec<Value>,
}

/// A letter the app created: its id and slug, the API's answer, and the invitations made with it
/// (as the API answered them).
pub struct Letter {
    pub id: String,
    pub slug: String,
    pub json: Value,
    pub invitations: Vec<Value>,
}

impl Default for NewLetter {
    fn default() -> Self {
        Self::new()
    }
}

impl NewLetter {
    /// "Joint Letter on Xinjiang" to António Guterres: "We urge you to act."
    pub fn new() -> Self {
        Self {
            fields: json!({
                "title": "Joint Letter on Xinjiang",
                "addressee": "António Guterres",
                "body_markdown": "We urge you to act.",
            }),
            invitees: Vec::new(),
        }
    }

    /// Sets one field of the `POST /letters` body (`title`, `body_markdown`, `deadline`,
    /// `show_signatories`, …).
    pub fn with(mut self, field: &str, value: impl Into<Value>) -> Self {
        self.fields[field] = value.into();
        self
    }

    /// Invites organizations given as (name, tier), each at `org{n}@example.org`, `n` counting
    /// this letter's invitees from 0 in the order given.
    pub fn organizations(mut self, organizations: &[(&str, &str)]) -> Self {
        for (name, tier) in organizations {
            let n = self.invitees.len();
            self.invitees.push(
                json!({ "organization": name, "tier": tier, "email": format!("org{n}@example.org") }),
            );
        }
        self
    }

    /// Invites organizations given as (name, email), with the default tier.
    pub fn contacts(mut self, contacts: &[(&str, &str)]) -> Self {
        self.invitees
            .extend(contacts.iter().map(|(name, email)| contact(name, email)));
        self
    }

    /// Invites with exactly these fields (an item of `POST /letters/{id}/invitations`).
    pub fn invitee(mut self, item: Value) -> Self {
        self.invitees.push(item);
        self
    }

    /// Creates the letter through this app's API (201), then its invitations (201, none
    /// rejected).
    pub async fn create(self, app: &TestApp, token: &str) -> Letter {
        self.create_at(&app.client, &app.address, token).await
    }

    /// Creates the letter through the API of the instance at `base`, as `create` does.
    pub async fn create_at(self, client: &Client, base: &str, token: &str) -> Letter {
        let json = api::expecting(
            client,
            base,
            StatusCode::CREATED,
            Method::POST,
            "/letters",
            token,
            Some(self.fields),
        )
        .await;
        let id = json["id"].as_str().expect("the letter's id").to_string();
        let slug = json["slug"]
            .as_str()
            .expect("the letter's slug")
            .to_string();
        let invitations = if self.invitees.is_empty() {
            Vec::new()
        } else {
            invite_at(client, base, token, &id, self.invitees).await
        };
        Letter {
            id,
            slug,
            json,
            invitations,
        }
    }
}

impl Letter {
    /// The id of the invitation made for this organization with the letter.
    pub fn invitation_id(&self, organization: &str) -> String {
        id_of(&self.invitations, organization)
    }
}

/// An invitation item for (name, email), with the default tier.
pub fn contact(name: &str, email: &str) -> Value {
    json!({ "organization": name, "email": email })
}

/// Invites organizations to a letter through this app's API: 201 and nothing rejected, or the
/// test fails. Returns the invitations as the API answered them.
pub async fn invite(app: &TestApp, token: &str, letter: &str, items: Vec<Value>) -> Vec<Value> {
    invite_at(&app.client, &app.address, token, letter, items).await
}

/// Invites organizations through the API of the instance at `base`, as `invite` does.
pub async fn invite_at(
    client: &Client,
    base: &str,
    token: &str,
    letter: &str,
    items: Vec<Value>,
) -> Vec<Value> {
    let answer = api::expecting(
        client,
        base,
        StatusCode::CREATED,
        Method::POST,
        &format!("/letters/{letter}/invitations"),
        token,
        Some(json!({ "invitations": items })),
    )
    .await;
    assert!(
        answer["rejected"].as_array().is_none_or(Vec::is_empty),
        "every invitation is made: {answer}"
    );
    answer["invitations"]
        .as_array()
        .expect("the invitations made")
        .clone()
}

/// The id of this organization's invitation among invitations the API answered.
pub fn id_of(invitations: &[Value], organization: &str) -> String {
    invitations
        .iter()
        .find(|i| i["organization"] == organization)
        .and_then(|i| i["id"].as_str())
        .unwrap_or_else(|| panic!("{organization} is not among {invitations:?}"))
        .to_string()
}

/// Releases the letter now as `token`'s admin, asserting 200; returns the release.
pub async fn release_now(app: &TestApp, token: &str, letter: &str) -> Value {
    app.api_expecting(
        reqwest::StatusCode::OK,
        reqwest::Method::POST,
        &format!("/letters/{letter}/release"),
        token,
        Some(serde_json::json!({})),
    )
    .await
}
