//! Optional tools the PDF checks need (poppler's `pdftotext`, a CJK font): used where installed,
//! skipped with a notice where not, required when `UNDERSIGNED_TEST_REQUIRE_PDF_TOOLS=1`.

use std::io::Write;
use std::path::Path;

/// poppler's text extractor.
pub const PDFTOTEXT: &str = "/usr/bin/pdftotext";
/// poppler's reader of a PDF's properties (tagged, PDF/A, links).
pub const PDFINFO: &str = "/usr/bin/pdfinfo";
/// A font with Chinese glyphs, for the names in Chinese.
pub const CJK_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// Whether an optional tool or font is there; CI (UNDERSIGNED_TEST_REQUIRE_PDF_TOOLS=1)
/// fails without it, elsewhere the check that needs it is skipped with a notice.
pub fn available(path: &str, install: &str) -> bool {
    if Path::new(path).exists() {
        return true;
    }
    assert!(
        std::env::var("UNDERSIGNED_TEST_REQUIRE_PDF_TOOLS").as_deref() != Ok("1"),
        "the PDF test requires {path} (apt-get install {install})"
    );
    let _ = writeln!(
        std::io::stderr(),
        "\nNOTICE: {path} is missing; part of the PDF test is SKIPPED. \
         Install it with `apt-get install {install}`.\n"
    );
    false
}

/// The text of a PDF as poppler's `pdftotext` reads it; `None` (with a notice) where the tool
/// is missing and not required.
pub fn pdf_text(pdf: &[u8]) -> Option<String> {
    if !available(PDFTOTEXT, "poppler-utils") {
        return None;
    }
    let mut child = std::process::Command::new(PDFTOTEXT)
        .args(["-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    Some(String::from_utf8(output.stdout).unwrap())
}

/// Every word of a PDF with the right edge of its box, and the width of the first page, in
/// points, as poppler's `pdftotext -bbox` reads them; `None` where the tool is missing and not
/// required.
pub fn pdf_words(pdf: &[u8]) -> Option<(f64, Vec<(String, f64)>)> {
    if !available(PDFTOTEXT, "poppler-utils") {
        return None;
    }
    let mut child = std::process::Command::new(PDFTOTEXT)
        .args(["-bbox", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let html = String::from_utf8(output.stdout).unwrap();
    let attribute = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).expect("the attribute") + name.len() + 2;
        let end = start + tag[start..].find('"').expect("its end");
        tag[start..end].parse().expect("a number")
    };
    let page = html.find("<page ").expect("a page");
    let width = attribute(&html[page..], "width");
    let words = html
        .split("<word ")
        .skip(1)
        .map(|word| {
            let (tag, rest) = word.split_once('>').expect("a word's tag");
            let text = rest.split("</word>").next().unwrap_or_default();
            (text.to_string(), attribute(tag, "xMax"))
        })
        .collect();
    Some((width, words))
}

/// What poppler's `pdfinfo` says of a PDF.
pub struct PdfInfo {
    /// Its properties, such as "Tagged:          yes".
    pub properties: String,
    /// The links it holds, one a line (`pdfinfo -url`).
    pub urls: String,
    /// Its XMP metadata (`pdfinfo -meta`), where PDF/A conformance is declared.
    pub metadata: String,
}

/// What poppler's `pdfinfo` says of a PDF; `None` where the tool is missing and not required.
pub fn pdf_info(pdf: &[u8]) -> Option<PdfInfo> {
    if !available(PDFINFO, "poppler-utils") {
        return None;
    }
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(pdf).unwrap();
    let run = |extra: &[&str]| {
        let output = std::process::Command::new(PDFINFO)
            .args(extra)
            .arg(file.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "pdfinfo reads the PDF: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    Some(PdfInfo {
        properties: run(&[]),
        urls: run(&["-url"]),
        metadata: run(&["-meta"]),
    })
}
