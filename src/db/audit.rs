//! Rows of `audit_events`: who did what, when and from where. Append-only (the database
//! refuses updates and deletes).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::audit_events;
use crate::domain::LetterId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    pub id: String,
    pub letter_id: Option<String>,
    pub invitation_id: Option<String>,
    pub actor_user_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub detail: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_events)]
pub struct NewAuditEvent<'a> {
    pub id: &'a str,
    pub letter_id: Option<&'a str>,
    pub invitation_id: Option<&'a str>,
    pub actor_user_id: Option<&'a str>,
    pub actor: &'a str,
    pub action: &'a str,
    pub detail: &'a str,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, event: &NewAuditEvent) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values(event)
        .execute(conn)
        .map(drop)
}

/// The events of a letter, oldest first.
pub fn for_letter(conn: &mut DbConnection, letter_id: &LetterId) -> QueryResult<Vec<AuditEvent>> {
    audit_events::table
        .filter(audit_events::letter_id.eq(letter_id.as_str()))
        .order((audit_events::created_at.asc(), audit_events::id.asc()))
        .select(AuditEvent::as_select())
        .load(conn)
}

/// The hand-over that retired the sign link with this SHA-256, if one did: the
/// `invitation.forwarded` event whose detail names it as `old_link`.
pub fn forwarded_from(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<AuditEvent>> {
    if !token_hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    audit_events::table
        .filter(audit_events::action.eq("invitation.forwarded"))
        .filter(audit_events::detail.like(format!("%\"old_link\":\"{token_hash}\"%")))
        .order((audit_events::created_at.desc(), audit_events::id.desc()))
        .select(AuditEvent::as_select())
        .first(conn)
        .optional()
}
