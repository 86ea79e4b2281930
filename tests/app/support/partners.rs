//! Partners as they answer: the sign link an organization's email carries (derived from the
//! server secret as the worker derives it, or read from an email that really arrived), followed
//! in a browser of the partner's own, and the form of the page it was shown sent back with a
//! decision, or handed to a colleague.

use reqwest::{Client, Response, StatusCode};
use undersigned::db::invitations::Invitation;

use super::TestApp;
use super::browsers::browser;
use super::forms::{csrf_of, field_value, hidden_field, location};
use super::invitations::invitation_named;

/// `/sign/{token}` for this stored invitation, the path its email carries.
pub fn sign_path(app: &TestApp, invitation: &Invitation) -> String {
    let token = app
        .context
        .secrets
        .sign_link_token(&invitation.id, &invitation.token_nonce);
    format!("/sign/{token}")
}

/// `/sign/{token}` for the organization printed under this name.
pub async fn sign_path_of(app: &TestApp, organization: &str) -> String {
    sign_path(app, &invitation_named(app, organization).await)
}

/// The first sign link on `base` in an email's text or HTML, up to whitespace or markup.
pub fn sign_link_in(text: &str, base: &str) -> String {
    let prefix = format!("{base}/sign/");
    let start = text
        .find(&prefix)
        .unwrap_or_else(|| panic!("no sign link to {base} in {text}"));
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .next()
        .expect("a link")
        .to_string()
}

/// Follows a sign link in this browser, then its redirect: the status and the page. A link
/// that does not redirect answers with its own status and page.
pub async fn open_link(browser: &Client, link: &str) -> (StatusCode, String) {
    let first = browser.get(link).send().await.expect("GET the sign link");
    if first.status() != StatusCode::SEE_OTHER {
        let status = first.status();
        return (status, first.text().await.expect("the page"));
    }
    let page_url = reqwest::Url::parse(link)
        .expect("an absolute link")
        .join(&location(&first))
        .expect("a Location on the same site");
    let page = browser
        .get(page_url)
        .send()
        .await
        .expect("GET the sign page");
    (page.status(), page.text().await.expect("the sign page"))
}

/// A partner with the sign page open in a browser of their own, ready to send the form it
/// was shown.
pub struct Partner {
    /// The instance the partner's browser talks to (`http://127.0.0.1:port`).
    pub base: String,
    pub browser: Client,
    /// The page last shown.
    pub page: String,
    /// The organization's name as the form prints it.
    pub organization: String,
}

impl Partner {
    /// The organization's partner, through the link its email carries: the link must lead to
    /// the sign page.
    pub async fn open(app: &TestApp, organization: &str) -> Self {
        let link = app.url(&sign_path_of(app, organization).await);
        let (partner, status) = Self::follow(&app.address, &link).await;
        assert_eq!(status, StatusCode::OK, "{organization}'s sign page");
        Self {
            organization: organization.to_string(),
            ..partner
        }
    }

    /// A partner following `link` (on the instance at `base`) in a new browser, and the
    /// status of the page it led to.
    pub async fn follow(base: &str, link: &str) -> (Self, StatusCode) {
        Self::follow_in(base, link, browser()).await
    }

    /// The same in this browser (one that sends `Accept-Language`, for example).
    pub async fn follow_in(base: &str, link: &str, browser: Client) -> (Self, StatusCode) {
        let (status, page) = open_link(&browser, link).await;
        let organization = field_value(&page, "organization_display_name").unwrap_or_default();
        let partner = Self {
            base: base.to_string(),
            browser,
            page,
            organization,
        };
        (partner, status)
    }

    /// Follows `link` again in the same browser; the page shown replaces the one held.
    pub async fn reopen(&mut self, link: &str) -> StatusCode {
        let (status, page) = open_link(&self.browser, link).await;
        self.page = page;
        status
    }

    /// Sends the form of the page held, with this decision: the server's status and page.
    pub async fn send(&self, decision: &str) -> (StatusCode, String) {
        self.send_form_of(&self.page, decision).await
    }

    /// Sends the form of an earlier page (one shown before something changed) with this
    /// decision, from this partner's browser.
    pub async fn send_form_of(&self, page: &str, decision: &str) -> (StatusCode, String) {
        self.send_answer(page, decision, "Jo Example", "Director", "")
            .await
    }

    /// Sends the form of `page` with this decision, signed by this person in this role, with
    /// this comment: the server's status and page.
    pub async fn send_answer(
        &self,
        page: &str,
        decision: &str,
        signer_name: &str,
        signer_title: &str,
        comment: &str,
    ) -> (StatusCode, String) {
        let fields = [
            ("csrf_token", csrf_of(page)),
            ("submission_key", hidden_field(page, "submission_key")),
            ("content_sha256", hidden_field(page, "content_sha256")),
            // The language of the text shown (pages of withdrawals have none).
            (
                "language",
                field_value(page, "language").unwrap_or_default(),
            ),
            // The language of the page's words, for the thank-you.
            (
                "interface",
                field_value(page, "interface").unwrap_or_default(),
            ),
            ("decision", decision.to_string()),
            ("signer_name", signer_name.to_string()),
            ("signer_title", signer_title.to_string()),
            ("organization_display_name", self.organization.clone()),
            ("comment", comment.to_string()),
        ];
        let response = self
            .browser
            .post(format!("{}/sign", self.base))
            .form(&fields)
            .send()
            .await
            .expect("POST /sign");
        let status = response.status();
        (status, response.text().await.unwrap_or_default())
    }

    /// Hands the request to a colleague through the page's second form. Built at once, so
    /// that many hand-overs can be sent together.
    pub fn forward(&self, email: &str, name: &str) -> impl Future<Output = Response> + use<> {
        let request = self
            .browser
            .post(format!("{}/sign/forward", self.base))
            .form(&[
                ("csrf_token", csrf_of(&self.page)),
                ("colleague_email", email.to_string()),
                ("colleague_name", name.to_string()),
            ]);
        async move { request.send().await.expect("POST /sign/forward") }
    }
}

/// The organization's partner opens the sign page and sends this decision: the server's
/// status and page.
pub async fn try_answer(app: &TestApp, organization: &str, decision: &str) -> (StatusCode, String) {
    Partner::open(app, organization).await.send(decision).await
}

/// The organization's partner answers through the real sign page, and the answer is taken.
pub async fn answer(app: &TestApp, organization: &str, decision: &str) {
    let (status, page) = try_answer(app, organization, decision).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "{organization} answers {decision}: {page}"
    );
}
