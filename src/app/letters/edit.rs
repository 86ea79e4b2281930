//! Editing a letter into a new version bound to its SHA-256, and what that means for those
//! who signed: a minor edit carries approvals over, a substantive one asks them again.

use serde_json::json;

use crate::app::audit::{self, Subject};
use crate::app::invitations::Links;
use crate::app::outbox::{self, Email, Job};
use crate::app::{Actor, AppError, hold_letter};
use crate::clock::Clock;
use crate::db::invitations::InvitationChanges;
use crate::db::letters::{self, LetterChanges};
use crate::db::{self, DbConnection, invitations};
use crate::domain::letter::content_sha256;
use crate::domain::{
    Addressee, ChangeKind, InvitationStatus, LetterBody, LetterId, LetterStatus, LetterTitle, Slug,
};

use super::draft::insert_version;
use super::*;

/// Saves an edit. A change of text makes a new version with its hash, and tells those who signed
/// (see `ask_signers_again`); the same text again makes none. Released and scheduled
/// letters cannot change, except whether they accept late signatures; their web address never.
pub fn edit_letter(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &LetterId,
    edit: LetterEdit,
) -> Result<LetterView, AppError> {
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let view = load_view(conn, letter_id)?;
        let new_slug = edit
            .slug
            .as_ref()
            .filter(|slug| slug.as_str() != view.letter.slug);
        if let Some(slug) = new_slug
            && let Some(refusal) = slug_refusal(conn, Some(&view), slug)?
        {
            return Err(AppError::conflict(refusal));
        }
        if matches!(
            view.status(),
            LetterStatus::Released | LetterStatus::Scheduled
        ) {
            if edit.touches_more_than_late_signatures() {
                return Err(AppError::conflict(
                    "a released or scheduled letter cannot be edited",
                ));
            }
            let heading_changes = edit
                .sign_on
                .individuals_heading
                .as_ref()
                .is_some_and(|heading| *heading != view.letter.individuals_heading);
            if heading_changes {
                return Err(AppError::conflict(
                    "the heading of the individuals' list is published with the letter; it no \
                     longer changes",
                ));
            }
            if actor.role != crate::domain::Role::Admin {
                return Err(AppError::AdminOnly);
            }
        }
        let current = &view.current;
        let title = edit.title.unwrap_or(LetterTitle::parse(&current.title)?);
        let addressee = edit
            .addressee
            .unwrap_or(Addressee::parse(&current.addressee)?);
        let body = edit
            .body
            .unwrap_or(LetterBody::parse(&current.body_markdown)?);
        let now = clock.now();
        let mut changes = LetterChanges {
            updated_at: Some(now),
            ..Default::default()
        };
        let text_changed = content_sha256(title.as_str(), addressee.as_str(), body.as_str())
            != current.content_sha256;
        if text_changed {
            let version = current.version + 1;
            let hash = insert_version(
                conn,
                clock,
                actor,
                letter_id,
                version,
                &title,
                &addressee,
                &body,
                edit.change.as_str(),
                edit.note.as_deref(),
            )?;
            changes.title = Some(title.as_str());
            changes.addressee = Some(addressee.as_str());
            changes.current_version = Some(version);
            audit::record(
                conn,
                clock,
                actor,
                Subject::letter(letter_id),
                "letter.edited",
                json!({ "version": version, "change": edit.change.as_str(), "content_sha256": hash }),
            )?;
            ask_signers_again(conn, clock, links, letter_id, version, edit.change)?;
        }
        if let Some(deadline) = edit.deadline {
            changes.deadline_at = Some(deadline.map(|d| d.at.naive_utc()));
            changes.deadline_tz = Some(deadline.as_ref().map(|d| d.zone.name()));
            audit::record(
                conn,
                clock,
                actor,
                Subject::letter(letter_id),
                "letter.deadline_set",
                json!({ "deadline": deadline.map(|d| d.at.to_rfc3339()) }),
            )?;
        }
        if let Some(show) = edit.show_signatories {
            changes.show_signatories = Some(show);
        }
        if let Some(language) = edit
            .language
            .as_ref()
            .filter(|language| language.as_str() != view.letter.language)
        {
            if crate::db::translations::current(conn, letter_id, language.as_str())?.is_some() {
                return Err(AppError::conflict(format!(
                    "the letter has a {} translation: a letter's own language cannot also be \
                     one of its translations",
                    language.described()
                )));
            }
            changes.language = Some(language.as_str());
            audit::record(
                conn,
                clock,
                actor,
                Subject::letter(letter_id),
                "letter.language_set",
                json!({ "language": language.as_str() }),
            )?;
        }
        if let Some(show) = edit
            .show_signers
            .filter(|show| *show != view.letter.show_signers)
        {
            changes.show_signers = Some(show);
            audit::record(
                conn,
                clock,
                actor,
                Subject::letter(letter_id),
                "letter.show_signers_set",
                json!({ "show_signers": show }),
            )?;
        }
        if let Some(allow) = edit
            .allow_late_signatures
            .filter(|allow| *allow != view.letter.allow_late_signatures)
        {
            changes.allow_late_signatures = Some(allow);
            audit::record(
                conn,
                clock,
                actor,
                Subject::letter(letter_id),
                "letter.late_signatures_set",
                json!({ "allow": allow }),
            )?;
        }
        if let Some(slug) = new_slug {
            changes.slug = Some(slug.as_str());
            audit::record(
                conn,
                clock,
                actor,
                Subject::letter(letter_id),
                "letter.slug_set",
                json!({ "from": view.letter.slug, "slug": slug.as_str() }),
            )?;
        }
        let sign_on = &edit.sign_on;
        changes.open_sign_on = sign_on.open_sign_on;
        changes.accept_individuals = sign_on.accept_individuals;
        changes.individuals_heading = sign_on
            .individuals_heading
            .as_ref()
            .map(|heading| heading.as_deref());
        let sign_on_changed = sign_on
            .open_sign_on
            .is_some_and(|open| open != view.letter.open_sign_on)
            || sign_on
                .accept_individuals
                .is_some_and(|accept| accept != view.letter.accept_individuals)
            || sign_on
                .individuals_heading
                .as_ref()
                .is_some_and(|heading| *heading != view.letter.individuals_heading);
        if sign_on_changed {
            audit::record(
                conn,
                clock,
                actor,
                Subject::letter(letter_id),
                "letter.sign_on_set",
                json!({
                    "open_sign_on": sign_on.open_sign_on.unwrap_or(view.letter.open_sign_on),
                    "accept_individuals": sign_on
                        .accept_individuals
                        .unwrap_or(view.letter.accept_individuals),
                    "individuals_heading": sign_on.individuals_heading,
                }),
            )?;
        }
        letters::update(conn, letter_id, &changes)?;
        load_view(conn, letter_id)
    })
}

/// Why `slug` cannot be the web address of `letter` (`None` for a new letter), or `None` when
/// it can: a released or scheduled letter keeps its address, and no two letters share one.
pub fn slug_refusal(
    conn: &mut DbConnection,
    letter: Option<&LetterView>,
    slug: &Slug,
) -> Result<Option<String>, AppError> {
    if let Some(view) = letter {
        if view.letter.slug == slug.as_str() {
            return Ok(None);
        }
        if matches!(
            view.status(),
            LetterStatus::Released | LetterStatus::Scheduled
        ) {
            return Ok(Some(
                "the web address cannot change once the letter is released or scheduled".into(),
            ));
        }
    }
    if letters::slug_taken(conn, slug.as_str())? {
        return Ok(Some(format!(
            "the web address “{slug}” is already used by another letter"
        )));
    }
    Ok(None)
}

/// What a saved edit means for those who signed: a minor edit carries their approval over to
/// the new version; a substantive one leaves it on the old version, where it no longer counts.
/// Either way each signer is told by email. Runs in the edit's transaction, which holds the
/// letter alone. Returns how many signers were told.
fn ask_signers_again(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    letter_id: &LetterId,
    version: i32,
    change: ChangeKind,
) -> Result<usize, AppError> {
    let signers = invitations::for_letter(conn, letter_id)?
        .into_iter()
        .filter(|i| i.status == InvitationStatus::Signed);
    let mut told = 0;
    for invitation in signers {
        if change == ChangeKind::Minor {
            invitations::update(
                conn,
                &invitation.id,
                &InvitationChanges {
                    approved_version: Some(Some(version)),
                    ..Default::default()
                },
            )?;
        }
        outbox::queue(
            conn,
            clock,
            links.base_url,
            Job {
                email: Email::Reapproval { change },
                letter_id,
                invitation_id: Some(&invitation.id),
                recipient: &invitation.contact_email,
                dedupe_key: None,
            },
        )?;
        told += 1;
    }
    Ok(told)
}
