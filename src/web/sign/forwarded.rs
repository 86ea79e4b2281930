//! The page that says a request was handed on to a colleague: to the partner who just did it
//! (the address in full), and on the old link afterwards (masked, with the date).

use askama::Template;

use crate::i18n::Localizer;

#[derive(Template)]
#[template(path = "sign_forwarded.html")]
pub struct ForwardedTemplate {
    /// The page's words: the browser's language (the old link no longer names an invitation).
    pub l: Localizer,
    /// The colleague's email address: in full for the partner who just handed it on, masked
    /// on the old link's page.
    pub colleague: String,
    /// When it was handed on, on the old link's page.
    pub on: Option<String>,
    /// How to reach the coordinators, when the instance names an address.
    pub contact: Option<String>,
}

impl ForwardedTemplate {
    fn mailto(&self, address: &str) -> String {
        format!("mailto:{address}")
    }
}
