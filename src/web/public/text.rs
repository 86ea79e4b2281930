//! The released letter as plain text (`/letters/{slug}.txt`): title, addressee, date, the
//! text, the signatories as they stand (the organizations, then the individuals under their
//! heading), the changes since publication and the text's SHA-256.

use super::list::{Change, Individuals, individual_line};
use super::shown::TextForm;
use crate::app::release::Signatory;
use crate::db::releases::Release;
use crate::domain::markdown::to_plain_text;
use crate::i18n::Localizer;

/// The letter as plain text: `text` (the released text or a translation, with the Markdown
/// it was made from) and the list, in the words of the text's language when it is shipped.
/// Lines end in `\n`; sections are separated by a blank line.
pub(super) fn plain_text(
    original: &Release,
    text: &TextForm,
    list: &[Signatory],
    individuals: &Individuals,
    changes: &[Change],
) -> String {
    let l = Localizer::for_language(&text.language).unwrap_or_default();
    let joined = |line: &str, at: &Option<String>| match at {
        Some(at) => l
            .msg("public-text-joined")
            .arg("name", line)
            .arg("date", l.day_of(Some(at)).unwrap_or_default())
            .to_string(),
        None => line.to_string(),
    };
    let mut out = format!(
        "{}\n\n{}\n{}\n\n{}\n\n{}\n",
        text.title,
        l.msg("public-text-to").arg("addressee", &text.addressee),
        l.msg("public-text-published")
            .arg("date", l.date(original.released_at)),
        to_plain_text(&text.markdown),
        l.t("public-text-signatories"),
    );
    for s in list {
        out.push_str(&format!("- {}\n", joined(&s.organization, &s.joined_at)));
    }
    if !individuals.list.is_empty() {
        out.push_str(&format!("\n{}:\n", individuals.heading));
        for i in individuals.list {
            out.push_str(&format!(
                "- {}\n",
                joined(&individual_line(i), &i.joined_at)
            ));
        }
    }
    if !changes.is_empty() {
        out.push_str(&format!("\n{}\n", l.t("public-text-changes")));
        for change in changes {
            out.push_str(&format!("- {}: {}\n", l.date(change.at), change.note));
        }
    }
    out.push('\n');
    if !text.authoritative {
        out.push_str(&format!(
            "{}\n",
            l.msg("public-text-translation")
                .arg("language", original_language_name(text))
                .arg("sha256", &original.content_sha256)
        ));
    }
    out.push_str(&format!(
        "{}\n",
        l.msg("public-text-sha256")
            .arg("sha256", &text.content_sha256)
    ));
    out
}

/// The authoritative language's name in itself, for a translation's note.
fn original_language_name(text: &TextForm) -> String {
    text.authoritative_language.native_name()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::release::Individual;
    use crate::domain::LanguageTag;

    #[test]
    fn individuals_follow_the_organizations_under_their_heading() {
        let release = Release {
            id: "r".into(),
            letter_id: "l".into(),
            revision: 1,
            version: 1,
            title: "Free them".into(),
            addressee: "the Government".into(),
            body_html: String::new(),
            content_sha256: "abc".into(),
            signatories: String::new(),
            manifest: String::new(),
            manifest_sha256: String::new(),
            signature: String::new(),
            change_note: None,
            created_by: None,
            released_at: chrono::NaiveDateTime::default(),
            individuals: String::new(),
        };
        let list = [Signatory {
            organization: "FIDH".into(),
            tier: "lead".into(),
            country: None,
            approved_by: None,
            signer_name: None,
            signer_title: None,
            source: "sign_link".into(),
            joined_at: None,
        }];
        let people = [
            Individual {
                name: "Amal Haddad".into(),
                title: Some("Professor of Law".into()),
                affiliation: Some("University of Examplestan".into()),
                country: Some("LB".into()),
                joined_at: None,
            },
            Individual {
                name: "Jo Example".into(),
                title: None,
                affiliation: None,
                country: None,
                joined_at: Some("2026-12-04T10:00:00Z".into()),
            },
        ];
        let individuals = Individuals {
            heading: "Individuals, in their personal capacity",
            list: &people,
        };
        let form = TextForm::original("free-them", &release, "We ask.", &LanguageTag::english());
        let text = plain_text(&release, &form, &list, &individuals, &[]);
        assert!(
            text.contains(
                "Signatories:\n- FIDH\n\nIndividuals, in their personal capacity:\n\
                 - Amal Haddad, Professor of Law, University of Examplestan (Lebanon)\n\
                 - Jo Example (joined after publication, 4 December 2026)\n"
            ),
            "{text}"
        );
        let none = Individuals {
            heading: "Individuals, in their personal capacity",
            list: &[],
        };
        let text = plain_text(&release, &form, &list, &none, &[]);
        assert!(!text.contains("Individuals"), "{text}");
    }
}
