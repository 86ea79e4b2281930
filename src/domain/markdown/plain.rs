//! Letter text from Markdown to plain text, walking pulldown-cmark's events: what a reader
//! of `/letters/{slug}.txt` sees, written so that a coordinator can paste it into a press
//! release unchanged.
//!
//! - Blocks (paragraphs, headings, lists, quotes, code, tables) are separated by exactly one
//!   blank line, never more, and no line ends in a space.
//! - A heading is a line of its own between blank lines, its words as written: no `#`, no
//!   underline, which a press release would have to take out again.
//! - Line breaks inside a paragraph (soft or hard) are kept as the author wrote them.
//! - List items start with `- ` or with their number, counted from the list's own start
//!   (`3. `, `4. `); nested lists and continuation lines are indented under the item's text.
//! - Every line of a quotation starts with `> ` (`> > ` when nested).
//! - Code blocks are kept verbatim, except that runs of blank lines inside them become one.
//! - Emphasis, strong and struck-through text become plain words.
//! - A link is `text <url>` (a `mailto:` link `text <address>`), just the address when its
//!   text is the address; an image is `alt <url>`.
//! - A footnote reference is `[label]`, its text a block starting `[label] `.
//! - Raw HTML is markup, not text, and is left out (the HTML page drops most of it too).

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
    /// A blank line is owed before the next text, since a new block started: the number of
    /// containers open when the first of the blocks began, whose marks the blank line carries
    /// (a quote's blank line is `>`; a quote that begins after a paragraph is not).
    separate: Option<usize>,
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

    /// After a link's or image's text: ` <url>`, unless the text is the address already.
    fn end_link(&mut self) {
        let Some((url, start, bare)) = self.links.pop() else {
            return;
        };
        let address = url.strip_prefix("mailto:").unwrap_or(&url);
        let text = self.out[start..].trim();
        if bare || text == url || text == address {
            return;
        }
        if text.is_empty() {
            self.write(address);
        } else {
            self.write(&format!(" <{address}>"));
        }
    }

    /// A new block begins: the line ends, and a blank line comes before its text.
    fn block(&mut self) {
        self.end_line();
        let depth = self.containers.len();
        self.separate = Some(self.separate.map_or(depth, |owed| owed.min(depth)));
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
        if let Some(depth) = self.separate.take()
            && !self.out.is_empty()
        {
            for container in &self.containers[..depth.min(self.containers.len())] {
                self.out.push_str(&container.rest);
            }
            self.out.push('\n');
        }
        for container in &mut self.containers {
            match container.first.take() {
                Some(first) => self.out.push_str(&first),
                None => self.out.push_str(&container.rest),
            }
        }
        self.at_line_start = false;
    }

    /// The text without trailing spaces, blank lines at either end, or two blank lines in a
    /// row (a code block may hold several; a quote's empty lines are `>`, not blank).
    fn finish(self) -> String {
        let mut lines: Vec<&str> = Vec::new();
        for line in self.out.lines().map(str::trim_end) {
            let repeated = lines
                .last()
                .is_some_and(|last| *last == line && line.chars().all(|c| c == '>' || c == ' '));
            let leading_blank = line.is_empty() && lines.is_empty();
            if !repeated && !leading_blank {
                lines.push(line);
            }
        }
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines.join("\n")
    }
}

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
