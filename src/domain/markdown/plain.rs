//! Letter text from Markdown to plain text, walking pulldown-cmark's events: what a reader
//! of `/letters/{slug}.txt` or a plain-text email sees.
//!
//! Blocks (paragraphs, headings, lists, quotes, code, tables) are separated by one blank
//! line; line breaks inside a paragraph are kept as the author wrote them; list items start
//! with `- ` or `1. ` (continuation lines indented under the text), quotes with `> `;
//! emphasis, strong and struck-through text become plain words; a link is `text (url)` and an
//! image `alt (url)`; a footnote is `[label]`, its text a block starting `[label] `. Raw HTML
//! is markup, not text, and is left out (the HTML page drops most of it too).

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::OPTIONS;

/// The Markdown as plain text: lines joined by `\n`, no trailing spaces, no blank line at
/// either end.
pub fn to_plain_text(markdown: &str) -> String {
    let mut writer = Writer::default();
    for event in Parser::new_ext(markdown, OPTIONS) {
        writer.event(event);
    }
    writer.finish()
}

/// Something that prefixes the lines inside it: a list item (its marker on the first line,
/// spaces of the same width after), a quote, a footnote.
struct Container {
    /// Written at the start of the first line only, then `None`.
    first: Option<String>,
    /// Written at the start of every later line.
    rest: String,
}

#[derive(Default)]
struct Writer {
    out: String,
    containers: Vec<Container>,
    /// The next number of each open list, `None` for a bulleted one.
    lists: Vec<Option<u64>>,
    /// Open links and images: the URL and where their text starts in `out`.
    links: Vec<(String, usize, bool)>,
    /// The table cell about to start, counted from 0 in its row.
    cell: usize,
    at_line_start: bool,
    /// A blank line is owed before the next text, since a new block started.
    separate: bool,
}

impl Writer {
    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Code(text) => self.write(&text),
            Event::SoftBreak | Event::HardBreak => self.line_break(),
            Event::Rule => {
                self.block();
                self.write("* * *");
                self.end_line();
            }
            Event::FootnoteReference(label) => self.write(&format!("[{label}]")),
            // Raw HTML (`Html`, `InlineHtml`) and math are left out.
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::Table(_) => {
                self.block()
            }
            Tag::BlockQuote(_) => {
                self.block();
                self.containers.push(Container {
                    first: None,
                    rest: "> ".into(),
                });
            }
            Tag::List(start) => {
                // A list inside a list item follows the item's text on the next line.
                if self.lists.is_empty() {
                    self.block();
                } else {
                    self.end_line();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.end_line();
                let marker = match self.lists.last_mut() {
                    Some(Some(number)) => {
                        *number += 1;
                        format!("{}. ", *number - 1)
                    }
                    _ => "- ".to_string(),
                };
                self.containers.push(Container {
                    rest: " ".repeat(marker.len()),
                    first: Some(marker),
                });
            }
            Tag::FootnoteDefinition(label) => {
                self.block();
                let marker = format!("[{label}] ");
                self.containers.push(Container {
                    rest: " ".repeat(marker.chars().count()),
                    first: Some(marker),
                });
            }
            Tag::TableHead | Tag::TableRow => self.cell = 0,
            Tag::TableCell => {
                if self.cell > 0 {
                    self.write(" | ");
                }
                self.cell += 1;
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let bare = matches!(link_type, LinkType::Autolink | LinkType::Email);
                self.links
                    .push((dest_url.to_string(), self.out.len(), bare));
            }
            Tag::Image { dest_url, .. } => {
                self.links
                    .push((dest_url.to_string(), self.out.len(), false))
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow => self.end_line(),
            TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition => {
                self.end_line();
                self.containers.pop();
            }
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::Item => {
                self.end_line();
                self.containers.pop();
            }
            TagEnd::Link | TagEnd::Image => self.end_link(),
            _ => {}
        }
    }

    /// After a link's or image's text: ` (url)`, unless the text is the address already.
    fn end_link(&mut self) {
        let Some((url, start, bare)) = self.links.pop() else {
            return;
        };
        let text = self.out[start..].trim();
        if bare || text == url || url.strip_prefix("mailto:") == Some(text) {
            return;
        }
        if text.is_empty() {
            self.write(&url);
        } else {
            self.write(&format!(" ({url})"));
        }
    }

    /// A new block begins: the line ends, and a blank line comes before its text.
    fn block(&mut self) {
        self.end_line();
        self.separate = true;
    }

    fn end_line(&mut self) {
        if !self.at_line_start && !self.out.is_empty() {
            self.out.push('\n');
            self.at_line_start = true;
        }
    }

    /// A line break inside a block, kept where the author put it.
    fn line_break(&mut self) {
        self.start_line();
        self.out.push('\n');
        self.at_line_start = true;
    }

    fn write(&mut self, text: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.line_break();
            }
            if !line.is_empty() {
                self.start_line();
                self.out.push_str(line);
            }
        }
    }

    /// At the start of a line: the blank line owed, then the prefixes of the open containers.
    fn start_line(&mut self) {
        if !self.at_line_start && !self.out.is_empty() {
            return;
        }
        if self.separate && !self.out.is_empty() {
            for container in &self.containers {
                self.out.push_str(&container.rest);
            }
            self.out.push('\n');
        }
        self.separate = false;
        for container in &mut self.containers {
            match container.first.take() {
                Some(first) => self.out.push_str(&first),
                None => self.out.push_str(&container.rest),
            }
        }
        self.at_line_start = false;
    }

    fn finish(self) -> String {
        let lines: Vec<&str> = self.out.lines().map(str::trim_end).collect();
        lines.join("\n").trim_matches('\n').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::to_plain_text;

    #[test]
    fn paragraphs_are_separated_by_one_blank_line() {
        assert_eq!(
            to_plain_text("First paragraph.\n\n\n\nSecond paragraph."),
            "First paragraph.\n\nSecond paragraph."
        );
    }

    #[test]
    fn the_author_s_line_breaks_are_kept() {
        assert_eq!(
            to_plain_text("Dear Secretary-General,\nwe write to you\\\ntoday.  \nSigned"),
            "Dear Secretary-General,\nwe write to you\ntoday.\nSigned"
        );
    }

    #[test]
    fn headings_are_blocks_of_their_own() {
        assert_eq!(
            to_plain_text("# Our demands\nWe ask:\n\n## First\n\nRelease them."),
            "Our demands\n\nWe ask:\n\nFirst\n\nRelease them."
        );
    }

    #[test]
    fn list_items_carry_a_dash_or_their_number() {
        assert_eq!(
            to_plain_text("We urge you to:\n\n* act\n* report\n\n3. three\n4. four\n\nEnd."),
            "We urge you to:\n\n- act\n- report\n\n3. three\n4. four\n\nEnd."
        );
    }

    #[test]
    fn nested_lists_and_long_items_are_indented_under_the_text() {
        assert_eq!(
            to_plain_text("1. first\n   - a\n   - b\n2. second\n   line"),
            "1. first\n   - a\n   - b\n2. second\n   line"
        );
    }

    #[test]
    fn emphasis_becomes_plain_words() {
        assert_eq!(
            to_plain_text("We **urge** you to _act_ ~~later~~ now, with `care`."),
            "We urge you to act later now, with care."
        );
    }

    #[test]
    fn links_show_their_address_after_the_text() {
        assert_eq!(
            to_plain_text(
                "Read [the report](https://example.org/r) or <https://example.org> or \
                 <press@example.org>, or [mail us](mailto:a@example.org)."
            ),
            "Read the report (https://example.org/r) or https://example.org or \
             press@example.org, or mail us (mailto:a@example.org)."
        );
        assert_eq!(
            to_plain_text("![Map of the camps](https://example.org/map.png)"),
            "Map of the camps (https://example.org/map.png)"
        );
    }

    #[test]
    fn characters_are_text_not_entities() {
        assert_eq!(
            to_plain_text("Lawyers for Human Rights & Justice <3 \"quotes\" &amp; 'this'"),
            "Lawyers for Human Rights & Justice <3 \u{201c}quotes\u{201d} & \u{2018}this\u{2019}"
        );
    }

    #[test]
    fn quotes_code_and_tables_keep_their_shape() {
        assert_eq!(
            to_plain_text(
                "> quoted\n> twice\n>\n> again\n\n    code\n\n    more\n\n| a | b |\n|---|---|\n| 1 | 2 |"
            ),
            "> quoted\n> twice\n>\n> again\n\ncode\n\nmore\n\na | b\n1 | 2"
        );
    }

    #[test]
    fn footnotes_are_labelled() {
        assert_eq!(
            to_plain_text("Facts.[^1]\n\n[^1]: The source."),
            "Facts.[1]\n\n[1] The source."
        );
    }

    #[test]
    fn raw_html_is_left_out() {
        assert_eq!(
            to_plain_text("Before <b>bold</b> after.\n\n<div>\nhidden\n</div>\n\nEnd."),
            "Before bold after.\n\nEnd."
        );
    }
}
