//! The invitation email as the first recipient of a batch will receive it, for the review page
//! and the API's dry run: the same view and templates the mail worker renders with, the same
//! headers, and the coordinator's personal message in place. Only the sign link differs: it is
//! made when the batch is sent, so the preview shows where it will go.

use lettre::message::Mailbox;

use crate::app::AppError;
use crate::app::coordinating;
use crate::app::outbox::{
    Email, Recipient, Senders, email_view, logo_address, sender, template_of, translation_for,
};
use crate::config::{BaseUrl, OrganizationSettings};
use crate::db::{DbConnection, users};
use crate::domain::PersonalMessage;
use crate::mail::{self, header_safe};

use super::Plan;

/// The first email of a batch: its headers as the recipient's mail program shows them, and
/// both parts.
#[derive(Debug, Clone)]
pub struct InvitationPreview {
    /// `Name <address>` of the sender (the `mail.from` setting).
    pub from: String,
    /// The letter's coordinator, whom replies reach.
    pub reply_to: Option<String>,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders the invitation to the first accepted row of `plan`; `None` when no row is accepted.
/// Errors: storage, or the templates failing to render (a fault of ours, answered 500).
pub fn preview(
    conn: &mut DbConnection,
    sending: (&BaseUrl, &Mailbox, &OrganizationSettings),
    plan: &Plan,
    message: Option<&PersonalMessage>,
) -> Result<Option<InvitationPreview>, AppError> {
    let (base_url, from, organization) = sending;
    let Some(first) = plan.accepted.first() else {
        return Ok(None);
    };
    let letter = &plan.letter;
    let coordinator = match letter.created_by.as_deref() {
        Some(user_id) => users::find(conn, user_id)?.map(|u| (u.name, u.email)),
        None => None,
    };
    let email = Email::Invitation {
        forwarded_by: None,
        message: message.map(|m| m.as_str().to_string()),
    };
    let language = first.invitee.language.as_ref().map(|l| l.as_str());
    let translation = translation_for(conn, letter, language)?;
    let recipient = Recipient {
        organization: &first.printed_name,
        contact_name: first.invitee.contact_name.as_deref(),
        language,
        translation: translation.as_ref(),
    };
    let link = base_url.join("/sign/…");
    let asking = coordinating::current(conn, organization)?;
    let coordinator_name = coordinator.as_ref().map(|(name, _)| name.as_str());
    let logo = logo_address(base_url, &asking);
    let senders = Senders {
        coordinator: coordinator_name,
        organization: asking.name.as_deref(),
        logo: logo.as_deref(),
    };
    let view = email_view(&email, letter, &recipient, senders, &link);
    let rendered = mail::render(template_of(&email), &view)
        .map_err(|e| AppError::Corrupt(format!("the invitation email did not render: {e}")))?;
    let mailbox = |name: &str, address: &str| format!("{} <{address}>", header_safe(name));
    Ok(Some(InvitationPreview {
        from: sender(from, coordinator_name, asking.name.as_deref()).to_string(),
        reply_to: coordinator
            .as_ref()
            .map(|(name, address)| mailbox(name, address)),
        to: mailbox(recipient.greeting_name(), first.invitee.email.as_str()),
        subject: header_safe(&rendered.subject),
        text: rendered.text,
        html: rendered.html,
    }))
}
