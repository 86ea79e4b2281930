//! The letter as a small card for another website's `<iframe>`: `/letters/{slug}/embed`, with
//! the title, the count and a link to the letter. It is the one page any site may frame; it is
//! rendered once per revision with the other forms (`embed_card`).

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};

use super::cache::{PublicCache, rendered};
use super::variants::serve;
use crate::app::Context;
use crate::web::{PageError, policy_framable_by_any_site};

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
    let mut response = serve(&request, &rendered, &rendered.embed).await?;
    if let Ok(policy) = HeaderValue::from_str(&policy_framable_by_any_site()) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    Ok(response)
}
