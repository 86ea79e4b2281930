//! The address book as the invite page shows it for one letter: the organizations matching a
//! search and a tag, page by page with the total, each marked when it already has an
//! invitation to this letter; and all of them at once for "Review all".

use std::collections::HashSet;

use crate::app::AppError;
use crate::app::letters::{self, LetterView};
use crate::app::organizations::{self, OrganizationPage, OrganizationView, PageRequest};
use crate::db::DbConnection;
use crate::db::invitations;
use crate::db::organizations::Contact;
use crate::domain::{InvitationStatus, LetterId, OrganizationId, Tag};

/// An organization of the address book, for one letter.
pub struct Candidate {
    pub organization: OrganizationView,
    /// It has an invitation to this letter that is not revoked.
    pub invited: bool,
}

impl Candidate {
    /// The address its invitation goes to unless another contact is chosen: the first contact's.
    pub fn email(&self) -> Option<&str> {
        self.organization.contacts.first().map(|c| c.email.as_str())
    }

    /// Whether it can be ticked: not invited yet, and with a contact email.
    pub fn selectable(&self) -> bool {
        !self.invited && self.email().is_some()
    }

    /// The contact invited: the one with id `chosen` when it is one of this organization's,
    /// else the first; `None` when it has no contact.
    pub fn contact(&self, chosen: Option<&str>) -> Option<&Contact> {
        let contacts = &self.organization.contacts;
        chosen
            .and_then(|id| contacts.iter().find(|c| c.id == id))
            .or_else(|| contacts.first())
    }
}

/// One page of candidates, with the totals of everything that matches.
pub struct CandidatePage {
    pub candidates: Vec<Candidate>,
    /// How many organizations match, on every page.
    pub total: u64,
    /// How many of those can be invited, on every page.
    pub selectable: usize,
    pub page: PageRequest,
}

impl CandidatePage {
    /// The numbers of pages, positions shown, as the address book counts them.
    pub fn as_book_page(&self) -> OrganizationPage {
        OrganizationPage {
            organizations: Vec::new(),
            total: self.total,
            page: self.page,
        }
    }

    /// The number of pages (at least 1).
    pub fn pages(&self) -> u64 {
        self.as_book_page().pages()
    }
}

/// The letter and every organization matching `search` (all when empty) and carrying `tag`
/// when given, alphabetical. Errors with `NotFound` when there is no such letter.
pub fn all_candidates(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    search: &str,
    tag: Option<&Tag>,
) -> Result<(LetterView, Vec<Candidate>), AppError> {
    let view = letters::get_letter(conn, letter_id)?;
    let invited: HashSet<OrganizationId> = invitations::for_letter(conn, letter_id)?
        .into_iter()
        .filter(|i| i.status != InvitationStatus::Revoked)
        .map(|i| i.organization_id)
        .collect();
    let candidates = organizations::all_matching(conn, search, tag)?
        .into_iter()
        .map(|organization| Candidate {
            invited: invited.contains(&organization.organization.id),
            organization,
        })
        .collect();
    Ok((view, candidates))
}

/// The letter and one page of [`all_candidates`], with the totals across every page.
pub fn candidates(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    search: &str,
    tag: Option<&Tag>,
    page: PageRequest,
) -> Result<(LetterView, CandidatePage), AppError> {
    let (view, all) = all_candidates(conn, letter_id, search, tag)?;
    let total = all.len() as u64;
    let selectable = all.iter().filter(|c| c.selectable()).count();
    let skip = (page.page as usize - 1).saturating_mul(page.per_page as usize);
    let candidates = all
        .into_iter()
        .skip(skip)
        .take(page.per_page as usize)
        .collect();
    Ok((
        view,
        CandidatePage {
            candidates,
            total,
            selectable,
            page,
        },
    ))
}
