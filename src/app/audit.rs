//! The audit trail: every action on a letter is recorded with who, what, when and from where.

use crate::db::QueryResult;
use crate::domain::{InvitationId, LetterId};
use serde_json::Value;
use uuid::Uuid;

use super::Actor;
use super::webhook_events::announce;
use crate::clock::Clock;
use crate::db::{DbConnection, audit};
use crate::domain::WebhookEvent;

pub use crate::db::audit::AuditEvent;

/// What an action touched.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    pub letter_id: Option<&'a LetterId>,
    pub invitation_id: Option<&'a InvitationId>,
}

impl<'a> Subject<'a> {
    pub fn letter(letter_id: &'a LetterId) -> Self {
        Self {
            letter_id: Some(letter_id),
            invitation_id: None,
        }
    }

    pub fn invitation(letter_id: &'a LetterId, invitation_id: &'a InvitationId) -> Self {
        Self {
            letter_id: Some(letter_id),
            invitation_id: Some(invitation_id),
        }
    }
}

/// Who did something, as the audit trail names them.
#[derive(Debug, Clone, Copy)]
pub enum Who<'a> {
    /// A coordinator or admin, with the address and browser of the request.
    Account(&'a Actor),
    /// Someone logging in (no `Actor` exists before the session does), or acting through a
    /// link emailed to their account; `user_id` is `None` when the address tried names no
    /// account (a failed login), and `email` is then the address as typed.
    LoggingIn {
        user_id: Option<&'a str>,
        email: &'a str,
        ip: Option<&'a str>,
        user_agent: Option<&'a str>,
    },
    /// The partner holding an invitation's sign link, named by the invitation's contact.
    Partner {
        contact_email: &'a str,
        ip: Option<&'a str>,
        user_agent: Option<&'a str>,
    },
    /// Undersigned itself: "undersigned" (a revision of the public list), "mail worker" (a
    /// bounce), "command line" (an operator at the console).
    System(&'static str),
}

/// Writes one event of the audit trail, inside the caller's transaction, and announces it to
/// the letter's webhooks when it is one of their events. Every event goes through here.
pub fn write(
    conn: &mut DbConnection,
    clock: &Clock,
    who: Who,
    subject: Subject,
    action: &str,
    detail: Value,
) -> QueryResult<()> {
    let partner;
    let (actor_user_id, actor, ip, user_agent) = match who {
        Who::Account(actor) => (
            Some(actor.user_id.as_str()),
            actor.email.as_str(),
            actor.ip.as_deref(),
            actor.user_agent.as_deref(),
        ),
        Who::LoggingIn {
            user_id,
            email,
            ip,
            user_agent,
        } => (user_id, email, ip, user_agent),
        Who::Partner {
            contact_email,
            ip,
            user_agent,
        } => {
            partner = format!("partner {contact_email}");
            (None, partner.as_str(), ip, user_agent)
        }
        Who::System(name) => (None, name, None, None),
    };
    audit::insert(
        conn,
        &audit::NewAuditEvent {
            id: &Uuid::new_v4().to_string(),
            letter_id: subject.letter_id.map(LetterId::as_str),
            invitation_id: subject.invitation_id.map(InvitationId::as_str),
            actor_user_id,
            actor,
            action,
            detail: &detail.to_string(),
            ip,
            user_agent,
            created_at: clock.now(),
        },
    )?;
    // An action that is an event of the letter is announced to its webhooks in the same
    // transaction.
    if let (Some(event), Some(letter_id)) = (
        WebhookEvent::for_audit_action(action, &detail),
        subject.letter_id,
    ) {
        let named = detail["invitation"].as_str().map(InvitationId::from);
        let invitation = subject.invitation_id.or(named.as_ref());
        announce(conn, clock, letter_id, invitation, event)?;
    }
    Ok(())
}

/// A letter's audit trail, oldest first, for its audit page and export.
pub fn for_letter(
    conn: &mut DbConnection,
    letter_id: &LetterId,
) -> Result<Vec<AuditEvent>, super::AppError> {
    Ok(audit::for_letter(conn, letter_id)?)
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
    write(conn, clock, Who::Account(actor), subject, action, detail)
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
    write(
        conn,
        clock,
        Who::System("undersigned"),
        subject,
        action,
        detail,
    )
}
