//! The letter's sanitized HTML, read into blocks for the PDF: paragraphs, headings, list items
//! (with their bullet or number) and quotations, each a list of styled spans; a span inside a
//! link keeps its address (http, https or mailto only) so the PDF can make it clickable. Tags
//! the layout has no use for (code, tables) keep their text.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::fonts::Shape;

#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub shape: Shape,
    /// The address of the link this text is part of.
    pub link: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Paragraph,
    Heading(u8),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: Kind,
    /// "•" or "3." for the first block of a list item.
    pub marker: Option<String>,
    /// Nesting of lists and quotations.
    pub indent: u8,
    pub quoted: bool,
    /// Text with `\n` where the source had `<br>`.
    pub spans: Vec<Span>,
}

pub fn blocks(html: &str) -> Vec<Block> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Reader::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut state = tokenizer.sink.0.into_inner();
    state.flush();
    state.blocks
}

#[derive(Default)]
struct Reader(RefCell<State>);

impl TokenSink for Reader {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                match tag.kind {
                    TagKind::StartTag if name == "ol" => {
                        let start = tag
                            .attrs
                            .iter()
                            .find(|a| &*a.name.local == "start")
                            .and_then(|a| a.value.trim().parse().ok());
                        state.open(name);
                        if let (Some(start), Some(list)) = (start, state.lists.last_mut()) {
                            *list = Some(start);
                        }
                    }
                    TagKind::StartTag if name == "a" => {
                        let href = tag
                            .attrs
                            .iter()
                            .find(|a| &*a.name.local == "href")
                            .map(|a| a.value.trim().to_string())
                            .filter(|href| is_followable(href));
                        state.links.push(href);
                    }
                    TagKind::EndTag if name == "a" => {
                        state.links.pop();
                    }
                    TagKind::StartTag => state.open(name),
                    TagKind::EndTag => state.close(name),
                }
            }
            Token::CharacterTokens(text) => state.text(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[derive(Default)]
struct State {
    blocks: Vec<Block>,
    current: Option<Block>,
    /// One entry per open list: the next number, or `None` for bullets.
    lists: Vec<Option<u32>>,
    quotes: u8,
    /// One entry per open `<a>`: its address, if it is one a reader can follow.
    links: Vec<Option<String>>,
    bold: u32,
    italic: u32,
    marker: Option<String>,
}

impl State {
    fn open(&mut self, name: &str) {
        match name {
            "strong" | "b" => self.bold += 1,
            "em" | "i" => self.italic += 1,
            "br" => self.push("\n"),
            "ul" | "ol" => {
                self.flush();
                self.lists.push((name == "ol").then_some(1));
            }
            "li" => {
                self.flush();
                self.marker = Some(match self.lists.last_mut() {
                    Some(Some(number)) => {
                        *number += 1;
                        format!("{}.", *number - 1)
                    }
                    _ => "•".to_string(),
                });
            }
            "blockquote" => {
                self.flush();
                self.quotes += 1;
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let level = name.as_bytes()[1] - b'0';
                self.start(Kind::Heading(level));
            }
            "p" | "div" | "pre" | "tr" | "hr" | "table" => self.flush(),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "strong" | "b" => self.bold = self.bold.saturating_sub(1),
            "em" | "i" => self.italic = self.italic.saturating_sub(1),
            "ul" | "ol" => {
                self.flush();
                self.lists.pop();
            }
            "blockquote" => {
                self.flush();
                self.quotes = self.quotes.saturating_sub(1);
            }
            "li" => {
                self.flush();
                self.marker = None;
            }
            "p" | "div" | "pre" | "tr" | "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush()
            }
            "td" | "th" => self.push(" "),
            _ => {}
        }
    }

    fn start(&mut self, kind: Kind) {
        self.current = Some(Block {
            kind,
            marker: self.marker.take(),
            indent: self.lists.len() as u8 + self.quotes,
            quoted: self.quotes > 0,
            spans: Vec::new(),
        });
    }

    /// Text as HTML shows it: runs of white space are one space.
    fn text(&mut self, text: &str) {
        let mut collapsed = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_whitespace() {
                if !collapsed.ends_with(' ') {
                    collapsed.push(' ');
                }
            } else {
                collapsed.push(c);
            }
        }
        self.push(&collapsed);
    }

    fn push(&mut self, text: &str) {
        let block_text_ends_in_space = self
            .current
            .as_ref()
            .is_none_or(|b| b.spans.last().is_none_or(|s| s.text.ends_with([' ', '\n'])));
        let text = if block_text_ends_in_space {
            text.trim_start_matches(' ')
        } else {
            text
        };
        if text.is_empty() {
            return;
        }
        if self.current.is_none() {
            self.start(Kind::Paragraph);
        }
        let shape = if self.bold > 0 {
            Shape::Bold
        } else if self.italic > 0 {
            Shape::Italic
        } else {
            Shape::Regular
        };
        let link = self.links.iter().rev().find_map(Clone::clone);
        let Some(block) = self.current.as_mut() else {
            return;
        };
        match block.spans.last_mut() {
            Some(last) if last.shape == shape && last.link == link => last.text.push_str(text),
            _ => block.spans.push(Span {
                text: text.to_string(),
                shape,
                link,
            }),
        }
    }

    fn flush(&mut self) {
        let Some(mut block) = self.current.take() else {
            return;
        };
        while let Some(last) = block.spans.last_mut() {
            let trimmed = last.text.trim_end_matches([' ', '\n']).len();
            last.text.truncate(trimmed);
            if !last.text.is_empty() {
                break;
            }
            block.spans.pop();
        }
        if block.spans.is_empty() {
            self.marker = self.marker.take().or(block.marker);
        } else {
            self.blocks.push(block);
        }
    }
}

/// Addresses a reader of the PDF may follow: the web and email, nothing that runs or reads
/// local files.
fn is_followable(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(block: &Block) -> String {
        block.spans.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn structure_and_emphasis_are_kept() {
        let blocks = blocks(
            "<h2>Our  demands</h2>\n<p>We <strong>urge</strong> you &amp; yours:</p>\n\
             <ol>\n<li>act</li>\n<li><p>report</p><ul><li>soon</li></ul></li>\n</ol>\n\
             <blockquote><p>Never again.<br>Never.</p></blockquote>",
        );
        let summary: Vec<(Kind, Option<&str>, u8, String)> = blocks
            .iter()
            .map(|b| (b.kind, b.marker.as_deref(), b.indent, text(b)))
            .collect();
        assert_eq!(
            summary,
            [
                (Kind::Heading(2), None, 0, "Our demands".to_string()),
                (Kind::Paragraph, None, 0, "We urge you & yours:".into()),
                (Kind::Paragraph, Some("1."), 1, "act".into()),
                (Kind::Paragraph, Some("2."), 1, "report".into()),
                (Kind::Paragraph, Some("•"), 2, "soon".into()),
                (Kind::Paragraph, None, 1, "Never again.\nNever.".into()),
            ]
        );
        assert_eq!(blocks[1].spans[1].shape, Shape::Bold);
        assert!(blocks[5].quoted);
    }

    #[test]
    fn links_keep_their_address_when_a_reader_may_follow_it() {
        let blocks = blocks(
            "<p>See <a href=\"https://example.org/report\">the <em>report</em></a>, \
             <a href=\"javascript:alert(1)\">this</a> and <a href=\"mailto:press@example.org\">us</a>.</p>",
        );
        let links: Vec<(&str, Option<&str>)> = blocks[0]
            .spans
            .iter()
            .map(|s| (s.text.as_str(), s.link.as_deref()))
            .collect();
        assert_eq!(
            links,
            [
                ("See ", None),
                ("the ", Some("https://example.org/report")),
                ("report", Some("https://example.org/report")),
                (", this and ", None),
                ("us", Some("mailto:press@example.org")),
                (".", None),
            ]
        );
    }
}
