//! What a link that was handed to a colleague answers: when it was handed on, and to whom,
//! with the address masked (`d…@example.org`) so that the old link reveals little.

use chrono::NaiveDateTime;

use crate::app::AppError;
use crate::crypto::sha256_hex;
use crate::db::DbConnection;

/// A sign link retired by a hand-over.
#[derive(Debug, Clone)]
pub struct HandedOn {
    /// When the link was handed on (UTC).
    pub on: NaiveDateTime,
    /// The colleague's address, masked: `d…@example.org`.
    pub to: String,
}

/// The hand-over that retired this sign-link token, if one did.
pub fn handed_on(conn: &mut DbConnection, token: &str) -> Result<Option<HandedOn>, AppError> {
    if token.len() != 43 {
        return Ok(None);
    }
    let Some(event) = crate::db::audit::forwarded_from(conn, &sha256_hex(token))? else {
        return Ok(None);
    };
    let detail: serde_json::Value = serde_json::from_str(&event.detail).unwrap_or_default();
    let to = detail["to"].as_str().map(mask_email).unwrap_or_default();
    Ok(Some(HandedOn {
        on: event.created_at,
        to,
    }))
}

/// An address with all but the first character of its local part hidden: `d…@example.org`.
pub fn mask_email(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}…@{domain}")
        }
        None => "…".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_masked_to_their_first_letter_and_domain() {
        assert_eq!(mask_email("director@example.org"), "d…@example.org");
        assert_eq!(mask_email("x@example.org"), "x…@example.org");
        assert_eq!(mask_email("no-at-sign"), "…");
    }
}
