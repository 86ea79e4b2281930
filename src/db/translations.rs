//! Rows of `letter_translations`: every version of every translation of a letter, the newest
//! of each language being the one in use.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::letter_translations;
use crate::domain::LetterId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = letter_translations)]
pub struct Translation {
    pub id: String,
    #[diesel(deserialize_as = String)]
    pub letter_id: LetterId,
    /// BCP 47 tag, canonical.
    pub language: String,
    /// Counts this language's versions from 1.
    pub version: i32,
    pub title: String,
    pub addressee: String,
    pub body_markdown: String,
    /// SHA-256 of the translation's canonical text (`domain::letter::canonical_text`).
    pub content_sha256: String,
    /// The version of the authoritative text this translation says it matches.
    pub matches_version: i32,
    /// Whether partners are offered this translation to read and sign.
    pub offered: bool,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = letter_translations)]
pub struct NewTranslation<'a> {
    pub id: &'a str,
    pub letter_id: &'a str,
    pub language: &'a str,
    pub version: i32,
    pub title: &'a str,
    pub addressee: &'a str,
    pub body_markdown: &'a str,
    pub content_sha256: &'a str,
    pub matches_version: i32,
    pub offered: bool,
    pub created_by: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, translation: &NewTranslation) -> QueryResult<()> {
    diesel::insert_into(letter_translations::table)
        .values(translation)
        .execute(conn)
        .map(drop)
}

/// The newest version of each translation of these letters, by letter then language. Reads
/// every version (a letter has a handful of languages and few versions of each).
pub fn current_for_letters(
    conn: &mut DbConnection,
    letter_ids: &[LetterId],
) -> QueryResult<Vec<Translation>> {
    let mut all: Vec<Translation> = letter_translations::table
        .filter(letter_translations::letter_id.eq_any(letter_ids.iter().map(LetterId::as_str)))
        .order((
            letter_translations::letter_id.asc(),
            letter_translations::language.asc(),
            letter_translations::version.desc(),
        ))
        .select(Translation::as_select())
        .load(conn)?;
    all.dedup_by(|later, newest| {
        later.letter_id == newest.letter_id && later.language == newest.language
    });
    Ok(all)
}

/// The newest version of the letter's translation into `language`, if it has one.
pub fn current(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    language: &str,
) -> QueryResult<Option<Translation>> {
    letter_translations::table
        .filter(letter_translations::letter_id.eq(letter_id.as_str()))
        .filter(letter_translations::language.eq(language))
        .order(letter_translations::version.desc())
        .select(Translation::as_select())
        .first(conn)
        .optional()
}
