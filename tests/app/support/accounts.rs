//! Helpers of the account recovery tests: links in emails, forms behind them, TOTP codes
//! computed the way an authenticator app computes them.

use reqwest::{Client, Response, StatusCode};
use totp_rs::{Algorithm, Secret, TOTP};

use super::TestApp;
use super::forms::csrf_of;

/// The first link in `text` that starts with the app's base URL and `path`.
pub fn link_in(app: &TestApp, text: &str, path: &str) -> String {
    let prefix = app.url(path);
    let start = text
        .find(&prefix)
        .unwrap_or_else(|| panic!("a link to {prefix} in {text}"));
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .next()
        .unwrap()
        .to_string()
}

/// Opens a page in a browser: its status and body.
pub async fn open(browser: &Client, url: &str) -> (StatusCode, String) {
    let response = browser.get(url).send().await.expect("GET");
    let status = response.status();
    (status, response.text().await.unwrap())
}

/// Fills the form of the page at `url` (opened first, for its CSRF token) and posts it there.
pub async fn post_on_page(
    browser: &Client,
    url: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> Response {
    let (_, page) = open(browser, url).await;
    let csrf = csrf_of(&page);
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(fields);
    browser.post(action).form(&all).send().await.expect("POST")
}

/// The 6-digit code of a base32 secret at the app's current time (`step` steps of 30 s later).
pub fn totp_code(app: &TestApp, secret_base32: &str, step: i64) -> String {
    let secret = Secret::Encoded(secret_base32.to_string())
        .to_bytes()
        .unwrap();
    let totp = TOTP::new(Algorithm::SHA1, 6, 1, 30, secret, None, "t".into()).unwrap();
    let now = app.clock.now().and_utc().timestamp() + step * 30;
    totp.generate(now as u64)
}

/// The TOTP secret shown on an enrolment page.
pub fn secret_on(page: &str) -> String {
    let marker = r#"id="totp-secret">"#;
    let start = page.find(marker).expect("the secret on the page") + marker.len();
    page[start..].split('<').next().unwrap().to_string()
}

/// The recovery codes shown once.
pub fn recovery_codes_on(page: &str) -> Vec<String> {
    let list = page
        .split(r#"class="recovery-codes""#)
        .nth(1)
        .expect("recovery codes");
    list.split("<code>")
        .skip(1)
        .map(|c| c.split('<').next().unwrap().to_string())
        .collect()
}

/// The path of the newest working link of this purpose (`invitation`, `password_reset`) sent to
/// the account, derived from the server secret as its email derives it.
pub async fn emailed_link_path(
    app: &TestApp,
    email: &'static str,
    purpose: &'static str,
) -> String {
    use diesel::prelude::*;
    use undersigned::db::schema::{account_links, users};
    let (id, nonce) = app
        .in_database(move |conn| {
            account_links::table
                .inner_join(users::table)
                .filter(users::email.eq(email))
                .filter(account_links::purpose.eq(purpose))
                .filter(account_links::used_at.is_null())
                .order(account_links::created_at.desc())
                .select((account_links::id, account_links::nonce))
                .first::<(String, String)>(conn)
                .expect("a link was sent")
        })
        .await;
    let token = app.context.secrets.account_link_token(&id, &nonce);
    match purpose {
        "invitation" => format!("/welcome/{token}"),
        _ => format!("/password/reset/{token}"),
    }
}
