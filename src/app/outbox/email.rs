//! The email a job sends, with the facts it needs beyond its letter and invitation. The kind
//! is stored in `outbox.kind` and the facts as a JSON object in `outbox.payload`, so a job
//! queued by one version is read back by the next.

use serde::{Deserialize, Serialize};

use crate::domain::{ChangeKind, Channel, Decision, EmailKind};

/// One email of the queue. Stored as `kind` + payload: `Confirmation { decision: Sign,
/// after_release: false }` is kind `confirmation` with payload
/// `{"decision":"sign","after_release":false}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Email {
    /// The first email of an invitation; `forwarded_by` names the partner who passed the
    /// invitation on to a colleague; `message` is the coordinator's personal message, placed
    /// into the email above the standard text.
    Invitation {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        forwarded_by: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    Reminder,
    /// Confirms the partner's decision; `after_release` when it came after publication;
    /// `recorded` when a coordinator recorded it on the organization's behalf.
    Confirmation {
        decision: Decision,
        #[serde(default)]
        after_release: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recorded: Option<Recorded>,
    },
    /// Tells a signatory the text changed; a substantive change asks for approval again.
    Reapproval {
        change: ChangeKind,
    },
    ReleaseNotice,
    /// To an admin (the job names no invitation): the scheduled release was blocked when its
    /// time came; `reasons` are the release check's blockers.
    ReleaseFailed {
        reasons: Vec<String>,
    },
    /// To a colleague an admin invited (the job names no letter): the link to choose a first
    /// password, derived from the stored link `link_id` when the email is rendered.
    AccountInvitation {
        link_id: String,
    },
    /// To an account that asked for it: the link to choose a new password.
    PasswordReset {
        link_id: String,
    },
    /// To someone who asked to join a letter (the job names no invitation): the link that
    /// confirms their address, derived at send time from the request and `nonce`.
    JoinConfirmation {
        request_id: String,
        nonce: String,
    },
    /// To someone who asked to join a letter: the coordinators approved or rejected the
    /// request (the reason is read from the request when the email is rendered).
    JoinDecision {
        request_id: String,
    },
    /// To a letter's coordinator (the job names no invitation): something that needs them.
    Notice {
        #[serde(flatten)]
        event: Event,
    },
    /// To a letter's coordinator: the answers of one UTC day ("30 November 2026").
    Digest {
        day: String,
        answers: Vec<DigestLine>,
    },
}

/// What a notice tells a letter's coordinators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A lead organization declined: the release is blocked until it signs or is made
    /// supporting.
    LeadDeclined { organization: String },
    /// A signatory withdrew from the published letter; its public list changed.
    WithdrawnAfterRelease { organization: String },
    /// The scheduled release happened.
    ReleaseFired,
    /// An invitation email was refused for good by the recipient's mail server.
    Bounced { organization: String, email: String },
}

/// One answer of a digest's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestLine {
    pub organization: String,
    /// `sign`, `decline` or `withdraw`.
    pub decision: String,
    pub signer: String,
    /// "14:05 UTC".
    pub at: String,
}

/// An answer a coordinator recorded: who recorded it, and how it had arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    pub by: String,
    pub channel: Channel,
}

impl Email {
    /// The first email of an invitation, sent by a coordinator.
    pub const INVITATION: Self = Self::Invitation {
        forwarded_by: None,
        message: None,
    };

    pub fn kind(&self) -> EmailKind {
        match self {
            Self::Invitation { .. } => EmailKind::Invitation,
            Self::Reminder => EmailKind::Reminder,
            Self::Confirmation { .. } => EmailKind::Confirmation,
            Self::Reapproval { .. } => EmailKind::Reapproval,
            Self::ReleaseNotice => EmailKind::ReleaseNotice,
            Self::ReleaseFailed { .. } => EmailKind::ReleaseFailed,
            Self::Notice { .. } => EmailKind::Notice,
            Self::Digest { .. } => EmailKind::Digest,
            Self::AccountInvitation { .. } => EmailKind::AccountInvitation,
            Self::PasswordReset { .. } => EmailKind::PasswordReset,
            Self::JoinConfirmation { .. } => EmailKind::JoinConfirmation,
            Self::JoinDecision { .. } => EmailKind::JoinDecision,
        }
    }

    /// The facts as stored in `outbox.payload`: a JSON object without the kind.
    pub fn payload(&self) -> String {
        let mut value = serde_json::to_value(self).expect("an email serializes to JSON");
        if let Some(facts) = value.as_object_mut() {
            facts.remove("kind");
        }
        value.to_string()
    }

    /// Reads a stored job back. Errors (shown in the dead-letter list): a kind this version
    /// does not send, or a payload that does not fit the kind.
    pub fn from_stored(kind: &str, payload: &str) -> Result<Self, String> {
        if EmailKind::parse(kind).is_none() {
            return Err(format!("this version cannot send emails of kind {kind:?}"));
        }
        let mut facts = match payload.trim() {
            "" => serde_json::Map::new(),
            text => serde_json::from_str(text)
                .map_err(|e| format!("the {kind} email's facts do not read: {e}"))?,
        };
        facts.insert("kind".into(), kind.into());
        serde_json::from_value(facts.into())
            .map_err(|e| format!("the {kind} email's facts do not read: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_email_reads_back_as_it_was_stored() {
        let emails = [
            Email::INVITATION,
            Email::Invitation {
                forwarded_by: Some("Amina Diallo".into()),
                message: None,
            },
            Email::Invitation {
                forwarded_by: None,
                message: Some("Dear friends,\n\nWe count on you.".into()),
            },
            Email::Reminder,
            Email::Confirmation {
                decision: Decision::Withdraw,
                after_release: true,
                recorded: None,
            },
            Email::Confirmation {
                decision: Decision::Sign,
                after_release: false,
                recorded: Some(Recorded {
                    by: "Amina Diallo".into(),
                    channel: Channel::Phone,
                }),
            },
            Email::Reapproval {
                change: ChangeKind::Minor,
            },
            Email::ReleaseNotice,
            Email::ReleaseFailed {
                reasons: vec!["Amnesty (lead) has not approved version 2".into()],
            },
            Email::AccountInvitation {
                link_id: "l1".into(),
            },
            Email::PasswordReset {
                link_id: "l2".into(),
            },
            Email::Notice {
                event: Event::LeadDeclined {
                    organization: "FIDH".into(),
                },
            },
            Email::Notice {
                event: Event::ReleaseFired,
            },
            Email::Digest {
                day: "30 November 2026".into(),
                answers: vec![DigestLine {
                    organization: "FIDH".into(),
                    decision: "sign".into(),
                    signer: "Alice Mogwe".into(),
                    at: "14:05 UTC".into(),
                }],
            },
        ];
        for email in emails {
            let stored = email.payload();
            assert!(!stored.contains("kind"), "{stored}");
            let back = Email::from_stored(email.kind().as_str(), &stored).unwrap();
            assert_eq!(back, email);
        }
    }

    #[test]
    fn the_payload_format_of_queued_jobs_stays_readable() {
        assert_eq!(
            Email::from_stored(
                "confirmation",
                r#"{"decision":"sign","after_release":false}"#
            ),
            Ok(Email::Confirmation {
                decision: Decision::Sign,
                after_release: false,
                recorded: None,
            })
        );
        assert_eq!(
            Email::from_stored("invitation", "{}"),
            Ok(Email::INVITATION)
        );
        assert_eq!(Email::from_stored("reminder", ""), Ok(Email::Reminder));
    }

    #[test]
    fn unknown_kinds_and_broken_facts_are_refused_with_a_reason() {
        let unknown = Email::from_stored("fax", "{}").unwrap_err();
        assert!(
            unknown.contains("cannot send emails of kind \"fax\""),
            "{unknown}"
        );
        let broken = Email::from_stored("reapproval", r#"{"change":"huge"}"#).unwrap_err();
        assert!(broken.contains("reapproval"), "{broken}");
        assert!(Email::from_stored("reapproval", "{}").is_err());
    }
}
