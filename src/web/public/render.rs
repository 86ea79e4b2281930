//! Renders a published letter once into every form it is served in: the page, its embed card, JSON, CSV,
//! XLSX, plain text and PDF, each listing the organizations and then the individuals, each with its compressed variants, under one ETag and Last-Modified.
//! Revisions are immutable, so these bytes are current until a newer revision appears. A late
//! signature renders it again while readers are on the page: the PDF and the brotli bodies of
//! the forms other than the page and its card wait for their first request (`later`).

use actix_web::http::header::{EntityTag, HttpDate};

use super::later::Later;
use super::list::{Change, Groups, Individuals};
use super::page::Alternate;
use super::shown::TextForm;
use super::variants::{Rendered, RenderedTranslation, Validators, Variants};
use super::{embed_card, exports, page, printed, text};
use crate::app::Context;
use crate::app::coordinating::CoordinatingOrganization;
use crate::app::release::Published;
use crate::clock::long_date;
use crate::db::releases::Release;
use crate::db::translations::Translation;
use crate::domain::LanguageTag;
use crate::sheets::{CSV_TYPE, XLSX_TYPE};
use crate::web::{PageError, WebError};

/// What a letter is published in: its released text's language and the translations offered
/// to partners (up to date, so matching the released version).
pub(super) struct Languages<'a> {
    pub(super) authoritative: LanguageTag,
    pub(super) translations: &'a [Translation],
}

/// Every form of the letter with this slug, `markdown` the source of its released text,
/// `individuals_heading` the heading of its individuals, in its own language and every
/// translation in `languages`. Slow (brotli): call it off the async workers. Errors: a frozen
/// list that does not parse, or a form that cannot be rendered (500).
pub(super) fn render_all(
    ctx: &Context,
    slug: &str,
    published: &Published,
    markdown: &str,
    individuals_heading: &str,
    asking: CoordinatingOrganization,
    languages: Languages,
) -> Result<Rendered, PageError> {
    let (original, latest) = (published.original(), published.latest());
    let list = latest.signatory_list()?;
    let groups = Groups::of(&list);
    let individual_list = latest.individual_list()?;
    let individuals = Individuals {
        heading: individuals_heading,
        list: &individual_list,
    };
    let changes: Vec<Change> = published
        .changes()
        .iter()
        .map(|r| Change {
            revision: r.revision,
            at: r.released_at,
            on: long_date(r.released_at),
            note: r.change_note.clone().unwrap_or_default(),
        })
        .collect();
    let own = TextForm::original(slug, original, markdown, &languages.authoritative);
    let forms: Vec<TextForm> = languages
        .translations
        .iter()
        .map(|t| TextForm::translation(slug, t, &languages.authoritative))
        .collect();
    let tags: Vec<LanguageTag> = forms.iter().map(|f| f.language.clone()).collect();
    let json = exports::json(
        ctx,
        slug,
        published,
        &list,
        &individuals,
        &asking,
        &own,
        &forms,
    );
    let signatories = exports::signatories(&list, &individual_list);
    let csv = signatories.to_csv().map_err(WebError::internal)?;
    let xlsx = signatories.to_xlsx().map_err(WebError::internal)?;
    let text = text::plain_text(original, &own, &list, &individuals, &changes);
    // The page names the coordinating organization and the individuals' heading too: a change
    // of either is a new tag.
    let tag = EntityTag::new_strong(
        crate::crypto::sha256_hex(format!(
            "{}\n{asking:?}\n{individuals_heading}",
            latest.manifest_sha256
        ))[..32]
            .to_string(),
    );
    // Whole seconds, as HTTP dates carry them, so that If-Modified-Since compares equal.
    let released_secs = latest.released_at.and_utc().timestamp().max(0) as u64;
    let last_modified =
        HttpDate::from(std::time::UNIX_EPOCH + std::time::Duration::from_secs(released_secs));
    let pdf = later_pdf(
        ctx,
        original,
        &own,
        &list,
        &individual_list,
        individuals_heading,
        &changes,
    );
    let page = page::html(
        ctx,
        slug,
        published,
        &own.page_text(),
        &Alternate::all(ctx, slug, &own.language, &tags, &own.language),
        groups,
        &individuals,
        &changes,
        &asking,
    )?;
    let mut translations = Vec::with_capacity(forms.len());
    for form in &forms {
        let page = page::html(
            ctx,
            slug,
            published,
            &form.page_text(),
            &Alternate::all(ctx, slug, &own.language, &tags, &form.language),
            Groups::of(&list),
            &individuals,
            &changes,
            &asking,
        )?;
        let json = exports::translation_json(&json, form, ctx);
        translations.push(RenderedTranslation {
            language: form.language.clone(),
            page: Variants::new("text/html; charset=utf-8", page.into_bytes()),
            json: Variants::brotli_later("application/json", json.to_string().into_bytes()),
            text: Variants::brotli_later(
                "text/plain; charset=utf-8",
                text::plain_text(original, form, &list, &individuals, &changes).into_bytes(),
            ),
            pdf: later_pdf(
                ctx,
                original,
                form,
                &list,
                &individual_list,
                individuals_heading,
                &changes,
            ),
        });
    }
    let embed = embed_card::html(ctx, slug, published, list.len())?;
    Ok(Rendered {
        revision: latest.revision,
        asking,
        validators: Validators::new(tag, last_modified)?,
        page: Variants::new("text/html; charset=utf-8", page.into_bytes()),
        embed: Variants::new("text/html; charset=utf-8", embed.into_bytes()),
        json: Variants::brotli_later("application/json", json.to_string().into_bytes()),
        csv: Variants::brotli_later(CSV_TYPE, csv),
        // A workbook is a ZIP file, compressed already.
        xlsx: Variants::identity(XLSX_TYPE, xlsx),
        text: Variants::brotli_later("text/plain; charset=utf-8", text.into_bytes()),
        pdf,
        translations,
    })
}

/// The PDF of `form`, printed on its first request.
fn later_pdf(
    ctx: &Context,
    original: &Release,
    form: &TextForm,
    list: &[crate::app::release::Signatory],
    individual_list: &[crate::app::release::Individual],
    individuals_heading: &str,
    changes: &[Change],
) -> Later<Variants> {
    let (ctx, original, form) = (ctx.clone(), original.clone(), form.clone());
    let (list, individual_list, heading) = (
        list.to_vec(),
        individual_list.to_vec(),
        individuals_heading.to_string(),
    );
    let changes = changes.to_vec();
    Later::new(move || {
        let individuals = Individuals {
            heading: &heading,
            list: &individual_list,
        };
        let groups = Groups::of(&list);
        let pdf = printed::pdf(&ctx, &original, &form, &groups, &individuals, &changes)
            .map_err(|failed| failed.0)?;
        Ok(Variants::identity("application/pdf", pdf))
    })
}
