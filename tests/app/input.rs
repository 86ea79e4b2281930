//! Input made canonical where it enters, on both databases: names in NFC with single spaces,
//! characters that are not text refused with the field named, one organization per folded
//! name, one contact per mailbox, email domains as their A-label, and API bodies with unknown
//! fields refused. Each test is a fault found by typing what real coordinators and partners type.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::forms::location;
use crate::support::letters::{NewLetter, contact, release_now};
use crate::support::partners::{Partner, answer};
use crate::support::smtp::{SmtpServer, app_delivering_to, smtp_available};
use crate::support::{Backend, TestApp};

storage_test!(
    a_noncharacter_in_the_printed_name_is_refused_and_the_feed_stays_xml,
    one_organization_however_its_name_is_typed,
    one_contact_per_mailbox_whatever_the_case,
    international_domains_are_delivered_as_their_a_label,
    unknown_api_fields_are_refused_by_name,
    text_that_is_not_text_is_refused_with_the_field_named,
);

async fn a_noncharacter_in_the_printed_name_is_refused_and_the_feed_stays_xml(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = NewLetter::new()
        .with("title", "Letter\u{a0}on  Xinjiang")
        .organizations(&[
            ("Uyghur Human Rights Project", "lead"),
            ("Amnesty", "supporting"),
        ])
        .create(&app, &token)
        .await;
    assert_eq!(
        letter.json["title"], "Letter on Xinjiang",
        "NFC, single spaces"
    );

    let mut partner = Partner::open(&app, "Uyghur Human Rights Project").await;
    partner.organization = "Uyghur Human Rights Project\u{FFFE}".into();
    let (status, page) = partner.send("sign").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("contains U+FFFE"),
        "the reason is shown: {page}"
    );
    partner.organization = "\u{202E}tcejorP sthgiR namuH ruhgyU".into();
    let (status, page) = partner.send("sign").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("reading direction (U+202E)"), "{page}");

    answer(&app, "Uyghur Human Rights Project", "sign").await;
    answer(&app, "Amnesty", "sign").await;
    release_now(&app, &token, &letter.id).await;
    let feed = app.get("/letters.atom").await.text().await.unwrap();
    let document = roxmltree::Document::parse(&feed).expect("the feed is well-formed XML");
    let titles: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&"Letter on Xinjiang"), "{titles:?}");
}

async fn one_organization_however_its_name_is_typed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &token).await;
    let precomposed = "Élan Solidaire Genève";
    let decomposed = "E\u{301}lan Solidaire Gene\u{300}ve";
    let (status, answer) = app
        .api(
            Method::POST,
            &format!("/letters/{}/invitations", letter.id),
            &token,
            Some(json!({ "invitations": [
                contact(precomposed, "desk@elan.example"),
                contact(decomposed, "press@elan.example"),
                contact("ÉLAN  SOLIDAIRE GENÈVE", "info@elan.example"),
            ]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(
        answer["invitations"].as_array().unwrap().len(),
        1,
        "{answer}"
    );
    let rejected = answer["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 2, "{answer}");
    assert!(
        rejected
            .iter()
            .all(|r| r.to_string().contains("appears twice")),
        "{answer}"
    );
    assert_eq!(answer["invitations"][0]["organization"], precomposed);

    // The address book finds the same organization, pasted as macOS copies it.
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let duplicate = app
        .post_form("/app/organizations/new", &[("name", decomposed)])
        .await;
    assert_eq!(duplicate.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        duplicate
            .text()
            .await
            .unwrap()
            .contains("already in the address book")
    );
}

async fn one_contact_per_mailbox_whatever_the_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let added = app
        .post_form(
            "/app/organizations/new",
            &[("name", "Gamma Network"), ("email", "Desk@Gamma.example")],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let path = location(&added);
    for email in [
        "desk@gamma.example",
        "DESK@GAMMA.EXAMPLE",
        "dESK@gamma.EXAMPLE",
    ] {
        let again = app
            .post_form(&format!("{path}/contacts"), &[("email", email)])
            .await;
        assert_eq!(again.status(), StatusCode::SEE_OTHER, "{email}");
    }
    let page = app.get(&path).await.text().await.unwrap();
    let listed = page.to_lowercase().matches("desk@gamma.example").count();
    assert_eq!(listed, 1, "one contact for one mailbox: {page}");
    assert!(
        page.contains("Desk@gamma.example"),
        "kept as first typed, domain lowercased"
    );
}

async fn international_domains_are_delivered_as_their_a_label(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = app_delivering_to(backend, &smtp, &[]).await;
    let token = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &token).await;
    let _worker = app.start_worker();
    let made = crate::support::letters::invite(
        &app,
        &token,
        &letter.id,
        vec![contact("Bücherverein", "kontakt@Bücherverein.example")],
    )
    .await;
    assert_eq!(made[0]["email"], "kontakt@xn--bcherverein-thb.example");
    let delivered = smtp
        .wait_for_messages_to(
            "kontakt@xn--bcherverein-thb.example",
            1,
            std::time::Duration::from_secs(15),
        )
        .await;
    assert_eq!(delivered.len(), 1);

    let (status, answer) = app
        .api(
            Method::POST,
            &format!("/letters/{}/invitations", letter.id),
            &token,
            Some(json!({ "invitations": [contact("Jörg e.V.", "jörg@example.org")] })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let reason = answer["details"]["rejected"][0]["error"]
        .as_str()
        .unwrap_or_default();
    assert!(reason.contains("mail.smtputf8"), "{answer}");

    // With a mail server that accepts SMTPUTF8, the address is taken as typed.
    let international = app
        .another_instance(&[("UNDERSIGNED_MAIL__SMTPUTF8", "true")])
        .await;
    let made = crate::support::letters::invite(
        &international,
        &token,
        &letter.id,
        vec![contact("Jörg e.V.", "Jörg@Exämple.org")],
    )
    .await;
    assert_eq!(made[0]["email"], "Jörg@xn--exmple-cua.org");
}

async fn unknown_api_fields_are_refused_by_name(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &token).await;
    let path = format!("/letters/{}", letter.id);
    let (status, answer) = app
        .api(
            Method::PUT,
            &path,
            &token,
            Some(json!({ "show_signatorys": false, "titel": "New title" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let fields = answer["details"]["unknown_fields"].clone();
    assert_eq!(fields, json!(["show_signatorys", "titel"]), "{answer}");
    let (_, unchanged) = app.api(Method::GET, &path, &token, None).await;
    assert_eq!(
        unchanged["title"], letter.json["title"],
        "nothing was changed"
    );
    assert_eq!(
        unchanged["show_signatories"],
        letter.json["show_signatories"]
    );

    let (status, answer) = app
        .api(
            Method::POST,
            &format!("{path}/invitations"),
            &token,
            Some(json!({ "invitations": [
                { "orgnization": "Amnesty", "email": "a@example.org" }
            ]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(
        answer["details"]["unknown_fields"],
        json!(["invitations.0.orgnization"])
    );
    let (_, listed) = app
        .api(Method::GET, &format!("{path}/invitations"), &token, None)
        .await;
    assert_eq!(listed["invitations"], json!([]), "nobody was invited");

    // An embargo with a misspelt field must not become a release now.
    let (status, answer) = app
        .api(
            Method::POST,
            &format!("{path}/release"),
            &token,
            Some(json!({ "at_time": "2030-01-01T10:00:00Z" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
}

async fn text_that_is_not_text_is_refused_with_the_field_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let cases: [(Value, &str); 4] = [
        (
            json!({ "body_markdown": "We urge\u{0} you." }),
            "the letter's text contains the control character U+0000",
        ),
        (
            json!({ "title": "Letter\u{FFFF}" }),
            "the title contains U+FFFF",
        ),
        (
            json!({ "addressee": "\u{2066}Secretary-General\u{2069}" }),
            "the addressee contains an invisible character",
        ),
        (
            json!({ "title": "Two\nlines" }),
            "the title must be a single line",
        ),
    ];
    for (fields, message) in cases {
        let mut body = json!({
            "title": "Joint letter",
            "addressee": "Secretary-General",
            "body_markdown": "We urge you.",
        });
        for (key, value) in fields.as_object().unwrap() {
            body[key] = value.clone();
        }
        let (status, answer) = app.api(Method::POST, "/letters", &token, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(
            answer["error"]
                .as_str()
                .unwrap_or_default()
                .contains(message),
            "{message}: {answer}"
        );
    }
    let (status, created) = app
        .api(
            Method::POST,
            "/letters",
            &token,
            Some(json!({
                "title": "Joint letter",
                "addressee": "Secretary-General",
                "body_markdown": "\r\n\r\nFirst line\r\n\twith a tab\r\n\r\n",
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["body_markdown"], "First line\n\twith a tab");
}
