//! The published list as the page, the text and the PDF show it: grouped (leads, the others,
//! those that joined after publication), with the dated changes since publication.

use crate::app::release::Signatory;

/// One entry of the public change log.
pub(super) struct Change {
    pub(super) revision: i32,
    /// The date of the revision, as `long_date` writes it.
    pub(super) on: String,
    pub(super) note: String,
}

/// The published list as the page and the PDF group it: leads, the others, and those that
/// joined after publication.
pub(super) struct Groups<'a> {
    pub(super) leads: Vec<&'a Signatory>,
    pub(super) supporting: Vec<&'a Signatory>,
    /// In the order they joined.
    pub(super) late: Vec<&'a Signatory>,
}

impl<'a> Groups<'a> {
    pub(super) fn of(list: &'a [Signatory]) -> Self {
        let (late, on_time): (Vec<_>, Vec<_>) = list.iter().partition(|s| s.joined_at.is_some());
        let (leads, supporting) = on_time.into_iter().partition(|s| s.tier == "lead");
        Self {
            leads,
            supporting,
            late,
        }
    }
}
