//! What an account is made of: its role and its password.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use super::InvalidInput;

/// What an account may do. Admins also release letters and manage accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Coordinator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Coordinator => "coordinator",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw {
            "admin" => Ok(Self::Admin),
            "coordinator" => Ok(Self::Coordinator),
            other => Err(InvalidInput::new(format!("unknown role “{other}”"))),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A new password: long enough to resist guessing, short enough to hash cheaply.
/// It never prints itself.
pub struct Password(SecretString);

impl Password {
    pub const MIN_CHARS: usize = 12;
    const MAX_BYTES: usize = 1024;

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        if raw.chars().count() < Self::MIN_CHARS {
            return Err(InvalidInput::new(format!(
                "the password must have at least {} characters",
                Self::MIN_CHARS
            )));
        }
        if raw.len() > Self::MAX_BYTES {
            return Err(InvalidInput::new("the password is too long"));
        }
        Ok(Self(SecretString::from(raw.to_string())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused_and_none_is_printed() {
        assert!(Password::parse("short").is_err());
        let p = Password::parse("correct horse battery staple").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }

    #[test]
    fn roles_round_trip() {
        for role in [Role::Admin, Role::Coordinator] {
            assert_eq!(Role::parse(role.as_str()).unwrap(), role);
        }
        assert!(Role::parse("root").is_err());
    }
}
