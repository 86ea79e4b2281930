//! Email addresses of contacts and accounts.

use std::fmt;

use super::InvalidInput;

/// A syntactically valid address, trimmed, with its domain lowercased. Its text can never
/// carry a line break into an email header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let trimmed = raw.trim();
        let refuse = || {
            InvalidInput::new(format!(
                "“{}” is not a valid email address",
                shorten(trimmed)
            ))
        };
        if trimmed.is_empty() {
            return Err(InvalidInput::new("an email address is required"));
        }
        if trimmed.len() > 254 || trimmed.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(refuse());
        }
        let address: lettre::Address = trimmed.parse().map_err(|_| refuse())?;
        if !address.domain().contains('.') && address.domain() != "localhost" {
            return Err(refuse());
        }
        Ok(Self(format!(
            "{}@{}",
            address.user(),
            address.domain().to_lowercase()
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used to find an account: the whole address lowercased.
    pub fn lookup_key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
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
    fn refuses_garbage_and_header_injection() {
        for bad in [
            "",
            "not-an-email",
            "a@b",
            "x@example.org\r\nBcc: victim@example.org",
            "two words@example.org",
            "@example.org",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?}");
        }
    }
}
