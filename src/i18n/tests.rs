use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;

fn locales() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("locales")
}

/// The message ids a Fluent file defines (terms and attributes aside).
fn ids_in(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    text.lines()
        .filter_map(|line| line.split_once(" ="))
        .map(|(id, _)| id)
        .filter(|id| {
            id.starts_with(|c: char| c.is_ascii_lowercase())
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_string)
        .collect()
}

fn english_ids() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for file in ["sign.ftl", "email.ftl", "public.ftl"] {
        ids.extend(ids_in(&locales().join("en").join(file)));
    }
    ids
}

/// Every argument the English messages use, each given a number (which a text placeable
/// prints and a plural selector selects on), so that a message formats without errors.
fn every_argument() -> HashMap<Cow<'static, str>, FluentValue<'static>> {
    let mut args = HashMap::new();
    for file in ["sign.ftl", "email.ftl", "public.ftl"] {
        let text = std::fs::read_to_string(locales().join("en").join(file)).unwrap();
        for (at, _) in text.match_indices('$') {
            let name: String = text[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            args.insert(Cow::Owned(name), FluentValue::from(2));
        }
    }
    args
}

#[test]
fn every_shipped_language_has_every_message() {
    let english = english_ids();
    assert!(english.len() > 100, "{} messages", english.len());
    let args = every_argument();
    let mut missing = Vec::new();
    for language in SHIPPED {
        let id: LanguageIdentifier = language.parse().unwrap();
        for message in &english {
            if LOCALES
                .lookup_no_default_fallback(&id, message, Some(&args))
                .is_none()
            {
                missing.push(format!("{language}: {message}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing messages:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_language_folder_is_shipped_and_every_shipped_language_has_a_folder() {
    let folders: BTreeSet<String> = std::fs::read_dir(locales())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let shipped: BTreeSet<String> = SHIPPED.iter().map(|s| s.to_string()).collect();
    assert_eq!(folders, shipped);
}

/// Every message the templates and the code ask for by name is written in English (and so,
/// by the test above, in every shipped language).
#[test]
fn every_message_the_code_asks_for_exists() {
    let english = english_ids();
    let mut asked = BTreeSet::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut folders = vec![root.join("templates"), root.join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for call in [".t(\"", ".msg(\""] {
                for (at, _) in text.match_indices(call) {
                    let rest = &text[at + call.len()..];
                    let id = &rest[..rest.find('"').unwrap_or(0)];
                    if !id.is_empty() && !id.contains('{') {
                        asked.insert(id.to_string());
                    }
                }
            }
        }
    }
    // The ids made from a value: the decisions and the sign form's fields.
    for decision in ["sign", "decline", "withdraw"] {
        asked.insert(format!("sign-decision-{decision}"));
    }
    for field in [
        "decision",
        "signer_name",
        "signer_title",
        "organization_display_name",
        "comment",
        "colleague_email",
        "colleague_name",
    ] {
        asked.insert(format!("error-{field}"));
    }
    assert!(asked.len() > 50, "{asked:?}");
    let unknown: Vec<_> = asked.difference(&english).collect();
    assert!(unknown.is_empty(), "asked for but not written: {unknown:?}");
}

#[test]
fn counts_choose_their_plural_form_and_group_their_digits() {
    let english = Localizer::english();
    let count = |l: &Localizer, n| {
        l.msg("public-organizations")
            .count("organizations", n)
            .to_string()
    };
    assert_eq!(count(&english, 1), "1 organization");
    assert_eq!(count(&english, 12345), "12,345 organizations");
    let french = Localizer::choose([&LanguageTag::parse("fr-CA").unwrap()]);
    assert_eq!(french.language().as_str(), "fr");
    assert!(
        count(&french, 12345).starts_with("12\u{202f}345 "),
        "{}",
        count(&french, 12345)
    );
    let arabic = Localizer::choose([&LanguageTag::parse("ar").unwrap()]);
    assert_eq!(arabic.dir(), "rtl");
    // Arabic has a form for two of something, unlike English.
    assert_ne!(count(&arabic, 2), count(&arabic, 11));
}

#[test]
fn days_are_written_with_the_language_s_month_names() {
    let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 3)
        .unwrap()
        .and_hms_opt(14, 5, 0)
        .unwrap();
    let in_language = |tag: &str| Localizer::choose([&LanguageTag::parse(tag).unwrap()]);
    assert_eq!(in_language("en").date(at), "3 December 2026");
    assert_eq!(in_language("fr").date(at), "3 décembre 2026");
    assert_eq!(in_language("es").date(at), "3 de diciembre de 2026");
    assert_eq!(in_language("ar").date(at), "3 ديسمبر 2026");
    assert_eq!(
        in_language("fr").date_time_utc(at),
        "3 décembre 2026, 14:05 UTC"
    );
    let deadline =
        Deadline::parse_rfc3339("2026-12-01T17:00:00+01:00", Some("Europe/Paris")).unwrap();
    assert_eq!(
        in_language("fr").deadline(&deadline),
        "1 décembre 2026, 17:00 (Europe/Paris) · 16:00 UTC"
    );
}

#[test]
fn unshipped_languages_read_english_and_the_first_shipped_preference_wins() {
    let tags: Vec<LanguageTag> = ["zh-Hans", "es-419", "fr"]
        .iter()
        .map(|t| LanguageTag::parse(t).unwrap())
        .collect();
    assert_eq!(Localizer::choose(&tags).language().as_str(), "es");
    assert_eq!(Localizer::choose(&tags[..1]).language().as_str(), "en");
}

#[test]
fn bold_arguments_are_escaped_and_cannot_be_forged() {
    let english = Localizer::english();
    let html = english
        .msg("sign-asks")
        .strong("asking", "A & <B>")
        .strong("organization", "\u{E000}0\u{E001}")
        .html();
    assert_eq!(
        html,
        "<strong>A &amp; &lt;B&gt;</strong> asks <strong>0</strong> to co-sign"
    );
}
