//! "Show who approved": a letter set to show its signers prints "approved by NAME, TITLE" under
//! each organization on the public page, in the JSON, the CSV and XLSX lists (with columns
//! `signer_name` and `signer_title`) and the PDF; a letter that does not never shows a name.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::forms::location;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::Partner;
use crate::support::pdf_tools::pdf_text;
use crate::support::sheets::{csv_rows, xlsx_rows};
use crate::support::{Backend, TestApp};

storage_test!(
    the_letter_form_and_the_api_set_show_signers,
    who_approved_is_published_only_when_the_letter_shows_it,
);

async fn the_letter_form_and_the_api_set_show_signers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let token = app.admin_token().await;
    let created = app
        .post_form(
            "/app/letters/new",
            &[
                ("title", "Joint Letter"),
                ("addressee", "António Guterres"),
                ("body_markdown", "We urge you to act."),
                ("deadline_tz", "UTC"),
                ("show_signers", "on"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let id = location(&created).rsplit('/').next().unwrap().to_string();
    let letter = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{id}"),
            &token,
            None,
        )
        .await;
    assert_eq!(letter["show_signers"], true, "{letter}");
    let edit_page = app
        .get(&format!("/app/letters/{id}/edit"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        edit_page.contains(r#"name="show_signers" checked"#),
        "the form shows the setting"
    );

    let off = app
        .api_expecting(
            StatusCode::OK,
            Method::PUT,
            &format!("/letters/{id}"),
            &token,
            Some(json!({ "show_signers": false })),
        )
        .await;
    assert_eq!(off["show_signers"], false);
    let api_letter = NewLetter::new().create(&app, &token).await;
    assert_eq!(api_letter.json["show_signers"], false, "off by default");
}

/// A released letter whose one organization signed as Jo Example, Director.
async fn released(app: &TestApp, token: &str, organization: &str, show_signers: bool) -> String {
    let letter = NewLetter::new()
        .with("show_signers", show_signers)
        .organizations(&[(organization, "lead")])
        .create(app, token)
        .await;
    let partner = Partner::open(app, organization).await;
    let (status, page) = partner
        .send_answer(&partner.page, "sign", "Jo Example", "Director", "")
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    release_now(app, token, &letter.id).await;
    letter.slug
}

/// Everything public about a released letter, as text: page, JSON, CSV, XLSX and PDF.
async fn public_outputs(app: &TestApp, slug: &str) -> Vec<(&'static str, String)> {
    let text = |path: String| async move { app.get(&path).await.text().await.unwrap() };
    let mut outputs = vec![
        ("page", text(format!("/letters/{slug}")).await),
        ("json", text(format!("/letters/{slug}.json")).await),
        (
            "csv",
            text(format!("/letters/{slug}/signatories.csv")).await,
        ),
    ];
    let xlsx = app
        .get(&format!("/letters/{slug}/signatories.xlsx"))
        .await
        .bytes()
        .await
        .unwrap();
    outputs.push(("xlsx", format!("{:?}", xlsx_rows(&xlsx, "Signatories"))));
    let pdf = app
        .get(&format!("/letters/{slug}.pdf"))
        .await
        .bytes()
        .await
        .unwrap();
    if let Some(text) = pdf_text(&pdf) {
        outputs.push(("pdf", text));
    }
    outputs
}

async fn who_approved_is_published_only_when_the_letter_shows_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;

    let shown = released(&app, &token, "Article 19", true).await;
    let outputs = public_outputs(&app, &shown).await;
    let page = &outputs[0].1;
    assert!(page.contains("approved by Jo Example, Director"), "{page}");
    let json: Value = serde_json::from_str(&outputs[1].1).unwrap();
    assert_eq!(
        json["signatories"][0]["approved_by"],
        "Jo Example, Director"
    );
    let csv = app
        .get(&format!("/letters/{shown}/signatories.csv"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        csv_rows(&csv),
        [
            vec![
                "organization",
                "tier",
                "country",
                "signer_name",
                "signer_title"
            ],
            vec!["Article 19", "lead", "", "Jo Example", "Director"],
        ]
    );
    let xlsx = app
        .get(&format!("/letters/{shown}/signatories.xlsx"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        xlsx_rows(&xlsx, "Signatories")[0],
        [
            "organization",
            "tier",
            "country",
            "signer_name",
            "signer_title"
        ]
    );
    if let Some((_, pdf)) = outputs.iter().find(|(kind, _)| *kind == "pdf") {
        let flat = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("approved by Jo Example, Director"), "{flat}");
    }

    let hidden = released(&app, &token, "Quiet Signers", false).await;
    for (kind, output) in public_outputs(&app, &hidden).await {
        assert!(
            !output.contains("Jo Example"),
            "{kind} names the signer: {output}"
        );
        assert!(
            !output.contains("Director"),
            "{kind} names the title: {output}"
        );
        assert!(!output.contains("approved by"), "{kind}: {output}");
    }
    let csv = app
        .get(&format!("/letters/{hidden}/signatories.csv"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(csv_rows(&csv)[0], ["organization", "tier", "country"]);
}
