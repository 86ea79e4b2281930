//! The emails about an account rather than a letter: the invitation to choose a first password
//! and the password reset link. Each is a plain-text and an HTML template under
//! `templates/email/` (HTML escaped by askama), with a layout of its own (no letter, no
//! coordinator) on the same design as every other email (`email/base.html`).

use std::sync::LazyLock;

use askama::Template as _;

use crate::i18n::Localizer;

use super::RenderedEmail;

/// Which account email to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountTemplate {
    /// An admin invited a colleague: choose a password.
    Invitation,
    /// "Forgot your password?": choose a new one.
    PasswordReset,
}

/// What an account email shows.
#[derive(Debug, Clone)]
pub struct AccountEmailView<'a> {
    /// The name of the account's holder.
    pub name: &'a str,
    /// The one-time link.
    pub link: &'a str,
    /// Until when the link works, in words ("in 72 hours", "in one hour").
    pub valid_for: &'a str,
    /// The coordinating organization's name, when known, for the header and the footer.
    pub asking: Option<&'a str>,
    /// The coordinating organization's logo, an absolute address.
    pub logo: Option<&'a str>,
}

impl AccountEmailView<'_> {
    /// The name in the header: the coordinating organization's, or the software's.
    pub fn masthead(&self) -> &str {
        self.asking.unwrap_or("Undersigned")
    }

    /// The words around the content: account emails go to coordinators and admins, in English.
    pub fn words(&self) -> &Localizer {
        static ENGLISH: LazyLock<Localizer> = LazyLock::new(Localizer::english);
        &ENGLISH
    }
}

macro_rules! account_templates {
    ($($text:ident $html:ident $text_path:literal $html_path:literal;)+) => {$(
        #[derive(askama::Template)]
        #[template(path = $text_path)]
        struct $text<'a, 'v> {
            v: &'a AccountEmailView<'v>,
        }

        #[derive(askama::Template)]
        #[template(path = $html_path)]
        struct $html<'a, 'v> {
            v: &'a AccountEmailView<'v>,
            subject: &'a str,
        }
    )+};
}

account_templates! {
    InvitationText InvitationHtml "email/account_invitation.txt" "email/account_invitation.html";
    ResetText ResetHtml "email/password_reset.txt" "email/password_reset.html";
}

/// Renders the subject and both parts of an account email.
pub fn render_account(
    template: AccountTemplate,
    v: &AccountEmailView,
) -> Result<RenderedEmail, askama::Error> {
    Ok(match template {
        AccountTemplate::Invitation => {
            let subject = "Your Undersigned account: choose your password";
            RenderedEmail {
                subject: subject.into(),
                text: InvitationText { v }.render()?,
                html: InvitationHtml { v, subject }.render()?,
            }
        }
        AccountTemplate::PasswordReset => {
            let subject = "Choose a new Undersigned password";
            RenderedEmail {
                subject: subject.into(),
                text: ResetText { v }.render()?,
                html: ResetHtml { v, subject }.render()?,
            }
        }
    })
}
