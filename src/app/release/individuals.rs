//! Individuals who signed in their personal capacity: listed apart from the organizations and
//! after them, in the reader's alphabetical order (those who joined after publication last, in
//! the order they joined), and frozen with each release like the organizations.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::app::AppError;
use crate::app::collation::ReaderOrder;
use crate::clock::rfc3339;
use crate::db::letters::Letter;
use crate::db::releases::Release;
use crate::db::{DbConnection, sign_on_requests};
use crate::domain::LetterId;

/// The heading of the individuals' list when the coordinator set none.
pub const DEFAULT_HEADING: &str = "Individuals, affiliations for identification only";

/// One individual as published. `title`, `affiliation` and `country` (ISO 3166-1 alpha-2) are
/// written as `null` when unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Individual {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    /// Given for identification only: the individual signs for themselves.
    #[serde(default)]
    pub affiliation: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    /// When the individual joined, if after the letter was published (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<String>,
}

impl Individual {
    /// "Name, Title, Affiliation (CC)" as the lists print it.
    pub fn line(&self) -> String {
        let mut line = self.name.clone();
        for part in [&self.title, &self.affiliation].into_iter().flatten() {
            line.push_str(", ");
            line.push_str(part);
        }
        if let Some(country) = &self.country {
            line.push_str(&format!(" ({country})"));
        }
        line
    }

    /// The day a late individual joined, as the public page prints it.
    pub fn joined_on(&self) -> Option<String> {
        crate::clock::day_of(self.joined_at.as_deref())
    }
}

/// The heading the letter's coordinators chose for its individuals, or the default.
pub fn heading(letter: &Letter) -> &str {
    letter
        .individuals_heading
        .as_deref()
        .filter(|h| !h.trim().is_empty())
        .unwrap_or(DEFAULT_HEADING)
}

/// The individuals a coordinator approved for the letter, in published order. `published_at`
/// is the first release, for a letter already out: approval after it makes a late signatory.
pub(super) fn approved(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    published_at: Option<NaiveDateTime>,
) -> Result<Vec<Individual>, AppError> {
    let mut list: Vec<Individual> =
        sign_on_requests::for_letter(conn, letter_id, Some("approved"))?
            .into_iter()
            .filter(|r| r.kind == "individual")
            .map(|r| Individual {
                joined_at: match (published_at, r.decided_at) {
                    (Some(published), Some(decided)) if decided > published => {
                        Some(rfc3339(decided))
                    }
                    _ => None,
                },
                name: r.name,
                title: r.title,
                affiliation: r.affiliation,
                country: r.country,
            })
            .collect();
    published_order(&mut list);
    Ok(list)
}

/// Alphabetical in the reader's order; late signatories last, in the order they joined.
pub fn published_order(list: &mut [Individual]) {
    let mut order = ReaderOrder::default();
    list.sort_by(|a, b| {
        a.joined_at
            .is_some()
            .cmp(&b.joined_at.is_some())
            .then_with(|| a.joined_at.cmp(&b.joined_at))
            .then_with(|| order.compare(&a.name, &b.name))
    });
}

/// The list as it is stored with a release.
pub(super) fn individuals_json(list: &[Individual]) -> Result<String, AppError> {
    serde_json::to_string(list)
        .map_err(|e| AppError::Corrupt(format!("the individuals cannot be written: {e}")))
}

impl Release {
    /// The individuals as they were frozen; an error, never an empty list, when they do not
    /// parse.
    pub fn individual_list(&self) -> Result<Vec<Individual>, AppError> {
        serde_json::from_str(&self.individuals).map_err(|e| {
            AppError::Corrupt(format!(
                "the individuals of release {} (revision {}) do not parse: {e}",
                self.id, self.revision
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, joined_at: Option<&str>) -> Individual {
        Individual {
            name: name.into(),
            title: None,
            affiliation: None,
            country: None,
            joined_at: joined_at.map(Into::into),
        }
    }

    #[test]
    fn alphabetical_then_late_in_the_order_they_joined() {
        let mut list = vec![
            person("Zoé Martin", None),
            person("Late Second", Some("2026-12-05T10:00:00Z")),
            person("Émile Durand", None),
            person("Late First", Some("2026-12-04T10:00:00Z")),
            person("Aïcha Benali", None),
        ];
        published_order(&mut list);
        let names: Vec<&str> = list.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Aïcha Benali",
                "Émile Durand",
                "Zoé Martin",
                "Late First",
                "Late Second"
            ]
        );
    }

    #[test]
    fn a_line_names_title_affiliation_and_country() {
        let mut someone = person("Dr Amal Haddad", None);
        assert_eq!(someone.line(), "Dr Amal Haddad");
        someone.title = Some("Professor of Law".into());
        someone.affiliation = Some("University of Examplestan".into());
        someone.country = Some("LB".into());
        assert_eq!(
            someone.line(),
            "Dr Amal Haddad, Professor of Law, University of Examplestan (LB)"
        );
    }
}
