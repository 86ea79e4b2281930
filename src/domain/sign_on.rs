//! A request to join a letter through its public sign-on page, as typed by someone the
//! coordinators did not invite: an organization (its name, country, website, contact and their
//! title) or an individual signing in their personal capacity (name, title, affiliation for
//! identification only, country). Parsed once at the edge; every refused field is named.

use super::stored::stored_as_text;
use super::text::multi_line;
use super::{
    CountryCode, EmailAddress, FieldError, InvalidInput, OrganizationName, PersonName, Website,
    optional_text,
};

stored_as_text! {
    /// Who asks to join.
    pub enum RequestKind {
        Organization => "organization",
        Individual => "individual",
    }
}

stored_as_text! {
    /// Where a request stands: waiting for its email to be confirmed, then for a coordinator.
    pub enum RequestStatus {
        Unconfirmed => "unconfirmed",
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
    }
}

/// The longest note a requester may leave for the coordinators, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;

/// The join form's fields as typed (absent fields empty).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct JoinForm {
    /// The organization's name, or the individual's.
    pub name: String,
    pub country: String,
    pub website: String,
    /// For an organization: the person who asks on its behalf.
    pub contact_name: String,
    /// The contact's title, or the individual's.
    pub title: String,
    /// For an individual: where they work, for identification only.
    pub affiliation: String,
    pub email: String,
    pub note: String,
}

/// A request to join, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequest {
    pub kind: RequestKind,
    pub name: String,
    pub country: Option<CountryCode>,
    pub website: Option<Website>,
    pub contact_name: Option<String>,
    pub title: Option<String>,
    pub affiliation: Option<String>,
    pub email: EmailAddress,
    pub note: Option<String>,
}

impl JoinRequest {
    /// Parses the form for `kind`: an organization needs its name, a contact name and an email;
    /// an individual their name and email. Every refused field is named with its reason.
    pub fn parse(kind: RequestKind, form: &JoinForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut field = |name: &'static str, problem: InvalidInput| {
            errors.push(FieldError {
                field: name,
                message: problem.0,
            })
        };
        let name = match kind {
            RequestKind::Organization => OrganizationName::parse(&form.name)
                .map(|n| n.as_str().to_string())
                .map_err(|e| field("name", e))
                .ok(),
            RequestKind::Individual => PersonName::parse_field(&form.name, "your name")
                .map(|n| n.as_str().to_string())
                .map_err(|e| field("name", e))
                .ok(),
        };
        let country = match form.country.trim() {
            "" => None,
            code => CountryCode::parse(code)
                .map_err(|e| field("country", e))
                .ok(),
        };
        let website = match kind {
            RequestKind::Organization => Website::parse_optional(Some(&form.website))
                .map_err(|e| field("website", e))
                .ok()
                .flatten(),
            RequestKind::Individual => None,
        };
        let contact_name = match kind {
            RequestKind::Organization => PersonName::parse_field(&form.contact_name, "your name")
                .map(|n| n.as_str().to_string())
                .map_err(|e| field("contact_name", e))
                .ok(),
            RequestKind::Individual => None,
        };
        let title = optional_text(Some(&form.title), "the title", 200)
            .map_err(|e| field("title", e))
            .ok()
            .flatten();
        let affiliation = match kind {
            RequestKind::Individual => {
                optional_text(Some(&form.affiliation), "the affiliation", 200)
                    .map_err(|e| field("affiliation", e))
                    .ok()
                    .flatten()
            }
            RequestKind::Organization => None,
        };
        let email = EmailAddress::parse(&form.email)
            .map_err(|e| field("email", e))
            .ok();
        let note = match multi_line(&form.note, "the note") {
            Ok(text) if text.trim().is_empty() => None,
            Ok(text) if text.chars().count() > MAX_NOTE_CHARS => {
                field(
                    "note",
                    InvalidInput::new("the note is longer than 1,000 characters"),
                );
                None
            }
            Ok(text) => Some(text),
            Err(e) => {
                field("note", e);
                None
            }
        };
        match (name, email) {
            (Some(name), Some(email)) if errors.is_empty() => Ok(Self {
                kind,
                name,
                country,
                website,
                contact_name,
                title,
                affiliation,
                email,
                note,
            }),
            _ => Err(errors),
        }
    }

    /// What makes two requests the same: the organization key of the name, or the individual's
    /// email address.
    pub fn dedupe_key(&self) -> String {
        match self.kind {
            RequestKind::Organization => super::organization_key(&self.name),
            RequestKind::Individual => self.email.lookup_key(),
        }
    }
}

/// Email services anyone can sign up to: an address there says nothing of an organization.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.fr",
    "hotmail.com",
    "hotmail.fr",
    "outlook.com",
    "live.com",
    "msn.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "proton.me",
    "protonmail.com",
    "pm.me",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.com",
    "mail.ru",
    "yandex.ru",
    "yandex.com",
    "qq.com",
    "163.com",
    "126.com",
    "zoho.com",
    "tutanota.com",
    "tuta.io",
    "orange.fr",
    "free.fr",
    "laposte.net",
];

/// The domain of an email address, lower-cased.
fn email_domain(email: &str) -> Option<String> {
    email
        .rsplit_once('@')
        .map(|(_, domain)| domain.trim().to_lowercase())
}

/// Whether the address is at a free email service.
pub fn is_free_mail(email: &str) -> bool {
    email_domain(email).is_some_and(|d| FREE_MAIL.contains(&d.as_str()))
}

/// Whether the email's domain is the website's (or one under the other: `ngo.org` and
/// `www.ngo.org`, `lists.ngo.org`); `None` when there is no website to compare with.
pub fn email_matches_website(email: &str, website: Option<&str>) -> Option<bool> {
    let host = url::Url::parse(website?).ok()?.host_str()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let domain = email_domain(email)?;
    Some(
        domain == host
            || domain.ends_with(&format!(".{host}"))
            || host.ends_with(&format!(".{domain}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, contact: &str, email: &str) -> JoinForm {
        JoinForm {
            name: name.into(),
            contact_name: contact.into(),
            email: email.into(),
            ..JoinForm::default()
        }
    }

    #[test]
    fn an_organization_needs_its_name_a_contact_and_an_email() {
        let errors =
            JoinRequest::parse(RequestKind::Organization, &form(" ", "", "nope")).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "contact_name", "email"]);
        let request = JoinRequest::parse(
            RequestKind::Organization,
            &JoinForm {
                country: "fr".into(),
                website: "ldh.example.org".into(),
                title: "Director".into(),
                ..form("Ligue  des droits", "Dana Okafor", "dana@ldh.example.org")
            },
        )
        .unwrap();
        assert_eq!(request.name, "Ligue des droits");
        assert_eq!(request.country.unwrap().as_str(), "FR");
        assert_eq!(
            request.website.unwrap().as_str(),
            "https://ldh.example.org/"
        );
        assert_eq!(request.title.as_deref(), Some("Director"));
    }

    #[test]
    fn an_individual_needs_a_name_and_an_email_only() {
        let request = JoinRequest::parse(
            RequestKind::Individual,
            &JoinForm {
                affiliation: "University of Examplestan".into(),
                website: "ignored.example".into(),
                ..form("Amal Haddad", "", "amal@example.org")
            },
        )
        .unwrap();
        assert_eq!(
            request.affiliation.as_deref(),
            Some("University of Examplestan")
        );
        assert_eq!(request.website, None);
        assert_eq!(request.dedupe_key(), "amal@example.org");
    }

    #[test]
    fn a_note_has_a_limit() {
        let long = JoinForm {
            note: "x".repeat(MAX_NOTE_CHARS + 1),
            ..form("Amal Haddad", "", "amal@example.org")
        };
        let errors = JoinRequest::parse(RequestKind::Individual, &long).unwrap_err();
        assert_eq!(errors[0].field, "note");
    }

    #[test]
    fn hints_compare_the_email_with_the_website() {
        let site = Some("https://www.ldh.example.org/");
        assert_eq!(
            email_matches_website("dana@ldh.example.org", site),
            Some(true)
        );
        assert_eq!(
            email_matches_website("dana@lists.ldh.example.org", site),
            Some(true)
        );
        assert_eq!(email_matches_website("dana@gmail.com", site), Some(false));
        assert_eq!(email_matches_website("dana@gmail.com", None), None);
        assert!(is_free_mail("Dana@GMail.com"));
        assert!(!is_free_mail("dana@ldh.example.org"));
    }
}
