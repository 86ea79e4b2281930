//! Snapshot tests of every email Undersigned sends: each kind rendered from fixed facts (the
//! link a placeholder, so no token ever lands in a file) and compared with its file under
//! `tests/snapshots/email/`. A change to any email's wording or markup shows in review as a
//! change to those files. `UNDERSIGNED_UPDATE_SNAPSHOTS=1 cargo test --lib snapshots` writes
//! them afresh after an intended change.

use std::path::PathBuf;

use super::account_templates::{AccountEmailView, AccountTemplate, render_account};
use super::templates::{EmailView, RenderedEmail, Template, render};
use crate::domain::{Deadline, LanguageTag};
use crate::i18n::Localizer;

const LINK: &str = "https://letters.example.org/sign/LINK-TOKEN";
const LOGO: &str = "https://letters.example.org/organization/logo.png?v=0123456789abcdef";

/// The same facts for a partner invited in `language`: the words and the deadline in it.
fn facts_in(language: &str) -> EmailView<'static> {
    let l = Localizer::for_language(&LanguageTag::parse(language).expect("a tag"))
        .expect("a shipped language");
    let deadline = Deadline::parse_rfc3339("2026-12-01T17:00:00+01:00", Some("Europe/Zurich"))
        .expect("a deadline");
    EmailView {
        deadline: Some(l.deadline(&deadline)),
        l,
        ..facts()
    }
}

fn facts() -> EmailView<'static> {
    EmailView {
        letter_title: "Joint Letter on Detained Defenders in Valdoria",
        addressee: "the Secretary-General of the United Nations",
        organization: "Ligue des droits (exemple)",
        contact_name: Some("Dana Okafor"),
        coordinator: Some("Amina Diallo"),
        deadline: Some(
            Deadline::parse_rfc3339("2026-12-01T17:00:00+01:00", Some("Europe/Zurich"))
                .expect("a deadline")
                .display_with_city(),
        ),
        link: LINK,
        signed: true,
        minor_change: false,
        forwarded_by: None,
        message: None,
        asking: Some("Coalition Secretariat"),
        logo: Some(LOGO),
        headline: None,
        version: 2,
        released: false,
        withdrew: false,
        reasons: &[],
        recorded: None,
        l: crate::i18n::Localizer::english(),
    }
}

/// Every email kind, named as its snapshot file is.
fn every_email() -> Vec<(&'static str, RenderedEmail)> {
    let reasons = vec!["Horizon Rights Watch is a lead organization without an approval of the final text (did not answer)".to_string()];
    let lines = vec![
        "Horizon Rights Watch: signed (Alex Moreau, 09:12 UTC)".to_string(),
        "Fundación Derechos Ahora: declined (Lucía Pérez, 14:40 UTC)".to_string(),
    ];
    let partner = |template, view: EmailView| render(template, &view).expect("renders");
    let account = |template, name| {
        render_account(
            template,
            &AccountEmailView {
                name,
                link: "https://letters.example.org/welcome/LINK-TOKEN",
                valid_for: "in 72 hours",
                asking: Some("Coalition Secretariat"),
                logo: Some(LOGO),
            },
        )
        .expect("renders")
    };
    vec![
        ("invitation", partner(Template::Invitation, facts())),
        (
            "invitation_fr",
            partner(Template::Invitation, facts_in("fr")),
        ),
        (
            "invitation_ar",
            partner(Template::Invitation, facts_in("ar")),
        ),
        ("reminder_es", partner(Template::Reminder, facts_in("es"))),
        (
            "release_notice_ar",
            partner(Template::ReleaseNotice, facts_in("ar")),
        ),
        (
            "invitation_with_message",
            partner(
                Template::Invitation,
                EmailView {
                    message: Some("Dear colleagues,\n\nThe Council meets on 12 March."),
                    ..facts()
                },
            ),
        ),
        (
            "invitation_forwarded_without_organization",
            partner(
                Template::Invitation,
                EmailView {
                    forwarded_by: Some("Sam Colleague"),
                    asking: None,
                    logo: None,
                    ..facts()
                },
            ),
        ),
        ("reminder", partner(Template::Reminder, facts())),
        (
            "confirmation_signed",
            partner(Template::Confirmation, facts()),
        ),
        (
            "confirmation_declined",
            partner(
                Template::Confirmation,
                EmailView {
                    signed: false,
                    ..facts()
                },
            ),
        ),
        (
            "confirmation_withdrawn_after_release",
            partner(
                Template::Confirmation,
                EmailView {
                    signed: false,
                    withdrew: true,
                    released: true,
                    ..facts()
                },
            ),
        ),
        (
            "confirmation_recorded",
            partner(
                Template::Confirmation,
                EmailView {
                    recorded: Some(("Amina Diallo", "from a phone call")),
                    ..facts()
                },
            ),
        ),
        (
            "reapproval_substantive",
            partner(Template::Reapproval, facts()),
        ),
        (
            "reapproval_minor",
            partner(
                Template::Reapproval,
                EmailView {
                    minor_change: true,
                    ..facts()
                },
            ),
        ),
        ("release_notice", partner(Template::ReleaseNotice, facts())),
        (
            "release_failed",
            partner(
                Template::ReleaseFailed,
                EmailView {
                    reasons: &reasons,
                    ..facts()
                },
            ),
        ),
        (
            "to_coordinator_digest",
            partner(
                Template::ToCoordinator,
                EmailView {
                    organization: "Amina Diallo",
                    headline: Some("2 answers on 30 November 2026"),
                    reasons: &lines,
                    ..facts()
                },
            ),
        ),
        (
            "account_invitation",
            account(AccountTemplate::Invitation, "Dana Okafor"),
        ),
        (
            "password_reset",
            account(AccountTemplate::PasswordReset, "Dana Okafor"),
        ),
    ]
}

fn snapshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/email")
        .join(format!("{name}.txt"))
}

fn as_snapshot(email: &RenderedEmail) -> String {
    format!(
        "Subject: {}\n\n--- text ---\n{}\n--- html ---\n{}\n",
        email.subject, email.text, email.html
    )
}

#[test]
fn every_email_matches_its_snapshot() {
    let update = std::env::var_os("UNDERSIGNED_UPDATE_SNAPSHOTS").is_some();
    let mut changed = Vec::new();
    for (name, email) in every_email() {
        assert!(
            !as_snapshot(&email).contains("/sign/") || as_snapshot(&email).contains(LINK),
            "{name}: only the placeholder link"
        );
        let path = snapshot_path(name);
        let rendered = as_snapshot(&email);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &rendered).unwrap();
            continue;
        }
        let stored = std::fs::read_to_string(&path).unwrap_or_default();
        if stored != rendered {
            changed.push(name);
        }
    }
    assert!(
        changed.is_empty(),
        "these emails differ from their snapshots under tests/snapshots/email: {changed:?}; \
         if the change is intended, run UNDERSIGNED_UPDATE_SNAPSHOTS=1 cargo test --lib snapshots \
         and review the files"
    );
}
