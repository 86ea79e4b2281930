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

/// "joined on 3 December 2026": the note of someone who joined after publication.
fn joined_note(l: &Localizer, joined_at: &str) -> String {
    l.msg("pdf-joined")
        .arg("date", l.day_of(Some(joined_at)).unwrap_or_default())
        .to_string()
}

/// A group of organizations as the PDF prints them, each with its note.
fn printed<'a>(l: &Localizer, group: &[&'a Signatory]) -> Vec<pdf::PrintedSignatory<'a>> {
    group
        .iter()
        .map(|s| pdf::PrintedSignatory {
            organization: &s.organization,
            country: s.country.as_deref(),
            note: match (&s.joined_at, &s.approved_by) {
                (Some(at), _) => Some(joined_note(l, at)),
                (None, Some(by)) => Some(l.msg("public-approved-by").arg("name", by).to_string()),
                (None, None) => None,
            },
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
    let published_on = l.date(original.released_at);
    let url = ctx.base_url.join(&text.path);
    let printed_letter = pdf::PrintedLetter {
        title: &text.title,
        addressee: &text.addressee,
        published_on: &published_on,
        published_at: original.released_at,
        body_html: &text.body_html,
        leads: printed(&l, &groups.leads),
        supporting: printed(&l, &groups.supporting),
        late: printed(&l, &groups.late),
        individuals_heading: individuals.heading,
        individuals: individuals
            .list
            .iter()
            .map(|i| pdf::PrintedIndividual {
                name: &i.name,
                title: i.title.as_deref(),
                affiliation: i.affiliation.as_deref(),
                country: i.country.as_deref(),
                note: i.joined_at.as_deref().map(|at| joined_note(&l, at)),
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
