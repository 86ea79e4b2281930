//! Translations of a letter: each language's text is versioned and bound to its own SHA-256,
//! and says which version of the authoritative text it matches. A translation is out of date
//! when the authoritative text changed substantively after that version (a minor edit leaves it
//! current); one offered to partners then blocks the release (`release::check`). Like the
//! letter's own text, translations no longer change once the letter is scheduled or released.

use std::collections::BTreeMap;

use serde_json::json;
use uuid::Uuid;

use crate::app::audit::{self, Subject};
use crate::app::{Actor, AppError, hold_letter};
use crate::clock::Clock;
use crate::db::translations::{self, NewTranslation, Translation};
use crate::db::{self, DbConnection, letters};
use crate::domain::letter::content_sha256;
use crate::domain::{
    Addressee, InvalidInput, LanguageTag, LetterBody, LetterId, LetterStatus, LetterTitle,
};

use super::{LetterView, load_view};

/// A translation as a coordinator sends it.
pub struct TranslationInput {
    pub language: LanguageTag,
    pub title: LetterTitle,
    pub addressee: Addressee,
    pub body: LetterBody,
    /// The version of the authoritative text it matches: from 1 to the current version.
    pub matches_version: i32,
    /// Whether partners are offered it to read and sign (true unless said otherwise).
    pub offered: bool,
}

impl TranslationInput {
    /// The SHA-256 of its canonical text, computed like the letter's own.
    fn content_sha256(&self) -> String {
        content_sha256(
            self.title.as_str(),
            self.addressee.as_str(),
            self.body.as_str(),
        )
    }
}

/// The newest version of a translation, and whether the authoritative text changed
/// substantively since the version it matches.
#[derive(Debug, Clone)]
pub struct TranslationView {
    pub translation: Translation,
    pub out_of_date: bool,
    /// The newest substantive version of the authoritative text, when the translation is out
    /// of date.
    pub changed_in: Option<i32>,
}

impl TranslationView {
    fn of(translation: Translation, last_substantive: Option<i32>) -> Self {
        let changed_in = last_substantive.filter(|v| *v > translation.matches_version);
        Self {
            translation,
            out_of_date: changed_in.is_some(),
            changed_in,
        }
    }

    pub fn language(&self) -> LanguageTag {
        LanguageTag::from_stored(&self.translation.language)
    }

    /// Whether it stops a release: offered to partners and out of date.
    pub fn blocks_release(&self) -> bool {
        self.translation.offered && self.out_of_date
    }
}

/// The letter's translations, newest version of each, by language. Two queries.
pub fn translations(
    conn: &mut DbConnection,
    view: &LetterView,
) -> Result<Vec<TranslationView>, AppError> {
    Ok(
        translations_of_letters(conn, std::slice::from_ref(&view.letter.id))?
            .remove(&view.letter.id)
            .unwrap_or_default(),
    )
}

/// The translations partners may read: offered, and matching the authoritative text as it
/// stands. The sign page offers these; a released letter is published in them.
pub fn offered_translations(
    conn: &mut DbConnection,
    view: &LetterView,
) -> Result<Vec<TranslationView>, AppError> {
    Ok(translations(conn, view)?
        .into_iter()
        .filter(|t| t.translation.offered && !t.out_of_date)
        .collect())
}

/// The translations of several letters, by letter then language, in two queries however many
/// letters there are.
pub fn translations_of_letters(
    conn: &mut DbConnection,
    letter_ids: &[LetterId],
) -> Result<BTreeMap<LetterId, Vec<TranslationView>>, AppError> {
    let current = translations::current_for_letters(conn, letter_ids)?;
    if current.is_empty() {
        return Ok(BTreeMap::new());
    }
    let last_substantive: BTreeMap<LetterId, Option<i32>> =
        letters::last_substantive_versions(conn, letter_ids)?
            .into_iter()
            .map(|(id, version)| (LetterId::from(id), version))
            .collect();
    let mut by_letter: BTreeMap<LetterId, Vec<TranslationView>> = BTreeMap::new();
    for translation in current {
        let changed = last_substantive
            .get(&translation.letter_id)
            .copied()
            .flatten();
        by_letter
            .entry(translation.letter_id.clone())
            .or_default()
            .push(TranslationView::of(translation, changed));
    }
    Ok(by_letter)
}

/// Adds the letter's first translation into a language (version 1). Errors: 404 for a letter
/// that does not exist; 409 when the letter is scheduled or released, or already has a
/// translation into that language (it is then updated instead); 422 for the letter's own
/// language or a version it does not have.
pub fn add_translation(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &LetterId,
    input: TranslationInput,
) -> Result<TranslationView, AppError> {
    db::write_transaction(conn, |conn| {
        let view = held_for_translation(conn, letter_id, &input)?;
        let language = input.language.as_str();
        if translations::current(conn, letter_id, language)?.is_some() {
            return Err(AppError::conflict(format!(
                "the letter already has a {} translation: update it with PUT \
                 /api/v1/letters/{letter_id}/translations/{language}",
                input.language.described()
            )));
        }
        save(
            conn,
            clock,
            actor,
            &view,
            &input,
            1,
            "letter.translation_added",
        )
    })
}

/// Saves a new version of the letter's translation into `language` (the input's language must
/// be the same). The same text, version matched and offer again change nothing. Errors as
/// `add_translation`, and 404 when the letter has no translation into that language.
pub fn update_translation(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &LetterId,
    input: TranslationInput,
) -> Result<TranslationView, AppError> {
    db::write_transaction(conn, |conn| {
        let view = held_for_translation(conn, letter_id, &input)?;
        let current = translations::current(conn, letter_id, input.language.as_str())?
            .ok_or(AppError::NotFound("translation"))?;
        let hash = input.content_sha256();
        if current.content_sha256 == hash
            && current.matches_version == input.matches_version
            && current.offered == input.offered
        {
            return view_of(conn, letter_id, current);
        }
        let version = current.version + 1;
        save(
            conn,
            clock,
            actor,
            &view,
            &input,
            version,
            "letter.translation_updated",
        )
    })
}

/// Holds the letter for a change of one of its translations, and checks that the change may be
/// made: the letter not yet scheduled or released, another language than the letter's own, a
/// version the letter has.
fn held_for_translation(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    input: &TranslationInput,
) -> Result<LetterView, AppError> {
    hold_letter(conn, letter_id)?;
    let view = load_view(conn, letter_id)?;
    if matches!(
        view.status(),
        LetterStatus::Released | LetterStatus::Scheduled
    ) {
        return Err(AppError::conflict(
            "a released or scheduled letter's translations no longer change",
        ));
    }
    if input.language.as_str() == view.letter.language {
        return Err(InvalidInput::new(format!(
            "{} is the language of the letter's own text: a translation is into another \
             language",
            input.language.described()
        ))
        .into());
    }
    if !(1..=view.current.version).contains(&input.matches_version) {
        return Err(InvalidInput::new(format!(
            "matches_version must be a version of the letter, from 1 to {}",
            view.current.version
        ))
        .into());
    }
    Ok(view)
}

/// Stores `version` of the translation with its SHA-256, audits it as `action`, and answers
/// it as stored.
fn save(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    view: &LetterView,
    input: &TranslationInput,
    version: i32,
    action: &str,
) -> Result<TranslationView, AppError> {
    let hash = input.content_sha256();
    let new = NewTranslation {
        id: &Uuid::new_v4().to_string(),
        letter_id: view.letter.id.as_str(),
        language: input.language.as_str(),
        version,
        title: input.title.as_str(),
        addressee: input.addressee.as_str(),
        body_markdown: input.body.as_str(),
        content_sha256: &hash,
        matches_version: input.matches_version,
        offered: input.offered,
        created_by: Some(&actor.user_id),
        created_at: clock.now(),
    };
    translations::insert(conn, &new)?;
    audit::record(
        conn,
        clock,
        actor,
        Subject::letter(&view.letter.id),
        action,
        json!({
            "language": new.language,
            "version": new.version,
            "matches_version": new.matches_version,
            "content_sha256": new.content_sha256,
            "offered": new.offered,
        }),
    )?;
    let saved = Translation {
        id: new.id.to_string(),
        letter_id: view.letter.id.clone(),
        language: new.language.to_string(),
        version,
        title: new.title.to_string(),
        addressee: new.addressee.to_string(),
        body_markdown: new.body_markdown.to_string(),
        content_sha256: hash.clone(),
        matches_version: new.matches_version,
        offered: new.offered,
        created_by: Some(actor.user_id.clone()),
        created_at: new.created_at,
    };
    view_of(conn, &view.letter.id, saved)
}

fn view_of(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    translation: Translation,
) -> Result<TranslationView, AppError> {
    let last_substantive = letters::last_substantive_version(conn, letter_id)?;
    Ok(TranslationView::of(translation, last_substantive))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translation(matches_version: i32) -> Translation {
        Translation {
            id: "t".into(),
            letter_id: LetterId::from("l"),
            language: "fr".into(),
            version: 1,
            title: "Lettre".into(),
            addressee: "À tous".into(),
            body_markdown: "Texte".into(),
            content_sha256: "0".repeat(64),
            matches_version,
            offered: true,
            created_by: None,
            created_at: chrono::NaiveDateTime::default(),
        }
    }

    #[test]
    fn only_a_substantive_change_after_the_matched_version_makes_it_out_of_date() {
        // No substantive change ever: current whatever it matches.
        assert!(!TranslationView::of(translation(1), None).out_of_date);
        // Substantive change in version 3: a translation of version 2 is out of date, of 3 or
        // of a later minor version is not.
        let old = TranslationView::of(translation(2), Some(3));
        assert!(old.out_of_date && old.blocks_release());
        assert_eq!(old.changed_in, Some(3));
        assert!(!TranslationView::of(translation(3), Some(3)).out_of_date);
        assert!(!TranslationView::of(translation(4), Some(3)).out_of_date);
        let mut not_offered = translation(1);
        not_offered.offered = false;
        let hidden = TranslationView::of(not_offered, Some(2));
        assert!(hidden.out_of_date && !hidden.blocks_release());
    }
}
