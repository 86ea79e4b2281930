//! Changing one invitation: revoking it (one or several), a new link, how the organization is
//! printed or its tier. The letter is held alone, and a released letter's invitations stay.

use serde_json::json;

use crate::app::audit::{self, Subject};
use crate::app::outbox::{self, Email, Job};
use crate::app::{Actor, AppError, hold_letter};
use crate::clock::Clock;
use crate::db::invitations::{self, Invitation, InvitationChanges};
use crate::db::letters::{self};
use crate::db::{self, DbConnection};
use crate::domain::{
    InvitationId, InvitationStatus, LetterId, LetterStatus, OrganizationName, Tier,
};

use super::*;

/// The invitation, with its letter held alone and its row locked, unless the letter is
/// released (its invitations are then part of the public record).
fn editable_invitation(
    conn: &mut DbConnection,
    invitation_id: &InvitationId,
) -> Result<Invitation, AppError> {
    let letter_id = invitations::find(conn, invitation_id)?
        .ok_or(AppError::NotFound("invitation"))?
        .letter_id;
    hold_letter(conn, &letter_id)?;
    db::lock_invitation(conn, invitation_id)?;
    let invitation =
        invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))?;
    let letter = letters::find(conn, &invitation.letter_id)?.ok_or(AppError::NotFound("letter"))?;
    if letter.status == LetterStatus::Released {
        return Err(AppError::conflict(
            "the letter is released; its invitations can no longer change",
        ));
    }
    Ok(invitation)
}

/// Revokes invitations of one letter chosen on its dashboard, in one transaction; an id of
/// another letter's invitation refuses them all. Returns how many.
pub fn revoke_many(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &LetterId,
    invitation_ids: &[InvitationId],
) -> Result<usize, AppError> {
    db::write_transaction(conn, |conn| {
        for id in invitation_ids {
            if invitations::find(conn, id)?.is_none_or(|i| i.letter_id != *letter_id) {
                return Err(AppError::NotFound("invitation"));
            }
            revoke(conn, clock, actor, id)?;
        }
        Ok(invitation_ids.len())
    })
}

/// Revokes an invitation: its link stops working and unsent emails are withdrawn. Revoking a
/// revoked invitation changes nothing.
pub fn revoke(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    invitation_id: &InvitationId,
) -> Result<Invitation, AppError> {
    db::write_transaction(conn, |conn| {
        let invitation = editable_invitation(conn, invitation_id)?;
        if invitation.status == InvitationStatus::Revoked {
            return Ok(invitation);
        }
        let now = clock.now();
        invitations::update(
            conn,
            invitation_id,
            &InvitationChanges {
                status: Some(InvitationStatus::Revoked.as_str()),
                updated_at: Some(now),
                last_activity_at: Some(now),
                ..Default::default()
            },
        )?;
        crate::db::outbox::cancel_pending(conn, invitation_id)?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::invitation(&invitation.letter_id, invitation_id),
            "invitation.revoked",
            json!({ "organization": invitation.display_name, "previous_status": invitation.status }),
        )?;
        invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))
    })
}

/// Sends a new link: the old one stops working at once. A revoked invitation comes back to
/// life unless the organization has been invited again since. A decision already made stands.
pub fn reinvite(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    invitation_id: &InvitationId,
) -> Result<Invitation, AppError> {
    db::write_transaction(conn, |conn| {
        let invitation = editable_invitation(conn, invitation_id)?;
        if invitation.status == InvitationStatus::Revoked
            && invitations::find_open(conn, &invitation.letter_id, &invitation.organization_id)?
                .is_some()
        {
            return Err(AppError::conflict(
                "this organization has a newer invitation to the letter",
            ));
        }
        let (nonce, token_hash) = new_link(links, invitation_id);
        let now = clock.now();
        let answered = invitation.status.has_answered();
        invitations::update(
            conn,
            invitation_id,
            &InvitationChanges {
                status: (!answered).then_some(InvitationStatus::Queued.as_str()),
                token_nonce: Some(&nonce),
                token_hash: Some(&token_hash),
                updated_at: Some(now),
                last_activity_at: Some(now),
                ..Default::default()
            },
        )?;
        crate::db::outbox::cancel_pending(conn, invitation_id)?;
        outbox::queue(
            conn,
            clock,
            links.base_url,
            Job {
                email: Email::INVITATION,
                letter_id: &invitation.letter_id,
                invitation_id: Some(invitation_id),
                recipient: &invitation.contact_email,
                dedupe_key: None,
            },
        )?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::invitation(&invitation.letter_id, invitation_id),
            "invitation.reinvited",
            json!({ "organization": invitation.display_name, "email": invitation.contact_email }),
        )?;
        invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))
    })
}

/// Changes how the organization will be printed, or its tier.
pub fn edit(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    invitation_id: &InvitationId,
    tier: Option<Tier>,
    display_name: Option<OrganizationName>,
) -> Result<Invitation, AppError> {
    db::write_transaction(conn, |conn| {
        let invitation = editable_invitation(conn, invitation_id)?;
        let now = clock.now();
        invitations::update(
            conn,
            invitation_id,
            &InvitationChanges {
                tier: tier.map(Tier::as_str),
                display_name: display_name.as_ref().map(OrganizationName::as_str),
                updated_at: Some(now),
                ..Default::default()
            },
        )?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::invitation(&invitation.letter_id, invitation_id),
            "invitation.edited",
            json!({
                "tier": tier.map(Tier::as_str),
                "display_name": display_name.as_ref().map(OrganizationName::as_str),
            }),
        )?;
        invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))
    })
}
