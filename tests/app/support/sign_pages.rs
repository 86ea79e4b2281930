//! The sign page's confirmation steps as a browser without JavaScript sends them: the
//! hand-over confirmed after the address was shown back, and the page's state box read out.

use reqwest::Response;

use super::forms::{csrf_of, hidden_field};
use super::partners::Partner;

/// Sends the "Yes, send the link" form of a hand-over's confirmation page from this partner's
/// browser.
pub async fn confirm_forward(partner: &Partner, confirmation: &str) -> Response {
    partner
        .browser
        .post(format!("{}/sign/forward", partner.base))
        .form(&[
            ("csrf_token", csrf_of(confirmation)),
            (
                "colleague_email",
                hidden_field(confirmation, "colleague_email"),
            ),
            (
                "colleague_name",
                hidden_field(confirmation, "colleague_name"),
            ),
            ("confirmed", hidden_field(confirmation, "confirmed")),
        ])
        .send()
        .await
        .expect("POST /sign/forward, confirmed")
}

/// Hands the request to a colleague with the confirmed form at once (as the confirmation
/// page sends it). Built at once, so that many hand-overs can be sent together.
pub fn forward_confirmed(
    partner: &Partner,
    email: &str,
    name: &str,
) -> impl Future<Output = Response> + use<> {
    let request = partner
        .browser
        .post(format!("{}/sign/forward", partner.base))
        .form(&[
            ("csrf_token", csrf_of(&partner.page)),
            ("colleague_email", email.to_string()),
            ("colleague_name", name.to_string()),
            ("confirmed", "yes".to_string()),
        ]);
    async move { request.send().await.expect("POST /sign/forward") }
}

/// The text of the page's state box (the section above the letter), tags left in.
pub fn state_box(page: &str) -> &str {
    let start = page
        .find(r#"class="state-box"#)
        .unwrap_or_else(|| panic!("no state box in {page}"));
    let end = page[start..].find("</section>").expect("the box ends") + start;
    &page[start..end]
}
