//! The released letter's HTML page: the text, the count and the signatories in their groups
//! (leads first, each with its country and, when the letter shows it, who approved), the
//! change log and how to verify the list.

use askama::Template;

use super::list::{Change, Groups};
use super::manifests::public_key;
use crate::app::Context;
use crate::app::coordinating::CoordinatingOrganization;
use crate::app::release::{Published, Signatory};
use crate::clock::{long_date, rfc3339};
use crate::db::releases::Release;
use crate::domain::country_name;
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
    /// How many organizations signed, as the list stands.
    count: usize,
    url: String,
    description: String,
    public_key: String,
}

impl LetterPage<'_> {
    /// The signatory's country as readers know it, or nothing when it is not known.
    fn country(&self, signatory: &Signatory) -> Option<String> {
        let code = signatory.country.as_deref()?;
        Some(country_name(code).unwrap_or_else(|| code.to_string()))
    }
}

/// The page of the letter with this slug, `count` the number of signatories as they stand.
pub(super) fn html(
    ctx: &Context,
    slug: &str,
    published: &Published,
    count: usize,
    groups: Groups,
    changes: &[Change],
    asking: &CoordinatingOrganization,
) -> Result<String, PageError> {
    let original = published.original();
    Ok(LetterPage {
        asking,
        url: ctx.base_url.join(&format!("/letters/{slug}")),
        description: format!(
            "An open letter to {}, signed by {count} organizations.",
            original.addressee,
        ),
        released_on: long_date(original.released_at),
        released_time: original.released_at.format("%H:%M UTC").to_string(),
        released_at: rfc3339(original.released_at),
        count,
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
