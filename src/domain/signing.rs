//! What a partner submits on the sign page: the decision and who makes it for the organization.

use super::InvitationStatus;
use super::stored::stored_as_text;
use super::text::{multi_line, single_line};
use super::{FieldError, InvalidInput, OrganizationName, PersonName};

stored_as_text! {
    /// A partner's answer. Withdrawing takes back a signature.
    pub enum Decision {
        Sign => "sign",
        Decline => "decline",
        Withdraw => "withdraw",
    }
}

impl Decision {
    /// The decision a partner chose on the sign page.
    pub fn from_input(raw: &str) -> Result<Self, InvalidInput> {
        Self::parse(raw.trim())
            .ok_or_else(|| InvalidInput::new("choose whether your organization signs or declines"))
    }

    /// The invitation's status after this decision.
    pub fn status(self) -> InvitationStatus {
        match self {
            Self::Sign => InvitationStatus::Signed,
            Self::Decline => InvitationStatus::Declined,
            Self::Withdraw => InvitationStatus::Withdrawn,
        }
    }
}

/// The person answering for the organization, and how its name is printed.
#[derive(Debug, Clone)]
pub struct Signer {
    pub name: PersonName,
    pub title: String,
    pub organization_display_name: OrganizationName,
    pub comment: Option<String>,
}

impl Signer {
    /// The signer as typed; the first refused field's reason when one is.
    pub fn parse(
        name: &str,
        title: &str,
        organization: &str,
        comment: &str,
    ) -> Result<Self, InvalidInput> {
        Self::parse_fields(None, name, title, organization, comment)
            .map_err(|mut errors| InvalidInput(errors.remove(0).message))
    }

    /// The same rules, with every refused field named as the sign form names it
    /// (`signer_name`, `signer_title`, `organization_display_name`, `comment`). Declining
    /// needs only a name: the title may then be left empty. Any other decision (or none yet)
    /// needs the title too.
    pub fn parse_fields(
        decision: Option<Decision>,
        name: &str,
        title: &str,
        organization: &str,
        comment: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut check = |field: &'static str, problem: InvalidInput| {
            errors.push(FieldError {
                field,
                message: problem.0,
            })
        };
        let comment = match multi_line(comment, "the comment") {
            Ok(text) if text.chars().count() > 2000 => Err(InvalidInput::new(
                "the comment is longer than 2,000 characters",
            )),
            other => other,
        }
        .map_err(|e| check("comment", e))
        .ok();
        let name = PersonName::parse_field(name, "your name")
            .map_err(|e| check("signer_name", e))
            .ok();
        let title = if decision == Some(Decision::Decline) && title.trim().is_empty() {
            Some(String::new())
        } else {
            single_line(title, "your title", 200)
                .map_err(|e| check("signer_title", e))
                .ok()
        };
        let organization = OrganizationName::parse(organization)
            .map_err(|e| check("organization_display_name", e))
            .ok();
        match (name, title, organization, comment) {
            (Some(name), Some(title), Some(organization_display_name), Some(comment)) => Ok(Self {
                name,
                title,
                organization_display_name,
                comment: (!comment.is_empty()).then_some(comment),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_and_signers_parse() {
        assert_eq!(
            Decision::from_input("sign").unwrap().status(),
            InvitationStatus::Signed
        );
        assert!(Decision::from_input("maybe").is_err());
        let signer = Signer::parse(" Jo Example ", "Director", "Article 19", "  ").unwrap();
        assert_eq!(signer.name.as_str(), "Jo Example");
        assert_eq!(signer.comment, None);
        assert!(Signer::parse("", "Director", "Article 19", "").is_err());
        assert!(Signer::parse("Jo", "", "Article 19", "").is_err());
        assert!(Signer::parse("Jo", "Director", "Article 19", &"x".repeat(2001)).is_err());
    }

    #[test]
    fn every_refused_field_of_a_signer_is_named() {
        let refused =
            Signer::parse_fields(None, "", "Director", "", &"x".repeat(2001)).unwrap_err();
        let fields: Vec<_> = refused.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["comment", "signer_name", "organization_display_name"]
        );
        assert_eq!(refused[1].message, "your name is required");
        assert_eq!(
            Signer::parse("", "Director", "Article 19", "")
                .unwrap_err()
                .0,
            "your name is required"
        );
    }

    #[test]
    fn declining_needs_a_name_but_no_title() {
        let decline = Some(Decision::Decline);
        let signer = Signer::parse_fields(decline, "Jo", "  ", "Article 19", "").unwrap();
        assert_eq!(signer.title, "");
        let refused = Signer::parse_fields(decline, "", "", "Article 19", "").unwrap_err();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].field, "signer_name");
        for other in [Decision::Sign, Decision::Withdraw] {
            let refused =
                Signer::parse_fields(Some(other), "Jo", "", "Article 19", "").unwrap_err();
            assert_eq!(refused[0].field, "signer_title");
        }
    }
}
