//! The coordinator's personal message placed into an invitation email: a few paragraphs of
//! their own words above the standard text, such as why this coalition asks this partner.

use super::InvalidInput;
use super::text::multi_line;

/// The longest personal message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// A personal message: multi-line text (NFC, `\n` line endings), at most
/// [`MAX_MESSAGE_CHARS`] characters, never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalMessage(String);

impl PersonalMessage {
    /// Reads the message field: blank means no message (`Ok(None)`). Errors: control
    /// characters or noncharacters, or a message over the limit.
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, InvalidInput> {
        let text = multi_line(raw, "the personal message")?;
        if text.trim().is_empty() {
            return Ok(None);
        }
        let length = text.chars().count();
        if length > MAX_MESSAGE_CHARS {
            return Err(InvalidInput::new(format!(
                "the personal message is {length} characters long; keep it under {MAX_MESSAGE_CHARS}"
            )));
        }
        Ok(Some(Self(text)))
    }

    /// A message read back from a queued job, already checked when it was queued.
    pub fn from_stored(text: String) -> Self {
        Self(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_message_is_no_message() {
        assert_eq!(PersonalMessage::parse_optional(" \r\n \n").unwrap(), None);
    }

    #[test]
    fn a_message_keeps_its_paragraphs_with_unix_line_endings() {
        let message = PersonalMessage::parse_optional("Dear friends,\r\n\r\nWe count on you.\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(message.as_str(), "Dear friends,\n\nWe count on you.");
    }

    #[test]
    fn a_long_message_or_a_control_character_is_refused_with_the_field_named() {
        let long = "a".repeat(MAX_MESSAGE_CHARS + 1);
        let refused = PersonalMessage::parse_optional(&long).unwrap_err();
        assert!(refused.0.contains("2001 characters"), "{refused}");
        let control = PersonalMessage::parse_optional("hello\u{7}").unwrap_err();
        assert!(control.0.contains("the personal message"), "{control}");
        assert!(
            PersonalMessage::parse_optional(&"é".repeat(MAX_MESSAGE_CHARS))
                .unwrap()
                .is_some()
        );
    }
}
