//! The emails Undersigned sends, each a plain-text and an HTML template under `templates/email/`
//! rendered by askama (HTML escaped automatically, text not) and compiled into the binary.
//! Every HTML part shares one design (`email/base.html`): a header band with the coordinating
//! organization's name and logo, the content, one button with its address written out beneath
//! for mail programs that lose the button, and a small footer; styles inline, since mail
//! programs strip `<style>`, and a layout that fits a phone's 375 pixels.

use askama::Template as _;

use crate::i18n::Localizer;

/// Which email to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    Invitation,
    Reminder,
    Confirmation,
    Reapproval,
    ReleaseNotice,
    /// To an admin: a scheduled release did not happen, and why.
    ReleaseFailed,
    /// To a letter's coordinator: a notice or the day's digest (`headline`, then `reasons` as
    /// lines).
    ToCoordinator,
    /// To someone who asked to join a letter: the link that confirms their address.
    JoinConfirmation,
    /// To someone who asked to join a letter: the decision (`headline`, then `reasons`).
    JoinDecision,
}

/// Everything a template may show. Text comes from people (titles, names), so the HTML part
/// escapes it; `link` is a sign link or the public page of a released letter.
#[derive(Debug, Clone)]
pub struct EmailView<'a> {
    pub letter_title: &'a str,
    pub addressee: &'a str,
    pub organization: &'a str,
    pub contact_name: Option<&'a str>,
    pub coordinator: Option<&'a str>,
    pub deadline: Option<String>,
    pub link: &'a str,
    /// For a confirmation: true when the partner signed, false when they declined or withdrew.
    pub signed: bool,
    /// For a change notice: a minor edit (the approval stands) rather than a substantive one.
    pub minor_change: bool,
    /// For an invitation handed on by a colleague: who handed it on.
    pub forwarded_by: Option<&'a str>,
    /// For an invitation: the coordinator's personal message, placed above the standard text.
    pub message: Option<&'a str>,
    /// The coordinating organization's name, when known: the subject and the first line say
    /// who is asking.
    pub asking: Option<&'a str>,
    /// The coordinating organization's logo, an absolute address: shown in the header above
    /// its name (`asking`, also the image's text).
    pub logo: Option<&'a str>,
    /// For an email to a coordinator: what happened, in one sentence (also the subject).
    pub headline: Option<&'a str>,
    pub version: i32,
    /// For a confirmation: the decision was made on a published letter (a late signature, a
    /// withdrawal from the public list).
    pub released: bool,
    /// For a confirmation: the partner withdrew a signature.
    pub withdrew: bool,
    /// For a failed scheduled release: what blocked it, one sentence each.
    pub reasons: &'a [String],
    /// For a confirmation of an answer a coordinator recorded: who recorded it, and how it had
    /// arrived ("from an email", "from a phone call", …).
    pub recorded: Option<(&'a str, &'a str)>,
    /// The words of the email, in the partner's language (English for coordinators and admins).
    pub l: Localizer,
}

impl EmailView<'_> {
    /// Who the email speaks to: the contact's name, or the organization's.
    pub fn greeting_name(&self) -> &str {
        self.contact_name.unwrap_or(self.organization)
    }

    /// The name in the header: the coordinating organization's, or "Open letter" while it
    /// has none.
    pub fn masthead(&self) -> String {
        match self.asking {
            Some(asking) => asking.to_string(),
            None => self.l.t("email-masthead"),
        }
    }

    /// The words of the email (the shared layout asks for them by this name).
    pub fn words(&self) -> &Localizer {
        &self.l
    }

    /// The letter's title in the plain-text part, in the language's quotation marks.
    pub fn quoted_title(&self) -> String {
        self.l
            .msg("email-quoted")
            .arg("title", self.letter_title)
            .to_string()
    }

    /// The version of the text, as a count.
    pub fn version(&self) -> usize {
        usize::try_from(self.version).unwrap_or_default()
    }

    /// The last line: who sent the email, and where replies go.
    pub fn footer(&self) -> String {
        match self.asking {
            Some(asking) => self
                .l
                .msg("email-footer-asking")
                .arg("asking", asking)
                .to_string(),
            None => self.l.t("email-footer"),
        }
    }

    /// The personal message's paragraphs (split at blank lines), each a list of its lines.
    pub fn message_paragraphs(&self) -> Vec<Vec<&str>> {
        let Some(message) = self.message else {
            return Vec::new();
        };
        message
            .split("\n\n")
            .map(|paragraph| paragraph.lines().collect::<Vec<_>>())
            .filter(|lines| lines.iter().any(|line| !line.trim().is_empty()))
            .collect()
    }
}

/// A rendered email: its subject (not yet made header-safe) and both parts.
#[derive(Debug, Clone)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

macro_rules! email_templates {
    ($($text:ident $html:ident $text_path:literal $html_path:literal;)+) => {$(
        #[derive(askama::Template)]
        #[template(path = $text_path)]
        struct $text<'a, 'v> {
            v: &'a EmailView<'v>,
        }

        #[derive(askama::Template)]
        #[template(path = $html_path)]
        struct $html<'a, 'v> {
            v: &'a EmailView<'v>,
        }
    )+};
}

email_templates! {
    InvitationText InvitationHtml "email/invitation.txt" "email/invitation.html";
    ReminderText ReminderHtml "email/reminder.txt" "email/reminder.html";
    ConfirmationText ConfirmationHtml "email/confirmation.txt" "email/confirmation.html";
    ReapprovalText ReapprovalHtml "email/reapproval.txt" "email/reapproval.html";
    ReleaseText ReleaseHtml "email/release_notice.txt" "email/release_notice.html";
    ReleaseFailedText ReleaseFailedHtml "email/release_failed.txt" "email/release_failed.html";
    CoordinatorText CoordinatorHtml "email/coordinator.txt" "email/coordinator.html";
    JoinConfirmationText JoinConfirmationHtml "email/join_confirmation.txt" "email/join_confirmation.html";
    JoinDecisionText JoinDecisionHtml "email/join_decision.txt" "email/join_decision.html";
}

/// Renders the subject and both parts of one email.
pub fn render(template: Template, v: &EmailView) -> Result<RenderedEmail, askama::Error> {
    let title = v.letter_title;
    let l = &v.l;
    let with_title = |id: &str| l.msg(id).arg("title", title).to_string();
    let (subject, text, html) = match template {
        Template::Invitation => (
            match v.asking {
                Some(asking) => l
                    .msg("invitation-subject-asking")
                    .arg("asking", asking)
                    .arg("organization", v.organization)
                    .arg("title", title)
                    .to_string(),
                None => with_title("invitation-subject"),
            },
            InvitationText { v }.render()?,
            InvitationHtml { v }.render()?,
        ),
        Template::Reminder => (
            match v.asking {
                Some(asking) => l
                    .msg("reminder-subject-asking")
                    .arg("asking", asking)
                    .arg("title", title)
                    .to_string(),
                None => with_title("reminder-subject"),
            },
            ReminderText { v }.render()?,
            ReminderHtml { v }.render()?,
        ),
        Template::Confirmation => (
            with_title(if v.signed {
                "confirmation-subject-signed"
            } else if v.withdrew {
                "confirmation-subject-withdrawn"
            } else {
                "confirmation-subject-declined"
            }),
            ConfirmationText { v }.render()?,
            ConfirmationHtml { v }.render()?,
        ),
        Template::Reapproval => (
            with_title(if v.minor_change {
                "reapproval-subject-minor"
            } else {
                "reapproval-subject-substantive"
            }),
            ReapprovalText { v }.render()?,
            ReapprovalHtml { v }.render()?,
        ),
        Template::ReleaseNotice => (
            with_title("release-subject"),
            ReleaseText { v }.render()?,
            ReleaseHtml { v }.render()?,
        ),
        Template::ReleaseFailed => (
            format!("The scheduled release did not happen: {title}"),
            ReleaseFailedText { v }.render()?,
            ReleaseFailedHtml { v }.render()?,
        ),
        Template::ToCoordinator => (
            format!("{} — {title}", v.headline.unwrap_or("News")),
            CoordinatorText { v }.render()?,
            CoordinatorHtml { v }.render()?,
        ),
        Template::JoinConfirmation => (
            format!("Confirm your request to sign: {title}"),
            JoinConfirmationText { v }.render()?,
            JoinConfirmationHtml { v }.render()?,
        ),
        Template::JoinDecision => (
            format!("{}: {title}", v.headline.unwrap_or("Your request to sign")),
            JoinDecisionText { v }.render()?,
            JoinDecisionHtml { v }.render()?,
        ),
    };
    // Every other email names the coordinating organization first.
    let subject = match (template, v.asking) {
        (Template::Invitation | Template::Reminder, _) | (_, None) => subject,
        (_, Some(asking)) => format!("{asking}: {subject}"),
    };
    Ok(RenderedEmail {
        subject,
        text,
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(link: &str) -> EmailView<'_> {
        EmailView {
            letter_title: "Stop <b>abuses</b> & \"detentions\"",
            addressee: "UN Secretary-General",
            organization: "Droits & Libertés",
            contact_name: None,
            coordinator: Some("Amina"),
            deadline: Some("1 December 2026, 17:00 Paris time (16:00 UTC)".into()),
            link,
            signed: true,
            minor_change: false,
            forwarded_by: None,
            message: None,
            asking: None,
            logo: None,
            headline: None,
            version: 2,
            released: false,
            withdrew: false,
            reasons: &[],
            recorded: None,
            l: crate::i18n::Localizer::english(),
        }
    }

    #[test]
    fn a_personal_message_opens_the_invitation_escaped_in_html_and_as_typed_in_text() {
        let link = "https://letters.example.org/sign/abc";
        let message = "Dear <b>friends</b>,\nwith thanks\n\nA & B";
        let email = render(
            Template::Invitation,
            &EmailView {
                message: Some(message),
                ..view(link)
            },
        )
        .unwrap();
        assert!(
            email.html.contains(
                "<p>Dear &lt;b&gt;friends&lt;/b&gt;,<br>with thanks</p>\n<p>A &amp; B</p>"
            ),
            "{}",
            email.html
        );
        let greeting = email.text.find("Dear Droits & Libertés,").unwrap();
        let note = email.text.find(message).expect("the message as typed");
        let standard = email.text.find("is invited to co-sign").unwrap();
        assert!(greeting < note && note < standard, "{}", email.text);
        let without = render(Template::Invitation, &view(link)).unwrap();
        assert!(!without.html.contains("<p></p>"), "{}", without.html);
    }

    #[test]
    fn every_html_part_has_the_header_one_button_and_inline_styles_only() {
        let link = "https://letters.example.org/sign/abc";
        let logo = "https://letters.example.org/organization/logo.png?v=0123";
        for template in [
            Template::Invitation,
            Template::Reminder,
            Template::Confirmation,
            Template::Reapproval,
            Template::ReleaseNotice,
            Template::ReleaseFailed,
            Template::ToCoordinator,
        ] {
            let named = EmailView {
                asking: Some("Droits & Libertés"),
                logo: Some(logo),
                ..view(link)
            };
            let html = render(template, &named).unwrap().html;
            assert!(html.starts_with("<!doctype html>\n<html lang=\"en\" dir=\"ltr\">"));
            assert!(!html.contains("<style"), "{template:?}: inline styles only");
            assert_eq!(html.matches(r#"class="email-button""#).count(), 1);
            assert!(
                html.contains(&format!(r#"<img src="{logo}" alt="Droits &#38; Libertés""#))
                    || html.contains(&format!(r#"<img src="{logo}" alt="Droits &amp; Libertés""#)),
                "{template:?}: the logo, its text the organization's name: {html}"
            );
            let fallback = format!(r#"class="email-fallback" href="{link}""#);
            assert!(html.contains(&fallback), "{template:?}: {html}");
            let unnamed = render(template, &view(link)).unwrap().html;
            assert!(!unnamed.contains("<img"), "{template:?}: no logo, no image");
            assert!(unnamed.contains(">Open letter</div>"), "{template:?}");
        }
    }

    #[test]
    fn every_template_renders_both_parts_with_the_link() {
        let link = "https://letters.example.org/sign/abc";
        for template in [
            Template::Invitation,
            Template::Reminder,
            Template::Confirmation,
            Template::Reapproval,
            Template::ReleaseNotice,
            Template::ReleaseFailed,
        ] {
            let email = render(template, &view(link)).unwrap();
            assert!(email.subject.contains("Stop <b>abuses</b>"), "{template:?}");
            assert!(email.text.contains(link), "{template:?}");
            assert!(email.html.contains(link), "{template:?}");
            assert!(email.text.contains("Stop <b>abuses</b> & \"detentions\""));
            assert!(
                email.html.contains("Stop &#60;b&#62;abuses&#60;/b&#62;")
                    || email.html.contains("Stop &lt;b&gt;abuses&lt;/b&gt;"),
                "{template:?}: {}",
                email.html
            );
            assert!(!email.html.contains("<b>abuses"), "{template:?}");
        }
    }
}
