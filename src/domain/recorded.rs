//! An answer that reached the coordinators outside the app — by email, on the phone, on paper
//! or at a meeting — and that a coordinator records on the organization's behalf.

use super::stored::stored_as_text;
use super::text::{multi_line, single_line};
use super::{Decision, InvalidInput, PersonName};

stored_as_text! {
    /// How an answer arrived: through the organization's own sign link, or by one of the ways
    /// a coordinator records it from.
    pub enum Channel {
        SignLink => "sign_link",
        Email => "email",
        Phone => "phone",
        Paper => "paper",
        Meeting => "meeting",
        OpenSignOn => "open_sign_on",
    }
}

impl Channel {
    /// The ways a coordinator may record an answer from.
    pub const RECORDED: [Self; 4] = [Self::Email, Self::Phone, Self::Paper, Self::Meeting];

    /// How the answer arrived, as a sentence continues it: "from an email", "in a phone call".
    pub fn phrase(self) -> &'static str {
        match self {
            Self::SignLink => "through the sign link",
            Self::Email => "from an email",
            Self::Phone => "from a phone call",
            Self::Paper => "on paper",
            Self::Meeting => "at a meeting",
            Self::OpenSignOn => "through the letter's sign-on page",
        }
    }

    /// What is published as the signatory's `source`: `sign_link`, `open_sign_on` or
    /// `coordinator`.
    pub fn source(self) -> &'static str {
        match self {
            Self::SignLink => "sign_link",
            Self::OpenSignOn => "open_sign_on",
            _ => "coordinator",
        }
    }
}

/// One field of the form that was refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The name of the field: `decision`, `signer_name`, `signer_title`, `channel`, `evidence`.
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    fn new(field: &'static str, problem: InvalidInput) -> Self {
        Self {
            field,
            message: problem.0,
        }
    }
}

/// An answer a coordinator records, parsed: only signing or declining, the person who answered
/// for the organization (their title may be unknown), how it arrived and what shows it.
#[derive(Debug, Clone)]
pub struct RecordedAnswer {
    pub decision: Decision,
    pub signer_name: PersonName,
    /// Empty when the coordinator does not know it.
    pub signer_title: String,
    pub channel: Channel,
    /// What shows the answer: the email's subject and date, who took the call, where the paper
    /// is kept.
    pub evidence: String,
}

impl RecordedAnswer {
    /// Parses the fields as typed; every refused field is named with its reason.
    pub fn parse(
        decision: &str,
        signer_name: &str,
        signer_title: &str,
        channel: &str,
        evidence: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let decision = match Decision::parse(decision.trim()) {
            Some(d @ (Decision::Sign | Decision::Decline)) => Some(d),
            _ => {
                errors.push(FieldError::new(
                    "decision",
                    InvalidInput::new("choose whether the organization signs or declines"),
                ));
                None
            }
        };
        let name = PersonName::parse_field(signer_name, "the name of the person who answered")
            .map_err(|e| errors.push(FieldError::new("signer_name", e)))
            .ok();
        let title = match signer_title.trim() {
            "" => Some(String::new()),
            _ => single_line(signer_title, "their title", 200)
                .map_err(|e| errors.push(FieldError::new("signer_title", e)))
                .ok(),
        };
        let channel = match Channel::parse(channel.trim()).filter(|c| *c != Channel::SignLink) {
            Some(c) => Some(c),
            None => {
                errors.push(FieldError::new(
                    "channel",
                    InvalidInput::new("say how the answer arrived: email, phone, paper or meeting"),
                ));
                None
            }
        };
        let evidence = match multi_line(evidence, "the evidence") {
            Ok(text) if text.trim().is_empty() => Err(InvalidInput::new(
                "say what shows the answer: the email's subject and date, who took the call, \
                 where the paper is kept",
            )),
            Ok(text) if text.chars().count() > 2000 => Err(InvalidInput::new(
                "the evidence is longer than 2,000 characters",
            )),
            other => other,
        }
        .map_err(|e| errors.push(FieldError::new("evidence", e)))
        .ok();
        match (decision, name, title, channel, evidence) {
            (
                Some(decision),
                Some(signer_name),
                Some(signer_title),
                Some(channel),
                Some(evidence),
            ) if errors.is_empty() => Ok(Self {
                decision,
                signer_name,
                signer_title,
                channel,
                evidence: evidence.trim().to_string(),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_answer_parses_and_names_every_refused_field() {
        let answer =
            RecordedAnswer::parse("sign", " Jo  Example ", "", "phone", " Call on Monday ")
                .unwrap();
        assert_eq!(answer.signer_name.as_str(), "Jo Example");
        assert_eq!(answer.signer_title, "");
        assert_eq!(answer.channel, Channel::Phone);
        assert_eq!(answer.evidence, "Call on Monday");
        let errors = RecordedAnswer::parse("withdraw", "", "ok", "sign_link", " ").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["decision", "signer_name", "channel", "evidence"]);
    }

    #[test]
    fn only_the_sign_link_is_published_as_its_own_source() {
        assert_eq!(Channel::SignLink.source(), "sign_link");
        for channel in Channel::RECORDED {
            assert_eq!(channel.source(), "coordinator");
        }
    }
}
