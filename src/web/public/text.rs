//! The released letter as plain text (`/letters/{slug}.txt`): title, addressee, date, the
//! text, the signatories as they stand (the organizations, then the individuals under their
//! heading), the changes since publication and the text's SHA-256.

use super::list::{Change, Individuals, individual_line};
use crate::app::release::Signatory;
use crate::clock::long_date;
use crate::db::releases::Release;
use crate::domain::markdown::to_plain_text;

/// The letter as plain text, `markdown` the source of the released text (the release keeps
/// only its HTML). Lines end in `\n`; sections are separated by a blank line.
pub(super) fn plain_text(
    release: &Release,
    markdown: &str,
    list: &[Signatory],
    individuals: &Individuals,
    changes: &[Change],
) -> String {
    let mut out = format!(
        "{}\n\nTo {}\nPublished {}\n\n{}\n\nSignatories:\n",
        release.title,
        release.addressee,
        long_date(release.released_at),
        to_plain_text(markdown)
    );
    for s in list {
        match s.joined_on() {
            Some(on) => out.push_str(&format!(
                "- {} (joined after publication, {on})\n",
                s.organization
            )),
            None => out.push_str(&format!("- {}\n", s.organization)),
        }
    }
    if !individuals.list.is_empty() {
        out.push_str(&format!("\n{}:\n", individuals.heading));
        for i in individuals.list {
            let line = individual_line(i);
            match i.joined_on() {
                Some(on) => out.push_str(&format!("- {line} (joined after publication, {on})\n")),
                None => out.push_str(&format!("- {line}\n")),
            }
        }
    }
    if !changes.is_empty() {
        out.push_str("\nChanges since publication:\n");
        for change in changes {
            out.push_str(&format!("- {}: {}\n", change.on, change.note));
        }
    }
    out.push_str(&format!(
        "\nSHA-256 of the text: {}\n",
        release.content_sha256
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::release::Individual;

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
        let text = plain_text(&release, "We ask.", &list, &individuals, &[]);
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
        let text = plain_text(&release, "We ask.", &list, &none, &[]);
        assert!(!text.contains("Individuals"), "{text}");
    }
}
