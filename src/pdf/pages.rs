//! The letter set on A4 pages: heading, text, signatories in two columns, and on every page a
//! footer with the public address, the text's SHA-256 and the page number. Lines are placed
//! first, then drawn, so each footer can say "page 2 of 5".

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Fill;

use super::fonts::{Fallback, Shape};
use super::html::{self, Kind};
use super::layout::{self, Line, Style};
use super::{PdfError, PrintedLetter, PrintedSignatory};

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 64.0;
const TOP: f32 = 60.0;
/// Where text stops; the footer sits below.
const BOTTOM: f32 = PAGE_HEIGHT - 78.0;
const WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const GUTTER: f32 = 20.0;
const COLUMN: f32 = (WIDTH - GUTTER) / 2.0;
const INDENT: f32 = 18.0;
const LEADING: f32 = 1.45;

const fn style(shape: Shape, size: f32) -> Style {
    Style {
        shape,
        size,
        muted: false,
    }
}

const BODY: Style = style(Shape::Regular, 10.5);
const MUTED: Style = Style {
    muted: true,
    ..style(Shape::Regular, 9.0)
};

pub fn render(letter: &PrintedLetter, system_fonts: bool) -> Result<Vec<u8>, PdfError> {
    let mut fallback = Fallback::new(system_fonts);
    let mut flow = Flow::new();
    let mut set = |runs: &[(&str, Style)], width: f32| layout::lines(runs, width, &mut fallback);

    let published = format!("Open letter · published {}", letter.published_on);
    flow.block(set(&[(&published, MUTED)], WIDTH), 0.0, 0.0, 1);
    flow.block(
        set(&[(letter.title, style(Shape::Bold, 20.0))], WIDTH),
        0.0,
        6.0,
        1,
    );
    let to = format!("To {}", letter.addressee);
    flow.block(
        set(&[(&to, style(Shape::Regular, 12.0))], WIDTH),
        0.0,
        4.0,
        1,
    );
    flow.space(10.0);

    for block in html::blocks(letter.body_html) {
        let (size, bold, before, keep) = match block.kind {
            Kind::Heading(1) => (16.0, true, 14.0, 3),
            Kind::Heading(2) => (14.0, true, 12.0, 3),
            Kind::Heading(3) => (12.0, true, 10.0, 3),
            Kind::Heading(_) => (BODY.size, true, 8.0, 3),
            Kind::Paragraph => (
                BODY.size,
                false,
                if block.marker.is_some() { 3.0 } else { 7.0 },
                2,
            ),
        };
        let indent = f32::from(block.indent) * INDENT;
        let runs: Vec<(&str, Style)> = block
            .spans
            .iter()
            .map(|span| {
                let shape = match span.shape {
                    Shape::Regular if bold => Shape::Bold,
                    Shape::Regular if block.quoted => Shape::Italic,
                    other => other,
                };
                (span.text.as_str(), style(shape, size))
            })
            .collect();
        let marker = block
            .marker
            .as_ref()
            .map(|m| set(&[(m, style(Shape::Regular, size))], INDENT));
        flow.block_with_marker(set(&runs, WIDTH - indent), indent, before, keep, marker);
    }

    flow.space(12.0);
    flow.block(
        set(&[("Signatories", style(Shape::Bold, 14.0))], WIDTH),
        0.0,
        0.0,
        3,
    );
    for (heading, group) in [
        ("Lead organizations", &letter.leads),
        ("Supporting organizations", &letter.supporting),
        ("Joined after publication", &letter.late),
    ] {
        if group.is_empty() {
            continue;
        }
        flow.block(
            set(&[(heading, style(Shape::Bold, 11.0))], WIDTH),
            0.0,
            10.0,
            3,
        );
        flow.start_columns();
        for signatory in group {
            let entry = signatory_runs(signatory);
            let runs: Vec<(&str, Style)> = entry.iter().map(|(t, s)| (t.as_str(), *s)).collect();
            flow.block(set(&runs, COLUMN), 0.0, 3.0, 1);
        }
        flow.end_columns();
    }

    if !letter.changes.is_empty() {
        flow.space(12.0);
        flow.block(
            set(
                &[("Changes since publication", style(Shape::Bold, 11.0))],
                WIDTH,
            ),
            0.0,
            10.0,
            3,
        );
        for change in &letter.changes {
            flow.block(set(&[(change.as_str(), MUTED)], WIDTH), 0.0, 3.0, 1);
        }
    }

    let small = Style { size: 8.0, ..MUTED };
    let footer = [
        (letter.url.to_string(), small),
        (
            format!("\nSHA-256 of the text: {}", letter.content_sha256),
            small,
        ),
    ];
    let footer_runs: Vec<(&str, Style)> = footer.iter().map(|(t, s)| (t.as_str(), *s)).collect();
    let footer = set(&footer_runs, WIDTH - 70.0);
    let total = flow.pages.len();
    let numbers: Vec<Vec<Line>> = (1..=total)
        .map(|n| set(&[(&format!("Page {n} of {total}"), small)], 70.0))
        .collect();
    fallback.warn_missing();
    draw(letter.title, flow.pages, &footer, numbers)
}

fn signatory_runs(signatory: &PrintedSignatory) -> Vec<(String, Style)> {
    let mut runs = vec![(signatory.organization.to_string(), BODY)];
    if let Some(country) = signatory.country {
        runs.push((
            format!(" ({country})"),
            Style {
                size: BODY.size,
                ..MUTED
            },
        ));
    }
    if let Some(note) = &signatory.note {
        let note_style = Style {
            muted: true,
            ..style(Shape::Italic, 8.5)
        };
        runs.push((format!("\n{note}"), note_style));
    }
    runs
}

/// A line at its place on a page.
struct Placed {
    x: f32,
    baseline: f32,
    line: Line,
}

/// Places blocks of lines top to bottom, page after page; between `start_columns` and
/// `end_columns`, in two columns.
struct Flow {
    pages: Vec<Vec<Placed>>,
    y: f32,
    columns: Option<Columns>,
}

struct Columns {
    top: f32,
    second: bool,
    /// The lowest point reached in the first column of this page.
    deepest: f32,
}

impl Flow {
    fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: TOP,
            columns: None,
        }
    }

    fn space(&mut self, points: f32) {
        self.y += points;
    }

    fn block(&mut self, lines: Vec<Line>, indent: f32, before: f32, keep: usize) {
        self.block_with_marker(lines, indent, before, keep, None);
    }

    /// Places a block; `keep` lines of it (or all, if fewer) stay together on one page, so a
    /// heading is never the last line of a page.
    fn block_with_marker(
        &mut self,
        lines: Vec<Line>,
        indent: f32,
        before: f32,
        keep: usize,
        marker: Option<Vec<Line>>,
    ) {
        let kept: f32 = lines.iter().take(keep).map(height).sum::<f32>()
            + if keep > lines.len() {
                2.0 * BODY.size * LEADING
            } else {
                0.0
            };
        if self.y + before + kept > BOTTOM {
            self.break_page();
        } else if self.y > self.top() {
            self.y += before;
        }
        let mut marker = marker.and_then(|m| m.into_iter().next());
        for line in lines {
            if self.y + height(&line) > BOTTOM {
                self.break_page();
            }
            let baseline = self.y + line.size * 1.1;
            let x = MARGIN + indent + self.column_offset();
            if let Some(marker) = marker.take() {
                let placed = Placed {
                    x: x - INDENT,
                    baseline,
                    line: marker,
                };
                self.page().push(placed);
            }
            self.y += height(&line);
            self.page().push(Placed { x, baseline, line });
        }
    }

    fn top(&self) -> f32 {
        self.columns.as_ref().map_or(TOP, |c| c.top)
    }

    fn column_offset(&self) -> f32 {
        match &self.columns {
            Some(c) if c.second => COLUMN + GUTTER,
            _ => 0.0,
        }
    }

    fn page(&mut self) -> &mut Vec<Placed> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn break_page(&mut self) {
        if let Some(columns) = self.columns.as_mut()
            && !columns.second
        {
            columns.second = true;
            columns.deepest = self.y;
            self.y = columns.top;
            return;
        }
        self.pages.push(Vec::new());
        self.y = TOP;
        if let Some(columns) = self.columns.as_mut() {
            *columns = Columns {
                top: TOP,
                second: false,
                deepest: TOP,
            };
        }
    }

    fn start_columns(&mut self) {
        self.columns = Some(Columns {
            top: self.y,
            second: false,
            deepest: self.y,
        });
    }

    /// Columns are filled one after the other, so a short list sits in the first column only.
    fn end_columns(&mut self) {
        if let Some(columns) = self.columns.take()
            && columns.second
        {
            self.y = self.y.max(columns.deepest);
        }
    }
}

fn height(line: &Line) -> f32 {
    line.size * LEADING
}

fn draw(
    title: &str,
    pages: Vec<Vec<Placed>>,
    footer: &[Line],
    numbers: Vec<Vec<Line>>,
) -> Result<Vec<u8>, PdfError> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .language("en".to_string())
            .creator("Undersigned".to_string()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(PdfError::Fonts)?;
    for (placed, number) in pages.iter().zip(&numbers) {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut baseline = BOTTOM + 30.0;
        for line in footer {
            draw_line(&mut surface, MARGIN, baseline, line);
            baseline += height(line);
        }
        if let Some(line) = number.first() {
            draw_line(
                &mut surface,
                MARGIN + WIDTH - line.width,
                BOTTOM + 30.0,
                line,
            );
        }
        for item in placed {
            draw_line(&mut surface, item.x, item.baseline, &item.line);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PdfError::Write(e.to_string()))
}

fn draw_line(surface: &mut krilla::surface::Surface, x: f32, baseline: f32, line: &Line) {
    let mut x = x;
    for piece in &line.pieces {
        let grey = if piece.style.muted { 90 } else { 20 };
        surface.set_fill(Some(Fill {
            paint: rgb::Color::new(grey, grey, grey).into(),
            ..Fill::default()
        }));
        surface.draw_glyphs(
            Point::from_xy(x, baseline),
            &piece.glyphs,
            piece.font.krilla.clone(),
            &piece.text,
            piece.style.size,
            false,
        );
        x += piece.width;
    }
}
