//! What rendering a job needs and gives: the renderer's settings, and what to do with the job
//! (send it, drop it, set it aside). Shared by the renderer of letters' emails (`render`) and
//! of account emails (`account_render`).

use lettre::Message;
use lettre::message::Mailbox;

use crate::app::invitations::Links;
use crate::clock::Clock;
use crate::config::OrganizationSettings;

/// What to do with a claimed job.
pub enum Prepared {
    Send(Box<Message>),
    /// Nothing to send any more; the job is removed.
    Drop(&'static str),
    /// It can never be sent (an unusable address, an unknown kind): set aside as dead.
    Undeliverable(String),
}

/// What the renderer needs besides the database.
pub struct Renderer<'a> {
    pub clock: &'a Clock,
    pub links: Links<'a>,
    pub from: &'a Mailbox,
    /// The `organization.*` settings, for fields the settings page leaves empty.
    pub organization: &'a OrganizationSettings,
}
