//! Properties of the plain text of any Markdown: it never panics, never holds two blank lines
//! in a row, a trailing space or a blank line at either end, and never holds a tag of the HTML
//! renderer. `PROPTEST_CASES` runs more cases than the default 256.

use proptest::prelude::*;

use super::to_plain_text;

/// Pieces of Markdown that, put together at random, make every kind of block and span, raw
/// HTML that must be left out, and text in several scripts.
const FRAGMENTS: &[&str] = &[
    "# ",
    "## ",
    "###### ",
    "1. ",
    "3) ",
    "- ",
    "* ",
    "+ ",
    "> ",
    "    ",
    "  ",
    "```\n",
    "~~~\n",
    "`",
    "**",
    "_",
    "~~",
    "[",
    "]",
    "(https://example.org/x)",
    "[the report](https://example.org/p?q=1&r=2)",
    "<https://example.org>",
    "<desk@example.org>",
    "[mail](mailto:desk@example.org)",
    "![alt](https://example.org/i.png)",
    "\n",
    "\n\n",
    "\n\n\n",
    "  \n",
    "\\\n",
    "\t",
    "word",
    "Élan Solidaire",
    "Уйгурский конгресс",
    "منظمة العفو",
    "香港",
    " ",
    "|",
    "---\n",
    "| x | y |\n|---|---|\n| 1 | 2 |\n",
    "[^1]",
    "[^1]: the note\n",
    "<b>",
    "</b>",
    "<section>\n",
    "</section>\n",
    "<!-- hidden -->",
    "<span class=\"x\">",
    "&amp;",
    "&lt;",
    "=",
    "\u{a0}",
    "Setext\n===\n",
    "***\n",
];

/// The tags pulldown-cmark's HTML renderer writes.
const RENDERER_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "del",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
    "sup",
    "div",
];

/// The first tag of the HTML renderer in `text`, if any: `<name`, `</name` followed by `>`,
/// `/` or a space.
fn renderer_tag(text: &str) -> Option<&str> {
    text.match_indices('<').find_map(|(at, _)| {
        let slash = usize::from(text[at + 1..].starts_with('/'));
        let rest = &text[at + 1 + slash..];
        let name_end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_end);
        let closed = after.starts_with(['>', '/', ' ']);
        (closed && RENDERER_TAGS.contains(&name.to_ascii_lowercase().as_str()))
            .then(|| &text[at..at + 1 + slash + name_end])
    })
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..60).prop_map(|parts| parts.concat())
}

/// The shape every plain text has, whatever the Markdown.
fn assert_tidy(text: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !text.contains("\n\n\n"),
        "two blank lines in a row:\n{text}"
    );
    prop_assert!(!text.starts_with('\n') && !text.ends_with('\n'), "{text:?}");
    for line in text.lines() {
        prop_assert_eq!(line.trim_end(), line, "a trailing space in {:?}", text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(crate::test_support::proptest_config(256))]

    #[test]
    fn any_text_gives_tidy_plain_text(input in any::<String>()) {
        assert_tidy(&to_plain_text(&input))?;
    }

    #[test]
    fn any_markdown_gives_tidy_plain_text_without_renderer_tags(input in markdown()) {
        let text = to_plain_text(&input);
        assert_tidy(&text)?;
        prop_assert_eq!(renderer_tag(&text), None, "{:?} became {:?}", input, text);
    }
}

#[test]
fn the_tag_finder_finds_renderer_tags_only() {
    assert_eq!(renderer_tag("a <p> b"), Some("<p"));
    assert_eq!(renderer_tag("x </strong>"), Some("</strong"));
    assert_eq!(renderer_tag(r#"<a href="x">"#), Some("<a"));
    assert_eq!(renderer_tag("<br/>"), Some("<br"));
    assert_eq!(renderer_tag("I <3 you <https://example.org> <b>"), None);
}
