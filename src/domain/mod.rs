//! Parsed input: every value from outside (a form, the API, the command line, a CSV file)
//! becomes one of these types at the edge, so the use cases never see an unchecked string.
//! Pure rules that need no storage (the canonical text of a letter, safe Markdown) live here too.

mod account;
mod client_address;
mod country;
pub mod diff;
mod email;
mod email_job;
mod ids;
mod invitation;
mod language;
pub mod letter;
pub mod logo;
pub mod markdown;
mod organization;
mod personal_message;
mod recorded;
mod reminders;
pub mod sign_on;
pub mod signing;
mod stored;
mod tags;
mod text;
mod webhook;

pub use account::{Password, Role};
pub use client_address::TrustedProxies;
pub use country::{country_name, country_name_in};
pub use email::{EmailAddress, email_key};
pub use email_job::{EmailKind, JobStatus};
pub use ids::{InvitationId, LetterId, OrganizationId};
pub use invitation::InvitationStatus;
pub use language::{Direction, LanguageTag};
pub use letter::{Addressee, ChangeKind, Deadline, LetterBody, LetterStatus, LetterTitle, Slug};
pub use organization::{CountryCode, OrganizationName, Tier, Website, organization_key};
pub use personal_message::{MAX_MESSAGE_CHARS, PersonalMessage};
pub use recorded::{Channel, FieldError, RecordedAnswer};
pub use reminders::ReminderSchedule;
pub use signing::{Decision, Signer};
pub use tags::{MAX_TAGS, Tag};
pub use text::{PersonName, abbreviate, optional_text};
pub use webhook::{WebhookEvent, WebhookUrl, is_public};

/// Why a value was refused, in words fit to show the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);

impl InvalidInput {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
