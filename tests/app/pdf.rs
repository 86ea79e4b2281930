//! The printable PDF of a released letter: served with its type and file name, fonts
//! embedded, and every signatory's name extractable as text (accents, Cyrillic, Arabic and,
//! where the machine has a CJK font, Chinese; a 300-character name without a space, cut
//! across lines), checked with poppler's `pdftotext`; tagged, PDF/A-2a and with clickable
//! links, checked with poppler's `pdfinfo`.

use reqwest::{Method, StatusCode};

use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::answer;
use crate::support::pdf_tools::{CJK_FONT, available, pdf_info, pdf_text, pdf_words};
use crate::support::{Backend, TestApp};

storage_test!(
    a_released_letter_prints_as_a_pdf_with_every_name,
    a_300_character_name_is_printed_whole_within_the_page,
    the_pdf_is_tagged_archival_and_its_links_work,
);

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
    let created = NewLetter::new()
        .organizations(&orgs)
        .create(&app, &admin)
        .await;
    let (id, slug) = (created.id, created.slug);
    for (name, _) in orgs {
        answer(&app, name, "sign").await;
    }
    release_now(&app, &admin, &id).await;
    let letter = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{id}"),
            &admin,
            None,
        )
        .await;

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

async fn a_300_character_name_is_printed_whole_within_the_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let long: String = "Internationalegesellschaftfürmenschenrechte"
        .repeat(7)
        .chars()
        .take(300)
        .collect();
    let letter = NewLetter::new()
        .organizations(&[(&long, "lead"), ("Amnesty International", "supporting")])
        .create(&app, &admin)
        .await;
    answer(&app, &long, "sign").await;
    answer(&app, "Amnesty International", "sign").await;
    release_now(&app, &admin, &letter.id).await;
    let response = app.get(&format!("/letters/{}.pdf", letter.slug)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let pdf = response.bytes().await.unwrap();
    let Some(text) = pdf_text(&pdf) else {
        return;
    };
    let joined: String = text.split_whitespace().collect();
    assert!(
        joined.contains(&long),
        "the whole name is in the PDF:\n{text}"
    );
    assert!(text.contains("Amnesty International"), "{text}");
    let name_lines = text
        .lines()
        .filter(|line| line.contains("Internationale") || line.contains("gesellschaft"))
        .count();
    assert!(name_lines > 3, "the name is cut across lines:\n{text}");
    // No word runs into the right margin (64 points), let alone off the page.
    let (width, words) = pdf_words(&pdf).expect("pdftotext, found above");
    assert!(words.len() > 20, "{words:?}");
    for (word, right) in words {
        assert!(
            right <= width - 60.0,
            "“{word}” ends at {right} on a page {width} wide"
        );
    }
}

async fn the_pdf_is_tagged_archival_and_its_links_work(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let body = "We recall the General Assembly's resolution 68/181 on the protection of \
                women human rights defenders, and the [Special Rapporteur's report]\
                (https://reports.example.org/a-hrc-55-50) that followed it, word for word.";
    let short_names: Vec<String> = (1..=12).map(|n| format!("Groupe {n}")).collect();
    let mut orgs: Vec<(&str, &str)> = vec![("Amnesty International", "lead")];
    orgs.extend(short_names.iter().map(|n| (n.as_str(), "supporting")));
    let letter = NewLetter::new()
        .with("body_markdown", body)
        .organizations(&orgs)
        .create(&app, &admin)
        .await;
    for (name, _) in &orgs {
        answer(&app, name, "sign").await;
    }
    release_now(&app, &admin, &letter.id).await;
    let response = app.get(&format!("/letters/{}.pdf", letter.slug)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let pdf = response.bytes().await.unwrap();

    let Some(info) = pdf_info(&pdf) else {
        return;
    };
    let (urls, metadata) = (&info.urls, &info.metadata);
    let info = &info.properties;
    let property = |name: &str| {
        info.lines()
            .find_map(|line| line.strip_prefix(name))
            .map(|value| value.trim_start_matches(':').trim().to_string())
            .unwrap_or_else(|| panic!("pdfinfo says nothing of {name}:\n{info}"))
    };
    assert_eq!(property("Tagged"), "yes", "{info}");
    for declared in [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>A</pdfaid:conformance>",
    ] {
        assert!(metadata.contains(declared), "PDF/A-2a: {metadata}");
    }
    assert!(property("Title").contains("Joint Letter"), "{info}");
    let public = app.url(&format!("/letters/{}", letter.slug));
    for link in ["https://reports.example.org/a-hrc-55-50", public.as_str()] {
        assert!(
            urls.contains(link),
            "{link} is not a link in the PDF:\n{urls}"
        );
    }

    let text = pdf_text(&pdf).expect("poppler-utils, found above");
    assert!(
        text.lines().any(|line| line.contains("resolution 68/181")),
        "68/181 is cut across lines:\n{text}"
    );
    let short_address = public.trim_start_matches("http://");
    assert!(
        text.lines().any(|line| line.trim() == short_address),
        "the footer's address stays on one line:\n{text}"
    );
    let (_, words) = pdf_words(&pdf).expect("poppler-utils, found above");
    let mut columns: Vec<i64> = words
        .iter()
        .filter(|(word, _)| word == "Groupe")
        .map(|(_, right)| (*right / 10.0) as i64)
        .collect();
    columns.sort_unstable();
    columns.dedup();
    assert_eq!(columns.len(), 3, "short names stand in three columns");
}
