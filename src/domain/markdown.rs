//! Letter text from Markdown to HTML that is safe on every page: pulldown-cmark renders it,
//! then ammonia keeps only an allow-list of tags and attributes, so no script, event handler
//! or `javascript:` link typed by anyone can run. The same Markdown as plain text is in
//! `plain`.

mod plain;

use pulldown_cmark::{Options, Parser, html};

pub use plain::to_plain_text;

/// The Markdown extensions letters are written with, alike in every rendering.
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_SMART_PUNCTUATION);

pub fn to_safe_html(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, OPTIONS));
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_survives() {
        let html = to_safe_html("We **urge** you:\n\n1. act\n2. [report](https://example.org)");
        assert!(html.contains("<strong>urge</strong>"));
        assert!(html.contains("<ol>"));
        assert!(html.contains(r#"href="https://example.org""#));
    }

    #[test]
    fn hostile_markup_is_dropped() {
        let html = to_safe_html(
            "<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n\
             [click](javascript:alert(1))\n\n<a href=\"JaVaScRiPt:alert(1)\">x</a>\n\n\
             <iframe src=\"https://evil.example\"></iframe><svg onload=alert(1)></svg>",
        );
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "{html}");
        assert!(
            !lower.contains("onerror") && !lower.contains("onload"),
            "{html}"
        );
        assert!(!lower.contains("javascript:"), "{html}");
        assert!(
            !lower.contains("<iframe") && !lower.contains("<svg"),
            "{html}"
        );
    }
}
