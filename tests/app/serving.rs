//! Serving basics: probes, the home page, static files, error pages and the headers every
//! answer carries.

use reqwest::StatusCode;
use serde_json::Value;

use crate::storage_test;
use crate::support::{Backend, TestApp};

storage_test!(
    probes_report_the_process_and_the_database,
    home_page_names_the_product_with_security_headers,
    static_files_carry_cache_headers_and_revalidate,
    unknown_paths_answer_a_page_or_json,
);

async fn probes_report_the_process_and_the_database(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alive = app.get("/healthz").await;
    assert_eq!(alive.status(), StatusCode::OK);

    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
    let body: Value = ready.json().await.unwrap();
    let expected = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(body["database"], expected);
}

async fn home_page_names_the_product_with_security_headers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    let header = |name: &str| {
        headers
            .get(name)
            .unwrap_or_else(|| panic!("missing {name}"))
            .to_str()
            .unwrap()
            .to_string()
    };
    let csp = header("content-security-policy");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("referrer-policy"), "no-referrer");
    assert_eq!(header("x-request-id").len(), 32);
    assert!(header("content-type").starts_with("text/html"));

    let html = response.text().await.unwrap();
    assert!(html.contains("<title>Undersigned"), "{html}");
    assert!(html.contains(r#"name="viewport""#));
    assert!(!html.contains("<script"), "pages work without script");

    let another = app.get("/").await;
    assert_ne!(another.headers()["x-request-id"], headers["x-request-id"]);
}

async fn static_files_carry_cache_headers_and_revalidate(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let html = app.get("/").await.text().await.unwrap();
    let start = html
        .find("/static/style.css?v=")
        .expect("the page links its stylesheet");
    let link = &html[start..start + html[start..].find('"').unwrap()];

    let pinned = app.get(link).await;
    assert_eq!(pinned.status(), StatusCode::OK);
    assert!(
        pinned.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(
        pinned.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let etag = pinned.headers()["etag"].clone();
    assert!(pinned.text().await.unwrap().contains("--accent"));

    let unpinned = app.get("/static/style.css").await;
    assert_eq!(unpinned.headers()["cache-control"], "public, max-age=300");

    let revalidated = app
        .client
        .get(app.url("/static/style.css"))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
    assert!(revalidated.bytes().await.unwrap().is_empty());

    let head = app.client.head(app.url(link)).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);

    assert_eq!(
        app.get("/static/nope.js").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/static/..%2fCargo.toml").await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn unknown_paths_answer_a_page_or_json(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let page = app.get("/no/such/page").await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.headers().contains_key("content-security-policy"));
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Not Found") && html.contains("home page"),
        "{html}"
    );

    // Under /api/ every answer is JSON: 401 before authentication, 404 after.
    let anonymous = app.get("/api/v1/no-such-endpoint").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let token = app.admin_token().await;
    let (status, body) = app
        .api(reqwest::Method::GET, "/no-such-endpoint", &token, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{body}"
    );
}
