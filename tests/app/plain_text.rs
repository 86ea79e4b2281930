//! The released letter as plain text (`/letters/{slug}.txt`), written from the Markdown of the
//! version that was released: blocks, list markers, plain words for emphasis, links with their
//! address, and the author's line breaks.

use reqwest::{Method, StatusCode};
use serde_json::json;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::answer;
use crate::support::{Backend, TestApp};

storage_test!(the_text_is_written_from_the_released_markdown);

const MARKDOWN: &str = "## Our demands\n\nWe **urge** you to:\n\n1. close the camps;\n\
                        2. allow *independent* access.\n\nSee [the report](https://example.org/report)\n\
                        and the annex.  \nSigned in Geneva.";

const TEXT: &str = "Our demands\n\nWe urge you to:\n\n1. close the camps;\n\
                    2. allow independent access.\n\nSee the report <https://example.org/report>\n\
                    and the annex.\nSigned in Geneva.\n\nSignatories:\n- World Uyghur Congress\n";

async fn the_text_is_written_from_the_released_markdown(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let id = NewLetter::new()
        .organizations(&[("World Uyghur Congress", "lead")])
        .create(&app, &admin)
        .await
        .id;
    // The released text is version 2, not the first draft.
    let (status, edited) = app
        .api(
            Method::PUT,
            &format!("/letters/{id}"),
            &admin,
            Some(json!({ "body_markdown": MARKDOWN, "change": "substantive" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["version"], 2);
    answer(&app, "World Uyghur Congress", "sign").await;
    release_now(&app, &admin, &id).await;
    let slug = edited["slug"].as_str().expect("a slug");

    let response = app.get(&format!("/letters/{slug}.txt")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("a content type")
            .starts_with("text/plain; charset=utf-8")
    );
    let text = response.text().await.expect("a body");
    assert!(
        text.starts_with("Joint Letter on Xinjiang\n\nTo António Guterres\nPublished "),
        "{text}"
    );
    assert!(text.contains(TEXT), "{text}");
    assert!(!text.contains("We urge you to act."), "{text}");
    let sha = edited["content_sha256"].as_str().expect("a SHA-256");
    assert!(
        text.ends_with(&format!("\nSHA-256 of the text: {sha}\n")),
        "{text}"
    );
}
