//! The statuses a coordinator moves a letter through (open, close, reopen), archiving, and
//! deleting a letter nobody has answered.

use serde_json::json;

use crate::app::audit::{self, Subject};
use crate::app::{Actor, AppError, hold_letter};
use crate::clock::Clock;
use crate::db::letters::{self, LetterChanges};
use crate::db::{self, DbConnection};
use crate::domain::{LetterId, LetterStatus};

use super::*;

pub fn set_status(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &LetterId,
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
    letter_id: &LetterId,
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
    letter_id: &LetterId,
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
