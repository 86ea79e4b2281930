//! The address book as the invite page shows it for one letter: every organization matching a
//! search, each marked when it already has an invitation to this letter.

use std::collections::HashSet;

use crate::app::AppError;
use crate::app::letters::{self, LetterView};
use crate::app::organizations::{self, OrganizationView};
use crate::db::DbConnection;
use crate::db::invitations;
use crate::domain::{InvitationStatus, LetterId, OrganizationId};

/// An organization of the address book, for one letter.
pub struct Candidate {
    pub organization: OrganizationView,
    /// It has an invitation to this letter that is not revoked.
    pub invited: bool,
}

impl Candidate {
    /// The address its invitation would go to: the first contact's.
    pub fn email(&self) -> Option<&str> {
        self.organization.contacts.first().map(|c| c.email.as_str())
    }

    /// Whether it can be ticked: not invited yet, and with a contact email.
    pub fn selectable(&self) -> bool {
        !self.invited && self.email().is_some()
    }
}

/// The letter and the organizations matching `search` (all of them when empty, up to 500).
pub fn candidates(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    search: &str,
) -> Result<(LetterView, Vec<Candidate>), AppError> {
    let view = letters::get_letter(conn, letter_id)?;
    let invited: HashSet<OrganizationId> = invitations::for_letter(conn, letter_id)?
        .into_iter()
        .filter(|i| i.status != InvitationStatus::Revoked)
        .map(|i| i.organization_id)
        .collect();
    let candidates = organizations::search(conn, search)?
        .into_iter()
        .map(|organization| Candidate {
            invited: invited.contains(&organization.organization.id),
            organization,
        })
        .collect();
    Ok((view, candidates))
}
