//! Renders a published letter once into every form it is served in: the page, its embed card, JSON, CSV,
//! XLSX, plain text and PDF, each listing the organizations and then the individuals, each with its compressed variants, under one ETag and Last-Modified.
//! Revisions are immutable, so these bytes are current until a newer revision appears. A late
//! signature renders it again while readers are on the page: the PDF and the brotli bodies of
//! the forms other than the page and its card wait for their first request (`later`).

use actix_web::http::header::{EntityTag, HttpDate};

use super::later::Later;
use super::list::{Change, Groups, Individuals};
use super::variants::{Rendered, Validators, Variants};
use super::{embed_card, exports, page, printed, text};
use crate::app::Context;
use crate::app::coordinating::CoordinatingOrganization;
use crate::app::release::Published;
use crate::clock::long_date;
use crate::sheets::{CSV_TYPE, XLSX_TYPE};
use crate::web::{PageError, WebError};

/// Every form of the letter with this slug, `markdown` the source of its released text,
/// `individuals_heading` the heading of its individuals. Slow
/// (brotli): call it off the async workers. Errors: a frozen list
/// that does not parse, or a form that cannot be rendered (500).
pub(super) fn render_all(
    ctx: &Context,
    slug: &str,
    published: &Published,
    markdown: &str,
    individuals_heading: &str,
    asking: CoordinatingOrganization,
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
            on: long_date(r.released_at),
            note: r.change_note.clone().unwrap_or_default(),
        })
        .collect();
    let json = exports::json(ctx, slug, published, &list, &individuals, &asking);
    let signatories = exports::signatories(&list, &individual_list);
    let csv = signatories.to_csv().map_err(WebError::internal)?;
    let xlsx = signatories.to_xlsx().map_err(WebError::internal)?;
    let text = text::plain_text(original, markdown, &list, &individuals, &changes);
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
    let pdf = {
        let (ctx, slug, original) = (ctx.clone(), slug.to_string(), original.clone());
        let (list, individual_list, heading) = (
            list.clone(),
            individual_list.clone(),
            individuals_heading.to_string(),
        );
        let changes = changes.clone();
        Later::new(move || {
            let individuals = Individuals {
                heading: &heading,
                list: &individual_list,
            };
            let groups = Groups::of(&list);
            let pdf = printed::pdf(&ctx, &slug, &original, &groups, &individuals, &changes)
                .map_err(|failed| failed.0)?;
            Ok(Variants::identity("application/pdf", pdf))
        })
    };
    let page = page::html(
        ctx,
        slug,
        published,
        groups,
        &individuals,
        &changes,
        &asking,
    )?;
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
    })
}
