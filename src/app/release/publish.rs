//! Releasing now: with the letter held alone, the check, then the signed snapshot of exactly
//! the approvals it found, the letter's new status, a release notice to every signatory.

use serde_json::json;
use uuid::Uuid;

use crate::app::audit::{self, Subject};
use crate::app::invitations::Links;
use crate::app::outbox::{self, Email, Job};
use crate::app::{Actor, AppError, hold_letter, letters};
use crate::clock::{Clock, rfc3339};
use crate::db::letters::LetterChanges;
use crate::db::releases::{self, NewRelease, Release};
use crate::db::{self, DbConnection, invitations};
use crate::domain::markdown::to_safe_html;
use crate::domain::{LetterId, LetterStatus, Role};

use super::individuals::individuals_json;
use super::manifest::{Manifest, list_json};
use super::*;

/// Releases the letter now: freezes and signs the snapshot, closes the letter to answers, and
/// emails every signatory the public link. Only admins release.
pub fn release_now(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &LetterId,
) -> Result<Release, ReleaseError> {
    if actor.role != Role::Admin {
        return Err(AppError::AdminOnly.into());
    }
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        publish(conn, clock, links, actor, letter_id)
    })
}

/// The release itself, with the letter held alone: the check, then the signed snapshot of
/// exactly the approvals it found, the letter's new status, the release notices and the audit
/// event.
pub(super) fn publish(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &LetterId,
) -> Result<Release, ReleaseError> {
    let check = check(conn, letter_id)?;
    if !check.blockers.is_empty() {
        return Err(ReleaseError::Blocked(Box::new(check)));
    }
    let view = letters::get_letter(conn, letter_id)?;
    let now = clock.now();
    let manifest = Manifest {
        letter: &view.letter.slug,
        revision: 1,
        title: &view.current.title,
        addressee: &view.current.addressee,
        version: check.version,
        content_sha256: &check.content_sha256,
        released_at: rfc3339(now),
        revised_at: None,
        change: None,
        previous_manifest_sha256: None,
        signatories: &check.listed,
        individuals: &check.individuals,
    }
    .sign(links.secrets)?;
    let id = Uuid::new_v4().to_string();
    releases::insert(
        conn,
        &NewRelease {
            id: &id,
            letter_id,
            revision: 1,
            version: check.version,
            title: &view.current.title,
            addressee: &view.current.addressee,
            body_html: &to_safe_html(&view.current.body_markdown),
            content_sha256: &check.content_sha256,
            signatories: &list_json(&check.listed)?,
            manifest: &manifest.text,
            manifest_sha256: &manifest.sha256,
            signature: &manifest.signature,
            change_note: None,
            created_by: Some(&actor.user_id),
            released_at: now,
            individuals: &individuals_json(&check.individuals)?,
        },
    )?;
    crate::db::letters::update(
        conn,
        letter_id,
        &LetterChanges {
            status: Some(LetterStatus::Released.as_str()),
            released_at: Some(Some(now)),
            updated_at: Some(now),
            ..Default::default()
        },
    )?;
    for invitation in invitations::signed_for_version(conn, letter_id, check.version)? {
        outbox::queue(
            conn,
            clock,
            links.base_url,
            Job {
                email: Email::ReleaseNotice,
                letter_id,
                invitation_id: Some(&invitation.id),
                recipient: &invitation.contact_email,
                dedupe_key: Some(&format!("release:{}", invitation.id)),
            },
        )?;
    }
    audit::record(
        conn,
        clock,
        actor,
        Subject::letter(letter_id),
        "letter.released",
        json!({
            "version": check.version,
            "content_sha256": check.content_sha256,
            "signatories": check.listed.len(),
            "manifest_sha256": manifest.sha256,
        }),
    )?;
    Ok(releases::for_letter(conn, letter_id)?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound("release"))?)
}
