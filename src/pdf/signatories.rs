//! The printed list of signatories: the organizations in their groups (leads, the others, those
//! that joined after publication), then the individuals under the coordinators' heading. Each
//! group is a heading and a tagged list, set in three columns when every entry fits a third of
//! the page on one line, else in two.

use krilla::tagging::{ListNumbering, Tag};

use super::flow::{Flow, WIDTH, column_width};
use super::fonts::Shape;
use super::layout::{BODY, Line, MUTED, Style, style};
use super::structure::{Skeleton, heading};
use super::{PrintedIndividual, PrintedLetter, PrintedSignatory};

/// The runs of one entry of a list: text and how it looks, a note on a line of its own.
type Entry = Vec<(String, Style)>;

/// Places the "Signatories" heading and every non-empty group under it.
pub(super) fn print(
    letter: &PrintedLetter,
    flow: &mut Flow,
    skeleton: &mut Skeleton,
    set: &mut impl FnMut(&[(&str, Style)], f32) -> Vec<Line>,
) {
    let signatories = letter.words.t("public-signatories");
    let h2 = skeleton.add(None, heading(2, &signatories));
    flow.block(
        set(&[(&signatories, style(Shape::Bold, 14.0))], WIDTH),
        0.0,
        3,
        h2,
    );
    let organizations = |group: &[PrintedSignatory]| group.iter().map(signatory_runs).collect();
    let words = &letter.words;
    let groups: [(String, Vec<Entry>); 4] = [
        (words.t("public-leads"), organizations(&letter.leads)),
        (words.t("pdf-supporting"), organizations(&letter.supporting)),
        (words.t("public-late"), organizations(&letter.late)),
        (
            letter.individuals_heading.to_string(),
            letter.individuals.iter().map(individual_runs).collect(),
        ),
    ];
    for (title, entries) in groups {
        let title = title.as_str();
        if entries.is_empty() {
            continue;
        }
        let h3 = skeleton.add(None, heading(3, title));
        flow.block(
            set(&[(title, style(Shape::Bold, 11.0))], WIDTH),
            10.0,
            3,
            h3,
        );
        let (count, entries) = columns(&entries, set);
        let list = skeleton.add(None, Tag::L(ListNumbering::None));
        let entries = entries
            .into_iter()
            .map(|lines| {
                let item = skeleton.add(Some(list), Tag::LI);
                (lines, skeleton.add(Some(item), Tag::LBody))
            })
            .collect();
        flow.space(6.0);
        flow.columns(entries, count, 3.0);
    }
}

/// The entries of a group set for three columns when every one fits a third of the width on
/// its lines (a note is a line of its own), else for two: the column count and each entry's
/// lines.
fn columns(
    entries: &[Entry],
    set: &mut impl FnMut(&[(&str, Style)], f32) -> Vec<Line>,
) -> (u8, Vec<Vec<Line>>) {
    let mut set_all = |count: u8| -> Vec<Vec<Line>> {
        entries
            .iter()
            .map(|entry| {
                let runs: Vec<(&str, Style)> =
                    entry.iter().map(|(t, s)| (t.as_str(), *s)).collect();
                set(&runs, column_width(count))
            })
            .collect()
    };
    let in_three = set_all(3);
    let each_on_its_lines = in_three.iter().zip(entries).all(|(lines, entry)| {
        let forced: usize = entry.iter().map(|(t, _)| t.matches('\n').count()).sum();
        lines.len() == forced + 1
    });
    if each_on_its_lines {
        (3, in_three)
    } else {
        (2, set_all(2))
    }
}

fn signatory_runs(signatory: &PrintedSignatory) -> Entry {
    entry(
        signatory.organization.to_string(),
        signatory.country,
        &signatory.note,
    )
}

/// "Name, Title, Affiliation (CC)", the title and affiliation when known.
fn individual_runs(individual: &PrintedIndividual) -> Entry {
    let mut who = individual.name.to_string();
    for part in [individual.title, individual.affiliation]
        .into_iter()
        .flatten()
    {
        who.push_str(", ");
        who.push_str(part);
    }
    entry(who, individual.country, &individual.note)
}

/// The name, the country muted after it, the note in small italics on a line of its own.
fn entry(name: String, country: Option<&str>, note: &Option<String>) -> Entry {
    let mut runs = vec![(name, BODY)];
    if let Some(country) = country {
        runs.push((
            format!(" ({country})"),
            Style {
                size: BODY.size,
                ..MUTED
            },
        ));
    }
    if let Some(note) = note {
        let note_style = Style {
            muted: true,
            ..style(Shape::Italic, 8.5)
        };
        runs.push((format!("\n{note}"), note_style));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_individual_prints_as_name_title_affiliation_and_country() {
        let runs = individual_runs(&PrintedIndividual {
            name: "Amal Haddad",
            title: Some("Professor of Law"),
            affiliation: Some("University of Examplestan"),
            country: Some("LB"),
            note: Some("joined on 4 December 2026".into()),
        });
        let text: Vec<&str> = runs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            text,
            [
                "Amal Haddad, Professor of Law, University of Examplestan",
                " (LB)",
                "\njoined on 4 December 2026"
            ]
        );
        let bare = individual_runs(&PrintedIndividual {
            name: "Jo Example",
            title: None,
            affiliation: None,
            country: None,
            note: None,
        });
        assert_eq!(bare, [("Jo Example".to_string(), BODY)]);
    }
}
