//! After publication: each late signature or withdrawal is a new dated revision of the public
//! list with its own signed manifest, chained to the one before; the published letters read back.

use serde_json::json;
use uuid::Uuid;

use crate::app::audit::{self, Subject};
use crate::app::invitations::Links;
use crate::app::{AppError, letters};
use crate::clock::{Clock, rfc3339};
use crate::db::letters::LetterChanges;
use crate::db::releases::{self, NewRelease, Release};
use crate::db::{DbConnection, invitations};
use crate::domain::LetterId;

use super::check::as_listed;
use super::individuals::individuals_json;
use super::manifest::{Manifest, list_json};
use super::*;

/// Records a change of the public list after publication (an organization joined late or
/// withdrew) as a new dated revision with its own signed manifest, and returns its number. The
/// original release and every earlier revision stay as they are. Nothing is written when the
/// list is unchanged. Runs inside the caller's transaction, which holds the letter alone
/// (`db::LetterLock::Exclusive`): concurrent revisions queue up, and each reads the one before.
pub fn revise(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    letter_id: &LetterId,
    change: &str,
) -> Result<Option<i32>, AppError> {
    let now = clock.now();
    crate::db::letters::update(
        conn,
        letter_id,
        &LetterChanges {
            updated_at: Some(now),
            ..Default::default()
        },
    )?;
    let revisions = releases::for_letter(conn, letter_id)?;
    let (Some(original), Some(latest)) = (revisions.first(), revisions.last()) else {
        return Err(AppError::NotFound("release"));
    };
    let view = letters::get_letter(conn, letter_id)?;
    let mut listed = Vec::new();
    let mut newest = crate::db::responses::current_for_letter(conn, letter_id)?;
    for invitation in invitations::signed_for_version(conn, letter_id, original.version)? {
        listed.push(as_listed(
            conn,
            &view,
            &invitation,
            Some(original.released_at),
            &mut newest,
        )?);
    }
    published_order(&mut listed);
    let individuals = super::individuals::approved(conn, letter_id, Some(original.released_at))?;
    if listed == latest.signatory_list()? && individuals == latest.individual_list()? {
        return Ok(None);
    }
    let revision = latest.revision + 1;
    let manifest = Manifest {
        letter: &view.letter.slug,
        revision,
        title: &original.title,
        addressee: &original.addressee,
        version: original.version,
        content_sha256: &original.content_sha256,
        released_at: rfc3339(original.released_at),
        revised_at: Some(rfc3339(now)),
        change: Some(change),
        previous_manifest_sha256: Some(&latest.manifest_sha256),
        signatories: &listed,
        individuals: &individuals,
    }
    .sign(links.secrets)?;
    releases::insert(
        conn,
        &NewRelease {
            id: &Uuid::new_v4().to_string(),
            letter_id,
            revision,
            version: original.version,
            title: &original.title,
            addressee: &original.addressee,
            body_html: &original.body_html,
            content_sha256: &original.content_sha256,
            signatories: &list_json(&listed)?,
            manifest: &manifest.text,
            manifest_sha256: &manifest.sha256,
            signature: &manifest.signature,
            change_note: Some(change),
            created_by: None,
            released_at: now,
            individuals: &individuals_json(&individuals)?,
        },
    )?;
    audit::record_system(
        conn,
        clock,
        Subject::letter(letter_id),
        "letter.revised",
        json!({
            "revision": revision,
            "change": change,
            "signatories": listed.len(),
            "individuals": individuals.len(),
            "manifest_sha256": manifest.sha256,
        }),
    )?;
    Ok(Some(revision))
}

/// A released letter as the public sees it: every revision, oldest (the original) first.
pub struct Published {
    pub revisions: Vec<Release>,
}

impl Published {
    /// The original release: its date is the publication date, its manifest never changes.
    pub fn original(&self) -> &Release {
        &self.revisions[0]
    }

    /// The newest revision: the list as it stands.
    pub fn latest(&self) -> &Release {
        &self.revisions[self.revisions.len() - 1]
    }

    /// The changes after publication, oldest first.
    pub fn changes(&self) -> &[Release] {
        &self.revisions[1..]
    }
}

/// The published letter with this public slug, with all its revisions.
pub fn published(conn: &mut DbConnection, slug: &str) -> Result<Published, AppError> {
    let revisions = releases::for_slug(conn, slug)?;
    if revisions.is_empty() {
        return Err(AppError::NotFound("letter"));
    }
    Ok(Published { revisions })
}

/// Every revision of a letter's release, the original first (empty before release).
pub fn revisions(conn: &mut DbConnection, letter_id: &LetterId) -> Result<Vec<Release>, AppError> {
    Ok(releases::for_letter(conn, letter_id)?)
}

/// The newest revision number of the letter with this slug, if it is published: a cheap check
/// of whether a copy rendered earlier is still current.
pub fn latest_revision(conn: &mut DbConnection, slug: &str) -> Result<Option<i32>, AppError> {
    Ok(releases::latest_revision(conn, slug)?)
}

/// Every released letter, newest first, with its slug.
pub fn published_letters(conn: &mut DbConnection) -> Result<Vec<(String, Release)>, AppError> {
    Ok(releases::all_originals(conn)?)
}
