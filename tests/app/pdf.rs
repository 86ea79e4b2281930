//! The printable PDF of a released letter: served with its type and file name, fonts
//! embedded, and every signatory's name extractable as text (accents, Cyrillic, Arabic and,
//! where the machine has a CJK font, Chinese), checked with poppler's `pdftotext`.

use std::io::Write;
use std::path::Path;

use reqwest::{Method, StatusCode};
use serde_json::json;
use undersigned::domain::Role;

use crate::release::{answer, letter_with};
use crate::storage_test;
use crate::support::{Backend, TestApp};

storage_test!(a_released_letter_prints_as_a_pdf_with_every_name);

const PDFTOTEXT: &str = "/usr/bin/pdftotext";
const CJK_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// Whether an optional tool or font is there; CI (UNDERSIGNED_TEST_REQUIRE_PDF_TOOLS=1)
/// fails without it, elsewhere the check that needs it is skipped with a notice.
fn available(path: &str, install: &str) -> bool {
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
pub(crate) fn pdf_text(pdf: &[u8]) -> Option<String> {
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

async fn a_released_letter_prints_as_a_pdf_with_every_name(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let orgs = [
        ("World Uyghur Congress", "lead"),
        ("Église et Société", "supporting"),
        ("Уйгурский конгресс", "supporting"),
        ("منظمة العفو", "supporting"),
        ("香港人權示例聯盟", "supporting"),
    ];
    let id = letter_with(&app, &admin, &orgs).await;
    for (name, _) in orgs {
        answer(&app, name, "sign").await;
    }
    let (status, letter) = app
        .api(
            Method::POST,
            &format!("/letters/{id}/release"),
            &admin,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{letter}");
    let (_, letter) = app
        .api(Method::GET, &format!("/letters/{id}"), &admin, None)
        .await;
    let slug = letter["slug"].as_str().unwrap().to_string();

    let page = app
        .get(&format!("/letters/{slug}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!(r#"href="/letters/{slug}.pdf""#)));
    let response = app.get(&format!("/letters/{slug}.pdf")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(
        header("content-disposition"),
        format!(r#"inline; filename="{slug}.pdf""#)
    );
    let pdf = response.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(
        has(b"/FontFile2") || has(b"/FontFile3"),
        "fonts are embedded"
    );
    assert_eq!(
        app.get("/letters/no-such-letter.pdf").await.status(),
        StatusCode::NOT_FOUND
    );

    let Some(text) = pdf_text(&pdf) else {
        return;
    };
    let mut expected = vec![
        "Joint Letter on Xinjiang",
        "To António Guterres",
        "World Uyghur Congress",
        "Église et Société",
        "Уйгурский конгресс",
        "منظمة العفو",
        &letter["content_sha256"].as_str().unwrap()[..16],
    ];
    if available(CJK_FONT, "fonts-noto-cjk") {
        expected.push("香港人權示例聯盟");
    }
    for name in expected {
        assert!(
            text.contains(name),
            "{name} is not in the PDF's text:\n{text}"
        );
    }
}
