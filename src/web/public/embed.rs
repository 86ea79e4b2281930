//! The letter as a small card for another website's `<iframe>`: `/letters/{slug}/embed`, with
//! the title, the count and a link to the letter. It is the one page any site may frame; it is
//! rendered once per revision with the other forms.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;

use super::cache::{PublicCache, rendered};
use super::variants::serve;
use crate::app::Context;
use crate::app::release::Published;
use crate::clock::{long_date, rfc3339};
use crate::web::{PageError, WebError, policy_framable_by_any_site};

#[derive(Template)]
#[template(path = "public_embed.html")]
struct EmbedPage<'a> {
    title: &'a str,
    count: usize,
    url: String,
    released_on: String,
    released_at: String,
}

/// The embed card of a released letter, `count` the number of signatories as they stand.
pub(super) fn html(
    ctx: &Context,
    slug: &str,
    published: &Published,
    count: usize,
) -> Result<String, PageError> {
    let original = published.original();
    Ok(EmbedPage {
        title: &original.title,
        count,
        url: ctx.base_url.join(&format!("/letters/{slug}")),
        released_on: long_date(original.released_at),
        released_at: rfc3339(original.released_at),
    }
    .render()
    .map_err(WebError::internal)?)
}

/// `/letters/{slug}/embed`: served from memory like the letter, under a policy that lets any
/// site frame it (and so without `X-Frame-Options`).
#[get("/letters/{slug}/embed")]
pub(super) async fn embed(
    request: HttpRequest,
    ctx: web::Data<Context>,
    cache: web::Data<PublicCache>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let rendered = rendered(&ctx, &cache, &slug).await?;
    let mut response = serve(&request, &rendered, &rendered.embed);
    if let Ok(policy) = HeaderValue::from_str(&policy_framable_by_any_site()) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    Ok(response)
}
