//! Row locks that make "check the state, then write" one step under concurrency.
//!
//! PostgreSQL runs transactions at READ COMMITTED: two transactions can each read a letter as
//! open and each write as if the other had not happened (a signature recorded after the release
//! read the list). Every use case that decides on a letter's state therefore locks the letter's
//! row first, inside its transaction: partners' decisions share it, everything that changes the
//! letter or acts on its whole list holds it alone. After the wait, every later statement of the
//! transaction sees what the other one committed. The letter is always locked before any of its
//! invitations, so no two transactions wait on each other in a circle.
//!
//! SQLite needs none of this: a write transaction begins IMMEDIATE (`write_transaction`) and so
//! holds the one write lock of the whole database until it ends. These functions send nothing
//! there, and must be called inside `write_transaction` on both backends. They do not say
//! whether the row exists: the use case's next read does.

use diesel::prelude::*;

use super::DbConnection;
use super::schema::{invitations, letters, organizations};
use crate::domain::{InvitationId, LetterId, OrganizationId};

/// How a use case holds a letter while it checks and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterLock {
    /// Many at once, but never while another transaction holds the letter alone: a partner's
    /// decision before release (`FOR SHARE`).
    Shared,
    /// Alone: a release, a schedule, an edit, an invitation or a reminder round, a revision of
    /// the published list (`FOR NO KEY UPDATE`, which still lets rows that reference the letter
    /// be inserted).
    Exclusive,
}

/// Locks the letter's row, if there is one, until the transaction ends.
pub fn lock_letter(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    lock: LetterLock,
) -> QueryResult<()> {
    let DbConnection::Postgres(pg) = conn else {
        return Ok(());
    };
    let row = letters::table.find(letter_id.as_str()).select(letters::id);
    match lock {
        LetterLock::Shared => row.for_share().load::<String>(pg)?,
        LetterLock::Exclusive => row.for_no_key_update().load::<String>(pg)?,
    };
    Ok(())
}

/// Locks an invitation's row, if there is one, until the transaction ends; after its letter
/// (see the module comment for the order).
pub fn lock_invitation(conn: &mut DbConnection, invitation_id: &InvitationId) -> QueryResult<()> {
    let DbConnection::Postgres(pg) = conn else {
        return Ok(());
    };
    invitations::table
        .find(invitation_id.as_str())
        .select(invitations::id)
        .for_no_key_update()
        .load::<String>(pg)
        .map(drop)
}

/// Locks organizations' rows alone (`FOR UPDATE`: they are about to be merged or deleted), in
/// the order of their ids, until the transaction ends; after every letter the use case locks.
/// An invitation being made to one of them meanwhile waits (its reference to the row needs a
/// key-share lock) and sees the merge once it commits.
pub fn lock_organizations(conn: &mut DbConnection, ids: &[&OrganizationId]) -> QueryResult<()> {
    let DbConnection::Postgres(pg) = conn else {
        return Ok(());
    };
    let mut ids: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
    ids.sort_unstable();
    for id in ids {
        organizations::table
            .find(id)
            .select(organizations::id)
            .for_update()
            .load::<String>(pg)?;
    }
    Ok(())
}

/// True when the database refused a write because another transaction changed the same rows at
/// the same moment: a duplicate of a unique key, a serialization failure, a reference to a row
/// deleted meanwhile (an invitation to an organization merged into another while it was being
/// made), or a deadlock that PostgreSQL broke by aborting this transaction. Nothing of the transaction was saved; the
/// caller can say so and the person can try again.
pub fn is_concurrent_change(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(
            DatabaseErrorKind::UniqueViolation
            | DatabaseErrorKind::SerializationFailure
            | DatabaseErrorKind::ForeignKeyViolation,
            _,
        ) => true,
        // diesel has no kind for SQLSTATE 40P01; PostgreSQL's message is stable.
        Error::DatabaseError(_, info) => info.message().starts_with("deadlock detected"),
        _ => false,
    }
}
