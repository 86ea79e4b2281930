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
    PersonalMessage,
};

use super::plan::Planned;
use super::*;

/// What to do when some rows of a batch cannot be invited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadRows {
    /// Invite the others and report the bad ones (the API).
    Skip,
    /// Invite nobody and report the bad ones (the review page: the coordinator sent this list
    /// as a whole).
    SendNothing,
}

/// A batch as the coordinator sends it.
pub struct Batch {
    pub invitees: Vec<Result<Invitee, InvalidInput>>,
    /// Placed into every invitation email of the batch.
    pub message: Option<PersonalMessage>,
    pub bad_rows: BadRows,
    /// The most invitations the letter may hold (`letters.max_invitations`).
    pub max_invitations: usize,
}

/// Invites the batch in one transaction, checked by [`plan`](super::plan): each accepted
/// invitee is found or added in the address book, gets an invitation and its email is queued.
/// Rejected rows are reported by position and change nothing (with `BadRows::SendNothing`,
/// one rejected row means nothing is written). Inviting the first organization opens a draft
/// letter. Errors as `plan`.
pub fn invite(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &LetterId,
    batch: Batch,
) -> Result<InviteOutcome, AppError> {
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let plan = super::plan(conn, letter_id, batch.invitees, batch.max_invitations)?;
        if batch.bad_rows == BadRows::SendNothing && !plan.rejected.is_empty() {
            return Ok(InviteOutcome {
                created: Vec::new(),
                rejected: plan.rejected,
            });
        }
        let email = Email::Invitation {
            forwarded_by: None,
            message: batch.message.map(|m| m.as_str().to_string()),
        };
        let mut created = Vec::with_capacity(plan.accepted.len());
        for planned in &plan.accepted {
            let organization_id = find_or_create_organization(conn, clock, &planned.invitee)?;
            created.push(create_invitation(
                conn,
                clock,
                links,
                actor,
                (letter_id, &organization_id),
                planned,
                &email,
            )?);
        }
        if plan.letter.status == LetterStatus::Draft && !created.is_empty() {
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
        Ok(InviteOutcome {
            created,
            rejected: plan.rejected,
        })
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
    (letter_id, organization_id): (&LetterId, &OrganizationId),
    planned: &Planned,
    email: &Email,
) -> Result<Invitation, AppError> {
    let id = InvitationId::generate();
    let (nonce, token_hash) = new_link(links, &id);
    let now = clock.now();
    let invitee = &planned.invitee;
    invitations::insert(
        conn,
        &invitations::NewInvitation {
            id: &id,
            letter_id,
            organization_id,
            contact_email: invitee.email.as_str(),
            contact_name: invitee.contact_name.as_deref(),
            display_name: &planned.printed_name,
            country: planned.country.as_deref(),
            tier: invitee.tier.as_str(),
            status: InvitationStatus::Queued.as_str(),
            token_nonce: &nonce,
            token_hash: &token_hash,
            language: invitee.language.as_ref().map(|l| l.as_str()),
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
            email: email.clone(),
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
        json!({
            "organization": planned.printed_name,
            "tier": invitee.tier.as_str(),
            "email": invitee.email.as_str(),
            "personal_message": matches!(email, Email::Invitation { message: Some(_), .. }),
        }),
    )?;
    invitations::find(conn, &id)?.ok_or(AppError::NotFound("invitation"))
}
