//! Property tests of the input rules, on generated text: whatever is typed, a one-line field is
//! either refused with a reason or comes out canonical (NFC, single spaces, nothing that is not
//! text); the organization key and the email form are stable; Markdown never yields active
//! markup once sanitised. `UNDERSIGNED_PROPTEST_CASES` runs them longer.

use proptest::prelude::*;
use undersigned::domain::markdown::to_safe_html;
use undersigned::domain::{EmailAddress, OrganizationName, email_key, organization_key};
use unicode_normalization::{UnicodeNormalization, is_nfc};

use crate::support::markup::active_markup;
use crate::support::proptest_cases::config;

/// Text as people paste it: any characters, with the troublesome ones made likely (combining
/// accents, odd spaces, direction controls, noncharacters, controls, markup).
fn typed_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        4 => any::<char>().prop_map(String::from),
        3 => "[a-zA-Z ]{1,8}",
        1 => Just("e\u{301}".to_string()),
        1 => Just("\u{a0}".to_string()),
        1 => Just("\t".to_string()),
        1 => Just("\u{202E}".to_string()),
        1 => Just("\u{2067}".to_string()),
        1 => Just("\u{FFFE}".to_string()),
        1 => Just("\u{7}".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("<script>alert(1)</script>".to_string()),
        1 => Just("ﬁ".to_string()),
        1 => Just("Straße".to_string()),
    ];
    prop::collection::vec(pieces, 0..12).prop_map(|parts| parts.concat())
}

/// Markdown with the constructs that carry links and raw HTML made likely.
fn markdown() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        3 => typed_text(),
        1 => Just("[x](javascript:alert(1))".to_string()),
        1 => Just("<img src=x onerror=alert(1)>".to_string()),
        1 => Just("<a href=\"jav&#x09;ascript:alert(1)\">y</a>".to_string()),
        1 => Just("![p](data:text/html;base64,PHNjcmlwdD4=)".to_string()),
        1 => Just("<iframe srcdoc=\"<script>x</script>\">".to_string()),
        1 => Just("\n\n> quote\n\n- item\n1. one\n".to_string()),
        1 => Just("<svg><script>1</script></svg>".to_string()),
        1 => Just("`code <b>`".to_string()),
    ];
    prop::collection::vec(pieces, 0..10).prop_map(|parts| parts.concat())
}

fn not_text(c: char) -> bool {
    let code = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE || c.is_control()
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_one_line_field_is_refused_with_a_reason_or_canonical(raw in typed_text()) {
        match OrganizationName::parse(&raw) {
            Err(reason) => prop_assert!(!reason.0.is_empty()),
            Ok(name) => {
                let name = name.as_str();
                prop_assert!(is_nfc(name), "{name:?}");
                prop_assert_eq!(name.trim(), name);
                prop_assert!(!name.contains("  "), "{:?}", name);
                let stray = name.chars().any(|c| not_text(c) || c.is_whitespace() && c != ' ');
                prop_assert!(!stray, "{:?}", name);
                let reverses = name.chars().any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'));
                prop_assert!(!reverses, "{:?}", name);
                // Canonical text is a fixed point, and typing it decomposed finds the same key.
                let again = OrganizationName::parse(name).unwrap();
                prop_assert_eq!(again.as_str(), name);
                let decomposed: String = name.nfd().collect();
                prop_assert_eq!(organization_key(&decomposed), organization_key(name));
                prop_assert_eq!(organization_key(&name.to_uppercase()), organization_key(&name.to_lowercase()));
            }
        }
    }

    #[test]
    fn the_organization_key_is_stable(raw in typed_text()) {
        let key = organization_key(&raw);
        prop_assert_eq!(organization_key(&key), key.clone(), "folding twice changes nothing");
        prop_assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
    }

    #[test]
    fn an_email_address_is_refused_or_canonical(
        local in prop_oneof!["[a-zA-Z0-9._+-]{1,12}", typed_text()],
        domain in prop_oneof!["[a-zA-Z0-9-]{1,10}\\.[a-z]{2,4}", "[a-zäöüé]{1,8}\\.example", typed_text()],
    ) {
        let raw = format!("{local}@{domain}");
        match EmailAddress::parse(&raw) {
            Err(reason) => prop_assert!(!reason.0.is_empty()),
            Ok(address) => {
                let text = address.as_str();
                let (local_part, domain_part) = text.rsplit_once('@').unwrap();
                prop_assert!(local_part.is_ascii(), "{text}");
                prop_assert!(domain_part.is_ascii(), "an A-label: {text}");
                prop_assert_eq!(domain_part.to_lowercase(), domain_part);
                prop_assert!(!text.chars().any(|c| c.is_whitespace() || c.is_control()));
                let again = EmailAddress::parse(text).unwrap();
                prop_assert_eq!(again.as_str(), text, "canonical is a fixed point");
                let shouted = EmailAddress::parse(&text.to_uppercase());
                if let Ok(shouted) = shouted {
                    prop_assert_eq!(shouted.lookup_key(), address.lookup_key());
                }
                prop_assert_eq!(email_key(text), address.lookup_key());
            }
        }
    }

    #[test]
    fn sanitised_markdown_has_no_active_markup(source in markdown()) {
        let html = to_safe_html(&source);
        prop_assert!(active_markup(&html).is_empty(), "{:?} gave {}", source, html);
        prop_assert!(!html.to_lowercase().contains("<iframe"), "{html}");
    }
}
