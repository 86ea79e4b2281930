//! A partner's link: the token checked in constant time and exchanged for a cookie bound to
//! the invitation and its current link; the invitation behind that cookie, locked for a decision.

use serde_json::json;

use crate::app::AppError;
use crate::clock::Clock;
use crate::crypto::{constant_time_eq, sha256_hex};
use crate::db::invitations::{self, Invitation, InvitationChanges};
use crate::db::{self, DbConnection};
use crate::domain::{InvitationId, InvitationStatus};

use super::*;

/// Checks a sign-link token. Unknown, revoked and expired links are alike: `None`. A GET never
/// decides (mail scanners open links); it only marks the invitation opened, once.
pub fn open_link(
    conn: &mut DbConnection,
    clock: &Clock,
    token: &str,
    origin: &Origin,
) -> Result<Option<OpenedLink>, AppError> {
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(None);
    }
    let token_hash = sha256_hex(token);
    db::write_transaction(conn, |conn| {
        let Some(found) = invitations::find_by_token_hash(conn, &token_hash)? else {
            return Ok(None);
        };
        // Read again under the row lock: a coordinator may be revoking it this very moment.
        db::lock_invitation(conn, &found.id)?;
        let Some(invitation) = invitations::find(conn, &found.id)? else {
            return Ok(None);
        };
        if !constant_time_eq(&invitation.token_hash, &token_hash) || !invitation.status.link_works()
        {
            return Ok(None);
        }
        if invitation.opened_at.is_none() {
            let now = clock.now();
            let status = matches!(
                invitation.status,
                InvitationStatus::Queued | InvitationStatus::Sent
            )
            .then_some(InvitationStatus::Opened.as_str());
            invitations::update(
                conn,
                &invitation.id,
                &InvitationChanges {
                    status,
                    opened_at: Some(Some(now)),
                    last_activity_at: Some(now),
                    ..Default::default()
                },
            )?;
            partner_event(
                conn,
                clock,
                &invitation,
                "invitation.opened",
                json!({}),
                origin,
            )?;
        }
        Ok(Some(OpenedLink {
            invitation_id: invitation.id,
            token_hash,
        }))
    })
}

/// The invitation behind a sign-page cookie, locked for a decision: the letter first (shared
/// with other partners' decisions, or alone when the decision changes the published list), then
/// the invitation, read under its lock, so that what is checked here still holds when the
/// transaction commits.
pub(super) fn hold_invitation(
    conn: &mut DbConnection,
    holder: LinkHolder,
    letter_lock: db::LetterLock,
) -> Result<Invitation, AppError> {
    db::lock_letter(conn, holder.letter_id, letter_lock)?;
    db::lock_invitation(conn, holder.invitation_id)?;
    current_invitation(conn, holder.invitation_id, holder.token_hash)?
        .ok_or(AppError::NotFound("invitation"))
}

/// The invitation behind a sign-page cookie, if the link it was opened with is still its link.
pub fn current_invitation(
    conn: &mut DbConnection,
    invitation_id: &InvitationId,
    token_hash: &str,
) -> Result<Option<Invitation>, AppError> {
    Ok(invitations::find(conn, invitation_id)?
        .filter(|i| constant_time_eq(&i.token_hash, token_hash) && i.status.link_works()))
}

/// An audit event whose actor is the partner holding the link.
pub(super) fn partner_event(
    conn: &mut DbConnection,
    clock: &Clock,
    invitation: &Invitation,
    action: &str,
    detail: serde_json::Value,
    origin: &Origin,
) -> crate::db::QueryResult<()> {
    crate::app::audit::write(
        conn,
        clock,
        crate::app::audit::Who::Partner {
            contact_email: &invitation.contact_email,
            ip: origin.ip.as_deref(),
            user_agent: origin.user_agent.as_deref(),
        },
        crate::app::audit::Subject::invitation(&invitation.letter_id, &invitation.id),
        action,
        detail,
    )
}
