//! Lines placed on A4 pages, top to bottom and page after page, in one column or, for the
//! signatory list, in two or three balanced columns. Each placed line remembers the structure element it belongs
//! to, so the drawn text can be tagged.

use super::layout::Line;
use super::structure::ElementId;

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN: f32 = 64.0;
pub const TOP: f32 = 60.0;
/// Where text stops; the footer sits below.
pub const BOTTOM: f32 = PAGE_HEIGHT - 78.0;
/// The width of the text, in points.
pub const WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
pub const GUTTER: f32 = 20.0;
pub const INDENT: f32 = 18.0;
const LEADING: f32 = 1.45;
/// The height kept free for a block's lines that have not been set, in points.
const KEEP_SPARE: f32 = 2.0 * 10.5 * LEADING;

/// The width of one of `count` columns, in points.
pub fn column_width(count: u8) -> f32 {
    let count = f32::from(count.max(1));
    (WIDTH - GUTTER * (count - 1.0)) / count
}

/// The height a line takes, in points.
pub fn height(line: &Line) -> f32 {
    line.size * LEADING
}

/// A line at its place on a page (points from the page's top left).
pub struct Placed {
    pub x: f32,
    pub baseline: f32,
    pub line: Line,
    pub element: ElementId,
}

/// A block's first-line marker, such as "1." or "•", and the element it is tagged with.
pub struct Marker {
    pub line: Line,
    pub element: ElementId,
}

pub struct Flow {
    pub pages: Vec<Vec<Placed>>,
    y: f32,
}

impl Flow {
    pub fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    pub fn space(&mut self, points: f32) {
        self.y += points;
    }

    pub fn block(&mut self, lines: Vec<Line>, before: f32, keep: usize, element: ElementId) {
        self.block_with_marker(lines, 0.0, before, keep, element, None);
    }

    /// Places a block `indent` points in, `before` points below the previous one; `keep` lines
    /// of it (or all, if fewer) stay together on one page, so a heading is never the last line
    /// of a page.
    pub fn block_with_marker(
        &mut self,
        lines: Vec<Line>,
        indent: f32,
        before: f32,
        keep: usize,
        element: ElementId,
        mut marker: Option<Marker>,
    ) {
        let kept: f32 = lines.iter().take(keep).map(height).sum::<f32>()
            + if keep > lines.len() { KEEP_SPARE } else { 0.0 };
        if self.y + before + kept > BOTTOM {
            self.new_page();
        } else if self.y > TOP {
            self.y += before;
        }
        for line in lines {
            if self.y + height(&line) > BOTTOM {
                self.new_page();
            }
            let baseline = self.y + line.size * 1.1;
            let x = MARGIN + indent;
            if let Some(marker) = marker.take() {
                self.page().push(Placed {
                    x: x - INDENT,
                    baseline,
                    line: marker.line,
                    element: marker.element,
                });
            }
            self.y += height(&line);
            self.page().push(Placed {
                x,
                baseline,
                line,
                element,
            });
        }
    }

    /// Places entries (a signatory's lines each) in `count` columns, `gap` points apart in a
    /// column. Entries read down the first column, then the next; the columns are balanced
    /// when the rest of the list fits on this page, and filled to the bottom when it does not.
    /// An entry is never split across columns.
    pub fn columns(&mut self, entries: Vec<(Vec<Line>, ElementId)>, count: u8, gap: f32) {
        let count = count.max(1);
        let width = column_width(count) + GUTTER;
        let heights: Vec<f32> = entries
            .iter()
            .map(|(lines, _)| lines.iter().map(height).sum())
            .collect();
        let mut entries = entries.into_iter().zip(heights.iter().copied()).peekable();
        let mut rest: f32 = heights.iter().map(|h| h + gap).sum();
        while entries.peek().is_some() {
            let top = self.y;
            let available = BOTTOM - top;
            let target = if rest <= available * f32::from(count) {
                rest / f32::from(count)
            } else {
                available
            };
            let mut deepest = top;
            for column in 0..count {
                let mut y = top;
                while let Some((_, h)) = entries.peek() {
                    let first = y == top;
                    let fits = y + h <= BOTTOM || (first && top == TOP);
                    if !(fits && (first || y - top < target)) {
                        break;
                    }
                    let Some(((lines, element), h)) = entries.next() else {
                        break;
                    };
                    if !first {
                        y += gap;
                    }
                    rest -= h + gap;
                    let x = MARGIN + f32::from(column) * width;
                    for line in lines {
                        let baseline = y + line.size * 1.1;
                        y += height(&line);
                        self.page().push(Placed {
                            x,
                            baseline,
                            line,
                            element,
                        });
                    }
                }
                deepest = deepest.max(y);
            }
            self.y = deepest;
            if entries.peek().is_some() {
                self.new_page();
            }
        }
    }

    fn page(&mut self) -> &mut Vec<Placed> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }
}
