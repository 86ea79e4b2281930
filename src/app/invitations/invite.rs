//! Inviting organizations: each acceptable invitee in one transaction (found or added in the
//! address book), a sign link derived from the server secret, and the invitation email queued.

use serde_json::json;
use uuid::Uuid;

use crate::app::audit::{self, Subject};
use crate::app::outbox::{self, Email, Job};
use crate::app::{Actor, AppError, hold_letter};
use crate::clock::Clock;
use crate::db::invitations::{self, Invitation};
use crate::db::letters::{self, LetterChanges};
use crate::db::organizations::{self, NewContact, NewOrganization};
use crate::db::{self, DbConnection};
use crate::domain::{
    CountryCode, InvalidInput, InvitationStatus, LetterId, LetterStatus, OrganizationId,
};

use super::*;

/// Invites every acceptable invitee in one transaction; the others are reported by position
/// and change nothing. Inviting the first organization opens a draft letter.
pub fn invite(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &LetterId,
    invitees: Vec<Result<Invitee, InvalidInput>>,
) -> Result<InviteOutcome, AppError> {
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let letter = letters::find(conn, letter_id)?.ok_or(AppError::NotFound("letter"))?;
        let status = letter.status;
        if !matches!(status, LetterStatus::Draft | LetterStatus::Open) {
            return Err(AppError::conflict(format!(
                "a {} letter takes no new invitations; reopen it first",
                status.as_str()
            )));
        }
        let mut outcome = InviteOutcome {
            created: Vec::new(),
            rejected: Vec::new(),
        };
        let mut seen = std::collections::HashSet::new();
        for (index, invitee) in invitees.into_iter().enumerate() {
            let invitee = match invitee {
                Ok(invitee) => invitee,
                Err(problem) => {
                    outcome.rejected.push((index, problem.0));
                    continue;
                }
            };
            if !seen.insert(invitee.organization.key()) {
                outcome.rejected.push((
                    index,
                    format!(
                        "{} appears twice in this list",
                        invitee.organization.as_str()
                    ),
                ));
                continue;
            }
            let organization_id = find_or_create_organization(conn, clock, &invitee)?;
            if invitations::find_open(conn, letter_id, &organization_id)?.is_some() {
                outcome.rejected.push((
                    index,
                    format!(
                        "{} is already invited to this letter",
                        invitee.organization.as_str()
                    ),
                ));
                continue;
            }
            outcome.created.push(create_invitation(
                conn,
                clock,
                links,
                actor,
                letter_id,
                &organization_id,
                &invitee,
            )?);
        }
        if status == LetterStatus::Draft && !outcome.created.is_empty() {
            letters::update(
                conn,
                letter_id,
                &LetterChanges {
                    status: Some(LetterStatus::Open.as_str()),
                    updated_at: Some(clock.now()),
                    ..Default::default()
                },
            )?;
            audit::record(
                conn,
                clock,
                actor,
                Subject::letter(letter_id),
                "letter.status_changed",
                json!({ "from": LetterStatus::Draft, "to": LetterStatus::Open }),
            )?;
        }
        Ok(outcome)
    })
}

fn find_or_create_organization(
    conn: &mut DbConnection,
    clock: &Clock,
    invitee: &Invitee,
) -> Result<OrganizationId, AppError> {
    let key = invitee.organization.key();
    let now = clock.now();
    let id = match organizations::find_by_key(conn, &key)? {
        Some(existing) => existing.id,
        None => {
            let id = OrganizationId::generate();
            let display = invitee
                .display_name
                .as_ref()
                .unwrap_or(&invitee.organization);
            organizations::insert(
                conn,
                &NewOrganization {
                    id: &id,
                    name: invitee.organization.as_str(),
                    name_key: &key,
                    display_name: display.as_str(),
                    country: invitee.country.as_ref().map(CountryCode::as_str),
                    website: None,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            id
        }
    };
    organizations::add_contact(
        conn,
        &NewContact {
            id: &Uuid::new_v4().to_string(),
            organization_id: &id,
            email: invitee.email.as_str(),
            name: invitee.contact_name.as_deref(),
            created_at: now,
        },
    )?;
    Ok(id)
}

fn create_invitation(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &LetterId,
    organization_id: &OrganizationId,
    invitee: &Invitee,
) -> Result<Invitation, AppError> {
    let id = InvitationId::generate();
    let (nonce, token_hash) = new_link(links, &id);
    let now = clock.now();
    let organization =
        organizations::find(conn, organization_id)?.ok_or(AppError::NotFound("organization"))?;
    let display_name = invitee
        .display_name
        .as_ref()
        .map_or(organization.display_name.as_str(), |d| d.as_str());
    let country = invitee
        .country
        .as_ref()
        .map(CountryCode::as_str)
        .or(organization.country.as_deref());
    invitations::insert(
        conn,
        &invitations::NewInvitation {
            id: &id,
            letter_id,
            organization_id,
            contact_email: invitee.email.as_str(),
            contact_name: invitee.contact_name.as_deref(),
            display_name,
            country,
            tier: invitee.tier.as_str(),
            status: InvitationStatus::Queued.as_str(),
            token_nonce: &nonce,
            token_hash: &token_hash,
            created_at: now,
            updated_at: now,
            last_activity_at: now,
        },
    )?;
    outbox::queue(
        conn,
        clock,
        links.base_url,
        Job {
            email: Email::INVITATION,
            letter_id,
            invitation_id: Some(&id),
            recipient: invitee.email.as_str(),
            dedupe_key: None,
        },
    )?;
    audit::record(
        conn,
        clock,
        actor,
        Subject::invitation(letter_id, &id),
        "invitation.created",
        json!({ "organization": display_name, "tier": invitee.tier.as_str(), "email": invitee.email.as_str() }),
    )?;
    invitations::find(conn, &id)?.ok_or(AppError::NotFound("invitation"))
}
