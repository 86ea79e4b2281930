//! The public face of a released letter: its page and exports (`letter`), the signed
//! revision manifests and the key that verifies them (`manifests`), and the index and Atom
//! feed of released letters (`index`). Unreleased letters answer 404, like letters that do
//! not exist.
//!
//! A letter is rendered once per revision into every form it is served in (`render`, with
//! `page`, `embed`, `exports`, `text` and `printed` for the forms), in its own text and in each
//! translation offered (`shown`, at `/letters/{slug}/{language}`), and kept in memory (`cache`). Each
//! form is stored plain and compressed (`variants`); a request gets the encoding it accepts
//! (`negotiation`) or a 304 when its copy is current (`freshness`). What a reader of the page
//! does not need (the PDF, the brotli bodies of the other forms) is made on its first request
//! (`later`), so that a late signature published during a spike costs the readers little.

mod cache;
mod embed;
mod embed_card;
mod exports;
mod freshness;
mod index;
mod later;
mod letter;
mod list;
mod manifests;
mod negotiation;
mod page;
mod printed;
mod render;
mod shown;
mod text;
mod variants;

use actix_web::http::StatusCode;
use actix_web::web;

pub use cache::PublicCache;

use super::{PageError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    // `/letters/{name}` first: it is the one a spike hits, and it matches a single segment, so
    // it never takes the longer addresses below.
    cfg.service(letter::letter)
        .service(index::index)
        .service(index::feed)
        .service(manifests::release_key)
        .service(letter::signatories_csv)
        .service(letter::signatories_xlsx)
        .service(embed::embed)
        .service(manifests::revision_manifest)
        // Last: it takes only names that look like a language tag.
        .service(letter::translation);
}

/// The one answer for a letter that does not exist and for one that is not released yet.
fn not_published() -> PageError {
    PageError(WebError::new(
        StatusCode::NOT_FOUND,
        "No published letter has this address.",
    ))
}

/// Whether `slug` could be a letter's slug (lowercase letters, digits and hyphens), checked
/// before any look-up so that no other text reaches the database or a header.
fn is_slug(slug: &str) -> bool {
    slug.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
