//! A letter's versions and the word-level difference between two of them.

use crate::app::AppError;
use crate::db::DbConnection;
use crate::db::letters::{self, LetterVersion};
use crate::domain::LetterId;
use crate::domain::diff::word_diff;
use crate::domain::markdown::to_plain_text;

use super::*;

pub fn versions(
    conn: &mut DbConnection,
    letter_id: &LetterId,
) -> Result<Vec<LetterVersion>, AppError> {
    let versions = letters::versions(conn, letter_id)?;
    if versions.is_empty() {
        return Err(AppError::NotFound("letter"));
    }
    Ok(versions)
}

/// The word-level difference between two versions' full texts (title, addressee, body).
pub fn diff(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    from: i32,
    to: i32,
) -> Result<(LetterVersion, LetterVersion, Vec<DiffSegment>), AppError> {
    let old = letters::version(conn, letter_id, from)?.ok_or(AppError::NotFound("version"))?;
    let new = letters::version(conn, letter_id, to)?.ok_or(AppError::NotFound("version"))?;
    let segments = word_diff(&version_text(&old), &version_text(&new));
    Ok((old, new, segments))
}

/// The word-level difference between two versions as a reader sees them: title, addressee
/// and the body rendered to plain words (no Markdown syntax such as `**` or `#`).
pub fn rendered_diff(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    from: i32,
    to: i32,
) -> Result<(LetterVersion, LetterVersion, Vec<DiffSegment>), AppError> {
    let old = letters::version(conn, letter_id, from)?.ok_or(AppError::NotFound("version"))?;
    let new = letters::version(conn, letter_id, to)?.ok_or(AppError::NotFound("version"))?;
    let segments = word_diff(&rendered_text(&old), &rendered_text(&new));
    Ok((old, new, segments))
}

fn rendered_text(version: &LetterVersion) -> String {
    format!(
        "{}\n\n{}\n\n{}",
        version.title,
        version.addressee,
        to_plain_text(&version.body_markdown)
    )
}

fn version_text(version: &LetterVersion) -> String {
    format!(
        "{}\n\n{}\n\n{}",
        version.title, version.addressee, version.body_markdown
    )
}
