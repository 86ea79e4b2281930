//! Requests to the JSON API v1 of a running instance, with a bearer token: the answer as it
//! came, or (for a step the test builds on) the body of an answer whose status was checked.

use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

/// Sends JSON (or nothing, for `None`) to `{base}/api/v1{path}`; returns status and body
/// (`Null` for an empty body).
pub async fn request(
    client: &Client,
    base: &str,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = client
        .request(method.clone(), format!("{base}/api/v1{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let status = response.status();
    let text = response.text().await.expect("the API's answer");
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{method} {path} answered {status}, not JSON: {text}"))
    };
    (status, json)
}

/// Like `request`, for a step that must succeed: fails the test, naming the request and
/// showing the answer, unless the status is `expected`; returns the body.
pub async fn expecting(
    client: &Client,
    base: &str,
    expected: StatusCode,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Value {
    let (status, answer) = request(client, base, method.clone(), path, token, body).await;
    assert_eq!(status, expected, "{method} {path} answered {answer}");
    answer
}
