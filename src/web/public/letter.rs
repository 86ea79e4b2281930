//! The released letter's own addresses: `/letters/{slug}` (the page), `.json`, `.txt`, `.pdf`
//! and `/letters/{slug}/signatories.csv`, all served from the rendered copy in memory.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};

use super::cache::{PublicCache, rendered};
use super::variants::Rendered;
use super::variants::{Variants, serve};
use crate::app::Context;
use crate::web::PageError;

#[get("/letters/{name}")]
pub(super) async fn letter(
    request: HttpRequest,
    ctx: web::Data<Context>,
    cache: web::Data<PublicCache>,
    name: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let name = name.into_inner();
    let (slug, form): (&str, fn(&Rendered) -> &Variants) =
        if let Some(slug) = name.strip_suffix(".json") {
            (slug, |r| &r.json)
        } else if let Some(slug) = name.strip_suffix(".txt") {
            (slug, |r| &r.text)
        } else if let Some(slug) = name.strip_suffix(".pdf") {
            (slug, |r| &r.pdf)
        } else {
            (name.as_str(), |r| &r.page)
        };
    let rendered = rendered(&ctx, &cache, slug).await?;
    let mut response = serve(&request, &rendered, form(&rendered));
    if name.ends_with(".pdf") {
        // The slug is known to be lowercase letters, digits and hyphens.
        if let Ok(value) =
            header::HeaderValue::from_str(&format!("inline; filename=\"{slug}.pdf\""))
        {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, value);
        }
    }
    Ok(response)
}

#[get("/letters/{slug}/signatories.csv")]
pub(super) async fn signatories_csv(
    request: HttpRequest,
    ctx: web::Data<Context>,
    cache: web::Data<PublicCache>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let rendered = rendered(&ctx, &cache, &slug).await?;
    Ok(serve(&request, &rendered, &rendered.csv))
}
