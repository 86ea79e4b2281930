//! The audit trail: every action on a letter is recorded with who, what, when and from where.

use diesel::QueryResult;
use serde_json::Value;
use uuid::Uuid;

use super::Actor;
use crate::clock::Clock;
use crate::db::{DbConnection, audit};

pub use crate::db::audit::AuditEvent;

/// What an action touched.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    pub letter_id: Option<&'a str>,
    pub invitation_id: Option<&'a str>,
}

impl<'a> Subject<'a> {
    pub fn letter(letter_id: &'a str) -> Self {
        Self {
            letter_id: Some(letter_id),
            invitation_id: None,
        }
    }

    pub fn invitation(letter_id: &'a str, invitation_id: &'a str) -> Self {
        Self {
            letter_id: Some(letter_id),
            invitation_id: Some(invitation_id),
        }
    }
}

/// Records an action by a coordinator or admin, inside the caller's transaction.
pub fn record(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    subject: Subject,
    action: &str,
    detail: Value,
) -> QueryResult<()> {
    audit::insert(
        conn,
        &audit::NewAuditEvent {
            id: &Uuid::new_v4().to_string(),
            letter_id: subject.letter_id,
            invitation_id: subject.invitation_id,
            actor_user_id: Some(&actor.user_id),
            actor: &actor.email,
            action,
            detail: &detail.to_string(),
            ip: actor.ip.as_deref(),
            user_agent: actor.user_agent.as_deref(),
            created_at: clock.now(),
        },
    )
}

/// Records what Undersigned did on its own (a revision of the public list, say), inside the
/// caller's transaction.
pub fn record_system(
    conn: &mut DbConnection,
    clock: &Clock,
    subject: Subject,
    action: &str,
    detail: Value,
) -> QueryResult<()> {
    audit::insert(
        conn,
        &audit::NewAuditEvent {
            id: &Uuid::new_v4().to_string(),
            letter_id: subject.letter_id,
            invitation_id: subject.invitation_id,
            actor_user_id: None,
            actor: "undersigned",
            action,
            detail: &detail.to_string(),
            ip: None,
            user_agent: None,
            created_at: clock.now(),
        },
    )
}

/// The audit log of a letter as CSV: time (UTC), actor, action, invitation, detail, IP, agent.
pub fn to_csv(events: &[AuditEvent]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "time_utc",
        "actor",
        "action",
        "invitation_id",
        "detail",
        "ip",
        "user_agent",
    ])?;
    for event in events {
        writer.write_record([
            event
                .created_at
                .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                .to_string()
                .as_str(),
            &neutralize_formula(&event.actor),
            &event.action,
            event.invitation_id.as_deref().unwrap_or(""),
            &neutralize_formula(&event.detail),
            event.ip.as_deref().unwrap_or(""),
            &neutralize_formula(event.user_agent.as_deref().unwrap_or("")),
        ])?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// Spreadsheets run a cell that starts with = + - @ as a formula; a leading quote keeps such
/// text inert when a coordinator opens an export.
pub fn neutralize_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}
