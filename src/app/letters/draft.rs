//! Drafting a letter: its slug, and version 1 with the SHA-256 of its canonical text.

use serde_json::json;
use uuid::Uuid;

use crate::app::audit::{self, Subject};
use crate::app::{Actor, AppError};
use crate::clock::Clock;
use crate::db::letters::{self};
use crate::db::{self, DbConnection};
use crate::domain::letter::content_sha256;
use crate::domain::{Addressee, LetterBody, LetterId, LetterStatus, LetterTitle, Slug};

use super::*;

pub fn create_letter(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    input: NewLetterInput,
) -> Result<LetterView, AppError> {
    let id = LetterId::generate();
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
                show_signers: input.show_signers,
                allow_late_signatures: input.allow_late_signatures,
                language: input.language.as_str(),
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
pub(super) fn insert_version(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &LetterId,
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
