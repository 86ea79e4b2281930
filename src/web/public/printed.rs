//! The released letter as a printable A4 PDF (`/letters/{slug}.pdf`): the text, the
//! signatories in their groups, the individuals under their heading, the change log, and the
//! address and SHA-256 on each page.

use super::list::{Change, Groups, Individuals};
use crate::app::Context;
use crate::app::release::Signatory;
use crate::clock::long_date;
use crate::db::releases::Release;
use crate::pdf;
use crate::web::{PageError, WebError};

/// The PDF of the original release's text with the list as it stands.
pub(super) fn pdf(
    ctx: &Context,
    slug: &str,
    original: &Release,
    groups: &Groups,
    individuals: &Individuals,
    changes: &[Change],
) -> Result<Vec<u8>, PageError> {
    fn printed<'a>(group: &[&'a Signatory]) -> Vec<pdf::PrintedSignatory<'a>> {
        group
            .iter()
            .map(|s| pdf::PrintedSignatory {
                organization: &s.organization,
                country: s.country.as_deref(),
                note: match (s.joined_on(), &s.approved_by) {
                    (Some(on), _) => Some(format!("joined on {on}")),
                    (None, Some(by)) => Some(format!("approved by {by}")),
                    (None, None) => None,
                },
            })
            .collect()
    }
    let published_on = long_date(original.released_at);
    let url = ctx.base_url.join(&format!("/letters/{slug}"));
    let printed_letter = pdf::PrintedLetter {
        title: &original.title,
        addressee: &original.addressee,
        published_on: &published_on,
        published_at: original.released_at,
        body_html: &original.body_html,
        leads: printed(&groups.leads),
        supporting: printed(&groups.supporting),
        late: printed(&groups.late),
        individuals_heading: individuals.heading,
        individuals: individuals
            .list
            .iter()
            .map(|i| pdf::PrintedIndividual {
                name: &i.name,
                title: i.title.as_deref(),
                affiliation: i.affiliation.as_deref(),
                country: i.country.as_deref(),
                note: i.joined_on().map(|on| format!("joined on {on}")),
            })
            .collect(),
        changes: changes
            .iter()
            .map(|c| format!("{}: {}", c.on, c.note))
            .collect(),
        url: &url,
        content_sha256: &original.content_sha256,
    };
    Ok(pdf::render(&printed_letter).map_err(WebError::internal)?)
}
