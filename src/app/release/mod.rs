//! Releasing a letter: the check of who will be listed and what blocks, then the snapshot — the
//! rendered text, the ordered signatory list, the text's SHA-256 and a manifest over both,
//! signed with the installation's Ed25519 key — stored once and never changed. Every signatory
//! is then emailed the public link.
//!
//! `check` computes the list and its blockers, `publish` releases now, `schedule` handles the
//! embargo, `revisions` the changes after publication, `manifest` what is signed.

mod check;
mod individuals;
mod manifest;
mod publish;
mod revisions;
mod schedule;

pub use check::{Blocker, LeftOut, ReleaseCheck, Signatory, check, published_order};
pub use individuals::{DEFAULT_HEADING, Individual, heading as individuals_heading};
pub use publish::release_now;
pub use revisions::{Published, latest_revision, published, published_letters, revise, revisions};
pub use schedule::{Embargo, cancel_schedule, fire_due, schedule};

use crate::app::AppError;

#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error("the release is blocked")]
    Blocked(Box<ReleaseCheck>),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<crate::db::DbError> for ReleaseError {
    fn from(error: crate::db::DbError) -> Self {
        Self::App(error.into())
    }
}

impl From<crate::db::QueryError> for ReleaseError {
    fn from(error: crate::db::QueryError) -> Self {
        Self::App(error.into())
    }
}
