//! The public signatory list as files to save: `/letters/{slug}/signatories.csv` (UTF-8, no
//! byte-order mark) and `/letters/{slug}/signatories.xlsx` (read back with calamine), with the
//! same columns and rows in published order, names in several scripts exactly as typed, names
//! that look like formulas kept as text, named after the slug, 404 until release, and cached
//! like the page.

use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, ETAG, LAST_MODIFIED};
use reqwest::{Response, StatusCode};
use serde_json::json;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::answer;
use crate::support::sheets::{
    csv_rows, xlsx_cells, xlsx_has_no_formulas, xlsx_header_is_bold, xlsx_rows,
};
use crate::support::{Backend, TestApp};

storage_test!(
    the_signatory_list_downloads_as_csv_and_xlsx,
    the_spreadsheets_wait_for_release_and_are_cached_like_the_page,
);

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Organizations whose names a spreadsheet must show exactly: accents, Cyrillic, Arabic, and
/// names that start like a formula.
const ORGANIZATIONS: [(&str, &str); 6] = [
    ("World Uyghur Congress", "lead"),
    ("Église et Société Genève", "supporting"),
    ("Уйгурский конгресс", "supporting"),
    ("منظمة العفو", "supporting"),
    (
        "=HYPERLINK(\"https://evil.example\",\"Click\")",
        "supporting",
    ),
    ("@Risk Collective", "supporting"),
];

fn header(response: &Response, name: impl reqwest::header::AsHeaderName) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// A released letter every organization of `ORGANIZATIONS` signed: its slug, and the JSON
/// list of signatories in published order.
async fn released(app: &TestApp) -> (String, Vec<serde_json::Value>) {
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let mut new_letter = NewLetter::new();
    for (n, (name, tier)) in ORGANIZATIONS.into_iter().enumerate() {
        let country = ["CN", "CH", "KZ", "EG", "", "FR"][n];
        new_letter = new_letter.invitee(json!({
            "organization": name, "tier": tier, "email": format!("org{n}@example.org"),
            "country": (!country.is_empty()).then_some(country),
        }));
    }
    let letter = new_letter.create(app, &admin).await;
    for (name, _) in ORGANIZATIONS {
        answer(app, name, "sign").await;
    }
    release_now(app, &admin, &letter.id).await;
    let public: serde_json::Value = app
        .get(&format!("/letters/{}.json", letter.slug))
        .await
        .json()
        .await
        .expect("the public JSON");
    let list = public["signatories"].as_array().expect("a list").clone();
    (letter.slug, list)
}

async fn the_signatory_list_downloads_as_csv_and_xlsx(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (slug, list) = released(&app).await;
    let expected: Vec<Vec<String>> = list
        .iter()
        .map(|s| {
            vec![
                s["organization"].as_str().unwrap().to_string(),
                s["tier"].as_str().unwrap().to_string(),
                s["country"].as_str().unwrap_or("").to_string(),
            ]
        })
        .collect();
    assert_eq!(expected.len(), ORGANIZATIONS.len());
    assert_eq!(expected[0][0], "World Uyghur Congress", "leads first");

    let page = app
        .get(&format!("/letters/{slug}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!(r#"href="/letters/{slug}/signatories.csv""#)));
    assert!(page.contains(&format!(r#"href="/letters/{slug}/signatories.xlsx""#)));

    let csv = app.get(&format!("/letters/{slug}/signatories.csv")).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert_eq!(header(&csv, CONTENT_TYPE), "text/csv; charset=utf-8");
    assert_eq!(
        header(&csv, CONTENT_DISPOSITION),
        format!(r#"attachment; filename="{slug}-signatories.csv""#)
    );
    let body = csv.bytes().await.unwrap();
    assert!(!body.starts_with(b"\xEF\xBB\xBF"), "no byte-order mark");
    let rows = csv_rows(&body);
    assert_eq!(rows[0], ["organization", "tier", "country"]);
    // In CSV a name that starts like a formula gets a quote in front, and nothing else changes.
    let guarded: Vec<Vec<String>> = expected
        .iter()
        .map(|row| {
            let mut row = row.clone();
            if row[0].starts_with(['=', '@']) {
                row[0] = format!("'{}", row[0]);
            }
            row
        })
        .collect();
    assert_eq!(rows[1..], guarded[..]);

    let xlsx = app.get(&format!("/letters/{slug}/signatories.xlsx")).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert_eq!(header(&xlsx, CONTENT_TYPE), XLSX);
    assert_eq!(
        header(&xlsx, CONTENT_DISPOSITION),
        format!(r#"attachment; filename="{slug}-signatories.xlsx""#)
    );
    let body = xlsx.bytes().await.unwrap();
    let rows = xlsx_rows(&body, "Signatories");
    assert_eq!(rows[0], ["organization", "tier", "country"]);
    assert!(xlsx_header_is_bold(&body, "Signatories"));
    // In the workbook every name is a text cell exactly as typed: no quote, no formula.
    assert_eq!(rows[1..], expected[..]);
    assert!(xlsx_has_no_formulas(&body, "Signatories"));
    for row in &xlsx_cells(&body, "Signatories")[1..] {
        assert!(
            matches!(&row[0], calamine::Data::String(_)),
            "{row:?} holds its name as text"
        );
    }
    for name in [
        "Église et Société Genève",
        "Уйгурский конгресс",
        "منظمة العفو",
    ] {
        assert!(
            rows.iter().any(|r| r[0] == name),
            "{name} is in the workbook"
        );
    }
}

async fn the_spreadsheets_wait_for_release_and_are_cached_like_the_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let letter = NewLetter::new()
        .organizations(&[("Amnesty International", "lead")])
        .create(&app, &admin)
        .await;
    answer(&app, "Amnesty International", "sign").await;
    for file in ["signatories.csv", "signatories.xlsx"] {
        let path = format!("/letters/{}/{file}", letter.slug);
        assert_eq!(
            app.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        app.get("/letters/no-such-letter/signatories.xlsx")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    release_now(&app, &admin, &letter.id).await;

    let page = app.get(&format!("/letters/{}", letter.slug)).await;
    let page_tag = header(&page, ETAG);
    for file in ["signatories.csv", "signatories.xlsx"] {
        let path = format!("/letters/{}/{file}", letter.slug);
        let first = app.get(&path).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let tag = header(&first, ETAG);
        assert_eq!(tag, page_tag, "{path} carries the revision's tag");
        assert!(!header(&first, LAST_MODIFIED).is_empty(), "{path}");
        assert_eq!(header(&first, CACHE_CONTROL), "public, max-age=60");
        let again = app
            .client
            .get(app.url(&path))
            .header("if-none-match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        // A workbook is compressed already: it is sent as it is to a browser that accepts gzip.
        let compressed = app
            .client
            .get(app.url(&path))
            .header("accept-encoding", "gzip, br")
            .send()
            .await
            .unwrap();
        let coding = header(&compressed, "content-encoding");
        if file.ends_with(".xlsx") {
            assert_eq!(coding, "", "{path}");
        } else {
            assert_eq!(coding, "br", "{path}");
        }
    }
}
