//! Browsers for tests that speak HTTP like a person: each with its own cookie jar, none
//! following redirects (so that a test sees every `303` and its `Location`).

use reqwest::header::HeaderMap;
use reqwest::{Client, ClientBuilder};

use super::TestApp;

/// The common ground of every browser here: redirects are answers to look at, not to follow.
/// No redirects followed (tests look at them), and idle connections given up after two
/// seconds: the app closes a keep-alive connection after five idle seconds, and a request sent
/// on a connection in the very moment it closes is reset, on a busy machine now and then.
fn builder() -> ClientBuilder {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(std::time::Duration::from_secs(2))
}

/// A browser with a cookie jar of its own.
pub fn browser() -> Client {
    builder().cookie_store(true).build().expect("a browser")
}

/// A browser of its own whose person reads these languages (`Accept-Language`).
pub fn browser_speaking(accept_language: &str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert(
        "accept-language",
        accept_language.parse().expect("a header value"),
    );
    builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .expect("a browser")
}

/// A client that keeps no cookies, as a mail scanner or a link checker opens links.
pub fn browser_without_cookies() -> Client {
    builder().build().expect("a client without cookies")
}

/// A browser of its own that sends `X-Forwarded-For: forwarded_for` with every request, as a
/// reverse proxy in front of the app would.
pub fn browser_forwarded_as(forwarded_for: &str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-forwarded-for",
        forwarded_for.parse().expect("a header value"),
    );
    builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .expect("a browser behind a proxy")
}

impl TestApp {
    /// A second browser (its own cookie jar) on the same app.
    pub fn new_browser(&self) -> Client {
        browser()
    }
}
