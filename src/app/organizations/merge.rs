//! Deleting an organization that was never invited, and merging one organization into another:
//! its contacts, tags and invitations move to the one kept, and it is deleted, all in one
//! transaction that holds every letter it was invited to (so no invitation or answer to those
//! letters interleaves) and both organizations' rows.

use std::collections::BTreeSet;

use serde_json::json;

use super::record;
use crate::app::{Actor, AppError, hold_letter};
use crate::clock::Clock;
use crate::db::organization_book;
use crate::db::organizations::{self, Organization};
use crate::db::{self, DbConnection};
use crate::domain::{InvitationStatus, LetterId, OrganizationId, email_key};

/// What a merge did: the organization kept, and how many contacts and invitations moved to it.
pub struct MergeOutcome {
    pub kept: Organization,
    pub contacts_moved: usize,
    pub invitations_moved: usize,
}

/// Deletes an organization with its contacts and tags, audited as `organization.deleted`.
///
/// Errors: `NotFound` when there is no such organization; `Conflict` when it was ever invited
/// to a letter (revoked invitations count: the trail of that letter names it), since its
/// history must stay; merging it into another is the way to tidy it up.
pub fn delete(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    id: &OrganizationId,
) -> Result<Organization, AppError> {
    db::write_transaction(conn, |conn| {
        db::lock_organizations(conn, &[id])?;
        let organization =
            organizations::find(conn, id)?.ok_or(AppError::NotFound("organization"))?;
        if organization_book::ever_invited(conn, id)? {
            return Err(AppError::conflict(format!(
                "{} was invited to a letter, so it stays in the address book; merge it into \
                 another organization instead",
                organization.name
            )));
        }
        organization_book::delete(conn, id)?;
        record(
            conn,
            clock,
            actor,
            "organization.deleted",
            json!({ "organization_id": id, "name": organization.name }),
        )?;
        Ok(organization)
    })
}

/// Merges `from` into `into`: contacts `into` lacks (by mailbox) and every invitation move to
/// it, it gains `from`'s tags, and `from` is deleted; audited as `organization.merged` with both
/// names and the counts.
///
/// Errors: `Invalid` when both are the same; `NotFound` when either is missing; `Conflict` when
/// both have an open invitation to the same letter (one of the two must be revoked first).
pub fn merge(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    from: &OrganizationId,
    into: &OrganizationId,
) -> Result<MergeOutcome, AppError> {
    if from == into {
        return Err(crate::domain::InvalidInput::new(
            "the organization to keep: choose another organization than this one",
        )
        .into());
    }
    db::write_transaction(conn, |conn| {
        // Letters first, then the organizations (the order of docs/ARCHITECTURE.md).
        let mut held: BTreeSet<LetterId> = BTreeSet::new();
        hold_letters(conn, from, &mut held)?;
        db::lock_organizations(conn, &[from, into])?;
        // An invitation committed between the two steps: its letter is held too.
        hold_letters(conn, from, &mut held)?;
        let merged = organizations::find(conn, from)?.ok_or(AppError::NotFound("organization"))?;
        let kept = organizations::find(conn, into)?.ok_or(AppError::NotFound("organization"))?;
        refuse_two_open_invitations(conn, &merged, &kept)?;
        let invitations_moved = organization_book::move_invitations(conn, from, into)?;
        let known: Vec<String> = organizations::contacts(conn, into)?
            .iter()
            .map(|c| email_key(&c.email))
            .collect();
        let mut contacts_moved = 0;
        for contact in organizations::contacts(conn, from)? {
            if !known.contains(&email_key(&contact.email)) {
                organization_book::move_contact(conn, &contact.id, into)?;
                contacts_moved += 1;
            }
        }
        let tags: Vec<(String, String)> =
            organization_book::tags_of(conn, std::slice::from_ref(from))?
                .into_iter()
                .map(|(_, tag)| {
                    let key = crate::domain::organization_key(&tag);
                    (tag, key)
                })
                .collect();
        organization_book::add_tags(conn, into, &tags)?;
        organization_book::delete(conn, from)?;
        record(
            conn,
            clock,
            actor,
            "organization.merged",
            json!({
                "organization_id": into,
                "name": kept.name,
                "merged_id": from,
                "merged_name": merged.name,
                "contacts_moved": contacts_moved,
                "invitations_moved": invitations_moved,
            }),
        )?;
        Ok(MergeOutcome {
            kept,
            contacts_moved,
            invitations_moved,
        })
    })
}

/// Holds, alone and in the order of their ids, every letter `id` is invited to not held yet.
fn hold_letters(
    conn: &mut DbConnection,
    id: &OrganizationId,
    held: &mut BTreeSet<LetterId>,
) -> Result<(), AppError> {
    let letters: BTreeSet<LetterId> = organization_book::invitations_of(conn, id)?
        .into_iter()
        .map(|(_, letter, _)| letter)
        .collect();
    for letter in letters {
        if !held.contains(&letter) {
            hold_letter(conn, &letter)?;
            held.insert(letter);
        }
    }
    Ok(())
}

fn refuse_two_open_invitations(
    conn: &mut DbConnection,
    merged: &Organization,
    kept: &Organization,
) -> Result<(), AppError> {
    let open = |rows: Vec<(String, LetterId, InvitationStatus)>| -> BTreeSet<LetterId> {
        rows.into_iter()
            .filter(|(_, _, status)| *status != InvitationStatus::Revoked)
            .map(|(_, letter, _)| letter)
            .collect()
    };
    let a = open(organization_book::invitations_of(conn, &merged.id)?);
    let b = open(organization_book::invitations_of(conn, &kept.id)?);
    if a.intersection(&b).next().is_some() {
        return Err(AppError::conflict(format!(
            "{} and {} are both invited to the same letter: revoke one of the two invitations \
             before merging",
            merged.name, kept.name
        )));
    }
    Ok(())
}
