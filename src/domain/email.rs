//! Email addresses of contacts and accounts.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use super::InvalidInput;
use super::text::is_noncharacter;

/// A syntactically valid address in one canonical form: trimmed, NFC, the domain lowercased and
/// converted to its IDNA A-label (`kontakt@bücherverein.example` is stored as
/// `kontakt@xn--bcherverein-thb.example`), the local part kept as typed. Two addresses that
/// differ only in the case of their local part are one mailbox (`lookup_key`). Its text can
/// never carry a line break into an email header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// An address whose local part (before the @) is ASCII, which every SMTP server delivers.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        Self::parse_with(raw, false)
    }

    /// An address whose local part may be written in any script; only for a mail server that
    /// accepts SMTPUTF8 (the setting `mail.smtputf8`).
    pub fn parse_international(raw: &str) -> Result<Self, InvalidInput> {
        Self::parse_with(raw, true)
    }

    /// `parse` or `parse_international`, as the mail server allows.
    pub fn parse_with(raw: &str, smtputf8: bool) -> Result<Self, InvalidInput> {
        let typed: String = raw.trim().nfc().collect();
        let refuse = || {
            InvalidInput::new(format!(
                "“{}” is not a valid email address",
                shorten(&typed)
            ))
        };
        if typed.is_empty() {
            return Err(InvalidInput::new("an email address is required"));
        }
        if typed.len() > 254
            || typed
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || is_noncharacter(c))
        {
            return Err(refuse());
        }
        let (local, domain) = typed.rsplit_once('@').ok_or_else(refuse)?;
        if local.is_empty() || domain.is_empty() {
            return Err(refuse());
        }
        if !local.is_ascii() && !smtputf8 {
            return Err(InvalidInput::new(format!(
                "“{}”: the part before the @ has letters outside A–Z, which the mail server \
                 may not deliver; use an ASCII address, or ask an admin to turn on the setting \
                 mail.smtputf8 if the server accepts such addresses",
                shorten(&typed)
            )));
        }
        let domain = idna::domain_to_ascii(domain).map_err(|_| refuse())?;
        if !domain.contains('.') && domain != "localhost" {
            return Err(refuse());
        }
        let address: lettre::Address = format!("{local}@{domain}").parse().map_err(|_| refuse())?;
        Ok(Self(address.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The mailbox, for comparing addresses: the whole canonical address lowercased, so
    /// `Desk@gamma.example` and `DESK@GAMMA.EXAMPLE` are one contact and one account.
    pub fn lookup_key(&self) -> String {
        email_key(&self.0)
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The mailbox key of a stored, canonical address (see `EmailAddress::lookup_key`).
pub fn email_key(canonical: &str) -> String {
    canonical.to_lowercase()
}

fn shorten(text: &str) -> String {
    text.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses() {
        let e = EmailAddress::parse("  Desk@Example.ORG ").unwrap();
        assert_eq!(e.as_str(), "Desk@example.org");
        assert_eq!(e.lookup_key(), "desk@example.org");
        assert!(EmailAddress::parse("noreply@localhost").is_ok());
    }

    #[test]
    fn one_mailbox_has_one_key_whatever_the_case() {
        let keys: Vec<String> = [
            "Desk@Gamma.example",
            "desk@gamma.example",
            "DESK@GAMMA.EXAMPLE",
            "dESK@gamma.EXAMPLE",
        ]
        .iter()
        .map(|raw| EmailAddress::parse(raw).unwrap().lookup_key())
        .collect();
        assert!(keys.iter().all(|k| k == "desk@gamma.example"), "{keys:?}");
    }

    #[test]
    fn international_domains_become_their_a_label() {
        let e = EmailAddress::parse("kontakt@Bücherverein.example").unwrap();
        assert_eq!(e.as_str(), "kontakt@xn--bcherverein-thb.example");
        let decomposed = EmailAddress::parse("kontakt@bu\u{308}cherverein.example").unwrap();
        assert_eq!(decomposed, e);
    }

    #[test]
    fn a_local_part_outside_ascii_needs_smtputf8() {
        let refused = EmailAddress::parse("jörg@example.org").unwrap_err().0;
        assert!(refused.contains("mail.smtputf8"), "{refused}");
        let accepted = EmailAddress::parse_international("Jörg@Exämple.org").unwrap();
        assert_eq!(accepted.as_str(), "Jörg@xn--exmple-cua.org");
        assert_eq!(accepted.lookup_key(), "jörg@xn--exmple-cua.org");
    }

    #[test]
    fn refuses_garbage_and_header_injection() {
        for bad in [
            "",
            "not-an-email",
            "a@b",
            "x@example.org\r\nBcc: victim@example.org",
            "two words@example.org",
            "@example.org",
            "desk@",
            "desk@exa mple.org",
            "desk\u{FFFE}@example.org",
            "desk@-.example",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?}");
        }
    }
}
