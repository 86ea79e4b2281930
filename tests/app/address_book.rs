//! The address book: organizations with several contacts, search, and the CSV import whose
//! preview lists every bad row and writes nothing, and whose import is all-or-nothing.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::forms::{csrf_of, location};
use crate::support::{Backend, TestApp};

storage_test!(
    organizations_have_contacts_and_are_found_by_search,
    the_csv_import_previews_every_bad_row_then_imports_the_rest
);

async fn organizations_have_contacts_and_are_found_by_search(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let added = app
        .post_form(
            "/app/organizations/new",
            &[
                ("name", "Human Rights in China"),
                ("display_name", "HRIC"),
                ("country", "us"),
                ("website", "hrichina.example"),
                ("email", "desk@hric.example"),
            ],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let path = location(&added);
    let second = app
        .post_form(
            &format!("{path}/contacts"),
            &[
                ("email", "press@hric.example"),
                ("contact_name", "Press desk"),
            ],
        )
        .await;
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    let page = app.get(&path).await.text().await.unwrap();
    assert!(page.contains("desk@hric.example") && page.contains("Press desk, press@hric.example"));
    assert!(page.contains(r#"value="US""#) && page.contains("https://hrichina.example/"));

    let duplicate = app
        .post_form(
            "/app/organizations/new",
            &[("name", "human rights in  CHINA")],
        )
        .await;
    assert_eq!(duplicate.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        duplicate
            .text()
            .await
            .unwrap()
            .contains("already in the address book")
    );
    let bad = app
        .post_form(
            "/app/organizations/new",
            &[("name", "X"), ("country", "Narnia")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let added = app
        .post_form(
            "/app/organizations/new",
            &[("name", "Civil Rights Defenders"), ("country", "Suède")],
        )
        .await;
    assert_eq!(
        added.status(),
        StatusCode::SEE_OTHER,
        "Civil Rights Defenders is added"
    );
    let by_email = app
        .get("/app/organizations?q=press%40hric")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        by_email.contains("Human Rights in China") && !by_email.contains("Civil Rights Defenders"),
        "search by a contact's email"
    );
    let by_name = app
        .get("/app/organizations?q=DEFENDERS")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        by_name.contains("Civil Rights Defenders") && !by_name.contains("Human Rights in China")
    );
    assert!(
        by_name.contains("<td>SE</td>"),
        "a country typed as its French name is kept as its code"
    );
    let actions = app.audit_actions().await;
    assert!(
        actions.iter().any(|a| a == "organization.contact_added"),
        "{actions:?}"
    );
    let none = app
        .get("/app/organizations?q=%25")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !none.contains("Civil Rights Defenders"),
        "a % in the search is a character, not a wildcard"
    );
}

/// Uploads a CSV file to the import preview, as the form does.
async fn upload(app: &TestApp, csv: &str) -> reqwest::Response {
    let csrf = app.csrf().await;
    let form = Form::new().text("csrf_token", csrf).part(
        "file",
        Part::bytes(csv.as_bytes().to_vec()).file_name("book.csv"),
    );
    app.client
        .post(app.url("/app/organizations/import/preview"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn the_csv_import_previews_every_bad_row_then_imports_the_rest(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let added = app
        .post_form(
            "/app/organizations/new",
            &[("name", "Article 19"), ("email", "info@article19.example")],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER, "Article 19 is added");
    let csv = "\u{feff}Organisation;Email;Country;Website\n\
               Amnesty International;amnesty@example.org;GB;amnesty.example\n\
               ;orphan@example.org;;\n\
               Broken Org;not-an-email;;\n\
               Amnesty International;amnesty@example.org;GB;\n\
               ARTICLE 19;press@article19.example;GB;\n\
               FIDH;fidh@example.org;Atlantis;\n\
               Уйгурский конгресс;wuc@example.org;DE;\n";
    let preview = upload(&app, csv).await;
    assert_eq!(preview.status(), StatusCode::OK);
    let html = preview.text().await.unwrap();
    assert!(html.contains("3 of 7 rows can be imported"), "{html}");
    for problem in [
        "missing name",
        "not a valid email",
        "duplicate",
        "country code",
        "already in the address book",
    ] {
        assert!(html.contains(problem), "the preview names “{problem}”");
    }
    let book = app.get("/app/organizations").await.text().await.unwrap();
    assert!(
        !book.contains("Amnesty International"),
        "the preview wrote nothing"
    );

    let confirmed = app
        .post_form("/app/organizations/import", &[("csv", csv)])
        .await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    let book = app.get("/app/organizations").await.text().await.unwrap();
    assert!(book.contains("3 rows imported"), "{book}");
    assert!(
        book.contains("Amnesty International")
            && book.contains("Уйгурский конгресс")
            && !book.contains("Broken Org")
            && !book.contains("FIDH")
    );
    assert!(
        book.contains("info@article19.example, press@article19.example"),
        "the existing organization got the new contact"
    );

    let actions = app.audit_actions().await;
    for action in ["organization.created", "organizations.imported"] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} is audited: {actions:?}"
        );
    }
    let not_csv = upload(&app, "just some words\nwithout columns\n").await;
    assert_eq!(not_csv.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let csrf = csrf_of(
        &app.get("/app/organizations/import")
            .await
            .text()
            .await
            .unwrap(),
    );
    assert!(!csrf.is_empty());
}
