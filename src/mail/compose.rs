//! Turns a rendered email into a MIME message (text and HTML alternatives) with headers that no
//! user field can break: every name and subject is cut to one line before lettre encodes it
//! (RFC 2047 for non-ASCII, quoting for commas and quotes).

use lettre::Address;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};

use super::RenderedEmail;

/// Who an email is from, for and answered to, and its stable Message-ID.
#[derive(Debug, Clone)]
pub struct Addressing<'a> {
    pub from: &'a Mailbox,
    /// The coordinator who created the letter: name and address.
    pub reply_to: Option<(&'a str, &'a str)>,
    pub to_name: Option<&'a str>,
    pub to_address: &'a str,
    pub message_id: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("the recipient address {0:?} cannot be used")]
    BadRecipient(String),
    #[error("the message could not be built: {0}")]
    Build(#[from] lettre::error::Error),
}

/// A header-safe version of a user's text: every control character (CR and LF included)
/// becomes a space, runs of spaces shrink to one, and the ends are trimmed.
pub fn header_safe(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn mailbox(name: Option<&str>, address: Address) -> Mailbox {
    let name = name.map(header_safe).filter(|n| !n.is_empty());
    Mailbox::new(name, address)
}

/// Builds the message: From, Reply-To (when the coordinator's address parses), To, Subject,
/// Message-ID, and a multipart/alternative body with the text part first.
pub fn compose(addressing: &Addressing, email: RenderedEmail) -> Result<Message, ComposeError> {
    let to_address: Address = header_safe(addressing.to_address)
        .parse()
        .map_err(|_| ComposeError::BadRecipient(header_safe(addressing.to_address)))?;
    let mut builder = Message::builder()
        .from(addressing.from.clone())
        .to(mailbox(addressing.to_name, to_address))
        .subject(header_safe(&email.subject))
        .message_id(Some(header_safe(addressing.message_id)));
    if let Some((name, address)) = addressing.reply_to
        && let Ok(address) = header_safe(address).parse::<Address>()
    {
        builder = builder.reply_to(mailbox(Some(name), address));
    }
    Ok(builder.multipart(MultiPart::alternative_plain_html(email.text, email.html))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(subject: &str) -> RenderedEmail {
        RenderedEmail {
            subject: subject.into(),
            text: "text part".into(),
            html: "<p>html part</p>".into(),
        }
    }

    fn formatted(to_name: &str, subject: &str, reply_name: &str) -> String {
        let from: Mailbox = "Undersigned <noreply@example.org>".parse().unwrap();
        let message = compose(
            &Addressing {
                from: &from,
                reply_to: Some((reply_name, "coordinator@example.org")),
                to_name: Some(to_name),
                to_address: "partner@example.org",
                message_id: "<job-1@example.org>",
            },
            rendered(subject),
        )
        .unwrap();
        String::from_utf8(message.formatted()).unwrap()
    }

    fn headers(message: &str) -> &str {
        message.split("\r\n\r\n").next().unwrap()
    }

    #[test]
    fn line_breaks_in_user_fields_never_make_new_headers() {
        let message = formatted(
            "Evil Org\r\nBcc: victim@example.net",
            "Title\r\nX-Injected: yes",
            "Coordinator\nCc: other@example.net",
        );
        let head = headers(&message);
        for injected in ["\r\nBcc:", "\r\nX-Injected:", "\r\nCc:"] {
            assert!(!head.contains(injected), "{head}");
        }
        assert!(head.contains("Message-ID: <job-1@example.org>"), "{head}");
    }

    /// The display name of a header as a mail client shows it (lettre writes every name that
    /// needs quoting as one RFC 2047 base64 word).
    fn decoded_name(head: &str, header: &str) -> String {
        use base64::Engine;
        let line = head
            .lines()
            .find(|l| l.starts_with(header))
            .unwrap_or_else(|| panic!("no {header} in {head}"));
        let word = line[header.len()..].trim().split(' ').next().unwrap();
        let encoded = word
            .strip_prefix("=?utf-8?b?")
            .and_then(|w| w.strip_suffix("?="))
            .unwrap_or_else(|| panic!("not an encoded word: {line}"));
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn names_with_quotes_commas_and_other_scripts_are_encoded() {
        let message = formatted(
            "Lawyers, \"Rights\" & Co",
            "Письмо: 联合公开信",
            "Amina Al-Sayed, Coordinator",
        );
        let head = headers(&message);
        assert!(head.is_ascii(), "headers stay 7-bit: {head}");
        assert_eq!(decoded_name(head, "To:"), "Lawyers, \"Rights\" & Co");
        assert!(head.contains("<partner@example.org>"), "{head}");
        assert_eq!(
            decoded_name(head, "Reply-To:"),
            "Amina Al-Sayed, Coordinator"
        );
        assert_eq!(decoded_name(head, "Subject:"), "Письмо: 联合公开信");
        let arabic = formatted("منظمة حقوق الإنسان", "t", "c");
        assert_eq!(decoded_name(headers(&arabic), "To:"), "منظمة حقوق الإنسان");
    }

    #[test]
    fn header_safe_flattens_control_characters() {
        assert_eq!(header_safe("  a\r\n\tb\u{7}c  "), "a b c");
    }
}
