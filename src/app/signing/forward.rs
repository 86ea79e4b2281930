//! Handing the request to a colleague: a new contact and a fresh link, the old one dead.

use serde_json::json;

use crate::app::invitations::Links;
use crate::app::outbox::{self, Email, Job};
use crate::app::{AppError, letters};
use crate::clock::Clock;
use crate::db::invitations::{self, Invitation, InvitationChanges};
use crate::db::{self, DbConnection};
use crate::domain::{EmailAddress, InvalidInput, PersonName};

use super::link::{hold_invitation, partner_event};
use super::page::{choices, may_forward};
use super::*;

/// Hands the request to a colleague (for example a director who must approve): the colleague
/// becomes the contact and gets a fresh link; the forwarding contact's link stops working.
pub fn forward(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    holder: LinkHolder,
    colleague: &EmailAddress,
    colleague_name: Option<&PersonName>,
    origin: &Origin,
) -> Result<Invitation, AppError> {
    let invitation_id = holder.invitation_id;
    db::write_transaction(conn, |conn| {
        let invitation = hold_invitation(conn, holder, db::LetterLock::Shared)?;
        let view = letters::get_letter(conn, &invitation.letter_id)?;
        choices(&view, &invitation, clock.now()).map_err(AppError::Conflict)?;
        if !may_forward(&view, &invitation) {
            return Err(AppError::Conflict(
                "The letter is published with your organization listed; only withdrawing the \
                 signature remains, and that is yours to do."
                    .into(),
            ));
        }
        if colleague.lookup_key() == invitation.contact_email.to_lowercase() {
            return Err(
                InvalidInput::new("that is your own address; enter your colleague's").into(),
            );
        }
        let (nonce, new_hash) = crate::app::invitations::new_link(links, invitation_id);
        let now = clock.now();
        invitations::update(
            conn,
            invitation_id,
            &InvitationChanges {
                contact_email: Some(colleague.as_str()),
                contact_name: Some(colleague_name.map(PersonName::as_str)),
                token_nonce: Some(&nonce),
                token_hash: Some(&new_hash),
                updated_at: Some(now),
                last_activity_at: Some(now),
                ..Default::default()
            },
        )?;
        crate::db::outbox::cancel_pending(conn, invitation_id)?;
        let forwarded_by = invitation
            .contact_name
            .clone()
            .unwrap_or_else(|| invitation.contact_email.clone());
        outbox::queue(
            conn,
            clock,
            links.base_url,
            Job {
                email: Email::Invitation {
                    forwarded_by: Some(forwarded_by),
                    message: None,
                },
                letter_id: &invitation.letter_id,
                invitation_id: Some(invitation_id),
                recipient: colleague.as_str(),
                dedupe_key: None,
            },
        )?;
        partner_event(
            conn,
            clock,
            &invitation,
            "invitation.forwarded",
            json!({
                "from": invitation.contact_email,
                "to": colleague.as_str(),
                "old_link": holder.token_hash,
            }),
            origin,
        )?;
        invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))
    })
}
