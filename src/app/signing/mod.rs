//! Signing: a partner opens their personal link, reads the exact text, and signs, declines or
//! withdraws for their organization; may forward the request to a colleague. Every decision is
//! a new response bound to the version and SHA-256 of the text, never an overwrite.
//!
//! `link` opens links and holds invitations, `page` is what the partner sees and may answer,
//! `decide` records answers, `record` records those a coordinator received outside the app,
//! `forward` hands the request on (and `handed_on` tells what the old link then shows), `state` tells where the letter stands.

mod decide;
mod forward;
mod handed_on;
mod link;
mod page;
mod record;
mod state;

pub use decide::{Answer, decide};
pub use forward::forward;
pub use handed_on::{HandedOn, handed_on, mask_email};
pub use link::{current_invitation, open_link};
pub use page::{SignPage, sign_page};
pub use record::{RecordedNote, record, recorded_notes, recorded_notes_of};
pub use state::{SignState, sign_state};

use chrono::TimeDelta;

use crate::db::invitations::Invitation;
use crate::domain::{InvitationId, LetterId};

/// Where a partner's request comes from, for the audit trail.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Who acts on the sign page: the invitation (and its letter), and the hash of the link it was
/// opened with. An action with an old link (replaced by a new one) finds nothing.
#[derive(Debug, Clone, Copy)]
pub struct LinkHolder<'a> {
    pub invitation_id: &'a InvitationId,
    /// The invitation's letter, which never changes: locked first, without reading the
    /// invitation twice.
    pub letter_id: &'a LetterId,
    pub token_hash: &'a str,
}

impl<'a> LinkHolder<'a> {
    /// The holder of an invitation read from the sign cookie, bound to its link at that time.
    pub fn of(invitation: &'a Invitation) -> Self {
        Self {
            invitation_id: &invitation.id,
            letter_id: &invitation.letter_id,
            token_hash: &invitation.token_hash,
        }
    }
}

/// A link that opened: the invitation, and the hash its cookie is bound to.
pub struct OpenedLink {
    pub invitation_id: InvitationId,
    pub token_hash: String,
}

/// How long a partner's sign page stays open after the link was followed.
pub const SIGN_SESSION: TimeDelta = TimeDelta::hours(4);
