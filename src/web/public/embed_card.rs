//! The embed card's HTML (title, count, link to the letter), rendered once per revision with
//! the letter's other forms and served by `embed`.

use askama::Template;

use crate::app::Context;
use crate::app::release::Published;
use crate::clock::{long_date, rfc3339};
use crate::web::{PageError, WebError};

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
