//! A released letter as a printable PDF: the letter, its signatories (the organizations, then
//! the individuals under their own heading), and a footer with the
//! public address and the text's SHA-256. Independent of the database: the caller fills a
//! [`PrintedLetter`]. Text is shaped and its fonts subset and embedded (krilla), so every
//! name stays selectable and searchable; the document is tagged for screen readers, its links
//! clickable, and it conforms to PDF/A-2a whenever every character has a font.

mod flow;
mod fonts;
mod html;
mod layout;
mod pages;
mod signatories;
mod structure;

/// A letter as it is printed.
pub struct PrintedLetter<'a> {
    pub title: &'a str,
    pub addressee: &'a str,
    /// The date of publication as readers see it, e.g. "3 December 2026".
    pub published_on: &'a str,
    /// The moment of publication (UTC), written in the PDF's metadata.
    pub published_at: chrono::NaiveDateTime,
    /// The sanitized HTML of the text.
    pub body_html: &'a str,
    pub leads: Vec<PrintedSignatory<'a>>,
    pub supporting: Vec<PrintedSignatory<'a>>,
    /// Organizations that joined after publication, each with its date as a note.
    pub late: Vec<PrintedSignatory<'a>>,
    /// The heading printed above the individuals, e.g. "Individuals, affiliations for
    /// identification only".
    pub individuals_heading: &'a str,
    /// Individuals who signed in their personal capacity, printed after the organizations;
    /// nothing when empty.
    pub individuals: Vec<PrintedIndividual<'a>>,
    /// The changes of the list since publication, dated, oldest first.
    pub changes: Vec<String>,
    pub url: &'a str,
    pub content_sha256: &'a str,
    /// The language of the text (BCP 47), the document's language.
    pub language: &'a str,
    /// The printed words around the text (headings, footer), in the reader's language.
    pub words: crate::i18n::Localizer,
}

pub struct PrintedSignatory<'a> {
    pub organization: &'a str,
    /// An ISO country code.
    pub country: Option<&'a str>,
    /// A line printed after the name, e.g. "joined after publication on 3 December 2026".
    pub note: Option<String>,
}

/// An individual as printed: "Name, Title, Affiliation (CC)", with a note under it.
pub struct PrintedIndividual<'a> {
    pub name: &'a str,
    pub title: Option<&'a str>,
    /// Given for identification only.
    pub affiliation: Option<&'a str>,
    /// An ISO country code.
    pub country: Option<&'a str>,
    /// A line printed after the name, e.g. "joined on 3 December 2026".
    pub note: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded fonts could not be read")]
    Fonts,
    #[error("writing the PDF failed: {0}")]
    Write(String),
}

/// The PDF of a letter. Characters that no embedded or system font has are drawn as empty
/// boxes and logged once, never an error.
#[tracing::instrument(skip_all, fields(title = letter.title))]
pub fn render(letter: &PrintedLetter) -> Result<Vec<u8>, PdfError> {
    pages::render(letter, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn letter(signatories: usize) -> PrintedLetter<'static> {
        let names = [
            "Fondation Ỷ Lan",
            "Ελληνική Ένωση για τα Δικαιώματα",
            "Правозащитный центр «Мемориал»",
            "İnsan Hakları Derneği",
            "الشبكة العربية لمعلومات حقوق الإنسان",
            "香港人權示例聯盟",
            "人権ネットワーク・サンプル",
        ];
        let signatory = |i: usize| PrintedSignatory {
            organization: names[i % names.len()],
            country: (!i.is_multiple_of(3)).then_some("FR"),
            note: (i % 5 == 4).then(|| "joined after publication on 3 December 2026".into()),
        };
        PrintedLetter {
            title: "Free the journalists of Examplestan",
            addressee: "the Government of Examplestan",
            published_on: "3 December 2026",
            published_at: chrono::DateTime::from_timestamp(1_796_306_400, 0)
                .unwrap()
                .naive_utc(),
            body_html: "<p>We, the undersigned, <strong>urge</strong> you to act.</p>\n\
                        <h2>Our demands</h2>\n<ol>\n<li>Release them.</li>\n<li>Drop all charges.</li>\n</ol>\n\
                        <blockquote><p>Journalism is not a crime.</p></blockquote>",
            leads: (0..signatories.min(3)).map(signatory).collect(),
            supporting: (3..signatories.max(3)).map(signatory).collect(),
            late: Vec::new(),
            individuals_heading: "Individuals, affiliations for identification only",
            individuals: Vec::new(),
            changes: Vec::new(),
            url: "https://letters.example.org/letters/free-the-journalists",
            content_sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            language: "en",
            words: crate::i18n::Localizer::english(),
        }
    }

    #[test]
    fn a_name_of_characters_no_font_has_still_prints() {
        // Private-use characters: no font has them; the system fonts are searched for only the
        // first few, and every one prints as a box.
        let name: String = (0xE000u32..0xE000 + 500)
            .filter_map(char::from_u32)
            .collect();
        let mut printed = letter(3);
        printed.supporting.push(PrintedSignatory {
            organization: &name,
            country: None,
            note: None,
        });
        let pdf = render(&printed).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // Boxes for missing characters are not allowed in PDF/A: it is a tagged PDF instead.
        let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"/StructTreeRoot"), "still tagged");
        assert!(!has(b"pdfaid:part"), "not declared PDF/A");
    }

    #[test]
    fn a_letter_prints_as_a_pdf_with_embedded_fonts() {
        let pdf = pages::render(&letter(17), false).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"/FontFile2"));
        assert!(has(b"/ToUnicode"));
    }

    #[test]
    fn a_letter_every_character_of_which_has_a_font_is_pdf_a_2a() {
        // The first five names are in scripts the embedded fonts cover (no Chinese, no Japanese).
        let mut printed = letter(5);
        printed.body_html = "<p>See <a href=\"https://example.org/\">the report</a>.</p>";
        let pdf = pages::render(&printed, false).unwrap();
        let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"<pdfaid:part>2</pdfaid:part>"), "PDF/A-2");
        assert!(
            has(b"<pdfaid:conformance>A</pdfaid:conformance>"),
            "level A"
        );
        assert!(has(b"/StructTreeRoot"), "tagged");
        assert!(has(b"/Lang"), "its language set");
    }

    #[test]
    fn individuals_print_after_the_organizations_and_it_stays_pdf_a_2a() {
        let mut printed = letter(5);
        printed.individuals = vec![
            PrintedIndividual {
                name: "Amal Haddad",
                title: Some("Professor of Law"),
                affiliation: Some("University of Examplestan"),
                country: Some("LB"),
                note: None,
            },
            PrintedIndividual {
                name: "Jo Example",
                title: None,
                affiliation: None,
                country: None,
                note: Some("joined on 4 December 2026".into()),
            },
        ];
        let with = pages::render(&printed, false).unwrap();
        let has = |needle: &[u8]| with.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"<pdfaid:conformance>A</pdfaid:conformance>"));
        printed.individuals.clear();
        let without = pages::render(&printed, false).unwrap();
        assert!(with.len() > without.len(), "the individuals are printed");
    }

    /// A long list stays small: fonts are subset and embedded once, whatever the number of
    /// names. Prints size and time (`-- --nocapture`); asserts no timing.
    #[test]
    fn a_thousand_signatories_stay_a_small_file() {
        let mut sizes = Vec::new();
        for count in [17, 1000] {
            let started = std::time::Instant::now();
            let pdf = pages::render(&letter(count), false).unwrap();
            eprintln!(
                "{count} signatories: {} bytes in {:?}",
                pdf.len(),
                started.elapsed()
            );
            assert!(pdf.starts_with(b"%PDF-"));
            sizes.push(pdf.len());
        }
        let (short_bytes, long_bytes) = (sizes[0], sizes[1]);
        assert!(long_bytes > short_bytes);
        assert!(long_bytes < 1_000_000, "{long_bytes} bytes for 1,000 names");
    }
}
