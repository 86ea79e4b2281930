//! The published list as the page, the text and the PDF show it: grouped (leads, the others,
//! those that joined after publication), then the individuals under their heading, with the
//! dated changes since publication.

use crate::app::release::{Individual, Signatory};
use crate::domain::country_name;

/// One entry of the public change log.
#[derive(Clone)]
pub(super) struct Change {
    pub(super) revision: i32,
    /// When the revision was released (UTC).
    pub(super) at: chrono::NaiveDateTime,
    /// The date of the revision, as `long_date` writes it.
    pub(super) on: String,
    pub(super) note: String,
}

/// The published list as the page and the PDF group it: leads, the others, and those that
/// joined after publication.
pub(super) struct Groups<'a> {
    pub(super) leads: Vec<&'a Signatory>,
    pub(super) supporting: Vec<&'a Signatory>,
    /// In the order they joined.
    pub(super) late: Vec<&'a Signatory>,
}

impl<'a> Groups<'a> {
    pub(super) fn of(list: &'a [Signatory]) -> Self {
        let (late, on_time): (Vec<_>, Vec<_>) = list.iter().partition(|s| s.joined_at.is_some());
        let (leads, supporting) = on_time.into_iter().partition(|s| s.tier == "lead");
        Self {
            leads,
            supporting,
            late,
        }
    }
}

/// The individuals who signed in their personal capacity, listed after the organizations.
pub(super) struct Individuals<'a> {
    /// The heading the coordinators chose, or the default one.
    pub(super) heading: &'a str,
    /// In published order: alphabetical, then those who joined after publication.
    pub(super) list: &'a [Individual],
}

/// The country as readers know it: its name, or the code when the name is not known.
pub(super) fn country_label(code: &str) -> String {
    country_name(code).unwrap_or_else(|| code.to_string())
}

/// "Name, Title, Affiliation (Country)" as the page and the text print an individual, the
/// country by its name as organizations' are.
pub(super) fn individual_line(individual: &Individual) -> String {
    Individual {
        country: individual.country.as_deref().map(country_label),
        joined_at: None,
        ..individual.clone()
    }
    .line()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_individual_reads_with_the_name_of_their_country() {
        let mut someone = Individual {
            name: "Amal Haddad".into(),
            title: Some("Professor of Law".into()),
            affiliation: Some("University of Examplestan".into()),
            country: Some("LB".into()),
            joined_at: None,
        };
        assert_eq!(
            individual_line(&someone),
            "Amal Haddad, Professor of Law, University of Examplestan (Lebanon)"
        );
        someone.title = None;
        someone.country = Some("QQ".into());
        assert_eq!(
            individual_line(&someone),
            "Amal Haddad, University of Examplestan (QQ)"
        );
    }
}
