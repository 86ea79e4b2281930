//! One organization to invite as a JSON object: how the API reads an item of `invitations`,
//! and how the review page carries a checked batch to its Send button (read again on Send,
//! since a form's hidden field is as untrusted as any input).

use serde_json::{Value, json};

use crate::app::Context;
use crate::app::invitations::Invitee;
use crate::domain::{
    CountryCode, InvalidInput, LanguageTag, OrganizationName, Tier, optional_text,
};

/// The fields an item may have.
pub const INVITEE_FIELDS: [&str; 7] = [
    "organization",
    "email",
    "contact_name",
    "tier",
    "country",
    "display_name",
    "language",
];

/// Reads one item: `organization` and `email` required, the others optional strings. Errors
/// name the field and why.
pub fn parse_invitee(ctx: &Context, item: &Value) -> Result<Invitee, InvalidInput> {
    let field = |name: &str| -> Result<Option<&str>, InvalidInput> {
        match item.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(InvalidInput::new(format!("“{name}” must be a string"))),
        }
    };
    if !item.is_object() {
        return Err(InvalidInput::new("each invitation must be an object"));
    }
    Ok(Invitee {
        organization: OrganizationName::parse(field("organization")?.unwrap_or(""))?,
        display_name: field("display_name")?
            .filter(|d| !d.trim().is_empty())
            .map(OrganizationName::parse)
            .transpose()?,
        email: ctx.parse_email(field("email")?.unwrap_or(""))?,
        contact_name: optional_text(field("contact_name")?, "the contact's name", 200)?,
        tier: Tier::parse(field("tier")?.unwrap_or(""))?,
        country: CountryCode::parse_optional(field("country")?)?,
        language: field("language")?
            .filter(|l| !l.trim().is_empty())
            .map(LanguageTag::parse)
            .transpose()?,
    })
}

/// The item [`parse_invitee`] reads back as the same invitee.
pub fn invitee_json(invitee: &Invitee) -> Value {
    json!({
        "organization": invitee.organization.as_str(),
        "display_name": invitee.display_name.as_ref().map(OrganizationName::as_str),
        "email": invitee.email.as_str(),
        "contact_name": invitee.contact_name,
        "tier": invitee.tier.as_str(),
        "country": invitee.country.as_ref().map(CountryCode::as_str),
        "language": invitee.language.as_ref().map(LanguageTag::as_str),
    })
}
