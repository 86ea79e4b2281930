//! The language of a letter or of one of its translations: a BCP 47 tag ("fr", "es-419",
//! "zh-Hans"), parsed and put in its canonical case by `unic-langid`, with the direction its
//! script is written in and its name in English for the coordinator's pages and messages.

use std::fmt;

use unic_langid::LanguageIdentifier;

use super::InvalidInput;

/// A BCP 47 language tag in canonical form: language in lowercase, script in title case,
/// region in uppercase ("zh-Hant-TW"). "und" (undetermined) is refused.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LanguageTag(String);

/// Which way a language's lines run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    LeftToRight,
    RightToLeft,
}

impl Direction {
    /// The value of HTML's `dir` attribute.
    pub fn as_html(self) -> &'static str {
        match self {
            Self::LeftToRight => "ltr",
            Self::RightToLeft => "rtl",
        }
    }
}

/// Languages written right to left in their usual script.
const RIGHT_TO_LEFT: [&str; 10] = ["ar", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"];

/// The languages letters to the UN and governments are most often written in, named in English
/// and in themselves; others are named by their tag.
const NAMES: [(&str, &str, &str); 12] = [
    ("ar", "Arabic", "العربية"),
    ("de", "German", "Deutsch"),
    ("en", "English", "English"),
    ("es", "Spanish", "Español"),
    ("fa", "Persian", "فارسی"),
    ("fr", "French", "Français"),
    ("he", "Hebrew", "עברית"),
    ("pt", "Portuguese", "Português"),
    ("ru", "Russian", "Русский"),
    ("sw", "Swahili", "Kiswahili"),
    ("tr", "Turkish", "Türkçe"),
    ("zh", "Chinese", "中文"),
];

impl LanguageTag {
    /// Parses a tag as typed ("FR", "es_419" is refused: BCP 47 joins with hyphens). Errors say
    /// what a tag looks like.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let raw = raw.trim();
        let refused = || {
            InvalidInput::new(format!(
                "“{raw}” is not a language tag: use a BCP 47 tag such as en, fr, es-419, ar or \
                 zh-Hans"
            ))
        };
        if raw.is_empty() || raw.len() > 35 || raw.contains('_') {
            return Err(refused());
        }
        let id: LanguageIdentifier = raw.parse().map_err(|_| refused())?;
        // BCP 47 reserves primary subtags of 4 to 8 letters ("french" parses but names none).
        if id.language.is_empty() || id.language.as_str().len() > 3 {
            return Err(refused());
        }
        Ok(Self(id.to_string()))
    }

    /// English, the language of a letter whose coordinators did not say.
    pub fn english() -> Self {
        Self("en".into())
    }

    /// A tag read back from storage, trusted as written.
    pub fn from_stored(stored: &str) -> Self {
        Self(stored.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag: "es" for "es-419".
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    pub fn direction(&self) -> Direction {
        if RIGHT_TO_LEFT.contains(&self.primary()) {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        }
    }

    /// "French" for fr and "Spanish" for es-419, or the tag itself for a language without a
    /// name here.
    pub fn english_name(&self) -> String {
        NAMES
            .iter()
            .find(|(code, _, _)| *code == self.primary())
            .map_or_else(|| self.0.clone(), |(_, name, _)| (*name).to_string())
    }

    /// The language's name in itself, for a reader who may not read English: "Français",
    /// "العربية"; the tag for a language without a name here.
    pub fn native_name(&self) -> String {
        NAMES
            .iter()
            .find(|(code, _, _)| *code == self.primary())
            .map_or_else(|| self.0.clone(), |(_, _, name)| (*name).to_string())
    }

    /// The name with its tag, for messages: "French (fr)", "Spanish (es-419)", or "qu".
    pub fn described(&self) -> String {
        let name = self.english_name();
        if name == self.0 {
            name
        } else {
            format!("{name} ({})", self.0)
        }
    }
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_put_in_their_canonical_case() {
        for (typed, canonical) in [
            ("fr", "fr"),
            ("FR", "fr"),
            ("es-419", "es-419"),
            ("zh-hant-tw", "zh-Hant-TW"),
            (" ar ", "ar"),
        ] {
            assert_eq!(LanguageTag::parse(typed).unwrap().as_str(), canonical);
        }
    }

    #[test]
    fn what_is_not_a_tag_is_refused_with_an_example() {
        for typed in [
            "",
            "french",
            "es_419",
            "e",
            "12",
            "und",
            "fr-",
            &"a".repeat(40),
        ] {
            let error = LanguageTag::parse(typed).expect_err(typed);
            assert!(error.0.contains("such as en, fr"), "{typed}: {}", error.0);
        }
    }

    #[test]
    fn arabic_and_hebrew_run_right_to_left() {
        for (tag, direction) in [
            ("ar", Direction::RightToLeft),
            ("ar-EG", Direction::RightToLeft),
            ("he", Direction::RightToLeft),
            ("fr", Direction::LeftToRight),
            ("zh-Hans", Direction::LeftToRight),
        ] {
            assert_eq!(LanguageTag::parse(tag).unwrap().direction(), direction);
        }
    }

    #[test]
    fn languages_are_named_in_english() {
        let tag = |tag: &str| LanguageTag::parse(tag).unwrap();
        assert_eq!(tag("fr").english_name(), "French");
        assert_eq!(tag("es-419").english_name(), "Spanish");
        assert_eq!(tag("es-419").described(), "Spanish (es-419)");
        assert_eq!(tag("qu").described(), "qu");
        assert_eq!(tag("ar").native_name(), "العربية");
        assert_eq!(tag("fr-CA").native_name(), "Français");
    }
}
