//! The released letter as a printable A4 PDF (`/letters/{slug}.pdf`): the text, the
//! signatories in their groups, the individuals under their heading, the change log, and the
//! address and SHA-256 on each page.

use super::list::{Change, Groups, Individuals};
use super::shown::TextForm;
use crate::app::Context;
use crate::app::release::Signatory;
use crate::db::releases::Release;
use crate::i18n::Localizer;
use crate::pdf;
use crate::web::{PageError, WebError};

/// A group of signatories as `(organization, country, note)`.
type Printed = Vec<(String, Option<String>, Option<String>)>;

/// The group as the PDF module takes it.
fn borrowed(group: &Printed) -> Vec<pdf::PrintedSignatory<'_>> {
    group
        .iter()
        .map(|(organization, country, note)| pdf::PrintedSignatory {
            organization,
            country: country.as_deref(),
            note: note.clone(),
        })
        .collect()
}

/// The PDF of `text` (the original release's text or a translation) with the list as it
/// stands, its printed words in the text's language when it is shipped.
pub(super) fn pdf(
    ctx: &Context,
    original: &Release,
    text: &TextForm,
    groups: &Groups,
    individuals: &Individuals,
    changes: &[Change],
) -> Result<Vec<u8>, PageError> {
    let l = Localizer::for_language(&text.language).unwrap_or_default();
    let printed = |group: &[&Signatory]| -> Printed {
        group
            .iter()
            .map(|s| {
                let note = match (&s.joined_at, &s.approved_by) {
                    (Some(at), _) => Some(
                        l.msg("pdf-joined")
                            .arg("date", l.day_of(Some(at)).unwrap_or_default())
                            .to_string(),
                    ),
                    (None, Some(by)) => {
                        Some(l.msg("public-approved-by").arg("name", by).to_string())
                    }
                    (None, None) => None,
                };
                (s.organization.clone(), s.country.clone(), note)
            })
            .collect()
    };
    let (leads, supporting, late) = (
        printed(&groups.leads),
        printed(&groups.supporting),
        printed(&groups.late),
    );
    let published_on = l.date(original.released_at);
    let url = ctx.base_url.join(&text.path);
    let printed_letter = pdf::PrintedLetter {
        title: &text.title,
        addressee: &text.addressee,
        published_on: &published_on,
        published_at: original.released_at,
        body_html: &text.body_html,
        leads: borrowed(&leads),
        supporting: borrowed(&supporting),
        late: borrowed(&late),
        individuals_heading: individuals.heading,
        individuals: individuals
            .list
            .iter()
            .map(|i| pdf::PrintedIndividual {
                name: &i.name,
                title: i.title.as_deref(),
                affiliation: i.affiliation.as_deref(),
                country: i.country.as_deref(),
                note: i.joined_at.as_deref().map(|at| {
                    l.msg("pdf-joined")
                        .arg("date", l.day_of(Some(at)).unwrap_or_default())
                        .to_string()
                }),
            })
            .collect(),
        changes: changes
            .iter()
            .map(|c| format!("{}: {}", l.date(c.at), c.note))
            .collect(),
        url: &url,
        content_sha256: &text.content_sha256,
        language: text.language.as_str(),
        words: l.clone(),
    };
    Ok(pdf::render(&printed_letter).map_err(WebError::internal)?)
}
