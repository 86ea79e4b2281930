//! Individuals on the published letter: a letter that accepts individual signatories lists
//! them apart, after the organizations, under the heading its coordinators set, on the page
//! ("Name, Title, Affiliation (Country)"), in the JSON (`individuals`, `individuals_heading`),
//! the CSV and XLSX (rows after the organizations, with `kind`, `title` and `affiliation` at
//! the end), the text, the PDF and the signed manifest; a letter without any keeps its lists
//! as they were, with an empty `individuals` in the JSON.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::answer;
use crate::support::pdf_tools::pdf_text;
use crate::support::sheets::{csv_rows, xlsx_rows};
use crate::support::sign_on::approved_individual;
use crate::support::{Backend, TestApp};

storage_test!(
    individuals_are_published_apart_after_the_organizations,
    a_letter_without_individuals_keeps_its_lists_as_they_were,
);

const HEADING: &str = "Individuals, in their personal capacity";

const ORGANIZATIONS: [(&str, &str); 2] = [
    ("Amnesty International", "lead"),
    ("Article 19", "supporting"),
];

/// (name, title, affiliation, country), in the order published.
const INDIVIDUALS: [(&str, &str, &str, &str); 2] = [
    (
        "Amal Haddad",
        "Professor of Law",
        "University of Examplestan",
        "LB",
    ),
    ("Zoe Martin", "Journalist", "Le Quotidien de Genève", "FR"),
];

async fn text(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

async fn bytes(app: &TestApp, path: &str) -> Vec<u8> {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.bytes().await.unwrap().to_vec()
}

/// Asserts that `needles` appear in `haystack` in this order.
fn in_order(what: &str, haystack: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        let at = haystack[from..]
            .find(needle)
            .unwrap_or_else(|| panic!("{what}: no {needle:?} after byte {from}:\n{haystack}"));
        from += at + needle.len();
    }
}

async fn individuals_are_published_apart_after_the_organizations(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&ORGANIZATIONS)
        .create(&app, &admin)
        .await;
    app.api_expecting(
        StatusCode::OK,
        Method::PUT,
        &format!("/letters/{}", letter.id),
        &admin,
        Some(json!({ "accept_individuals": true, "individuals_heading": HEADING })),
    )
    .await;
    for (name, _) in ORGANIZATIONS {
        answer(&app, name, "sign").await;
    }
    // Approved in the other order: the list is alphabetical. (The helper makes an email
    // address from the name, so names stay ASCII here; the affiliation need not.)
    for (name, title, affiliation, country) in INDIVIDUALS.into_iter().rev() {
        approved_individual(&app, &admin, &letter.id, name, title, affiliation, country).await;
    }
    release_now(&app, &admin, &letter.id).await;
    let slug = &letter.slug;

    let page = text(&app, &format!("/letters/{slug}")).await;
    assert!(
        page.contains("Signed by 2 organizations and 2 individuals"),
        "{page}"
    );
    in_order(
        "page",
        &page,
        &[
            "Amnesty International",
            "Article 19",
            &format!(r#"<h3 id="individuals-heading">{HEADING}</h3>"#),
            r#"Amal Haddad, Professor of Law, University of Examplestan <span class="country">(Lebanon)</span>"#,
            r#"Zoe Martin, Journalist, Le Quotidien de Genève <span class="country">(France)</span>"#,
        ],
    );

    let published: Value =
        serde_json::from_str(&text(&app, &format!("/letters/{slug}.json")).await)
            .expect("the JSON");
    let organizations: Vec<&str> = published["signatories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["organization"].as_str().unwrap())
        .collect();
    assert_eq!(organizations, ["Amnesty International", "Article 19"]);
    assert_eq!(published["individuals_heading"], HEADING);
    let expected: Vec<Value> = INDIVIDUALS
        .iter()
        .map(|(name, title, affiliation, country)| {
            json!({ "name": name, "title": title, "affiliation": affiliation, "country": country })
        })
        .collect();
    assert_eq!(published["individuals"], json!(expected), "no joined_at");

    let rows = csv_rows(&bytes(&app, &format!("/letters/{slug}/signatories.csv")).await);
    let expected_rows = [
        vec![
            "organization",
            "tier",
            "country",
            "kind",
            "title",
            "affiliation",
        ],
        vec!["Amnesty International", "lead", "", "organization", "", ""],
        vec!["Article 19", "supporting", "", "organization", "", ""],
        vec![
            "Amal Haddad",
            "",
            "LB",
            "individual",
            "Professor of Law",
            "University of Examplestan",
        ],
        vec![
            "Zoe Martin",
            "",
            "FR",
            "individual",
            "Journalist",
            "Le Quotidien de Genève",
        ],
    ];
    assert_eq!(rows, expected_rows);
    let workbook = bytes(&app, &format!("/letters/{slug}/signatories.xlsx")).await;
    assert_eq!(xlsx_rows(&workbook, "Signatories"), expected_rows);

    let plain = text(&app, &format!("/letters/{slug}.txt")).await;
    assert!(
        plain.contains(&format!(
            "- Article 19\n\n{HEADING}:\n\
             - Amal Haddad, Professor of Law, University of Examplestan (Lebanon)\n\
             - Zoe Martin, Journalist, Le Quotidien de Genève (France)\n"
        )),
        "{plain}"
    );

    let manifest: Value =
        serde_json::from_str(&text(&app, &format!("/letters/{slug}/revisions/1.json")).await)
            .unwrap();
    assert_eq!(manifest["individuals"], json!(expected));
    let signed: Value = serde_json::from_str(manifest["manifest"].as_str().unwrap()).unwrap();
    assert_eq!(
        signed["individuals"],
        json!(expected),
        "the manifest signs them"
    );

    if let Some(printed) = pdf_text(&bytes(&app, &format!("/letters/{slug}.pdf")).await) {
        // pdftotext may join a line's runs with a space or a break: compare words.
        let words = printed.split_whitespace().collect::<Vec<_>>().join(" ");
        in_order(
            "PDF",
            &words,
            &[
                "Amnesty International",
                "Article 19",
                HEADING,
                "Amal Haddad, Professor of Law, University of Examplestan (LB)",
                "Zoe Martin, Journalist, Le Quotidien de Genève (FR)",
            ],
        );
    }
}

async fn a_letter_without_individuals_keeps_its_lists_as_they_were(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&ORGANIZATIONS)
        .create(&app, &admin)
        .await;
    for (name, _) in ORGANIZATIONS {
        answer(&app, name, "sign").await;
    }
    release_now(&app, &admin, &letter.id).await;
    let slug = &letter.slug;

    let page = text(&app, &format!("/letters/{slug}")).await;
    assert!(page.contains("Signed by 2 organizations</p>"), "{page}");
    assert!(!page.contains("individuals-heading"), "{page}");
    let published: Value =
        serde_json::from_str(&text(&app, &format!("/letters/{slug}.json")).await).unwrap();
    assert_eq!(published["individuals"], json!([]));
    assert_eq!(
        published["individuals_heading"],
        "Individuals, affiliations for identification only"
    );
    let rows = csv_rows(&bytes(&app, &format!("/letters/{slug}/signatories.csv")).await);
    assert_eq!(rows[0], ["organization", "tier", "country"]);
    assert_eq!(rows.len(), 3);
    let plain = text(&app, &format!("/letters/{slug}.txt")).await;
    assert!(!plain.contains("Individuals"), "{plain}");
    let manifest: Value =
        serde_json::from_str(&text(&app, &format!("/letters/{slug}/revisions/1.json")).await)
            .unwrap();
    assert_eq!(manifest["individuals"], json!([]));
    assert!(
        !manifest["manifest"]
            .as_str()
            .unwrap()
            .contains("individuals"),
        "the signed manifest reads as before"
    );
}
