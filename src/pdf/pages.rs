//! The letter set on A4 pages and drawn: heading, text, signatories (set by `signatories`, in
//! two or three columns), a closing line with the public address,
//! and on every page a footer with the short address, the text's SHA-256 and the page number.
//! Lines are placed first, then drawn, so each footer can say "page 2 of 5". The document is
//! tagged (headings, paragraphs, lists, links) and written as PDF/A-2a when krilla can check
//! that it conforms; when it cannot (a name with characters no font has), as a tagged PDF.

use chrono::{Datelike, Timelike};

use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::error::KrillaError;
use krilla::geom::{Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, ListNumbering, SpanTag, Tag};
use krilla::{Document, SerializeSettings};

use super::flow::{
    BOTTOM, Flow, INDENT, MARGIN, Marker, PAGE_HEIGHT, PAGE_WIDTH, Placed, WIDTH, height,
};
use super::fonts::{Fallback, Shape};
use super::html::{self, Kind};
use super::layout::{self, BODY, Line, MUTED, Style, style};
use super::structure::{ElementId, Skeleton, Tree, heading};
use super::{PdfError, PrintedLetter, signatories};
use crate::domain::{Direction, LanguageTag};

const FOOTER: Style = Style { size: 8.0, ..MUTED };

/// Everything placed, ready to be drawn (once, or twice when PDF/A cannot be met).
struct Typeset<'a> {
    letter: &'a PrintedLetter<'a>,
    pages: Vec<Vec<Placed>>,
    skeleton: Skeleton,
    /// The addresses links point to; `Style::link` indexes this list.
    links: Vec<String>,
    footer: Vec<Line>,
    numbers: Vec<Vec<Line>>,
}

pub fn render(letter: &PrintedLetter, system_fonts: bool) -> Result<Vec<u8>, PdfError> {
    let typeset = typeset(letter, system_fonts);
    match draw(&typeset, Some(Archival::A2_A)) {
        Ok(pdf) => Ok(pdf),
        Err(KrillaError::Validation(errors)) => {
            tracing::info!(
                first = ?errors.first().map(|(error, _)| error),
                count = errors.len(),
                "the letter cannot be printed as PDF/A-2a; printing it as a tagged PDF"
            );
            draw(&typeset, None).map_err(|e| PdfError::Write(format!("{e:?}")))
        }
        Err(e) => Err(PdfError::Write(format!("{e:?}"))),
    }
}

fn typeset<'a>(letter: &'a PrintedLetter<'a>, system_fonts: bool) -> Typeset<'a> {
    let mut fallback = Fallback::new(system_fonts);
    let mut set = |runs: &[(&str, Style)], width: f32| layout::lines(runs, width, &mut fallback);
    let mut skeleton = Skeleton::default();
    let mut links = Vec::new();
    let mut flow = Flow::new();

    let published = letter
        .words
        .msg("pdf-published")
        .arg("date", letter.published_on)
        .to_string();
    let p = skeleton.add(None, Tag::P);
    flow.block(set(&[(&published, MUTED)], WIDTH), 0.0, 1, p);
    let h1 = skeleton.add(None, heading(1, letter.title));
    flow.block(
        set(&[(letter.title, style(Shape::Bold, 20.0))], WIDTH),
        6.0,
        1,
        h1,
    );
    let to = letter
        .words
        .msg("public-text-to")
        .arg("addressee", letter.addressee)
        .to_string();
    let p = skeleton.add(None, Tag::P);
    flow.block(set(&[(&to, style(Shape::Regular, 12.0))], WIDTH), 4.0, 1, p);
    flow.space(10.0);

    body(
        letter.body_html,
        &mut flow,
        &mut skeleton,
        &mut links,
        &mut set,
    );

    flow.space(12.0);
    signatories::print(letter, &mut flow, &mut skeleton, &mut set);

    if !letter.changes.is_empty() {
        flow.space(12.0);
        let title = letter.words.t("public-changes");
        let h3 = skeleton.add(None, heading(3, &title));
        flow.block(
            set(&[(&title, style(Shape::Bold, 11.0))], WIDTH),
            10.0,
            3,
            h3,
        );
        for change in &letter.changes {
            let p = skeleton.add(None, Tag::P);
            flow.block(set(&[(change.as_str(), MUTED)], WIDTH), 3.0, 1, p);
        }
    }

    links.push(letter.url.to_string());
    let linked = Style {
        link: Some(link_index(&links)),
        ..MUTED
    };
    let p = skeleton.add(None, Tag::P);
    flow.space(12.0);
    let as_they_stand = format!("{} ", letter.words.t("pdf-as-they-stand"));
    flow.block(
        set(
            &[(as_they_stand.as_str(), MUTED), (letter.url, linked)],
            WIDTH,
        ),
        10.0,
        2,
        p,
    );

    let numbers_width = 70.0;
    let short_address = letter
        .url
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let hash = letter
        .words
        .msg("public-text-sha256")
        .arg("sha256", letter.content_sha256)
        .to_string();
    let mut footer = one_line(short_address, FOOTER, WIDTH - numbers_width, &mut set);
    footer.extend(one_line(&hash, FOOTER, WIDTH - numbers_width, &mut set));
    let total = flow.pages.len();
    let numbers = (1..=total)
        .map(|n| {
            let page = letter
                .words
                .msg("pdf-page")
                .count("page", n)
                .count("pages", total)
                .to_string();
            set(&[(&page, FOOTER)], numbers_width)
        })
        .collect();
    fallback.warn_missing();
    Typeset {
        letter,
        pages: flow.pages,
        skeleton,
        links,
        footer,
        numbers,
    }
}

fn link_index(links: &[String]) -> u16 {
    u16::try_from(links.len() - 1).unwrap_or(u16::MAX)
}

/// The letter's text: headings, paragraphs, quotations and list items, each tagged as such.
/// Nested lists are read as one list.
fn body(
    body_html: &str,
    flow: &mut Flow,
    skeleton: &mut Skeleton,
    links: &mut Vec<String>,
    set: &mut impl FnMut(&[(&str, Style)], f32) -> Vec<Line>,
) {
    let mut list: Option<ElementId> = None;
    let mut item_body: Option<ElementId> = None;
    let mut quote: Option<ElementId> = None;
    for block in html::blocks(body_html) {
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
        let text: String = block.spans.iter().map(|s| s.text.as_str()).collect();
        let continues_item = block.marker.is_none() && block.indent > 0 && !block.quoted;
        if block.marker.is_none() && !continues_item {
            list = None;
            item_body = None;
        }
        if !block.quoted {
            quote = None;
        }
        let (element, marker_element) = match (&block.kind, &block.marker) {
            (Kind::Heading(level), _) => {
                // The letter's title is the first heading; the text's own start below it.
                let level = u16::from(*level).clamp(2, 6);
                (skeleton.add(None, heading(level, &text)), None)
            }
            (Kind::Paragraph, Some(_)) => {
                let l =
                    *list.get_or_insert_with(|| skeleton.add(None, Tag::L(ListNumbering::None)));
                let item = skeleton.add(Some(l), Tag::LI);
                let label = skeleton.add(Some(item), Tag::Lbl);
                let body = skeleton.add(Some(item), Tag::LBody);
                item_body = Some(body);
                (skeleton.add(Some(body), Tag::P), Some(label))
            }
            (Kind::Paragraph, None) if continues_item && item_body.is_some() => {
                (skeleton.add(item_body, Tag::P), None)
            }
            (Kind::Paragraph, None) if block.quoted => {
                let q = *quote.get_or_insert_with(|| skeleton.add(None, Tag::BlockQuote));
                (skeleton.add(Some(q), Tag::P), None)
            }
            (Kind::Paragraph, None) => (skeleton.add(None, Tag::P), None),
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
                let link = span.link.as_ref().map(|href| {
                    if links.last() != Some(href) {
                        links.push(href.clone());
                    }
                    link_index(links)
                });
                (
                    span.text.as_str(),
                    Style {
                        link,
                        ..style(shape, size)
                    },
                )
            })
            .collect();
        let marker = block
            .marker
            .as_ref()
            .zip(marker_element)
            .and_then(|(m, e)| {
                let line = set(&[(m, style(Shape::Regular, size))], INDENT)
                    .into_iter()
                    .next()?;
                Some(Marker { line, element: e })
            });
        flow.block_with_marker(
            set(&runs, WIDTH - indent),
            indent,
            before,
            keep,
            element,
            marker,
        );
    }
}

/// `text` on one line at most `width` wide: set smaller when it would not fit, never wrapped.
fn one_line(
    text: &str,
    style: Style,
    width: f32,
    set: &mut impl FnMut(&[(&str, Style)], f32) -> Vec<Line>,
) -> Vec<Line> {
    let lines = set(&[(text, style)], f32::INFINITY);
    let natural = lines.iter().map(|l| l.width).fold(0.0, f32::max);
    if natural <= width {
        return lines;
    }
    let smaller = Style {
        size: style.size * width / natural * 0.99,
        ..style
    };
    set(&[(text, smaller)], f32::INFINITY)
}

fn draw(typeset: &Typeset, archival: Option<Archival>) -> Result<Vec<u8>, KrillaError> {
    let mut configuration = ConfigurationBuilder::new();
    if let Some(archival) = archival {
        configuration = configuration.with_archival_validator(archival);
    }
    let settings = SerializeSettings {
        enable_tagging: true,
        configuration: configuration
            .finish()
            .map_err(|_| KrillaError::Validation(Vec::new()))?,
        ..SerializeSettings::default()
    };
    let letter = typeset.letter;
    let mut document = Document::new_with(settings);
    let published = letter.published_at;
    let two_digits = |n: u32| u8::try_from(n).unwrap_or(0);
    document.set_metadata(
        Metadata::new()
            .title(letter.title.to_string())
            .language(letter.language.to_string())
            .creator("Undersigned".to_string())
            .creation_date(
                DateTime::new(u16::try_from(published.year()).unwrap_or(2000))
                    .month(two_digits(published.month()))
                    .day(two_digits(published.day()))
                    .hour(two_digits(published.hour()))
                    .minute(two_digits(published.minute()))
                    .second(two_digits(published.second()))
                    .utc_offset_hour(0),
            ),
    );
    let page_settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or(KrillaError::Validation(Vec::new()))?;
    let mut tree = Tree::new(&typeset.skeleton);
    let right_to_left =
        LanguageTag::from_stored(typeset.letter.language).direction() == Direction::RightToLeft;
    for (placed, number) in typeset.pages.iter().zip(&typeset.numbers) {
        let mut page = document.start_page_with(page_settings.clone());
        let mut areas = Vec::new();
        let mut surface = page.surface();
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
            ArtifactType::Footer,
        )));
        // A letter that reads right to left is laid out as a mirror image: each line starts
        // at the right margin, lists and columns run from the right.
        let at = |x: f32, width: f32| {
            if right_to_left {
                PAGE_WIDTH - x - width
            } else {
                x
            }
        };
        let mut baseline = BOTTOM + 30.0;
        for line in &typeset.footer {
            draw_pieces(&mut surface, at(MARGIN, line.width), baseline, &line.pieces);
            baseline += height(line);
        }
        if let Some(line) = number.first() {
            let x = at(MARGIN + WIDTH - line.width, line.width);
            draw_pieces(&mut surface, x, BOTTOM + 30.0, &line.pieces);
        }
        surface.end_tagged();
        for item in placed {
            let x = at(item.x, item.line.width);
            draw_tagged(&mut surface, item, x, &mut tree, &mut areas);
        }
        surface.finish();
        for area in areas {
            let uri = typeset.links[usize::from(area.link)].clone();
            let annotation = Annotation::new_link(
                LinkAnnotation::new(
                    area.rect,
                    Target::Action(Action::Link(LinkAction::new(uri.clone()))),
                ),
                Some(uri),
            );
            let identifier = page.add_tagged_annotation(annotation);
            tree.content(area.element, identifier);
        }
        page.finish();
    }
    document.set_tag_tree(tree.into_tag_tree(letter.language));
    document.finish()
}

/// Where a link was drawn on a page, to be made clickable.
struct LinkArea {
    element: ElementId,
    rect: Rect,
    link: u16,
}

/// Draws a line as a tagged span of its element; each run of pieces that belong to a link is
/// a span of its own inside a Link element, and its area is noted for the annotation.
/// Draws a placed line, its start at `x` (the placed x, or its mirror image on a page that
/// reads right to left).
fn draw_tagged(
    surface: &mut Surface,
    item: &Placed,
    x: f32,
    tree: &mut Tree,
    areas: &mut Vec<LinkArea>,
) {
    let mut x = x;
    let pieces = &item.line.pieces;
    let mut start = 0;
    while start < pieces.len() {
        let link = pieces[start].style.link;
        let end = pieces[start..]
            .iter()
            .position(|p| p.style.link != link)
            .map_or(pieces.len(), |n| start + n);
        let run = &pieces[start..end];
        let width: f32 = run.iter().map(|p| p.width).sum();
        let element = match link {
            Some(_) => tree.add(Some(item.element), Tag::Link),
            None => item.element,
        };
        let identifier = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
        draw_pieces(surface, x, item.baseline, run);
        surface.end_tagged();
        tree.content(element, identifier);
        if let Some(link) = link {
            let size = item.line.size;
            if let Some(rect) = Rect::from_xywh(x, item.baseline - size, width, size * 1.3) {
                areas.push(LinkArea {
                    element,
                    rect,
                    link,
                });
            }
        }
        x += width;
        start = end;
    }
}

fn draw_pieces(surface: &mut Surface, x: f32, baseline: f32, pieces: &[layout::Piece]) {
    let mut x = x;
    for piece in pieces {
        let (grey, blue) = match (piece.style.link, piece.style.muted) {
            (Some(_), _) => (20, 140),
            (None, true) => (90, 90),
            (None, false) => (20, 20),
        };
        surface.set_fill(Some(Fill {
            paint: rgb::Color::new(grey, grey, blue).into(),
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
