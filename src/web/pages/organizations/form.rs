//! The values of the address book's forms as typed (an organization's details, a contact), and
//! their parsing into domain types with each refused field named.

use serde::Deserialize;

use crate::app::organizations::{OrganizationInput, OrganizationView};
use crate::domain::{CountryCode, EmailAddress, OrganizationName, Tag, Website, optional_text};
use crate::web::pages::field_errors::FieldErrors;

/// An organization's details, and on the "add" form its first contact, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct OrganizationForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub contact_name: String,
    /// Comma-separated: "Africa network, UN Geneva".
    #[serde(default)]
    pub tags: String,
}

impl OrganizationForm {
    /// The form filled with an organization's details and tags as stored.
    pub fn of(view: &OrganizationView) -> Self {
        let organization = &view.organization;
        Self {
            name: organization.name.clone(),
            display_name: organization.display_name.clone(),
            country: organization.country.clone().unwrap_or_default(),
            website: organization.website.clone().unwrap_or_default(),
            tags: view.tags.join(", "),
            ..Default::default()
        }
    }

    /// The details, or `None` with each refused field noted in `errors`.
    pub fn parse(&self, errors: &mut FieldErrors) -> Option<OrganizationInput> {
        let name = errors.check("name", OrganizationName::parse(&self.name));
        let display_name = errors.check(
            "display_name",
            optional_text(Some(&self.display_name), "the display name", 300)
                .and_then(|d| d.map(|d| OrganizationName::parse(&d)).transpose()),
        );
        let country = errors.check("country", CountryCode::parse_optional(Some(&self.country)));
        let website = errors.check("website", Website::parse_optional(Some(&self.website)));
        let tags = errors.check("tags", Tag::parse_list(&self.tags));
        Some(OrganizationInput {
            name: name?,
            display_name: display_name?,
            country: country?,
            website: website?,
            tags: Some(tags?),
        })
    }
}

/// A contact of an organization as typed; the email is required.
#[derive(Deserialize, Default, Clone)]
pub struct ContactForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub contact_name: String,
}

/// A contact's email and optional name, or `None` with each refused field noted. `optional`
/// lets an empty email mean "no contact" (the "add an organization" form).
pub fn parse_contact(
    email: &str,
    name: &str,
    optional: bool,
    parse_email: impl Fn(&str) -> Result<EmailAddress, crate::domain::InvalidInput>,
    errors: &mut FieldErrors,
) -> Option<(Option<EmailAddress>, Option<String>)> {
    let email = errors.check(
        "email",
        if optional && email.trim().is_empty() {
            Ok(None)
        } else {
            parse_email(email.trim()).map(Some)
        },
    );
    let name = errors.check(
        "contact_name",
        optional_text(Some(name), "the contact's name", 200),
    );
    Some((email?, name?))
}
