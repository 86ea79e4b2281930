//! The released letter's HTML page: the text, the signatories in their groups, the change log
//! and how to verify the list.

use askama::Template;

use super::list::{Change, Groups};
use super::manifests::public_key;
use crate::app::Context;
use crate::app::coordinating::CoordinatingOrganization;
use crate::app::release::{Published, Signatory};
use crate::clock::long_date;
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
    url: String,
    description: String,
    public_key: String,
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
