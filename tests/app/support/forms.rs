//! Forms as a browser without JavaScript fills them: the fields a page carries (its CSRF token,
//! hidden fields), the `Location` of the answer, and the login form.

use reqwest::{Client, Response, StatusCode};
use undersigned::domain::Role;

use super::{PASSWORD, TestApp};

/// The value of the first `<input name="csrf_token" value="…">` of a page.
pub fn csrf_of(html: &str) -> String {
    field_value(html, "csrf_token").unwrap_or_else(|| panic!("no form with a CSRF token in {html}"))
}

/// The value of the first `<input name="{name}" value="…">` of a page (hidden fields, and
/// text fields filled in by the server).
pub fn hidden_field(html: &str, name: &str) -> String {
    field_value(html, name).unwrap_or_else(|| panic!("no {name} in {html}"))
}

/// The value of the first input named `name`, if the page has one.
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// The `Location` of a redirect ("" when there is none).
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().expect("a readable Location").to_string())
        .unwrap_or_default()
}

impl TestApp {
    /// The CSRF token of this app's browser (the client's cookie jar), fetched from a page.
    pub async fn csrf(&self) -> String {
        let page = self.get("/login").await;
        csrf_of(&page.text().await.expect("the login page"))
    }

    /// Posts a form like a browser, with this browser's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str())];
        all.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    /// Creates an account with this role and logs this app's browser in as it.
    pub async fn login_as(&self, email: &str, role: Role) {
        self.api_token(email, role).await;
        let status = self.log_in(&self.client, email, PASSWORD).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "login as {email}");
    }

    /// Logs a browser in through the login form (its page first, for the CSRF token); returns
    /// the answer's status.
    pub async fn log_in(&self, browser: &Client, email: &str, password: &str) -> StatusCode {
        let page = browser
            .get(self.url("/login"))
            .send()
            .await
            .expect("GET /login")
            .text()
            .await
            .expect("the login page");
        let csrf = csrf_of(&page);
        browser
            .post(self.url("/login"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .expect("POST /login")
            .status()
    }
}

impl TestApp {
    /// Uploads `bytes` as the `file` field of a multipart form to `path`, with this browser's
    /// CSRF token, as a file input sends it.
    pub async fn upload(&self, path: &str, bytes: Vec<u8>) -> Response {
        let csrf = self.csrf().await;
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", csrf)
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("partners.csv"),
            );
        self.client
            .post(self.url(path))
            .multipart(form)
            .send()
            .await
            .expect("POST with a file")
    }
}

/// The text of the first `<textarea … name="{name}" …>` of a page, as a browser submits it
/// (entities decoded).
pub fn textarea(html: &str, name: &str) -> String {
    let attribute = format!(r#"name="{name}""#);
    let start = html
        .match_indices("<textarea")
        .map(|(at, _)| at)
        .find(|&at| {
            let tag_end = at + html[at..].find('>').expect("the end of the tag");
            html[at..tag_end].contains(&attribute)
        })
        .unwrap_or_else(|| panic!("no textarea {name} in {html}"));
    let start = start + html[start..].find('>').expect("the end of the tag") + 1;
    let end = start + html[start..].find("</textarea>").expect("</textarea>");
    unescape(&html[start..end])
}

/// Decodes the entities an HTML template writes: `&amp;`, `&lt;`, `&gt;`, `&quot;` and
/// numeric ones.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

impl TestApp {
    /// Presses a button of an invitation review page as a browser would: `action` "send"
    /// sends the batch the page carries, "preview" shows the email again; `message` is typed
    /// into the personal message box first.
    pub async fn submit_review(&self, review: &str, action: &str, message: &str) -> Response {
        let end = review
            .find(r#"/invite/send""#)
            .unwrap_or_else(|| panic!("no review form in {review}"));
        let start = review[..end]
            .rfind(r#"action=""#)
            .expect("the form's action")
            + 8;
        let path = format!("{}/invite/send", &review[start..end]);
        let batch = unescape(&hidden_field(review, "batch"));
        let csrf = csrf_of(review);
        self.client
            .post(self.url(&path))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("batch", batch.as_str()),
                ("message", message),
                ("action", action),
            ])
            .send()
            .await
            .expect("POST the review form")
    }
}
