//! A released letter's encodings and revalidation as HTTP clients ask for them: the coding
//! named in `Accept-Encoding` with the best quality (never one with `q=0`), and 304 for an
//! `If-None-Match` that holds the ETag in a list, as a weak validator, or as `*`.

use std::io::Read;

use reqwest::header::HeaderMap;
use reqwest::{Client, Method, StatusCode};

use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::answer;
use crate::support::{Backend, TestApp};

storage_test!(
    each_reader_gets_an_encoding_it_accepts_and_the_same_bytes,
    any_if_none_match_that_holds_the_tag_is_answered_304,
);

/// A released letter's slug (one lead organization, signed).
async fn released_letter(app: &TestApp) -> String {
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let id = NewLetter::new()
        .organizations(&[("World Uyghur Congress", "lead")])
        .create(app, &admin)
        .await
        .id;
    answer(app, "World Uyghur Congress", "sign").await;
    release_now(app, &admin, &id).await;
    let (_, letter) = app
        .api(Method::GET, &format!("/letters/{id}"), &admin, None)
        .await;
    letter["slug"].as_str().expect("a slug").to_string()
}

/// A client that sends only the headers it is told to (no cookies, no Accept-Encoding).
fn plain_client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

async fn fetch(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = plain_client().get(app.url(path));
    for &(name, value) in headers {
        request = request.header(name, value);
    }
    let response = request.send().await.expect("an answer");
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.bytes().await.expect("a body").to_vec();
    (status, headers, body)
}

fn content_encoding(headers: &HeaderMap) -> Option<String> {
    headers
        .get("content-encoding")
        .map(|v| v.to_str().expect("a readable header").to_string())
}

/// The body with its content coding undone.
fn decoded(encoding: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        None => out.extend_from_slice(body),
        Some("gzip") => {
            flate2::read::GzDecoder::new(body)
                .read_to_end(&mut out)
                .expect("gzip");
        }
        Some("br") => brotli::BrotliDecompress(&mut &body[..], &mut out).expect("brotli"),
        Some(other) => panic!("unexpected coding {other}"),
    }
    out
}

async fn each_reader_gets_an_encoding_it_accepts_and_the_same_bytes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let slug = released_letter(&app).await;
    for path in [format!("/letters/{slug}"), format!("/letters/{slug}.json")] {
        let (status, headers, plain) = fetch(&app, &path, &[]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(
            content_encoding(&headers),
            None,
            "{path} without Accept-Encoding"
        );
        for (accept, expected) in [
            ("br;q=0, gzip", &["gzip"][..]),
            ("gzip;q=0", &[][..]),
            ("br", &["br"][..]),
            ("gzip, br", &["br"][..]),
            ("br;q=0.5, gzip;q=0.9", &["gzip"][..]),
            ("*", &["br", "gzip"][..]),
            ("*, br;q=0", &["gzip"][..]),
            ("*;q=0", &[][..]),
            ("identity", &[][..]),
        ] {
            let (status, headers, body) = fetch(&app, &path, &[("accept-encoding", accept)]).await;
            assert_eq!(status, StatusCode::OK, "{path} {accept}");
            let encoding = content_encoding(&headers);
            match encoding.as_deref() {
                None => assert!(expected.is_empty(), "{path} {accept}: identity"),
                Some(coding) => assert!(expected.contains(&coding), "{path} {accept}: {coding}"),
            }
            assert_eq!(headers["vary"], "Accept-Encoding", "{path} {accept}");
            assert_eq!(
                decoded(encoding.as_deref(), &body),
                plain,
                "{path} {accept}: the same bytes"
            );
        }
    }
}

async fn any_if_none_match_that_holds_the_tag_is_answered_304(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let slug = released_letter(&app).await;
    let path = format!("/letters/{slug}");
    let (_, headers, _) = fetch(&app, &path, &[]).await;
    let etag = headers["etag"].to_str().expect("an ETag").to_string();
    let modified = headers["last-modified"]
        .to_str()
        .expect("a date")
        .to_string();
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "a strong tag: {etag}"
    );

    let list = format!(r#""0000", {etag}, "ffff""#);
    let weak = format!("W/{etag}");
    for held in [etag.as_str(), &list, &weak, "*"] {
        let (status, headers, body) = fetch(&app, &path, &[("if-none-match", held)]).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "If-None-Match: {held}");
        assert_eq!(headers["etag"], etag.as_str(), "If-None-Match: {held}");
        assert!(body.is_empty(), "If-None-Match: {held}");
    }

    // A tag that does not match wins over a date that would: the page is sent.
    for other in [r#""0000""#, r#"W/"0000", "ffff""#] {
        let (status, _, body) = fetch(
            &app,
            &path,
            &[("if-none-match", other), ("if-modified-since", &modified)],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "If-None-Match: {other}");
        assert!(!body.is_empty());
    }
    let (status, _, _) = fetch(&app, &path, &[("if-modified-since", &modified)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED, "by date alone");
}
