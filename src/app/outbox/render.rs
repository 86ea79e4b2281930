//! Renders a job into a message at send time. This is where the sign link is derived, from the
//! server secret and the invitation's nonce, so no working link is ever stored; and where a job
//! that has lost its reason (a revoked invitation, a reminder after the deadline) is dropped.

use crate::app::coordinating::{self, CoordinatingOrganization};
use crate::app::outbox::{Email, Event};
use crate::db::invitations::{self, Invitation};
use crate::db::letters::{self, Letter};
use crate::db::outbox::OutboxJob;
use crate::db::translations::{self, Translation};
use crate::db::users;
use crate::db::{DbConnection, DbError};
use crate::domain::{ChangeKind, Deadline, Decision, LanguageTag, LetterStatus};
use crate::i18n::Localizer;
use crate::mail::{self, Addressing, EmailView, Template};

pub use super::branding::{logo_address, sender};
pub use super::renderer::{Prepared, Renderer};

impl Renderer<'_> {
    /// Loads the letter, the invitation and the coordinator, decides whether the job is still
    /// wanted, and renders it.
    #[tracing::instrument(skip_all, fields(job = %job.id, kind = %job.kind))]
    pub fn prepare(&self, conn: &mut DbConnection, job: &OutboxJob) -> Result<Prepared, DbError> {
        if let Some(prepared) = super::account_render::prepare(self, conn, job)? {
            return Ok(prepared);
        }
        if let Some(prepared) = super::join_render::prepare(self, conn, job)? {
            return Ok(prepared);
        }
        let email = match Email::from_stored(&job.kind, &job.payload) {
            Ok(email) => email,
            Err(reason) => return Ok(Prepared::Undeliverable(reason)),
        };
        let Some(letter) = job
            .letter()
            .map(|id| letters::find(conn, &id))
            .transpose()?
            .flatten()
        else {
            return Ok(Prepared::Drop("its letter no longer exists"));
        };
        let asking = coordinating::current(conn, self.organization)?;
        if let Email::ReleaseFailed { reasons } = &email {
            return Ok(self.render_release_failed(job, &letter, reasons, &asking));
        }
        if matches!(email, Email::Notice { .. } | Email::Digest { .. }) {
            let name = users::find_by_email(conn, &job.recipient)?.map(|u| u.name);
            return Ok(self.render_to_coordinator(job, &letter, &email, &asking, name));
        }
        let invitation = match job.invitation() {
            Some(id) => match invitations::find(conn, &id)? {
                Some(invitation) => invitation,
                None => return Ok(Prepared::Drop("its invitation no longer exists")),
            },
            None => {
                return Ok(Prepared::Undeliverable(
                    "the job names no invitation".into(),
                ));
            }
        };
        if let Some(reason) = self.unwanted(&email, &letter, &invitation) {
            return Ok(Prepared::Drop(reason));
        }
        let coordinator: Option<(String, String)> = match letter.created_by.as_deref() {
            Some(user_id) => users::find(conn, user_id)?.map(|u| (u.name, u.email)),
            None => None,
        };
        let translation = translation_for(conn, &letter, invitation.language.as_deref())?;
        let partner = Partner {
            invitation: &invitation,
            translation: translation.as_ref(),
        };
        Ok(self.render(&email, job, &letter, partner, coordinator.as_ref(), &asking))
    }

    /// Why a job should no longer go out, if it should not.
    fn unwanted(
        &self,
        email: &Email,
        letter: &Letter,
        invitation: &Invitation,
    ) -> Option<&'static str> {
        let status = letter.status;
        if !invitation.status.link_works() {
            return Some("its invitation was revoked or has expired");
        }
        match email {
            Email::ReleaseNotice => {
                (status != LetterStatus::Released).then_some("the letter is not released")
            }
            // A decision on a published letter (a late signature, a withdrawal) is confirmed.
            Email::Confirmation { .. } => None,
            _ if status == LetterStatus::Released => Some("the letter is already released"),
            Email::Reminder => {
                let past_deadline = letter
                    .deadline_at
                    .is_some_and(|deadline| deadline <= self.clock.now());
                if status != LetterStatus::Open || past_deadline {
                    Some("reminders stop at the deadline and when the letter closes")
                } else if !invitation.status.awaits_answer() {
                    Some("the organization has answered")
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    fn render(
        &self,
        email: &Email,
        job: &OutboxJob,
        letter: &Letter,
        partner: Partner,
        coordinator: Option<&(String, String)>,
        asking: &CoordinatingOrganization,
    ) -> Prepared {
        let invitation = partner.invitation;
        let link = match (email, partner.translation) {
            (Email::ReleaseNotice, Some(translation)) => self.links.base_url.join(&format!(
                "/letters/{}/{}",
                letter.slug, translation.language
            )),
            (Email::ReleaseNotice, None) => self
                .links
                .base_url
                .join(&format!("/letters/{}", letter.slug)),
            _ => {
                let token = self
                    .links
                    .secrets
                    .sign_link_token(&invitation.id, &invitation.token_nonce);
                self.links.base_url.join(&format!("/sign/{token}"))
            }
        };
        let recipient = Recipient {
            organization: &invitation.display_name,
            contact_name: invitation.contact_name.as_deref(),
            language: invitation.language.as_deref(),
            translation: partner.translation,
        };
        let coordinator_name = coordinator.map(|(name, _)| name.as_str());
        let logo = logo_address(self.links.base_url, asking);
        let senders = Senders {
            coordinator: coordinator_name,
            organization: asking.name.as_deref(),
            logo: logo.as_deref(),
        };
        let view = email_view(email, letter, &recipient, senders, &link);
        let from = sender(self.from, coordinator_name, asking.name.as_deref());
        let rendered = match mail::render(template_of(email), &view) {
            Ok(rendered) => rendered,
            Err(e) => return Prepared::Undeliverable(format!("the email did not render: {e}")),
        };
        let addressing = Addressing {
            from: &from,
            reply_to: coordinator.map(|(name, email)| (name.as_str(), email.as_str())),
            to_name: Some(recipient.greeting_name()),
            to_address: &job.recipient,
            message_id: &job.message_id,
        };
        compose(&addressing, rendered)
    }

    /// A notice or a digest to a coordinator, with a link to the letter's dashboard.
    fn render_to_coordinator(
        &self,
        job: &OutboxJob,
        letter: &Letter,
        email: &Email,
        asking: &CoordinatingOrganization,
        name: Option<String>,
    ) -> Prepared {
        let link = self
            .links
            .base_url
            .join(&format!("/app/letters/{}", letter.id));
        let (headline, lines) = coordinator_news(email);
        let name = name.unwrap_or_default();
        let logo = logo_address(self.links.base_url, asking);
        let view = EmailView {
            letter_title: &letter.title,
            addressee: &letter.addressee,
            organization: &name,
            contact_name: None,
            coordinator: None,
            deadline: None,
            link: &link,
            signed: false,
            minor_change: false,
            forwarded_by: None,
            message: None,
            asking: asking.name.as_deref(),
            logo: logo.as_deref(),
            headline: Some(&headline),
            version: letter.current_version,
            released: false,
            withdrew: false,
            reasons: &lines,
            recorded: None,
            l: crate::i18n::Localizer::english(),
        };
        let rendered = match mail::render(Template::ToCoordinator, &view) {
            Ok(rendered) => rendered,
            Err(e) => return Prepared::Undeliverable(format!("the email did not render: {e}")),
        };
        let from = sender(self.from, None, asking.name.as_deref());
        let addressing = Addressing {
            from: &from,
            reply_to: None,
            to_name: Some(&name).filter(|n| !n.is_empty()).map(|n| n.as_str()),
            to_address: &job.recipient,
            message_id: &job.message_id,
        };
        compose(&addressing, rendered)
    }

    /// The notice to an admin that a scheduled release was blocked: the reasons and a link to
    /// the letter's release page.
    fn render_release_failed(
        &self,
        job: &OutboxJob,
        letter: &Letter,
        reasons: &[String],
        asking: &CoordinatingOrganization,
    ) -> Prepared {
        let link = self
            .links
            .base_url
            .join(&format!("/app/letters/{}/release", letter.id));
        let logo = logo_address(self.links.base_url, asking);
        let view = EmailView {
            letter_title: &letter.title,
            addressee: &letter.addressee,
            organization: "",
            contact_name: None,
            coordinator: None,
            deadline: None,
            link: &link,
            signed: false,
            minor_change: false,
            forwarded_by: None,
            message: None,
            asking: asking.name.as_deref(),
            logo: logo.as_deref(),
            headline: None,
            version: letter.current_version,
            released: false,
            withdrew: false,
            reasons,
            recorded: None,
            l: crate::i18n::Localizer::english(),
        };
        let rendered = match mail::render(Template::ReleaseFailed, &view) {
            Ok(rendered) => rendered,
            Err(e) => return Prepared::Undeliverable(format!("the email did not render: {e}")),
        };
        let from = sender(self.from, None, asking.name.as_deref());
        let addressing = Addressing {
            from: &from,
            reply_to: None,
            to_name: None,
            to_address: &job.recipient,
            message_id: &job.message_id,
        };
        compose(&addressing, rendered)
    }
}

/// The partner an email goes to: the invitation, and the translation of the letter in the
/// invitation's language, when the letter has one offered to partners and up to date.
#[derive(Clone, Copy)]
struct Partner<'a> {
    invitation: &'a Invitation,
    translation: Option<&'a Translation>,
}

/// The translation of `letter` a partner invited in `language` reads: offered, in that
/// language, and matching the text as it stands (after a substantive change, the partner reads
/// the authoritative title until the translation is updated). `None` for no language.
pub fn translation_for(
    conn: &mut DbConnection,
    letter: &Letter,
    language: Option<&str>,
) -> Result<Option<Translation>, DbError> {
    let Some(language) = language.filter(|l| *l != letter.language) else {
        return Ok(None);
    };
    let Some(translation) =
        translations::current(conn, &letter.id, language)?.filter(|t| t.offered)
    else {
        return Ok(None);
    };
    let changed_in = letters::last_substantive_version(conn, &letter.id)?;
    Ok(changed_in
        .is_none_or(|v| v <= translation.matches_version)
        .then_some(translation))
}

/// Who an email to an organization is addressed to: the name printed for the organization,
/// and its contact's name when known.
pub struct Recipient<'a> {
    pub organization: &'a str,
    pub contact_name: Option<&'a str>,
    /// The language the coordinators chose for the invitation, if they did (BCP 47).
    pub language: Option<&'a str>,
    /// The letter's translation into that language (`translation_for`): its title and
    /// addressee are the email's.
    pub translation: Option<&'a Translation>,
}

impl Recipient<'_> {
    /// The name in the `To:` header and after "Dear": the contact's, or the organization's.
    pub fn greeting_name(&self) -> &str {
        self.contact_name.unwrap_or(self.organization)
    }
}

/// Who an email to an organization speaks for: the letter's coordinator, and the coordinating
/// organization with its logo (an absolute address, see `logo_address`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Senders<'a> {
    pub coordinator: Option<&'a str>,
    pub organization: Option<&'a str>,
    pub logo: Option<&'a str>,
}

/// The facts a template shows for `email` about `letter`, addressed to `recipient`, from the
/// letter's coordinator on behalf of the coordinating organization (`senders`). The one place a
/// job becomes a view, so a preview renders exactly what is sent; the deadline is written here,
/// with its city and in UTC, for every email that shows it.
pub fn email_view<'a>(
    email: &'a Email,
    letter: &'a Letter,
    recipient: &Recipient<'a>,
    senders: Senders<'a>,
    link: &'a str,
) -> EmailView<'a> {
    // The invitation's language when the coordinators chose one, else the letter's.
    let l = Localizer::choose(
        recipient
            .language
            .map(LanguageTag::from_stored)
            .iter()
            .chain([&LanguageTag::from_stored(&letter.language)]),
    );
    let (letter_title, addressee) = match recipient.translation {
        Some(t) => (t.title.as_str(), t.addressee.as_str()),
        None => (letter.title.as_str(), letter.addressee.as_str()),
    };
    EmailView {
        letter_title,
        addressee,
        organization: recipient.organization,
        contact_name: recipient.contact_name,
        coordinator: senders.coordinator,
        deadline: letter
            .deadline_at
            .map(|at| l.deadline(&Deadline::from_stored(at, letter.deadline_tz.as_deref()))),
        link,
        signed: matches!(
            email,
            Email::Confirmation {
                decision: Decision::Sign,
                ..
            }
        ),
        minor_change: matches!(
            email,
            Email::Reapproval {
                change: ChangeKind::Minor
            }
        ),
        forwarded_by: match email {
            Email::Invitation { forwarded_by, .. } => forwarded_by.as_deref(),
            _ => None,
        },
        message: match email {
            Email::Invitation { message, .. } => message.as_deref(),
            _ => None,
        },
        asking: senders.organization,
        logo: senders.logo,
        headline: None,
        version: letter.current_version,
        released: matches!(
            email,
            Email::Confirmation {
                after_release: true,
                ..
            }
        ),
        withdrew: matches!(
            email,
            Email::Confirmation {
                decision: Decision::Withdraw,
                ..
            }
        ),
        reasons: &[],
        recorded: match email {
            Email::Confirmation {
                recorded: Some(recorded),
                ..
            } => Some((recorded.by.as_str(), recorded.channel.phrase())),
            _ => None,
        },
        l,
    }
}

/// The templates an email is rendered with.
pub fn template_of(email: &Email) -> Template {
    match email {
        Email::Invitation { .. } => Template::Invitation,
        Email::Reminder => Template::Reminder,
        Email::Confirmation { .. } => Template::Confirmation,
        Email::Reapproval { .. } => Template::Reapproval,
        Email::ReleaseNotice => Template::ReleaseNotice,
        Email::ReleaseFailed { .. } => Template::ReleaseFailed,
        Email::AccountInvitation { .. } | Email::PasswordReset { .. } => {
            unreachable!("account emails are rendered by account_render")
        }
        Email::Notice { .. } | Email::Digest { .. } => Template::ToCoordinator,
        Email::JoinConfirmation { .. } => Template::JoinConfirmation,
        Email::JoinDecision { .. } => Template::JoinDecision,
    }
}

/// A notice's headline and lines, or a digest's.
fn coordinator_news(email: &Email) -> (String, Vec<String>) {
    match email {
        Email::Notice { event } => match event {
            Event::LeadDeclined { organization } => (
                format!("{organization}, a lead organization, declined to sign"),
                vec![
                    "The release is blocked until it signs or you make it a supporting \
                     organization."
                        .into(),
                ],
            ),
            Event::WithdrawnAfterRelease { organization } => (
                format!("{organization} withdrew its signature from the published letter"),
                vec!["The public list shows the withdrawal among its dated changes.".into()],
            ),
            Event::ReleaseFired => (
                "The letter is published, at its scheduled time".to_string(),
                Vec::new(),
            ),
            Event::Bounced {
                organization,
                email,
            } => (
                format!("The invitation to {organization} bounced"),
                vec![format!(
                    "The mail server of {email} refused it for good: find another address \
                     and send a new link from the organization's page."
                )],
            ),
        },
        Email::Digest { day, answers } => (
            format!(
                "{} on {day}",
                match answers.len() {
                    1 => "1 answer".to_string(),
                    n => format!("{n} answers"),
                }
            ),
            answers
                .iter()
                .map(|a| {
                    let decision = match a.decision.as_str() {
                        "sign" => "signed",
                        "decline" => "declined",
                        _ => "withdrew",
                    };
                    format!("{}: {decision} ({}, {})", a.organization, a.signer, a.at)
                })
                .collect(),
        ),
        _ => (String::new(), Vec::new()),
    }
}

fn compose(addressing: &Addressing, rendered: mail::RenderedEmail) -> Prepared {
    match mail::compose(addressing, rendered) {
        Ok(message) => Prepared::Send(Box::new(message)),
        Err(e) => Prepared::Undeliverable(e.to_string()),
    }
}
