//! Letters: drafting, editing into new versions bound to their SHA-256, the history and the
//! difference between versions, and the statuses a coordinator moves a letter through.
//!
//! `draft` creates, `edit` makes new versions, `lifecycle` moves statuses, `history` compares
//! versions; the views of a letter are here.

mod draft;
mod edit;
mod history;
mod lifecycle;
mod translations;

pub use crate::domain::diff::DiffSegment;
pub use draft::create_letter;
pub use edit::{edit_letter, slug_refusal};
pub use history::{diff, rendered_diff, versions};
pub use lifecycle::{delete_letter, set_archived, set_status};
pub use translations::{
    TranslationInput, TranslationView, add_translation, offered_translations, translations,
    translations_of_letters, update_translation,
};

use std::collections::BTreeMap;

use crate::app::AppError;
use crate::db::letters::{self, Letter, LetterVersion};
use crate::db::{DbConnection, invitations};
use crate::domain::{
    Addressee, ChangeKind, Deadline, InvitationStatus, LanguageTag, LetterBody, LetterId,
    LetterStatus, LetterTitle, Slug,
};

/// A letter as its current version stands: what a partner's page and a decision need, read
/// in two queries by key, whatever the number of invitations.
#[derive(Debug, Clone)]
pub struct LetterView {
    pub letter: Letter,
    pub current: LetterVersion,
}

/// A letter with how many of its invitations are in each status: what a coordinator's list,
/// dashboard and the API show. Counting reads every invitation of the letter (by index), so
/// the partner's paths, run once per invitation, use `LetterView` alone.
#[derive(Debug, Clone)]
pub struct LetterOverview {
    pub view: LetterView,
    /// Invitations by status name (`signed`, `opened`, …); statuses with none are absent.
    pub counts: BTreeMap<String, i64>,
    /// The newest version of each translation, by language.
    pub translations: Vec<TranslationView>,
}

impl LetterView {
    pub fn status(&self) -> LetterStatus {
        self.letter.status
    }

    pub fn deadline(&self) -> Option<Deadline> {
        self.letter
            .deadline_at
            .map(|at| Deadline::from_stored(at, self.letter.deadline_tz.as_deref()))
    }
}

impl LetterOverview {
    pub fn invitation_total(&self) -> i64 {
        self.counts.values().sum()
    }

    pub fn count(&self, status: InvitationStatus) -> i64 {
        self.counts.get(status.as_str()).copied().unwrap_or(0)
    }
}

pub struct NewLetterInput {
    pub title: LetterTitle,
    pub addressee: Addressee,
    pub body: LetterBody,
    pub deadline: Option<Deadline>,
    pub slug: Option<Slug>,
    pub show_signatories: bool,
    /// Whether the published list shows who approved for each organization ("approved by
    /// NAME, TITLE").
    pub show_signers: bool,
    /// Whether organizations may still sign after publication ("joined after publication").
    pub allow_late_signatures: bool,
    /// The language of the authoritative text.
    pub language: LanguageTag,
}

/// An edit: absent fields stay as they are.
pub struct LetterEdit {
    pub title: Option<LetterTitle>,
    pub addressee: Option<Addressee>,
    pub body: Option<LetterBody>,
    pub change: ChangeKind,
    pub note: Option<String>,
    /// `Some(None)` removes the deadline.
    pub deadline: Option<Option<Deadline>>,
    pub show_signatories: Option<bool>,
    /// Whether the published list shows who approved for each organization.
    pub show_signers: Option<bool>,
    /// The one setting that can still change after release.
    pub allow_late_signatures: Option<bool>,
    /// The web address; it can change until the letter is released or scheduled.
    pub slug: Option<Slug>,
    /// Open sign-on: like late signatures, these may change after release too.
    pub sign_on: SignOnEdit,
    /// The language of the authoritative text; not one a translation is in.
    pub language: Option<LanguageTag>,
}

/// An edit of open sign-on's settings: absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct SignOnEdit {
    /// Whether organizations that were not invited may ask to join.
    pub open_sign_on: Option<bool>,
    /// Whether individuals may sign in their personal capacity.
    pub accept_individuals: Option<bool>,
    /// The heading of the individuals' list; `Some(None)` brings back the default. At most
    /// 200 characters on one line.
    pub individuals_heading: Option<Option<String>>,
}

impl LetterEdit {
    /// An edit of the late-signature setting alone.
    pub fn late_signatures(allow: bool) -> Self {
        Self {
            title: None,
            addressee: None,
            body: None,
            change: ChangeKind::Minor,
            note: None,
            deadline: None,
            show_signatories: None,
            show_signers: None,
            allow_late_signatures: Some(allow),
            slug: None,
            sign_on: SignOnEdit::default(),
            language: None,
        }
    }

    /// Whether the edit touches more than the late-signature setting.
    fn touches_more_than_late_signatures(&self) -> bool {
        self.title.is_some()
            || self.addressee.is_some()
            || self.body.is_some()
            || self.note.is_some()
            || self.deadline.is_some()
            || self.show_signatories.is_some()
            || self.show_signers.is_some()
            || self.language.is_some()
    }
}

/// How a coordinator moves a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    Open,
    Close,
    Reopen,
}

impl StatusChange {
    /// The status a letter in `from` moves to, or why it cannot: a draft opens, an open letter
    /// closes, a closed one reopens; a scheduled or released letter moves only by the release.
    pub fn apply(self, from: LetterStatus) -> Result<LetterStatus, String> {
        match (self, from) {
            (Self::Open, LetterStatus::Draft) => Ok(LetterStatus::Open),
            (Self::Close, LetterStatus::Open) => Ok(LetterStatus::Closed),
            (Self::Reopen, LetterStatus::Closed) => Ok(LetterStatus::Open),
            _ => Err(format!(
                "a {} letter cannot be {}",
                from.as_str(),
                match self {
                    Self::Open => "opened",
                    Self::Close => "closed",
                    Self::Reopen => "reopened",
                }
            )),
        }
    }
}

pub fn get_letter(conn: &mut DbConnection, letter_id: &LetterId) -> Result<LetterView, AppError> {
    load_view(conn, letter_id)
}

/// The letter with its invitations counted by status.
pub fn get_overview(
    conn: &mut DbConnection,
    letter_id: &LetterId,
) -> Result<LetterOverview, AppError> {
    let view = load_view(conn, letter_id)?;
    overview(conn, view)
}

/// Counts the invitations of a letter already read.
pub fn overview(conn: &mut DbConnection, view: LetterView) -> Result<LetterOverview, AppError> {
    let counts = invitations::count_by_status(conn, &view.letter.id)?
        .into_iter()
        .collect();
    let translations = translations(conn, &view)?;
    Ok(LetterOverview {
        view,
        counts,
        translations,
    })
}

pub(super) fn load_view(
    conn: &mut DbConnection,
    letter_id: &LetterId,
) -> Result<LetterView, AppError> {
    let letter = letters::find(conn, letter_id)?.ok_or(AppError::NotFound("letter"))?;
    let current = letters::version(conn, letter_id, letter.current_version)?
        .ok_or(AppError::NotFound("letter version"))?;
    Ok(LetterView { letter, current })
}

/// Every letter (archived ones too when asked) with its counts and translations, newest first,
/// in five queries however many letters there are.
pub fn list_letters(
    conn: &mut DbConnection,
    include_archived: bool,
) -> Result<Vec<LetterOverview>, AppError> {
    let all = letters::list(conn, include_archived)?;
    let ids: Vec<LetterId> = all.iter().map(|l| l.id.clone()).collect();
    let mut current: BTreeMap<LetterId, LetterVersion> = letters::current_versions(conn, &ids)?
        .into_iter()
        .map(|v| (v.letter_id.clone(), v))
        .collect();
    let mut counts: BTreeMap<LetterId, BTreeMap<String, i64>> = BTreeMap::new();
    for (letter_id, status, count) in invitations::count_by_letter_and_status(conn, &ids)? {
        counts
            .entry(LetterId::from(letter_id))
            .or_default()
            .insert(status, count);
    }
    let mut translations = translations_of_letters(conn, &ids)?;
    all.into_iter()
        .map(|letter| {
            let current = current
                .remove(&letter.id)
                .ok_or(AppError::NotFound("letter version"))?;
            let counts = counts.remove(&letter.id).unwrap_or_default();
            let translations = translations.remove(&letter.id).unwrap_or_default();
            Ok(LetterOverview {
                view: LetterView { letter, current },
                counts,
                translations,
            })
        })
        .collect()
}
