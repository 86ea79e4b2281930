//! The released letter's HTML page: the text, the count and the signatories in their groups
//! (leads first, each with its country and, when the letter shows it, who approved), then the
//! individuals under the coordinators' heading, the change log and how to verify the list.

use askama::Template;

use super::list::{Change, Groups, Individuals, country_label, individual_line};
use super::manifests::public_key;
use crate::app::Context;
use crate::app::coordinating::CoordinatingOrganization;
use crate::app::release::{Individual, Published, Signatory};
use crate::clock::{long_date, rfc3339};
use crate::db::releases::Release;
use crate::web::{PageError, WebError};

#[derive(Template)]
#[template(path = "public_letter.html")]
struct LetterPage<'a> {
    /// Who coordinated the letter, with the press contact.
    asking: &'a CoordinatingOrganization,
    slug: String,
    /// The newest revision.
    release: &'a Release,
    leads: Vec<&'a Signatory>,
    supporting: Vec<&'a Signatory>,
    /// Organizations that joined after publication, in the order they joined.
    late: Vec<&'a Signatory>,
    /// The public change log: every revision after the original.
    changes: &'a [Change],
    original_manifest_sha256: &'a str,
    released_on: String,
    /// The original release's time of day, "14:05 UTC".
    released_time: String,
    /// The original release, RFC 3339, for `<time datetime>`.
    released_at: String,
    /// Who signed, as the list stands: "47 organizations and 12 individuals".
    signed_by: String,
    /// The heading of the individuals' list.
    individuals_heading: &'a str,
    /// Individuals who signed in their personal capacity, after the organizations.
    individuals: &'a [Individual],
    url: String,
    description: String,
    public_key: String,
}

impl LetterPage<'_> {
    /// The signatory's country as readers know it, or nothing when it is not known.
    fn country(&self, signatory: &Signatory) -> Option<String> {
        signatory.country.as_deref().map(country_label)
    }

    /// "Name, Title, Affiliation": who the individual is, without the country.
    fn identity(&self, individual: &Individual) -> String {
        individual_line(&Individual {
            country: None,
            ..individual.clone()
        })
    }

    /// The individual's country as readers know it, like an organization's.
    fn individual_country(&self, individual: &Individual) -> Option<String> {
        individual.country.as_deref().map(country_label)
    }
}

/// What the page says of who signed: "47 organizations", "and 12 individuals" when any did.
fn signed_by(organizations: usize, individuals: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut said = plural(organizations, "organization", "organizations");
    if individuals > 0 {
        said.push_str(" and ");
        said.push_str(&plural(individuals, "individual", "individuals"));
    }
    said
}

/// The page of the letter with this slug, with the organizations as they stand in `groups`.
pub(super) fn html(
    ctx: &Context,
    slug: &str,
    published: &Published,
    groups: Groups,
    individuals: &Individuals,
    changes: &[Change],
    asking: &CoordinatingOrganization,
) -> Result<String, PageError> {
    let original = published.original();
    let count = groups.leads.len() + groups.supporting.len() + groups.late.len();
    let signed = signed_by(count, individuals.list.len());
    Ok(LetterPage {
        asking,
        url: ctx.base_url.join(&format!("/letters/{slug}")),
        description: format!(
            "An open letter to {}, signed by {signed}.",
            original.addressee
        ),
        released_on: long_date(original.released_at),
        released_time: original.released_at.format("%H:%M UTC").to_string(),
        released_at: rfc3339(original.released_at),
        signed_by: signed.clone(),
        individuals_heading: individuals.heading,
        individuals: individuals.list,
        public_key: public_key(ctx),
        slug: slug.to_string(),
        leads: groups.leads,
        supporting: groups.supporting,
        late: groups.late,
        changes,
        original_manifest_sha256: &original.manifest_sha256,
        release: published.latest(),
    }
    .render()
    .map_err(WebError::internal)?)
}

#[cfg(test)]
mod tests {
    use super::signed_by;

    #[test]
    fn the_count_names_individuals_only_when_there_are_any() {
        assert_eq!(signed_by(47, 0), "47 organizations");
        assert_eq!(signed_by(1, 1), "1 organization and 1 individual");
        assert_eq!(signed_by(47, 12), "47 organizations and 12 individuals");
    }
}
