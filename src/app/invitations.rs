//! Invitations: asking organizations to sign a letter. Each invitation gets a sign link derived
//! from the server secret and a nonce; only the link's SHA-256 is stored, and the invitation
//! email is queued in the same transaction.

use serde_json::json;
use uuid::Uuid;

use super::audit::{self, Subject};
use super::outbox::{self, EmailKind, Job};
use super::{Actor, AppError, hold_letter};
use crate::clock::Clock;
use crate::config::BaseUrl;
use crate::crypto::sha256_hex;
use crate::db::invitations::{self, Invitation, InvitationChanges};
use crate::db::letters::{self, LetterChanges};
use crate::db::organizations::{self, NewContact, NewOrganization};
use crate::db::{self, DbConnection};
use crate::domain::{
    CountryCode, EmailAddress, InvalidInput, InvitationStatus, LetterStatus, OrganizationName, Tier,
};
use crate::secrets::ServerSecrets;

/// What the mail side needs to send invitations: the secret links are derived from, and the
/// public address they point to.
pub struct Links<'a> {
    pub secrets: &'a ServerSecrets,
    pub base_url: &'a BaseUrl,
}

/// One organization to invite, parsed.
#[derive(Debug, Clone)]
pub struct Invitee {
    pub organization: OrganizationName,
    pub display_name: Option<OrganizationName>,
    pub email: EmailAddress,
    pub contact_name: Option<String>,
    pub tier: Tier,
    pub country: Option<CountryCode>,
}

#[derive(Debug)]
pub struct InviteOutcome {
    pub created: Vec<Invitation>,
    /// Position in the request and why it was not invited.
    pub rejected: Vec<(usize, String)>,
}

/// Invites every acceptable invitee in one transaction; the others are reported by position
/// and change nothing. Inviting the first organization opens a draft letter.
pub fn invite(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &str,
    invitees: Vec<Result<Invitee, InvalidInput>>,
) -> Result<InviteOutcome, AppError> {
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let letter = letters::find(conn, letter_id)?.ok_or(AppError::NotFound("letter"))?;
        let status = LetterStatus::from_stored(&letter.status);
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
                json!({ "from": "draft", "to": "open" }),
            )?;
        }
        Ok(outcome)
    })
}

fn find_or_create_organization(
    conn: &mut DbConnection,
    clock: &Clock,
    invitee: &Invitee,
) -> Result<String, AppError> {
    let key = invitee.organization.key();
    let now = clock.now();
    let id = match organizations::find_by_key(conn, &key)? {
        Some(existing) => existing.id,
        None => {
            let id = Uuid::new_v4().to_string();
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

/// A fresh nonce and the SHA-256 of the link token it yields; the token itself is not kept.
pub(crate) fn new_link(links: &Links, invitation_id: &str) -> (String, String) {
    let mut nonce = [0u8; 16];
    rand::fill(&mut nonce);
    let nonce = hex::encode(nonce);
    let token = links.secrets.sign_link_token(invitation_id, &nonce);
    (nonce, sha256_hex(token))
}

fn create_invitation(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &str,
    organization_id: &str,
    invitee: &Invitee,
) -> Result<Invitation, AppError> {
    let id = Uuid::new_v4().to_string();
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
            kind: EmailKind::Invitation,
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

/// The invitation, with its letter held alone and its row locked, unless the letter is
/// released (its invitations are then part of the public record).
fn editable_invitation(
    conn: &mut DbConnection,
    invitation_id: &str,
) -> Result<Invitation, AppError> {
    let letter_id = invitations::find(conn, invitation_id)?
        .ok_or(AppError::NotFound("invitation"))?
        .letter_id;
    hold_letter(conn, &letter_id)?;
    db::lock_invitation(conn, invitation_id)?;
    let invitation =
        invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))?;
    let letter = letters::find(conn, &invitation.letter_id)?.ok_or(AppError::NotFound("letter"))?;
    if LetterStatus::from_stored(&letter.status) == LetterStatus::Released {
        return Err(AppError::conflict(
            "the letter is released; its invitations can no longer change",
        ));
    }
    Ok(invitation)
}

/// Revokes an invitation: its link stops working and unsent emails are withdrawn. Revoking a
/// revoked invitation changes nothing.
pub fn revoke(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    invitation_id: &str,
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
    invitation_id: &str,
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
                kind: EmailKind::Invitation,
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
    invitation_id: &str,
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

/// Queues a reminder to every invitation of the letter that has not answered (or to the chosen
/// ones among them), skipping those with a reminder still waiting. Returns how many were queued.
pub fn remind(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &str,
    only: Option<&[String]>,
) -> Result<usize, AppError> {
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let letter = letters::find(conn, letter_id)?.ok_or(AppError::NotFound("letter"))?;
        if LetterStatus::from_stored(&letter.status) != LetterStatus::Open {
            return Err(AppError::conflict(
                "reminders go out only while the letter is open",
            ));
        }
        let mut queued = 0;
        for invitation in invitations::for_letter(conn, letter_id)? {
            let chosen = only.is_none_or(|ids| ids.contains(&invitation.id));
            if !chosen
                || !invitation.status.awaits_answer()
                || crate::db::outbox::has_pending(conn, &invitation.id, "reminder")?
            {
                continue;
            }
            outbox::queue(
                conn,
                clock,
                links.base_url,
                Job {
                    kind: EmailKind::Reminder,
                    letter_id,
                    invitation_id: Some(&invitation.id),
                    recipient: &invitation.contact_email,
                    dedupe_key: None,
                },
            )?;
            audit::record(
                conn,
                clock,
                actor,
                Subject::invitation(letter_id, &invitation.id),
                "invitation.reminded",
                json!({ "organization": invitation.display_name }),
            )?;
            queued += 1;
        }
        Ok(queued)
    })
}

pub fn list(conn: &mut DbConnection, letter_id: &str) -> Result<Vec<Invitation>, AppError> {
    letters::find(conn, letter_id)?.ok_or(AppError::NotFound("letter"))?;
    Ok(invitations::for_letter(conn, letter_id)?)
}

pub fn get(conn: &mut DbConnection, invitation_id: &str) -> Result<Invitation, AppError> {
    invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))
}
