//! Rows of `webhooks`: endpoints told of a letter's events (or every letter's, when
//! `letter_id` is NULL). Their deliveries are outbox jobs of kind `webhook` (`db::outbox`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{outbox, webhooks};
use crate::domain::LetterId;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhooks)]
pub struct Webhook {
    pub id: String,
    pub letter_id: Option<String>,
    pub url: String,
    /// Event names, comma-separated.
    pub events: String,
    pub secret_nonce: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

impl Webhook {
    /// The events it is told of.
    pub fn event_names(&self) -> impl Iterator<Item = &str> {
        self.events.split(',').filter(|e| !e.is_empty())
    }
}

pub fn insert(conn: &mut DbConnection, webhook: &Webhook) -> QueryResult<()> {
    diesel::insert_into(webhooks::table)
        .values(webhook)
        .execute(conn)
        .map(drop)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Webhook>> {
    webhooks::table
        .find(id)
        .select(Webhook::as_select())
        .first(conn)
        .optional()
}

/// A letter's webhooks, oldest first; `None`: the installation's (every letter's).
pub fn list(conn: &mut DbConnection, letter_id: Option<&LetterId>) -> QueryResult<Vec<Webhook>> {
    let query = webhooks::table
        .order((webhooks::created_at.asc(), webhooks::id.asc()))
        .select(Webhook::as_select())
        .into_boxed();
    match letter_id {
        Some(letter_id) => query.filter(webhooks::letter_id.eq(letter_id.as_str())),
        None => query.filter(webhooks::letter_id.is_null()),
    }
    .load(conn)
}

/// The webhooks told of what happens to this letter: its own and the installation's.
pub fn for_event_of(conn: &mut DbConnection, letter_id: &LetterId) -> QueryResult<Vec<Webhook>> {
    webhooks::table
        .filter(
            webhooks::letter_id
                .eq(letter_id.as_str())
                .or(webhooks::letter_id.is_null()),
        )
        .order(webhooks::created_at.asc())
        .select(Webhook::as_select())
        .load(conn)
}

/// Removes the webhook and the deliveries still waiting for it. Returns whether it existed.
pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::delete(
        outbox::table
            .filter(outbox::kind.eq("webhook"))
            .filter(outbox::recipient.eq(id))
            .filter(outbox::status.eq("pending")),
    )
    .execute(conn)?;
    Ok(diesel::delete(webhooks::table.find(id)).execute(conn)? == 1)
}
