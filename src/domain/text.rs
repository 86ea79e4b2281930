//! Short single-line texts typed by people: names, titles.

use std::fmt;

use super::InvalidInput;

/// Trims, refuses control characters (line breaks included) and enforces a length range.
pub(super) fn single_line(raw: &str, what: &str, max_chars: usize) -> Result<String, InvalidInput> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(InvalidInput::new(format!("{what} is required")));
    }
    if text.chars().count() > max_chars {
        return Err(InvalidInput::new(format!(
            "{what} is longer than {max_chars} characters"
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(InvalidInput::new(format!("{what} must be a single line")));
    }
    Ok(text.to_string())
}

/// A person's name as they write it, in any script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        single_line(raw, "a name", 200).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An optional single-line field: empty means absent.
pub fn optional_text(
    raw: Option<&str>,
    what: &str,
    max_chars: usize,
) -> Result<Option<String>, InvalidInput> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => single_line(text, what, max_chars).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_any_script_are_kept_as_written() {
        assert_eq!(
            PersonName::parse("  Dolkun Isa ").unwrap().as_str(),
            "Dolkun Isa"
        );
        assert_eq!(
            PersonName::parse("Хьюман Райтс").unwrap().as_str(),
            "Хьюман Райтс"
        );
        assert!(PersonName::parse("  ").is_err());
        assert!(PersonName::parse("Eve\r\nBcc: x").is_err());
        assert!(PersonName::parse(&"x".repeat(201)).is_err());
    }
}
