//! The header row of an organization list: which column holds what, under the names and
//! aliases that spreadsheets in English, French, Spanish and German tend to use.

use unicode_normalization::UnicodeNormalization;

use crate::domain::InvalidInput;

/// The index of each known column in a row; unknown columns are ignored.
#[derive(Debug, Default)]
pub(super) struct Columns {
    pub organization: Option<usize>,
    pub display_name: Option<usize>,
    pub email: Option<usize>,
    pub contact_name: Option<usize>,
    pub country: Option<usize>,
    pub website: Option<usize>,
    pub tier: Option<usize>,
}

/// Each column with the header names that mean it, folded (lowercase, no accents, `_` between
/// words). The first is the name the documentation gives.
pub const ALIASES: [(&str, &[&str]); 7] = [
    (
        "organization",
        &[
            "organization",
            "organisation",
            "organization_name",
            "organisation_name",
            "name",
            "nom",
            "nombre",
            "organizacion",
        ],
    ),
    ("display_name", &["display_name", "printed_name"]),
    (
        "email",
        &[
            "email",
            "e_mail",
            "email_address",
            "contact_email",
            "mail",
            "courriel",
            "adresse_email",
            "correo",
            "correo_electronico",
        ],
    ),
    (
        "contact_name",
        &["contact_name", "contact", "contact_person", "contacto"],
    ),
    ("country", &["country", "pays", "pais", "land"]),
    (
        "website",
        &["website", "url", "web", "site", "site_web", "sitio_web"],
    ),
    ("tier", &["tier"]),
];

impl Columns {
    /// Finds the columns in a header row. Errors when the row names no organization or no
    /// email column, quoting what it does name.
    pub fn from_header(header: &csv::StringRecord) -> Result<Self, InvalidInput> {
        let mut columns = Columns::default();
        for (index, name) in header.iter().enumerate() {
            let name = fold(name);
            let Some((column, _)) = ALIASES.iter().find(|(_, names)| names.contains(&&*name))
            else {
                continue;
            };
            let slot = match *column {
                "organization" => &mut columns.organization,
                "display_name" => &mut columns.display_name,
                "email" => &mut columns.email,
                "contact_name" => &mut columns.contact_name,
                "country" => &mut columns.country,
                "website" => &mut columns.website,
                _ => &mut columns.tier,
            };
            slot.get_or_insert(index);
        }
        if columns.organization.is_none() || columns.email.is_none() {
            let found: Vec<String> = header
                .iter()
                .map(str::trim)
                .filter(|h| !h.is_empty())
                .take(8)
                .map(|h| format!("“{}”", h.chars().take(40).collect::<String>()))
                .collect();
            let found = if found.is_empty() {
                "it is empty".to_string()
            } else {
                format!("it reads {}", found.join(", "))
            };
            return Err(InvalidInput::new(format!(
                "The first row must name the columns, with at least “organization” and \
                 “email”; {found}."
            )));
        }
        Ok(columns)
    }
}

/// "E-Mail", " País " and "contact name" fold to "e_mail", "pais" and "contact_name".
fn fold(name: &str) -> String {
    let plain: String = name
        .trim()
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    plain
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '.' | '_'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_several_languages_are_found() {
        let header = csv::StringRecord::from(vec!["Nom", "E-Mail", "País", "Site web", "Notes"]);
        let columns = Columns::from_header(&header).unwrap();
        assert_eq!(columns.organization, Some(0));
        assert_eq!(columns.email, Some(1));
        assert_eq!(columns.country, Some(2));
        assert_eq!(columns.website, Some(3));
        let refused = Columns::from_header(&csv::StringRecord::from(vec!["Name", "Phone"]));
        assert!(refused.unwrap_err().0.contains("“Name”, “Phone”"));
    }
}
