//! What the sign page shows: the letter as it stands, what changed since this organization
//! signed, who signed, its history, and the answers it can give now (or why none). Where the
//! letter stands is told by `state`. The text is the authoritative one, or a translation the
//! partner chose among those offered and up to date.

use chrono::NaiveDateTime;

use crate::app::{AppError, letters};
use crate::clock::Clock;
use crate::db::DbConnection;
use crate::db::invitations::{self, Invitation};
use crate::db::letters::LetterVersion;
use crate::db::responses::{self, Response};
use crate::domain::{Decision, InvitationStatus, LanguageTag, LetterStatus};

use super::state::{SignState, sign_state};

/// How many signatories the sign page names at most. Each view reads no more than this (and
/// one more, to know there are more), so signing a letter of any size costs the same per
/// partner; the full list is the published letter's.
pub const SIGNATORIES_SHOWN: usize = 200;

/// Everything the sign page shows.
pub struct SignPage {
    pub invitation: Invitation,
    pub view: letters::LetterView,
    /// Where the letter stands, told once at the top of the page.
    pub state: SignState,
    /// Whether the partner may hand the request to a colleague (not once the letter is out
    /// with this organization listed, nor when no answer can be given).
    pub may_forward: bool,
    /// The version this organization last signed, when the text has changed since and the
    /// letter is not yet released, with the difference to the current text in rendered words.
    pub changed_since: Option<(LetterVersion, Vec<letters::DiffSegment>)>,
    /// The first `SIGNATORIES_SHOWN` organizations, by name, that signed the current text
    /// (when the letter shows them to partners).
    pub signatories: Vec<String>,
    /// Whether more organizations signed than are shown.
    pub more_signatories: bool,
    /// Every decision of this invitation, newest first.
    pub history: Vec<Response>,
    /// The answers the partner can give now (none once answers are closed).
    pub choices: Vec<Decision>,
    /// Why no decision can be made now, if none can.
    pub closed_because: Option<String>,
    /// For a published letter: when it was published, and what an answer now means.
    pub after_release: Option<String>,
    /// The translations a partner may read and sign: offered, and matching the current text
    /// (up to minor corrections). By language.
    pub translations: Vec<letters::TranslationView>,
    /// The translation shown, when the partner chose one of `translations`.
    pub reading: Option<letters::TranslationView>,
    /// A language was asked for that is not among `translations`: the authoritative text is
    /// shown, and the page says so.
    pub language_unavailable: bool,
}

/// The text a sign page shows: the translation the partner chose, or the authoritative text.
pub struct ShownText<'a> {
    pub title: &'a str,
    pub addressee: &'a str,
    pub body_markdown: &'a str,
    /// What the form sends back, and what the answer is checked against.
    pub content_sha256: &'a str,
    pub language: LanguageTag,
}

impl SignPage {
    pub fn shown_text(&self) -> ShownText<'_> {
        match &self.reading {
            Some(t) => ShownText {
                title: &t.translation.title,
                addressee: &t.translation.addressee,
                body_markdown: &t.translation.body_markdown,
                content_sha256: &t.translation.content_sha256,
                language: t.language(),
            },
            None => ShownText {
                title: &self.view.current.title,
                addressee: &self.view.current.addressee,
                body_markdown: &self.view.current.body_markdown,
                content_sha256: &self.view.current.content_sha256,
                language: LanguageTag::from_stored(&self.view.letter.language),
            },
        }
    }
}

/// The translation to show a partner who asked for none: the first of `preferred` (the
/// invitation's language, then the browser's) that the letter is written or translated in,
/// by exact tag first, then by primary language ("fr-CA" reads "fr"). `None`: the letter's own
/// text.
fn preferred_text<'a>(
    own: &str,
    translations: &[letters::TranslationView],
    preferred: impl Iterator<Item = &'a LanguageTag>,
) -> Option<letters::TranslationView> {
    let own = LanguageTag::from_stored(own);
    for wanted in preferred {
        if *wanted == own || wanted.primary() == own.as_str() {
            return None;
        }
        let found = translations
            .iter()
            .find(|t| t.translation.language == wanted.as_str())
            .or_else(|| {
                translations
                    .iter()
                    .find(|t| t.language().as_str() == wanted.primary())
            });
        if let Some(found) = found {
            return Some(found.clone());
        }
    }
    None
}

/// The sign page of `invitation`, its text in `language` when that translation is offered and
/// up to date (else the authoritative text, with `language_unavailable`); when no language is
/// asked for, in the invitation's language or the first of the `browser`'s (in order of
/// preference) that the letter is offered in.
pub fn sign_page(
    conn: &mut DbConnection,
    clock: &Clock,
    invitation: Invitation,
    language: Option<&LanguageTag>,
    browser: &[LanguageTag],
) -> Result<SignPage, AppError> {
    let view = letters::get_letter(conn, &invitation.letter_id)?;
    let translations = letters::offered_translations(conn, &view)?;
    let asked = language.filter(|l| l.as_str() != view.letter.language);
    let reading = match language {
        Some(_) => asked.and_then(|l| {
            translations
                .iter()
                .find(|t| t.translation.language == l.as_str())
                .cloned()
        }),
        None => {
            let chosen = invitation.language.as_deref().map(LanguageTag::from_stored);
            preferred_text(
                &view.letter.language,
                &translations,
                chosen.iter().chain(browser),
            )
        }
    };
    let language_unavailable = asked.is_some() && reading.is_none();
    let history = responses::for_invitation(conn, &invitation.id)?;
    let released = view.status() == LetterStatus::Released;
    let last_signed = history
        .first()
        .filter(|r| {
            !released
                && r.decision == Decision::Sign
                && invitation.status == InvitationStatus::Signed
                && r.version < view.current.version
        })
        .map(|r| r.version);
    let changed_since = match last_signed {
        Some(version) => {
            let (old, _, segments) =
                letters::rendered_diff(conn, &invitation.letter_id, version, view.current.version)?;
            Some((old, segments))
        }
        None => None,
    };
    let mut signatories = if view.letter.show_signatories {
        invitations::first_signed_names(
            conn,
            &invitation.letter_id,
            view.current.version,
            SIGNATORIES_SHOWN as i64 + 1,
        )?
    } else {
        Vec::new()
    };
    let more_signatories = signatories.len() > SIGNATORIES_SHOWN;
    signatories.truncate(SIGNATORIES_SHOWN);
    let (choices, closed_because) = match choices(&view, &invitation, clock.now()) {
        Ok(choices) => (choices, None),
        Err(reason) => (Vec::new(), Some(reason)),
    };
    let after_release =
        (view.status() == LetterStatus::Released && !choices.is_empty()).then(|| {
            let published = view
                .letter
                .released_at
                .map(crate::clock::long_date)
                .unwrap_or_default();
            if invitation.status == InvitationStatus::Signed {
                format!(
                    "The letter was published on {published} with your organization among its \
                 signatories. You can still withdraw the signature: the public page will then \
                 show the withdrawal, dated, in its list of changes."
                )
            } else {
                format!(
                    "The letter was published on {published}, and organizations may still join it. \
                 If yours signs now, it is listed as having joined after publication, with \
                 today's date."
                )
            }
        });
    let state = sign_state(&view, &invitation, clock.now());
    let may_forward = !choices.is_empty() && may_forward(&view, &invitation);
    Ok(SignPage {
        invitation,
        view,
        state,
        may_forward,
        changed_since,
        signatories,
        more_signatories,
        history,
        choices,
        closed_because,
        after_release,
        translations,
        reading,
        language_unavailable,
    })
}

/// Whether the request may be handed on as the letter stands: a listed signatory of a released
/// letter has nothing left to hand on (withdrawing is theirs alone).
pub(super) fn may_forward(view: &letters::LetterView, invitation: &Invitation) -> bool {
    !(view.status() == LetterStatus::Released && invitation.status == InvitationStatus::Signed)
}

/// The answers a partner can give now, or why none. Before release: sign or decline (or
/// withdraw a signature) while the letter is open and before its deadline. After release: a
/// listed organization can withdraw; others can still sign (or decline) if the letter accepts
/// late signatures. While a release is scheduled, answers go on as before it unless the admin
/// froze them when scheduling.
pub(super) fn choices(
    view: &letters::LetterView,
    invitation: &Invitation,
    now: NaiveDateTime,
) -> Result<Vec<Decision>, String> {
    offered(
        view.status(),
        view.letter.answers_frozen,
        view.letter.allow_late_signatures,
        view.letter.deadline_at,
        invitation.status == InvitationStatus::Signed,
        now,
    )
}

/// The rule behind `choices`, on plain facts: the letter's status, whether a scheduled release
/// froze the answers, whether it accepts late signatures, its deadline (UTC), whether this
/// organization's signature stands, and now.
fn offered(
    letter: LetterStatus,
    frozen: bool,
    accepts_late: bool,
    deadline: Option<NaiveDateTime>,
    signed: bool,
    now: NaiveDateTime,
) -> Result<Vec<Decision>, String> {
    match letter {
        LetterStatus::Released if signed => Ok(vec![Decision::Withdraw]),
        LetterStatus::Released if accepts_late => Ok(vec![Decision::Sign, Decision::Decline]),
        LetterStatus::Released => {
            Err("The letter is released; answers can no longer change.".into())
        }
        LetterStatus::Scheduled if frozen => Err(
            "The letter's release is scheduled and the list of signatories is final; answers can \
             no longer change."
                .into(),
        ),
        LetterStatus::Closed => Err("The coordinators have closed this letter to answers.".into()),
        _ if deadline.is_some_and(|d| d <= now) => {
            Err("The deadline for answers has passed.".into())
        }
        _ if signed => Ok(vec![Decision::Sign, Decision::Decline, Decision::Withdraw]),
        _ => Ok(vec![Decision::Sign, Decision::Decline]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("a valid time")
    }

    #[test]
    fn an_open_letter_offers_sign_and_decline_and_withdraw_once_signed() {
        use Decision::*;
        let open = |signed| {
            offered(
                LetterStatus::Open,
                false,
                false,
                Some(at(12)),
                signed,
                at(9),
            )
        };
        assert_eq!(open(false), Ok(vec![Sign, Decline]));
        assert_eq!(open(true), Ok(vec![Sign, Decline, Withdraw]));
        // A scheduled release freezes the text, not the answers, unless the list was frozen.
        let scheduled = |frozen| {
            offered(
                LetterStatus::Scheduled,
                frozen,
                false,
                Some(at(12)),
                false,
                at(9),
            )
        };
        assert_eq!(scheduled(false), Ok(vec![Sign, Decline]));
        assert!(scheduled(true).is_err());
        let late = offered(
            LetterStatus::Scheduled,
            false,
            false,
            Some(at(8)),
            false,
            at(9),
        );
        assert_eq!(late, Err("The deadline for answers has passed.".into()));
    }

    #[test]
    fn the_deadline_closing_or_a_frozen_schedule_stop_answers() {
        let past_deadline = offered(LetterStatus::Open, false, true, Some(at(12)), false, at(12));
        assert_eq!(
            past_deadline,
            Err("The deadline for answers has passed.".into())
        );
        for status in [LetterStatus::Closed, LetterStatus::Scheduled] {
            let frozen = offered(status, true, true, None, true, at(9));
            assert!(
                frozen.as_ref().is_err_and(|why| why.starts_with("The ")),
                "{frozen:?}"
            );
        }
    }

    #[test]
    fn after_release_a_signatory_may_withdraw_and_others_sign_only_when_late_is_allowed() {
        use Decision::*;
        // The deadline no longer matters once the letter is out.
        let released = |late, signed| {
            offered(
                LetterStatus::Released,
                false,
                late,
                Some(at(1)),
                signed,
                at(9),
            )
        };
        assert_eq!(released(false, true), Ok(vec![Withdraw]));
        assert_eq!(released(true, true), Ok(vec![Withdraw]));
        assert_eq!(released(true, false), Ok(vec![Sign, Decline]));
        assert!(released(false, false).is_err());
    }
}
