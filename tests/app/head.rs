//! HEAD answers like GET on every address (link checkers and uptime monitors use it): the same
//! status and headers, Content-Length included, and no body on the wire.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::browsers::browser_without_cookies;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::{answer, sign_path_of};
use crate::support::{Backend, TestApp};

storage_test!(
    head_answers_no_body_on_the_wire,
    head_answers_with_the_status_and_headers_of_get,
);

/// Headers that differ between any two answers (a fresh request id, the time), left out of the
/// comparison. Of a cookie (a new CSRF or sign cookie each time) only the name is compared.
const PER_ANSWER: [&str; 2] = ["date", "x-request-id"];

/// The status and the headers that do not change from answer to answer (asked without
/// cookies, so that HEAD and GET arrive alike).
async fn answer_to(
    app: &TestApp,
    method: Method,
    path: &str,
) -> (StatusCode, Vec<(String, String)>) {
    let response = browser_without_cookies()
        .request(method, app.url(path))
        .send()
        .await
        .expect("a request");
    (response.status(), stable_headers(response.headers()))
}

/// The headers of an answer, less those that change each time, sorted.
fn stable_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut stable: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| !PER_ANSWER.contains(&name.as_str()))
        .map(|(name, value)| {
            let value = value.to_str().expect("a readable header");
            let value = match name.as_str() {
                "set-cookie" => value.split('=').next().unwrap_or_default(),
                _ => value,
            };
            (name.to_string(), value.to_string())
        })
        .collect();
    stable.sort();
    stable
}

/// The value of one of those headers.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

async fn head_answers_no_body_on_the_wire(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let authority = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(authority)
        .await
        .expect("connect to the app");
    stream
        .write_all(b"HEAD /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("send the request");
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .await
        .expect("read until the server closes");
    let raw = String::from_utf8(raw).expect("an HTTP/1.1 answer is text");
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .expect("a blank line after the headers");
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert_eq!(body, "", "no body after the headers");
    let length = head
        .lines()
        .find_map(|line| {
            line.to_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_string)
        })
        .expect("a Content-Length");
    let get_body = app.get("/readyz").await.bytes().await.expect("GET's body");
    assert_eq!(length, get_body.len().to_string(), "GET's Content-Length");
}

async fn head_answers_with_the_status_and_headers_of_get(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let letter = NewLetter::new()
        .organizations(&[
            ("World Uyghur Congress", "lead"),
            ("Silent Org", "supporting"),
        ])
        .create(&app, &admin)
        .await;
    let (id, slug) = (letter.id, letter.slug);
    answer(&app, "World Uyghur Congress", "sign").await;
    release_now(&app, &admin, &id).await;

    let home = app.get("/").await.text().await.expect("the home page");
    let stylesheet_at = home.find("/static/style.css").expect("a stylesheet link");
    let stylesheet = &home[stylesheet_at..stylesheet_at + home[stylesheet_at..].find('"').unwrap()];
    let paths = [
        format!("/letters/{slug}"),
        format!("/letters/{slug}.json"),
        format!("/letters/{slug}.txt"),
        format!("/letters/{slug}.pdf"),
        format!("/letters/{slug}/signatories.csv"),
        "/letters.atom".to_string(),
        "/".to_string(),
        stylesheet.to_string(),
        "/login".to_string(),
        "/app".to_string(),
        "/readyz".to_string(),
        "/healthz".to_string(),
        "/no/such/page".to_string(),
    ];
    for path in &paths {
        let (head_status, head_headers) = answer_to(&app, Method::HEAD, path).await;
        let (get_status, get_headers) = answer_to(&app, Method::GET, path).await;
        assert_eq!(head_status, get_status, "HEAD {path}");
        assert_eq!(head_headers, get_headers, "HEAD {path}");
    }
    let page = answer_to(&app, Method::HEAD, &format!("/letters/{slug}")).await;
    assert_eq!(page.0, StatusCode::OK);
    for name in ["content-type", "content-length", "etag", "cache-control"] {
        assert!(header(&page.1, name).is_some(), "{name}: {:?}", page.1);
    }
    let missing = answer_to(&app, Method::HEAD, "/no/such/page").await;
    assert_eq!(missing.0, StatusCode::NOT_FOUND);
    let login_required = answer_to(&app, Method::HEAD, "/app").await;
    assert!(
        header(&login_required.1, "location").is_some(),
        "a redirect keeps its Location"
    );

    let link = sign_path_of(&app, "Silent Org").await;
    let head = answer_to(&app, Method::HEAD, &link).await;
    let get = answer_to(&app, Method::GET, &link).await;
    assert_eq!(head, get, "a sign link answers HEAD like GET");
    assert_eq!(head.0, StatusCode::SEE_OTHER);
    assert_eq!(header(&head.1, "location"), Some("/sign"));
    let unknown = format!("/sign/{}", "A".repeat(43));
    assert_eq!(
        answer_to(&app, Method::HEAD, &unknown).await.0,
        StatusCode::NOT_FOUND
    );
}
