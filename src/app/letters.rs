//! Letters: drafting, editing into new versions bound to their SHA-256, the history and the
//! difference between versions, and the statuses a coordinator moves a letter through.

use std::collections::BTreeMap;

use serde_json::json;
use uuid::Uuid;

use super::audit::{self, Subject};
use super::invitations::Links;
use super::outbox::{self, EmailKind, Job};
use super::{Actor, AppError, hold_letter};
use crate::clock::Clock;
use crate::db::invitations::InvitationChanges;
use crate::db::letters::{self, Letter, LetterChanges, LetterVersion};
use crate::db::{self, DbConnection, invitations};
pub use crate::domain::diff::DiffSegment;
use crate::domain::diff::word_diff;
use crate::domain::letter::content_sha256;
use crate::domain::{
    Addressee, ChangeKind, Deadline, InvitationStatus, LetterBody, LetterStatus, LetterTitle, Slug,
};

/// A letter as its current version stands, with how many invitations are in each status.
#[derive(Debug, Clone)]
pub struct LetterView {
    pub letter: Letter,
    pub current: LetterVersion,
    pub counts: BTreeMap<String, i64>,
}

impl LetterView {
    pub fn status(&self) -> LetterStatus {
        LetterStatus::from_stored(&self.letter.status)
    }

    pub fn deadline(&self) -> Option<Deadline> {
        self.letter
            .deadline_at
            .map(|at| Deadline::from_stored(at, self.letter.deadline_tz.as_deref()))
    }

    pub fn invitation_total(&self) -> i64 {
        self.counts.values().sum()
    }

    pub fn count(&self, status: InvitationStatus) -> i64 {
        self.counts.get(status.as_str()).copied().unwrap_or(0)
    }
}

pub struct NewLetterInput {
    pub title: LetterTitle,
    pub addressee: Addressee,
    pub body: LetterBody,
    pub deadline: Option<Deadline>,
    pub slug: Option<Slug>,
    pub show_signatories: bool,
    /// Whether organizations may still sign after publication ("joined after publication").
    pub allow_late_signatures: bool,
}

/// An edit: absent fields stay as they are.
pub struct LetterEdit {
    pub title: Option<LetterTitle>,
    pub addressee: Option<Addressee>,
    pub body: Option<LetterBody>,
    pub change: ChangeKind,
    pub note: Option<String>,
    /// `Some(None)` removes the deadline.
    pub deadline: Option<Option<Deadline>>,
    pub show_signatories: Option<bool>,
    /// The one setting that can still change after release.
    pub allow_late_signatures: Option<bool>,
}

impl LetterEdit {
    /// An edit of the late-signature setting alone.
    pub fn late_signatures(allow: bool) -> Self {
        Self {
            title: None,
            addressee: None,
            body: None,
            change: ChangeKind::Minor,
            note: None,
            deadline: None,
            show_signatories: None,
            allow_late_signatures: Some(allow),
        }
    }

    /// Whether the edit touches more than the late-signature setting.
    fn touches_more_than_late_signatures(&self) -> bool {
        self.title.is_some()
            || self.addressee.is_some()
            || self.body.is_some()
            || self.note.is_some()
            || self.deadline.is_some()
            || self.show_signatories.is_some()
    }
}

/// How a coordinator moves a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    Open,
    Close,
    Reopen,
}

impl StatusChange {
    /// The status a letter in `from` moves to, or why it cannot: a draft opens, an open letter
    /// closes, a closed one reopens; a scheduled or released letter moves only by the release.
    pub fn apply(self, from: LetterStatus) -> Result<LetterStatus, String> {
        match (self, from) {
            (Self::Open, LetterStatus::Draft) => Ok(LetterStatus::Open),
            (Self::Close, LetterStatus::Open) => Ok(LetterStatus::Closed),
            (Self::Reopen, LetterStatus::Closed) => Ok(LetterStatus::Open),
            _ => Err(format!(
                "a {} letter cannot be {}",
                from.as_str(),
                match self {
                    Self::Open => "opened",
                    Self::Close => "closed",
                    Self::Reopen => "reopened",
                }
            )),
        }
    }
}

pub fn create_letter(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    input: NewLetterInput,
) -> Result<LetterView, AppError> {
    let id = Uuid::new_v4().to_string();
    db::write_transaction(conn, |conn| {
        let slug = match &input.slug {
            Some(slug) if letters::slug_taken(conn, slug.as_str())? => {
                return Err(AppError::conflict(format!(
                    "the slug “{slug}” is already used by another letter"
                )));
            }
            Some(slug) => slug.clone(),
            None => free_slug(conn, &Slug::from_title(&input.title))?,
        };
        let now = clock.now();
        letters::insert(
            conn,
            &letters::NewLetter {
                id: &id,
                slug: slug.as_str(),
                title: input.title.as_str(),
                addressee: input.addressee.as_str(),
                status: LetterStatus::Draft.as_str(),
                current_version: 1,
                deadline_at: input.deadline.map(|d| d.at.naive_utc()),
                deadline_tz: input.deadline.as_ref().map(|d| d.zone.name()),
                show_signatories: input.show_signatories,
                allow_late_signatures: input.allow_late_signatures,
                created_by: Some(&actor.user_id),
                created_at: now,
                updated_at: now,
            },
        )?;
        let hash = insert_version(
            conn,
            clock,
            actor,
            &id,
            1,
            &input.title,
            &input.addressee,
            &input.body,
            "initial",
            None,
        )?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::letter(&id),
            "letter.created",
            json!({ "slug": slug.as_str(), "version": 1, "content_sha256": hash }),
        )?;
        load_view(conn, &id)
    })
}

/// The slug, or the first free one of `slug-2`, `slug-3`, …
fn free_slug(conn: &mut DbConnection, slug: &Slug) -> Result<Slug, AppError> {
    if !letters::slug_taken(conn, slug.as_str())? {
        return Ok(slug.clone());
    }
    for n in 2..1000 {
        let candidate = slug.with_suffix(n);
        if !letters::slug_taken(conn, candidate.as_str())? {
            return Ok(candidate);
        }
    }
    Err(AppError::conflict(
        "no free slug for this title; choose one",
    ))
}

#[allow(clippy::too_many_arguments)]
fn insert_version(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &str,
    version: i32,
    title: &LetterTitle,
    addressee: &Addressee,
    body: &LetterBody,
    change_kind: &str,
    note: Option<&str>,
) -> Result<String, AppError> {
    let hash = content_sha256(title.as_str(), addressee.as_str(), body.as_str());
    letters::insert_version(
        conn,
        &letters::NewLetterVersion {
            id: &Uuid::new_v4().to_string(),
            letter_id,
            version,
            title: title.as_str(),
            addressee: addressee.as_str(),
            body_markdown: body.as_str(),
            content_sha256: &hash,
            change_kind,
            note,
            created_by: Some(&actor.user_id),
            created_at: clock.now(),
        },
    )?;
    Ok(hash)
}

/// Saves an edit. A change of text makes a new version with its hash, and tells those who signed
/// (see `ask_signers_again`); the same text again makes none. Released and scheduled
/// letters cannot change, except whether they accept late signatures.
pub fn edit_letter(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &str,
    edit: LetterEdit,
) -> Result<LetterView, AppError> {
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let view = load_view(conn, letter_id)?;
        if matches!(
            view.status(),
            LetterStatus::Released | LetterStatus::Scheduled
        ) {
            if edit.touches_more_than_late_signatures() {
                return Err(AppError::conflict(
                    "a released or scheduled letter cannot be edited",
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
            let substantive = edit.change == ChangeKind::Substantive;
            ask_signers_again(conn, clock, links, letter_id, version, substantive)?;
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
        letters::update(conn, letter_id, &changes)?;
        load_view(conn, letter_id)
    })
}

/// What a saved edit means for those who signed: a minor edit carries their approval over to
/// the new version; a substantive one leaves it on the old version, where it no longer counts.
/// Either way each signer is told by email. Runs in the edit's transaction, which holds the
/// letter alone. Returns how many signers were told.
fn ask_signers_again(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    letter_id: &str,
    version: i32,
    substantive: bool,
) -> Result<usize, AppError> {
    let signers = invitations::for_letter(conn, letter_id)?
        .into_iter()
        .filter(|i| i.status == InvitationStatus::Signed);
    let mut told = 0;
    for invitation in signers {
        if !substantive {
            invitations::update(
                conn,
                &invitation.id,
                &InvitationChanges {
                    approved_version: Some(Some(version)),
                    ..Default::default()
                },
            )?;
        }
        outbox::queue_with_payload(
            conn,
            clock,
            links.base_url,
            Job {
                kind: EmailKind::Reapproval,
                letter_id,
                invitation_id: Some(&invitation.id),
                recipient: &invitation.contact_email,
                dedupe_key: None,
            },
            &json!({ "change": if substantive { "substantive" } else { "minor" } }),
        )?;
        told += 1;
    }
    Ok(told)
}

pub fn get_letter(conn: &mut DbConnection, letter_id: &str) -> Result<LetterView, AppError> {
    load_view(conn, letter_id)
}

fn load_view(conn: &mut DbConnection, letter_id: &str) -> Result<LetterView, AppError> {
    let letter = letters::find(conn, letter_id)?.ok_or(AppError::NotFound("letter"))?;
    let current = letters::version(conn, letter_id, letter.current_version)?
        .ok_or(AppError::NotFound("letter version"))?;
    let counts = invitations::count_by_status(conn, letter_id)?
        .into_iter()
        .collect();
    Ok(LetterView {
        letter,
        current,
        counts,
    })
}

/// Every letter (archived ones too when asked) with its counts, newest first, in three
/// queries however many letters there are.
pub fn list_letters(
    conn: &mut DbConnection,
    include_archived: bool,
) -> Result<Vec<LetterView>, AppError> {
    let all = letters::list(conn, include_archived)?;
    let ids: Vec<String> = all.iter().map(|l| l.id.clone()).collect();
    let mut current: BTreeMap<String, LetterVersion> = letters::current_versions(conn, &ids)?
        .into_iter()
        .map(|v| (v.letter_id.clone(), v))
        .collect();
    let mut counts: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    for (letter_id, status, count) in invitations::count_by_letter_and_status(conn, &ids)? {
        counts.entry(letter_id).or_default().insert(status, count);
    }
    all.into_iter()
        .map(|letter| {
            let current = current
                .remove(&letter.id)
                .ok_or(AppError::NotFound("letter version"))?;
            let counts = counts.remove(&letter.id).unwrap_or_default();
            Ok(LetterView {
                letter,
                current,
                counts,
            })
        })
        .collect()
}

pub fn set_status(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &str,
    change: StatusChange,
) -> Result<LetterView, AppError> {
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let view = load_view(conn, letter_id)?;
        let from = view.status();
        let to = change.apply(from).map_err(AppError::Conflict)?;
        letters::update(
            conn,
            letter_id,
            &LetterChanges {
                status: Some(to.as_str()),
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
            json!({ "from": from.as_str(), "to": to.as_str() }),
        )?;
        load_view(conn, letter_id)
    })
}

/// Hides a letter from the overview, or brings it back. Nothing is lost.
pub fn set_archived(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &str,
    archived: bool,
) -> Result<LetterView, AppError> {
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        load_view(conn, letter_id)?;
        let now = clock.now();
        letters::update(
            conn,
            letter_id,
            &LetterChanges {
                archived_at: Some(archived.then_some(now)),
                updated_at: Some(now),
                ..Default::default()
            },
        )?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::letter(letter_id),
            if archived {
                "letter.archived"
            } else {
                "letter.unarchived"
            },
            json!({}),
        )?;
        load_view(conn, letter_id)
    })
}

/// Deletes a letter that nobody has answered yet; one with responses can only be archived.
pub fn delete_letter(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let view = load_view(conn, letter_id)?;
        let answered = crate::db::responses::any_for_letter(conn, letter_id)?;
        if answered || view.status() == LetterStatus::Released {
            return Err(AppError::conflict(
                "this letter has responses and cannot be deleted; archive it instead",
            ));
        }
        audit::record(
            conn,
            clock,
            actor,
            Subject::letter(letter_id),
            "letter.deleted",
            json!({ "slug": view.letter.slug, "title": view.letter.title }),
        )?;
        letters::delete(conn, letter_id)?;
        Ok(())
    })
}

pub fn versions(conn: &mut DbConnection, letter_id: &str) -> Result<Vec<LetterVersion>, AppError> {
    let versions = letters::versions(conn, letter_id)?;
    if versions.is_empty() {
        return Err(AppError::NotFound("letter"));
    }
    Ok(versions)
}

/// The word-level difference between two versions' full texts (title, addressee, body).
pub fn diff(
    conn: &mut DbConnection,
    letter_id: &str,
    from: i32,
    to: i32,
) -> Result<(LetterVersion, LetterVersion, Vec<DiffSegment>), AppError> {
    let old = letters::version(conn, letter_id, from)?.ok_or(AppError::NotFound("version"))?;
    let new = letters::version(conn, letter_id, to)?.ok_or(AppError::NotFound("version"))?;
    let segments = word_diff(&version_text(&old), &version_text(&new));
    Ok((old, new, segments))
}

fn version_text(version: &LetterVersion) -> String {
    format!(
        "{}\n\n{}\n\n{}",
        version.title, version.addressee, version.body_markdown
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_moves_draft_open_closed_and_back_but_never_out_of_a_release() {
        use LetterStatus::*;
        assert_eq!(StatusChange::Open.apply(Draft), Ok(Open));
        assert_eq!(StatusChange::Close.apply(Open), Ok(Closed));
        assert_eq!(StatusChange::Reopen.apply(Closed), Ok(Open));
        for from in [Scheduled, Released] {
            for change in [
                StatusChange::Open,
                StatusChange::Close,
                StatusChange::Reopen,
            ] {
                assert!(change.apply(from).is_err(), "{change:?} from {from:?}");
            }
        }
        assert_eq!(
            StatusChange::Close.apply(Draft),
            Err("a draft letter cannot be closed".into())
        );
    }
}
