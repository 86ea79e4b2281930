//! Text into lines of a given width: each run split by font (see `fonts`), shaped with
//! rustybuzz in its bidi direction, broken at spaces (or between CJK characters, or between
//! any two graphemes of a word too long for a line, such as a 300-letter name), and each line
//! put in visual order, so Arabic and Hebrew read right to left inside a left-to-right page.

use std::collections::VecDeque;
use std::ops::Range;

use krilla::text::{GlyphId, KrillaGlyph};
use rustybuzz::{Direction, UnicodeBuffer};
use unicode_bidi::{BidiInfo, Level};
use unicode_segmentation::UnicodeSegmentation;

use super::fonts::{Fallback, LoadedFont, Shape};

/// How a run of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub shape: Shape,
    pub size: f32,
    /// Grey for secondary text such as notes and the footer.
    pub muted: bool,
    /// The link this text belongs to: an index into the document's list of addresses.
    pub link: Option<u16>,
}

/// Regular text of this shape and size, not muted, not a link.
pub const fn style(shape: Shape, size: f32) -> Style {
    Style {
        shape,
        size,
        muted: false,
        link: None,
    }
}

/// The letter's text and the names of its signatories.
pub const BODY: Style = style(Shape::Regular, 10.5);
/// Secondary text: dates, notes, the closing line.
pub const MUTED: Style = Style {
    muted: true,
    ..style(Shape::Regular, 9.0)
};

/// Text that one font sets in one direction, shaped.
pub struct Piece {
    pub font: &'static LoadedFont,
    pub text: String,
    pub glyphs: Vec<KrillaGlyph>,
    pub style: Style,
    pub width: f32,
    level: Level,
}

/// One line, its pieces in the order they are drawn from left to right.
pub struct Line {
    pub pieces: Vec<Piece>,
    pub width: f32,
    /// The largest font size on the line.
    pub size: f32,
}

/// Lays out `runs` (text with a style; `\n` forces a new line) in lines at most `width` wide.
pub fn lines(runs: &[(&str, Style)], width: f32, fallback: &mut Fallback) -> Vec<Line> {
    let mut text = String::new();
    let mut styles = Vec::with_capacity(runs.len());
    for (run, style) in runs {
        let start = text.len();
        text.push_str(run);
        styles.push((start..text.len(), *style));
    }
    let size = styles.iter().map(|(_, s)| s.size).fold(0.0, f32::max);
    let mut out = Vec::new();
    let mut start = 0;
    for paragraph in text.split('\n') {
        let range = start..start + paragraph.len();
        start = range.end + 1;
        let before = out.len();
        Paragraph::new(&text, range, &styles, fallback).fill(width, &mut out);
        if out.len() == before {
            out.push(Line {
                pieces: Vec::new(),
                width: 0.0,
                size,
            });
        }
    }
    out
}

struct Paragraph<'a, 'f> {
    text: &'a str,
    offset: usize,
    levels: Vec<Level>,
    styles: &'a [(Range<usize>, Style)],
    fallback: &'f mut Fallback,
}

/// Text between two break opportunities: what must stay on one line, then the spaces after it.
struct Word {
    range: Range<usize>,
    content: Vec<Piece>,
    space: Vec<Piece>,
}

fn width_of(pieces: &[Piece]) -> f32 {
    pieces.iter().map(|p| p.width).sum()
}

impl<'a, 'f> Paragraph<'a, 'f> {
    fn new(
        all: &'a str,
        range: Range<usize>,
        styles: &'a [(Range<usize>, Style)],
        fallback: &'f mut Fallback,
    ) -> Self {
        let text = &all[range.clone()];
        let levels = BidiInfo::new(text, Some(Level::ltr())).levels;
        Self {
            text,
            offset: range.start,
            levels,
            styles,
            fallback,
        }
    }

    fn fill(mut self, width: f32, out: &mut Vec<Line>) {
        let mut words: VecDeque<Word> = breaks(self.text, false)
            .map(|range| self.word(range))
            .collect();
        let mut line: Vec<Piece> = Vec::new();
        let mut space: Vec<Piece> = Vec::new();
        while let Some(word) = words.pop_front() {
            let line_width = width_of(&line) + width_of(&space);
            if !line.is_empty() && line_width + width_of(&word.content) > width {
                out.push(finish(std::mem::take(&mut line)));
                space.clear();
            }
            if line.is_empty() && width_of(&word.content) > width {
                let text = &self.text[word.range.clone()];
                let pieces: Vec<Range<usize>> = breaks(text, true)
                    .map(|r| r.start + word.range.start..r.end + word.range.start)
                    .collect();
                if pieces.len() > 1 {
                    for range in pieces.into_iter().rev() {
                        words.push_front(self.word(range));
                    }
                    continue;
                }
            }
            line.append(&mut space);
            line.extend(word.content);
            space = word.space;
        }
        if !line.is_empty() {
            out.push(finish(line));
        }
    }

    fn word(&mut self, range: Range<usize>) -> Word {
        let text = &self.text[range.clone()];
        let content_end = range.start + text.trim_end().len();
        Word {
            content: self.shape(range.start..content_end),
            space: self.shape(content_end..range.end),
            range,
        }
    }

    /// Shapes a range of the paragraph: one piece per style, font and bidi level.
    fn shape(&mut self, range: Range<usize>) -> Vec<Piece> {
        let mut pieces = Vec::new();
        for (style_range, style) in self.styles {
            let start = range
                .start
                .max(style_range.start.saturating_sub(self.offset));
            let end = range.end.min(style_range.end.saturating_sub(self.offset));
            if start >= end {
                continue;
            }
            let Some(runs) = self.fallback.split(&self.text[start..end], style.shape) else {
                continue;
            };
            for (run, font) in runs {
                let run = run.start + start..run.end + start;
                let mut at = run.start;
                while at < run.end {
                    let level = self.levels[at];
                    let next = (at..run.end)
                        .find(|i| self.text.is_char_boundary(*i) && self.levels[*i] != level)
                        .unwrap_or(run.end);
                    pieces.push(shape(&self.text[at..next], font, *style, level));
                    at = next;
                }
            }
        }
        pieces
    }
}

/// Break opportunities: where the Unicode line breaking algorithm (UAX #14) allows one (after
/// spaces, around CJK characters, after a hyphen before a letter; never inside a number such as
/// "68/181" or "2020-2025"); with `anywhere` (a word wider than the line), between any two
/// user-perceived characters (grapheme clusters: never inside "é" typed as e and an accent, a
/// flag or an emoji sequence), spaces staying with the text before them.
fn breaks(text: &str, anywhere: bool) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut cuts = vec![0];
    if anywhere {
        cuts.extend(
            text.grapheme_indices(true)
                .skip(1)
                .filter(|(_, g)| !g.starts_with(char::is_whitespace))
                .map(|(at, _)| at),
        );
    } else {
        cuts.extend(unicode_linebreak::linebreaks(text).map(|(at, _)| at));
    }
    cuts.push(text.len());
    cuts.dedup();
    (1..cuts.len()).map(move |i| cuts[i - 1]..cuts[i])
}

fn shape(text: &str, font: &'static LoadedFont, style: Style, level: Level) -> Piece {
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    buffer.set_direction(if level.is_rtl() {
        Direction::RightToLeft
    } else {
        Direction::LeftToRight
    });
    let output = rustybuzz::shape(&font.face, &[], buffer);
    let em = font.face.units_per_em() as f32;
    let mut clusters: Vec<usize> = output
        .glyph_infos()
        .iter()
        .map(|i| i.cluster as usize)
        .collect();
    clusters.sort_unstable();
    clusters.dedup();
    let glyphs: Vec<KrillaGlyph> = output
        .glyph_infos()
        .iter()
        .zip(output.glyph_positions())
        .map(|(info, pos)| {
            let start = info.cluster as usize;
            let end = clusters
                .iter()
                .find(|c| **c > start)
                .copied()
                .unwrap_or(text.len());
            KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                pos.x_advance as f32 / em,
                pos.x_offset as f32 / em,
                pos.y_offset as f32 / em,
                pos.y_advance as f32 / em,
                start..end,
                None,
            )
        })
        .collect();
    let width = glyphs.iter().map(|g| g.x_advance).sum::<f32>() * style.size;
    Piece {
        font,
        text: text.to_string(),
        glyphs,
        style,
        width,
        level,
    }
}

/// Puts a line's pieces in visual order (rule L2 of the Unicode bidi algorithm: reverse every
/// run at or above each odd level, from the highest level down).
fn finish(mut pieces: Vec<Piece>) -> Line {
    let highest = pieces.iter().map(|p| p.level.number()).max().unwrap_or(0);
    let lowest_odd = pieces
        .iter()
        .map(|p| p.level.number())
        .filter(|n| n % 2 == 1)
        .min();
    if let Some(lowest_odd) = lowest_odd {
        for level in (lowest_odd..=highest).rev() {
            let mut i = 0;
            while i < pieces.len() {
                if pieces[i].level.number() >= level {
                    let start = i;
                    while i < pieces.len() && pieces[i].level.number() >= level {
                        i += 1;
                    }
                    pieces[start..i].reverse();
                } else {
                    i += 1;
                }
            }
        }
    }
    Line {
        width: width_of(&pieces),
        size: pieces.iter().map(|p| p.style.size).fold(0.0, f32::max),
        pieces,
    }
}

#[cfg(test)]
mod tests;
