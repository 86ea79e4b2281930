//! The coordinator's exports of one letter, as sheets that the web side sends as CSV or XLSX:
//! the audit trail, and the answers so far (one row per invitation). Each comes with the
//! letter's slug, from which the file is named.

use chrono::NaiveDateTime;

use super::AppError;
use crate::db::invitations::Invitation;
use crate::db::{self, DbConnection};
use crate::domain::LetterId;
use crate::sheets::{Cell, Sheet};

/// A sheet of one letter, and the letter's slug to name the file after.
#[derive(Debug, Clone)]
pub struct Export {
    /// The letter's slug: lowercase letters, digits and hyphens.
    pub slug: String,
    pub sheet: Sheet,
}

/// Times in exports: UTC, ISO 8601 with milliseconds, so they sort as text.
fn utc(at: &NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn slug_of(conn: &mut DbConnection, letter_id: &LetterId) -> Result<String, AppError> {
    Ok(db::letters::find(conn, letter_id)?
        .ok_or(AppError::NotFound("letter"))?
        .slug)
}

/// The letter's audit trail, oldest first: time (UTC), actor, action, invitation, detail, IP,
/// browser. Errors: 404 for a letter that does not exist.
#[tracing::instrument(skip(conn))]
pub fn audit(conn: &mut DbConnection, letter_id: &LetterId) -> Result<Export, AppError> {
    let slug = slug_of(conn, letter_id)?;
    let mut sheet = Sheet::new(
        "Audit",
        &[
            "time_utc",
            "actor",
            "action",
            "invitation_id",
            "detail",
            "ip",
            "user_agent",
        ],
    );
    for event in db::audit::for_letter(conn, letter_id)? {
        sheet.push([
            Cell::from(utc(&event.created_at)),
            event.actor.into(),
            event.action.into(),
            event.invitation_id.into(),
            event.detail.into(),
            event.ip.into(),
            event.user_agent.into(),
        ]);
    }
    Ok(Export { slug, sheet })
}

/// The columns of the answers export, in order.
pub const RESPONSE_COLUMNS: &[&str] = &[
    "organization",
    "status",
    "decision",
    "signer_name",
    "signer_title",
    "comment",
    "version",
    "answered_at_utc",
    "tier",
    "country",
];

/// The answers so far: one row per invitation, lead organizations first, then by name in the
/// reader's alphabetical order. An invitation that was answered shows its current answer (the
/// newest decision: who, in what role, with what comment, on which version, when) and the
/// organization's name as the partner confirmed it for print; one that was not shows its
/// status (queued, sent, opened, revoked, bounced) and the invited name. Errors: 404 for a
/// letter that does not exist.
#[tracing::instrument(skip(conn))]
pub fn responses(conn: &mut DbConnection, letter_id: &LetterId) -> Result<Export, AppError> {
    let slug = slug_of(conn, letter_id)?;
    let mut answers = db::responses::current_for_letter(conn, letter_id)?;
    let mut invitations = db::invitations::for_letter(conn, letter_id)?;
    let mut order = crate::app::collation::ReaderOrder::default();
    invitations.sort_by(|a, b| {
        a.tier
            .cmp(&b.tier)
            .then_with(|| order.compare(&a.display_name, &b.display_name))
    });
    let mut sheet = Sheet::new("Responses", RESPONSE_COLUMNS);
    for invitation in invitations {
        let Invitation {
            id,
            display_name,
            status,
            tier,
            country,
            ..
        } = invitation;
        let status = Cell::from(status.as_str());
        let answer = answers.remove(&id);
        let answered = match answer {
            Some(a) => [
                Cell::from(a.organization_display_name),
                status,
                a.decision.as_str().into(),
                a.signer_name.into(),
                a.signer_title.into(),
                a.comment.into(),
                a.version.into(),
                utc(&a.created_at).into(),
            ],
            None => [
                Cell::from(display_name),
                status,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ],
        };
        sheet.push(answered.into_iter().chain([tier.into(), country.into()]));
    }
    Ok(Export { slug, sheet })
}
