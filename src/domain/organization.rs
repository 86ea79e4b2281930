//! Organizations of the address book: names as they will be printed, countries, websites.

use unicode_normalization::UnicodeNormalization;

use super::InvalidInput;
use super::text::single_line;

/// An organization's name in any script, as the organization writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationName(String);

impl OrganizationName {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        single_line(raw, "the organization's name", 300).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name folded for matching, so one organization typed twice is found once, however
    /// it was typed or pasted: compatibility-normalized (NFKC: "ﬁ" = "fi", full-width =
    /// ASCII, precomposed = decomposed), case-folded the Unicode way ("Straße" = "STRASSE"),
    /// whitespace collapsed. Used by the address book, invite lists, CSV import and the API.
    pub fn key(&self) -> String {
        organization_key(&self.0)
    }
}

/// The matching key of any organization name (see `OrganizationName::key`).
pub fn organization_key(name: &str) -> String {
    // NFKC, then fold, then NFKC again: folding can undo the normalization of a few letters.
    let folded = caseless::default_case_fold_str(&name.nfkc().collect::<String>());
    folded
        .nfkc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// An ISO 3166-1 alpha-2 country code, uppercase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryCode(String);

impl CountryCode {
    /// Reads an alpha-2 or alpha-3 code, or a country's English, French or Spanish name (any
    /// case, accents optional): `"che"`, `"Suisse"` and `"Suiza"` all give `CH`. Anything else is
    /// refused with a message that quotes it.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        super::country::alpha2_of(raw).map(Self).ok_or_else(|| {
            InvalidInput::new(format!(
                "“{}” is not a country: give its country code (FR, KEN) or its name in English, \
                 French or Spanish",
                raw.trim()
            ))
        })
    }

    /// An empty field means no country.
    pub fn parse_optional(raw: Option<&str>) -> Result<Option<Self>, InvalidInput> {
        match raw.map(str::trim) {
            None | Some("") => Ok(None),
            Some(code) => Self::parse(code).map(Some),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A website address, http or https only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Website(String);

impl Website {
    pub fn parse_optional(raw: Option<&str>) -> Result<Option<Self>, InvalidInput> {
        let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
            return Ok(None);
        };
        let with_scheme = if raw.contains("://") {
            raw.to_string()
        } else {
            format!("https://{raw}")
        };
        match url::Url::parse(&with_scheme) {
            Ok(url)
                if matches!(url.scheme(), "http" | "https")
                    && url.host_str().is_some()
                    && raw.len() <= 500 =>
            {
                Ok(Some(Self(url.to_string())))
            }
            _ => Err(InvalidInput::new(format!(
                "“{raw}” is not a website address"
            ))),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Lead organizations are listed first and are required for release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Lead,
    Supporting,
}

impl Tier {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "lead" => Ok(Self::Lead),
            "supporting" | "" => Ok(Self::Supporting),
            other => Err(InvalidInput::new(format!(
                "the tier must be “lead” or “supporting”, not “{other}”"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lead => "lead",
            Self::Supporting => "supporting",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_for_matching() {
        let a = OrganizationName::parse("  Article   19 ").unwrap();
        assert_eq!(a.as_str(), "Article 19");
        assert_eq!(a.key(), "article 19");
        assert_eq!(
            OrganizationName::parse("ARTICLE 19").unwrap().key(),
            a.key()
        );
        let precomposed = OrganizationName::parse("Élan Solidaire Genève").unwrap();
        let decomposed = OrganizationName::parse("E\u{301}lan Solidaire Gene\u{300}ve").unwrap();
        assert_eq!(precomposed, decomposed, "stored in NFC");
        assert_eq!(
            organization_key("ÉLAN\u{a0}SOLIDAIRE  GENÈVE"),
            precomposed.key()
        );
        assert_eq!(
            organization_key("Ärzte Straße"),
            organization_key("ÄRZTE STRASSE")
        );
        assert_eq!(organization_key("Ｆｕｌｌ ﬁeld"), "full field");
    }

    #[test]
    fn countries_websites_and_tiers_parse() {
        assert_eq!(CountryCode::parse("fr").unwrap().as_str(), "FR");
        assert_eq!(CountryCode::parse("France").unwrap().as_str(), "FR");
        assert!(CountryCode::parse("Atlantis").is_err());
        assert_eq!(CountryCode::parse_optional(Some(" ")).unwrap(), None);
        assert_eq!(
            Website::parse_optional(Some("hrw.org"))
                .unwrap()
                .unwrap()
                .as_str(),
            "https://hrw.org/"
        );
        assert!(Website::parse_optional(Some("javascript:alert(1)")).is_err());
        assert_eq!(Tier::parse("LEAD").unwrap(), Tier::Lead);
        assert_eq!(Tier::parse("").unwrap(), Tier::Supporting);
        assert!(Tier::parse("gold").is_err());
    }
}
