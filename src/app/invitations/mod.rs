//! Invitations: asking organizations to sign a letter. Each invitation gets a sign link derived
//! from the server secret and a nonce; only the link's SHA-256 is stored, and the invitation
//! email is queued in the same transaction.
//!
//! `invite` creates, `manage` revokes, relinks and edits, `remind` sends reminders by hand,
//! `answers` reads what each organization answered and how often it was reminded.

pub mod answers;
mod candidates;
mod invite;
mod manage;
mod plan;
mod preview;
mod remind;

pub use candidates::{Candidate, CandidatePage, all_candidates, candidates};
pub use invite::{BadRows, Batch, invite};
pub use manage::{edit, reinvite, revoke, revoke_many};
pub use plan::{Plan, Planned, over_the_limit, plan, refuse_unless_inviting};
pub use preview::{InvitationPreview, preview};
pub use remind::{RemindOutcome, remind};

use crate::app::AppError;
use crate::config::BaseUrl;
use crate::crypto::sha256_hex;
use crate::db::DbConnection;
use crate::db::invitations::{self, Invitation};
use crate::db::letters::{self};
use crate::domain::{
    CountryCode, EmailAddress, InvitationId, LanguageTag, LetterId, OrganizationName, Tier,
};
use crate::secrets::ServerSecrets;

/// What the mail side needs to send invitations: the secret links are derived from, and the
/// public address they point to.
pub struct Links<'a> {
    pub secrets: &'a ServerSecrets,
    pub base_url: &'a BaseUrl,
}

/// One organization to invite, parsed.
#[derive(Debug, Clone)]
pub struct Invitee {
    pub organization: OrganizationName,
    pub display_name: Option<OrganizationName>,
    pub email: EmailAddress,
    pub contact_name: Option<String>,
    pub tier: Tier,
    pub country: Option<CountryCode>,
    /// The language of the invitation's emails and sign page, when the coordinators choose one.
    pub language: Option<LanguageTag>,
}

#[derive(Debug)]
pub struct InviteOutcome {
    pub created: Vec<Invitation>,
    /// Position in the request and why it was not invited.
    pub rejected: Vec<(usize, String)>,
}

/// A fresh nonce and the SHA-256 of the link token it yields; the token itself is not kept.
pub(crate) fn new_link(links: &Links, invitation_id: &InvitationId) -> (String, String) {
    let mut nonce = [0u8; 16];
    rand::fill(&mut nonce);
    let nonce = hex::encode(nonce);
    let token = links.secrets.sign_link_token(invitation_id, &nonce);
    (nonce, sha256_hex(token))
}

pub fn list(conn: &mut DbConnection, letter_id: &LetterId) -> Result<Vec<Invitation>, AppError> {
    letters::find(conn, letter_id)?.ok_or(AppError::NotFound("letter"))?;
    Ok(invitations::for_letter(conn, letter_id)?)
}

pub fn get(conn: &mut DbConnection, invitation_id: &InvitationId) -> Result<Invitation, AppError> {
    invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))
}
