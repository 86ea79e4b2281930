//! Human text as it enters Undersigned, made canonical once at the edge: Unicode NFC, trimmed,
//! and for one-line fields inner whitespace collapsed to single spaces. Characters that are not
//! text (noncharacters such as U+FFFE, control characters) are refused with a message naming the
//! field, and so are the bidirectional embedding, override and isolate controls in one-line
//! fields, which could make a name reverse how the list around it reads.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use super::InvalidInput;

/// A one-line text: NFC, trimmed, whitespace runs (tabs, no-break and other Unicode spaces)
/// collapsed to one space. Refuses line breaks, other control characters, noncharacters and
/// bidirectional controls; `max_chars` counts characters after canonicalization.
pub(super) fn single_line(raw: &str, what: &str, max_chars: usize) -> Result<String, InvalidInput> {
    let normalized: String = raw.nfc().collect();
    if normalized.contains(['\n', '\r', '\u{85}']) {
        return Err(InvalidInput::new(format!("{what} must be a single line")));
    }
    refuse_non_text(&normalized, what, false)?;
    if let Some(c) = normalized.chars().find(|&c| is_bidi_control(c)) {
        return Err(InvalidInput::new(format!(
            "{what} contains an invisible character that changes the reading direction ({}); \
             type the text without it",
            code_point(c)
        )));
    }
    let text = normalized.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(InvalidInput::new(format!("{what} is required")));
    }
    if text.chars().count() > max_chars {
        return Err(InvalidInput::new(format!(
            "{what} is longer than {max_chars} characters"
        )));
    }
    Ok(text)
}

/// A text of several lines (a letter's body, a partner's comment): NFC, line endings made
/// `\n`, blank lines at both ends and spaces at the very end removed. Lines keep their spaces
/// (two spaces at a line's end are a Markdown line break), tabs and line breaks are kept; other
/// control characters and noncharacters are refused. Only blank lines give `""`.
pub(super) fn multi_line(raw: &str, what: &str) -> Result<String, InvalidInput> {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    let normalized: String = unified.nfc().collect();
    refuse_non_text(&normalized, what, true)?;
    let text = normalized.trim_end();
    let first_line = text
        .char_indices()
        .take_while(|(_, c)| c.is_whitespace())
        .filter(|(_, c)| *c == '\n')
        .last()
        .map_or(0, |(at, _)| at + 1);
    Ok(text[first_line..].to_string())
}

/// Refuses noncharacters and control characters (except `\n` and `\t` in multi-line text),
/// naming the field and the character.
fn refuse_non_text(text: &str, what: &str, multi_line: bool) -> Result<(), InvalidInput> {
    let allowed = |c: char| c == '\t' || multi_line && c == '\n';
    if let Some(c) = text.chars().find(|&c| is_noncharacter(c)) {
        return Err(InvalidInput::new(format!(
            "{what} contains {}, which is not a character of any script",
            code_point(c)
        )));
    }
    if let Some(c) = text.chars().find(|&c| c.is_control() && !allowed(c)) {
        return Err(InvalidInput::new(format!(
            "{what} contains the control character {}",
            code_point(c)
        )));
    }
    Ok(())
}

/// The 66 Unicode noncharacters: U+FDD0..U+FDEF and the last two code points of every plane.
pub fn is_noncharacter(c: char) -> bool {
    let code = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// Bidirectional embeddings and overrides (U+202A..U+202E) and isolates (U+2066..U+2069).
/// The marks LRM, RLM and ALM stay allowed: they change no order outside their word.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// A person's name as they write it, in any script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        single_line(raw, "the name", 200).map(Self)
    }

    /// The same rules, with the field named as the form names it ("your name").
    pub fn parse_field(raw: &str, what: &str) -> Result<Self, InvalidInput> {
        single_line(raw, what, 200).map(Self)
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

/// An optional one-line field: empty (or only spaces) means absent.
pub fn optional_text(
    raw: Option<&str>,
    what: &str,
    max_chars: usize,
) -> Result<Option<String>, InvalidInput> {
    match raw {
        None => Ok(None),
        Some(text) if text.trim().is_empty() => Ok(None),
        Some(text) => single_line(text, what, max_chars).map(Some),
    }
}

/// The start of a text on one line: its whitespace runs (line breaks too) made single spaces,
/// cut after `max_chars` characters with an ellipsis when it is longer.
pub fn abbreviate(text: &str, max_chars: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max_chars {
        return one_line;
    }
    let cut: String = one_line.chars().take(max_chars).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_keep_short_texts_and_cut_long_ones_on_one_line() {
        assert_eq!(
            abbreviate("We sign.\nWith pride.", 80),
            "We sign. With pride."
        );
        let long = "ä".repeat(100);
        let short = abbreviate(&long, 80);
        assert_eq!(short.chars().count(), 81);
        assert!(short.ends_with('…'));
        assert_eq!(abbreviate("", 80), "");
    }

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

    #[test]
    fn one_line_text_is_nfc_with_single_spaces() {
        let decomposed = "E\u{301}lan  Solidaire\tGene\u{300}ve\u{a0}";
        assert_eq!(
            single_line(decomposed, "the name", 300).unwrap(),
            "Élan Solidaire Genève"
        );
    }

    #[test]
    fn noncharacters_controls_and_direction_overrides_are_refused_by_name() {
        let refused = |raw: &str| {
            single_line(raw, "the organization's name", 300)
                .unwrap_err()
                .0
        };
        assert!(refused("Acme\u{FFFE}").contains("the organization's name contains U+FFFE"));
        assert!(refused("Acme\u{10FFFF}").contains("U+10FFFF"));
        assert!(refused("Acme\u{FDD0}").contains("U+FDD0"));
        assert!(refused("Acme\u{7}").contains("control character U+0007"));
        assert!(refused("Acme\u{9F}").contains("U+009F"));
        assert!(refused("\u{202E}emcA").contains("reading direction (U+202E)"));
        assert!(refused("Acme \u{2067}x\u{2069}").contains("U+2067"));
        // Marks that only place a word stay allowed.
        assert!(single_line("\u{200F}منظمة", "the name", 300).is_ok());
    }

    #[test]
    fn multi_line_text_keeps_lines_and_tabs_but_not_other_controls() {
        assert_eq!(
            multi_line(" \r\n  first  \r\nsecond\ttab\r\n\r\n", "the comment").unwrap(),
            "  first  \nsecond\ttab"
        );
        assert!(
            multi_line("a\u{0}b", "the comment")
                .unwrap_err()
                .0
                .contains("the comment contains the control character U+0000")
        );
        assert!(multi_line("a\u{FFFF}", "the letter's text").is_err());
        assert_eq!(multi_line("  \n ", "the comment").unwrap(), "");
    }
}
