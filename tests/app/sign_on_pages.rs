//! Open sign-on through its pages: a coordinator decides on the letter's requests page (the
//! ticked ones together, one row's button, always after a confirmation page; a rejection needs
//! its reason), and a visitor on a 375-pixel phone fills in the join page in headless Chromium
//! and confirms by the emailed link's button, each page fitting the screen and passing axe.

use fantoccini::Locator;
use reqwest::StatusCode;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::axe::assert_accessible;
use crate::support::chromium::{assert_fits, browser, wait_for_text};
use crate::support::letters::NewLetter;
use crate::support::sign_on::{
    ask_to_join, confirm_by_link, open_sign_on, request_id, requests, written_confirmation_link,
};
use crate::support::sized_browser::screenshot;
use crate::support::{Backend, TestApp};

storage_test!(
    coordinators_decide_on_the_requests_page,
    a_visitor_asks_to_join_on_a_phone,
);

/// Asks to join as an organization (or an individual, without a contact) and confirms.
async fn confirmed_request(app: &TestApp, slug: &str, name: &str, email: &str, kind: &str) {
    let mut fields = vec![("name", name), ("email", email)];
    if kind == "organization" {
        fields.push(("contact_name", "Pat Contact"));
    }
    let sent = ask_to_join(app, slug, kind, &fields).await;
    assert_eq!(sent.status(), StatusCode::OK);
    let link = written_confirmation_link(app, email).await;
    confirm_by_link(app, &link).await;
}

async fn status_of(app: &TestApp, admin: &str, letter_id: &str, name: &str) -> String {
    requests(app, admin, letter_id)
        .await
        .into_iter()
        .find(|r| r["name"] == name)
        .unwrap()["status"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn coordinators_decide_on_the_requests_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Amnesty International", "lead")])
        .create(&app, &admin)
        .await;
    open_sign_on(&app, &admin, &letter.id).await;
    confirmed_request(
        &app,
        &letter.slug,
        "First Joiner",
        "one@first.example",
        "organization",
    )
    .await;
    confirmed_request(
        &app,
        &letter.slug,
        "Second Joiner",
        "two@gmail.com",
        "organization",
    )
    .await;
    confirmed_request(
        &app,
        &letter.slug,
        "Ines Person",
        "ines@people.example",
        "individual",
    )
    .await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;

    let dashboard = app
        .get(&format!("/app/letters/{}", letter.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        dashboard.contains("Requests to join (3 waiting)"),
        "{dashboard}"
    );
    let path = format!("/app/letters/{}/requests", letter.id);
    let page = app.get(&path).await.text().await.unwrap();
    assert!(page.contains("Waiting for a decision (3)"), "{page}");
    assert!(page.contains("A free email address"));
    assert!(page.contains("individual"));

    let (first, second, person) = (
        request_id(&app, &admin, &letter.id, "First Joiner").await,
        request_id(&app, &admin, &letter.id, "Second Joiner").await,
        request_id(&app, &admin, &letter.id, "Ines Person").await,
    );
    // A rejection needs the reason the requester is told.
    let no_reason = app
        .post_form(
            &path,
            &[("action", "reject"), ("ids", &second), ("reason", " ")],
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason
            .text()
            .await
            .unwrap()
            .contains(r#"id="reason-error""#)
    );

    // The ticked ones: a confirmation page first, nothing decided yet.
    let ask = app
        .post_form(
            &path,
            &[("action", "approve"), ("ids", &first), ("ids", &person)],
        )
        .await;
    assert_eq!(ask.status(), StatusCode::OK);
    let ask = ask.text().await.unwrap();
    assert!(ask.contains("Approve 2 requests?"), "{ask}");
    assert!(ask.contains("First Joiner") && ask.contains("Ines Person"));
    assert_eq!(
        status_of(&app, &admin, &letter.id, "First Joiner").await,
        "pending"
    );
    let done = app
        .post_form(
            &path,
            &[
                ("action", "approve"),
                ("ids", &first),
                ("ids", &person),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        status_of(&app, &admin, &letter.id, "First Joiner").await,
        "approved"
    );
    assert_eq!(
        status_of(&app, &admin, &letter.id, "Ines Person").await,
        "approved"
    );

    // One row's button, with the reason typed.
    let reason = "We list only organizations working in the region.";
    let ask = app
        .post_form(&path, &[("reject_one", &second), ("reason", reason)])
        .await;
    assert!(ask.text().await.unwrap().contains("Reject 1 request?"));
    let done = app
        .post_form(
            &path,
            &[
                ("reject_one", &second),
                ("reason", reason),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let rejected = requests(&app, &admin, &letter.id)
        .await
        .into_iter()
        .find(|r| r["id"] == second.as_str())
        .unwrap();
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["reason"], reason);
    let page = app.get(&path).await.text().await.unwrap();
    assert!(page.contains("Waiting for a decision (0)"), "{page}");
    assert!(page.contains("Decided (3)"));
}

async fn a_visitor_asks_to_join_on_a_phone(backend: Backend) {
    let Some(browser) = browser().await else {
        return;
    };
    let app = TestApp::spawn_with(
        backend,
        &[("UNDERSIGNED_SECURITY__JOIN_MIN_FILL_SECONDS", "0")],
    )
    .await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Amnesty International", "lead")])
        .create(&app, &admin)
        .await;
    open_sign_on(&app, &admin, &letter.id).await;
    let c = &browser.client;
    c.goto(&app.url(&format!("/letters/{}/join", letter.slug)))
        .await
        .unwrap();
    wait_for_text(c, "Ask to add your organization").await;
    assert_fits(c, "the join page").await;
    assert_accessible(c, "join page").await;
    screenshot(c, "join-375").await;
    for (field, value) in [
        ("name", "Réseau des Défenseurs du Sahel"),
        ("contact_name", "Mariam Traoré"),
        ("title", "Coordinator"),
        ("country", "Mali"),
        ("email", "mariam@reseau-sahel.example"),
    ] {
        c.find(Locator::Id(field))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "Check your email").await;
    assert_fits(c, "the page after sending").await;

    let link = written_confirmation_link(&app, "mariam@reseau-sahel.example").await;
    c.goto(&link).await.unwrap();
    wait_for_text(c, "Confirm your request").await;
    assert_fits(c, "the confirmation page").await;
    assert_accessible(c, "join confirmation page").await;
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "Your request is confirmed").await;
    screenshot(c, "join-confirmed-375").await;
    let listed = requests(&app, &admin, &letter.id).await;
    assert_eq!(listed[0]["status"], "pending");
    assert_eq!(listed[0]["country"], "ML");
}
