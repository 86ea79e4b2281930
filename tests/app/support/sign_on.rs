//! Open sign-on as a requester and a coordinator use it: turning it on for a letter, filling in
//! the join page like a browser without JavaScript (after the least fill time, by the test
//! clock), following the emailed confirmation link and pressing its button, and approving.

use std::time::{Duration, Instant};

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use super::TestApp;
use super::browsers::browser;
use super::forms::{csrf_of, hidden_field};

/// Turns open sign-on on for the letter, with individuals accepted.
pub async fn open_sign_on(app: &TestApp, admin: &str, letter_id: &str) {
    app.api_expecting(
        StatusCode::OK,
        Method::PUT,
        &format!("/letters/{letter_id}"),
        admin,
        Some(json!({ "open_sign_on": true, "accept_individuals": true })),
    )
    .await;
}

/// Opens the join page (for `kind` "organization" or "individual") in a fresh browser, lets
/// the least fill time pass on the app's clock, and sends the form with `fields`.
pub async fn ask_to_join(
    app: &TestApp,
    slug: &str,
    kind: &str,
    fields: &[(&str, &str)],
) -> Response {
    let client = browser();
    let page_path = match kind {
        "individual" => format!("/letters/{slug}/join?as=individual"),
        _ => format!("/letters/{slug}/join"),
    };
    let page = client.get(app.url(&page_path)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "the join page opens");
    let html = page.text().await.unwrap();
    app.clock.advance(chrono::TimeDelta::seconds(5));
    let (csrf, shown_at, proof) = (
        csrf_of(&html),
        hidden_field(&html, "shown_at"),
        hidden_field(&html, "proof"),
    );
    let mut form: Vec<(&str, &str)> = vec![
        ("csrf_token", &csrf),
        ("kind", kind),
        ("shown_at", &shown_at),
        ("proof", &proof),
        ("homepage", ""),
    ];
    form.extend_from_slice(fields);
    client
        .post(app.url(&format!("/letters/{slug}/join")))
        .form(&form)
        .send()
        .await
        .unwrap()
}

/// The confirmation link in a message's text.
pub fn confirmation_link_in(text: &str) -> String {
    let start = text.find("http").and_then(|_| text.find("/join/confirm/"));
    let start = start.expect("a confirmation link in the email");
    let begin = text[..start].rfind("http").expect("the link's scheme");
    let end = text[start..]
        .find(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .map_or(text.len(), |n| start + n);
    text[begin..end].to_string()
}

/// Opens a confirmation link in a fresh browser (a GET confirms nothing) and presses its
/// button; returns the page after it.
pub async fn confirm_by_link(app: &TestApp, link: &str) -> String {
    let client = browser();
    let page = client.get(link).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "the confirmation page opens");
    let html = page.text().await.unwrap();
    assert!(html.contains("Confirm my request"), "{html}");
    let path = link.trim_start_matches(&app.url(""));
    let done = client
        .post(app.url(path))
        .form(&[("csrf_token", csrf_of(&html).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    done.text().await.unwrap()
}

/// The confirmation link the app wrote for `email` through its file transport (an app started
/// without an SMTP server writes `.eml` files): a worker delivers the queue, then the newest
/// message to that address is read.
pub async fn written_confirmation_link(app: &TestApp, email: &str) -> String {
    let worker = app.start_worker();
    let folder = app.database.data_dir().join("mail");
    let deadline = Instant::now() + Duration::from_secs(20);
    let link = loop {
        let found = std::fs::read_dir(&folder)
            .into_iter()
            .flatten()
            .filter_map(|entry| std::fs::read_to_string(entry.ok()?.path()).ok())
            .map(|message| message.replace("=\r\n", "").replace("=3D", "="))
            .filter(|message| {
                message.contains(&format!("<{email}>")) && message.contains("/join/confirm/")
            })
            .last();
        if let Some(message) = found {
            break confirmation_link_in(&message);
        }
        assert!(
            Instant::now() < deadline,
            "no confirmation email to {email}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    worker.stop().await;
    link
}

/// The letter's requests as the API lists them.
pub async fn requests(app: &TestApp, admin: &str, letter_id: &str) -> Vec<Value> {
    let listed = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{letter_id}/requests"),
            admin,
            None,
        )
        .await;
    listed["requests"].as_array().unwrap().clone()
}

/// The id of the letter's request with this name.
pub async fn request_id(app: &TestApp, admin: &str, letter_id: &str, name: &str) -> String {
    requests(app, admin, letter_id)
        .await
        .into_iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no request of {name}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// An individual who asked to sign the letter, confirmed by the emailed link and was approved
/// by the admin: sign-on is turned on, the join page filled in, the link followed. For an app
/// without an SMTP server (the link is read from its `.eml` files).
pub async fn approved_individual(
    app: &TestApp,
    admin: &str,
    letter_id: &str,
    name: &str,
    title: &str,
    affiliation: &str,
    country: &str,
) {
    open_sign_on(app, admin, letter_id).await;
    let letter = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{letter_id}"),
            admin,
            None,
        )
        .await;
    let slug = letter["slug"].as_str().unwrap();
    // An address of the name's bytes: any name (Zoé, 李) makes a valid, distinct one.
    let email = format!(
        "person-{}@people.example.org",
        name.bytes().map(|b| format!("{b:02x}")).collect::<String>()
    );
    let sent = ask_to_join(
        app,
        slug,
        "individual",
        &[
            ("name", name),
            ("title", title),
            ("affiliation", affiliation),
            ("country", country),
            ("email", &email),
        ],
    )
    .await;
    assert_eq!(
        sent.status(),
        StatusCode::OK,
        "{}",
        sent.text().await.unwrap()
    );
    let link = written_confirmation_link(app, &email).await;
    confirm_by_link(app, &link).await;
    let id = request_id(app, admin, letter_id, name).await;
    app.api_expecting(
        StatusCode::OK,
        Method::POST,
        &format!("/requests/{id}/approve"),
        admin,
        None,
    )
    .await;
}
