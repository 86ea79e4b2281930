//! CSV files as Excel and LibreOffice write them, uploaded to the address-book import and to
//! the invite-from-file form: UTF-8 with a byte-order mark and semicolons, UTF-16 with tabs,
//! Windows-1252 with commas; countries as codes or names; the spreadsheet's row numbers; and a
//! file that cannot be read, which keeps the form on screen with the reason (never a 5xx).

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use reqwest::{Method, StatusCode};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::api;
use crate::support::forms::textarea;
use crate::support::letters::NewLetter;
use crate::support::proptest_cases;
use crate::support::{Backend, TestApp};

storage_test!(
    spreadsheet_files_in_three_encodings_are_read_and_stored,
    inviting_from_a_utf16_file_tells_rows_as_the_spreadsheet_numbers_them,
    a_file_that_cannot_be_read_keeps_the_form_with_the_reason,
    arbitrary_uploads_never_answer_a_server_error
);

const PREVIEW: &str = "/app/organizations/import/preview";

/// UTF-16 little-endian, as Excel's "Unicode text" saves it (with a byte-order mark or not).
fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let bom = bom.then_some(0xFEFF_u16);
    bom.into_iter()
        .chain(text.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect()
}

/// The country shown beside an organization in the address book's list.
fn country_in_book(book: &str, organization: &str) -> String {
    let marker = format!(">{organization}</a></td>");
    let start = book
        .find(&marker)
        .unwrap_or_else(|| panic!("{organization} is not in the address book: {book}"));
    let row = &book[start..start + book[start..].find("</tr>").expect("the end of the row")];
    let cells: Vec<&str> = row.split("<td").collect();
    cells
        .get(2)
        .and_then(|c| c.split_once('>'))
        .map(|(_, c)| c.trim().trim_end_matches("</td>").trim().to_string())
        .unwrap_or_default()
}

async fn preview_and_import(app: &TestApp, bytes: Vec<u8>, read_as: &str, rows: &[&str]) {
    let preview = app.upload(PREVIEW, bytes).await;
    assert_eq!(preview.status(), StatusCode::OK);
    let html = preview.text().await.unwrap();
    assert!(
        html.contains(read_as),
        "the preview says “{read_as}”: {html}"
    );
    for row in rows {
        assert!(html.contains(row), "the preview shows {row}: {html}");
    }
    let confirmed = app
        .post_form(
            "/app/organizations/import",
            &[("csv", &textarea(&html, "csv"))],
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
}

async fn spreadsheet_files_in_three_encodings_are_read_and_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;

    // Excel's "CSV UTF-8" in a French locale: a byte-order mark, semicolons, French headers.
    let utf8_bom = "\u{feff}Organisation;E-mail;Pays\r\n\
                    Ligue suisse des droits humains;ldh@example.org;CH\r\n\
                    Réseau Romand;reseau@example.org;Suisse\r\n";
    preview_and_import(
        &app,
        utf8_bom.as_bytes().to_vec(),
        "Read as UTF-8 with a byte-order mark, cells separated by semicolons.",
        &["<tr><td>2</td><td class=\"name\">Ligue suisse des droits humains</td>"],
    )
    .await;

    // Excel's "Unicode text": UTF-16 little-endian with tabs.
    let utf16 = utf16le(
        "organization\temail\tcountry\r\n\
         Fundación Libertad\tlibertad@example.org\tSuiza\r\n\
         Swiss Peace\tpeace@example.org\tCHE\r\n",
        true,
    );
    preview_and_import(
        &app,
        utf16,
        "Read as UTF-16 (little-endian), cells separated by tabs.",
        &["<tr><td>3</td><td class=\"name\">Swiss Peace</td>"],
    )
    .await;

    // Excel's "CSV (comma delimited)" on a Western European Windows: Windows-1252 bytes, with a
    // blank line (row 3 of the sheet) and a country that does not exist.
    let mut windows = b"organization,email,country\r\n".to_vec();
    windows.extend_from_slice(b"\xC9lan Solidaire Gen\xE8ve,elan@example.org,Switzerland\r\n\r\n");
    windows.extend_from_slice(b"\xC4rztinnen f\xFCr Frieden,aerzte@example.org,Allemagne\r\n");
    windows.extend_from_slice(b"Nowhere Org,nowhere@example.org,Atlantis\r\n");
    preview_and_import(
        &app,
        windows,
        "Read as Windows-1252, cells separated by commas.",
        &[
            "<tr><td>2</td><td class=\"name\">Élan Solidaire Genève</td>",
            "<tr><td>4</td><td class=\"name\">Ärztinnen für Frieden</td>",
            "<tr><td>5</td><td class=\"name\">Nowhere Org</td>",
            "“Atlantis” is not a country",
        ],
    )
    .await;

    let book = app.get("/app/organizations").await.text().await.unwrap();
    for (organization, country) in [
        ("Ligue suisse des droits humains", "CH"),
        ("Réseau Romand", "CH"),
        ("Fundación Libertad", "CH"),
        ("Swiss Peace", "CH"),
        ("Élan Solidaire Genève", "CH"),
        ("Ärztinnen für Frieden", "DE"),
    ] {
        assert_eq!(
            country_in_book(&book, organization),
            country,
            "{organization}"
        );
    }
    assert!(
        !book.contains("Nowhere Org"),
        "a refused row is not imported"
    );
}

async fn inviting_from_a_utf16_file_tells_rows_as_the_spreadsheet_numbers_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let token = app.api_token("api@example.org", Role::Coordinator).await;
    let letter = NewLetter::new().create(&app, &token).await;

    // UTF-16 without a byte-order mark; a note over two lines counts as one row of the sheet.
    let file = utf16le(
        "organization\temail\tcountry\tnotes\r\n\
         Élan Solidaire Genève\telan@example.org\tSuisse\t\"Met in May;\ncall back\"\r\n\
         Broken Org\tnot-an-email\tDE\t\r\n\
         Ärztinnen für Frieden\taerzte@example.org\tAllemagne\t\r\n",
        false,
    );
    let path = format!("/app/letters/{}/invite/csv", letter.id);
    let answer = app.upload(&path, file).await;
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = answer.text().await.unwrap();
    for expected in [
        "One row cannot be invited, so nothing was sent.",
        "<strong>row 3</strong> <q>Broken Org &lt;not-an-email&gt;</q>",
        "not a valid email",
    ] {
        assert!(html.contains(expected), "{expected}: {html}");
    }
    assert!(!html.contains("row 4"), "a good row is not blamed: {html}");

    let corrected = utf16le(
        "organization\temail\tcountry\tnotes\r\n\
         Élan Solidaire Genève\telan@example.org\tSuisse\t\"Met in May;\ncall back\"\r\n\
         Ärztinnen für Frieden\taerzte@example.org\tAllemagne\t\r\n",
        false,
    );
    let review = app.upload(&path, corrected).await;
    assert_eq!(review.status(), StatusCode::OK);
    let review = review.text().await.unwrap();
    for expected in [
        "Review: 2 invitations",
        "Read as UTF-16 (little-endian), cells separated by tabs.",
        "Ärztinnen für Frieden",
    ] {
        assert!(review.contains(expected), "{expected}: {review}");
    }
    assert_eq!(
        app.submit_review(&review, "send", "").await.status(),
        StatusCode::SEE_OTHER
    );

    let listed = api::expecting(
        &app.client,
        &app.address,
        StatusCode::OK,
        Method::GET,
        &format!("/letters/{}/invitations", letter.id),
        &token,
        None,
    )
    .await;
    let invitations = listed["invitations"].as_array().expect("invitations");
    let country_of = |needle: &str| {
        invitations
            .iter()
            .find(|i| i.to_string().contains(needle))
            .unwrap_or_else(|| panic!("no invitation for {needle}: {listed}"))["country"]
            .clone()
    };
    assert_eq!(country_of("elan@example.org"), "CH");
    assert_eq!(country_of("aerzte@example.org"), "DE");
}

async fn a_file_that_cannot_be_read_keeps_the_form_with_the_reason(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let token = app.api_token("api@example.org", Role::Coordinator).await;
    let letter = NewLetter::new().create(&app, &token).await;
    let invite = format!("/app/letters/{}/invite/csv", letter.id);

    let junk: Vec<u8> = (0u32..3000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut too_many = String::from("organization,email\n");
    for i in 0..=5_000 {
        too_many.push_str(&format!("Org {i},o{i}@example.org\n"));
    }
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (junk, "The file is not text"),
        (Vec::new(), "The file is empty."),
        (b"PK\x03\x04\x14\x00\x06\x00".to_vec(), "not a CSV file"),
        (
            b"Name;Phone\nAmnesty;+44 20\n".to_vec(),
            "with at least “organization” and “email”; it reads “Name”, “Phone”.",
        ),
        (
            b"organization,email\n\n".to_vec(),
            "no organization below it",
        ),
        (too_many.into_bytes(), "more than 5000 rows"),
        (vec![b'a'; 2_100_000], "larger than 2 MB"),
    ];
    for (bytes, reason) in cases {
        for (path, form_action) in [
            (PREVIEW, r#"action="/app/organizations/import/preview""#),
            (
                invite.as_str(),
                r#"/invite/csv" enctype="multipart/form-data""#,
            ),
        ] {
            let answer = app.upload(path, bytes.clone()).await;
            assert_eq!(
                answer.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{reason}"
            );
            let html = answer.text().await.unwrap();
            let beside = &html[html.find(r#"id="file-error""#).expect("the reason")..];
            let beside = &beside[..beside.find("</div>").unwrap()];
            assert!(beside.contains(reason), "{path}: “{reason}” in {beside}");
            assert!(beside.contains("“CSV UTF-8 (comma delimited)”"), "{beside}");
            assert!(
                html.contains(form_action),
                "the form is still there: {html}"
            );
            assert!(html.contains(r#"aria-describedby="file-error""#));
        }
    }
    let book = app.get("/app/organizations").await.text().await.unwrap();
    assert!(!book.contains("Org 1"), "nothing was imported");
    let dashboard = app
        .get(&format!("/app/letters/{}", letter.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(!dashboard.contains("Amnesty"), "nobody was invited");
}

/// Arbitrary bytes, and CSV-looking text with arbitrary cells, to both upload forms: the
/// answer is the preview, the invitation result or the form with a reason, never a 5xx.
async fn arbitrary_uploads_never_answer_a_server_error(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let token = app.api_token("api@example.org", Role::Coordinator).await;
    let letter = NewLetter::new().create(&app, &token).await;
    let invite = format!("/app/letters/{}/invite/csv", letter.id);

    let config = proptest_cases::config(4);
    let cases = config.cases;
    let mut runner = TestRunner::new(config);
    let bytes = proptest::collection::vec(proptest::num::u8::ANY, 0..600);
    let cells = proptest::collection::vec("[^\r]{0,12}", 0..40).prop_map(|cells| {
        let mut text = String::from("organization;email;country\n");
        for (i, cell) in cells.iter().enumerate() {
            text.push_str(cell);
            text.push(if i % 3 == 2 { '\n' } else { ';' });
        }
        text.into_bytes()
    });
    let uploads = proptest::prop_oneof![bytes, cells];
    for _ in 0..cases {
        let upload = uploads.new_tree(&mut runner).expect("a case").current();
        for path in [PREVIEW, invite.as_str()] {
            let answer = app.upload(path, upload.clone()).await;
            let status = answer.status();
            assert!(
                status == StatusCode::OK || status == StatusCode::UNPROCESSABLE_ENTITY,
                "{path} answered {status} to {upload:?}: {}",
                answer.text().await.unwrap()
            );
        }
    }
}
