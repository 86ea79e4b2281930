//! Rows of `letters` and `letter_versions`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{letter_versions, letters};
use crate::domain::{LetterId, LetterStatus};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = letters)]
pub struct Letter {
    #[diesel(deserialize_as = String)]
    pub id: LetterId,
    pub slug: String,
    pub title: String,
    pub addressee: String,
    #[diesel(deserialize_as = String)]
    pub status: LetterStatus,
    pub current_version: i32,
    pub deadline_at: Option<NaiveDateTime>,
    pub deadline_tz: Option<String>,
    pub show_signatories: bool,
    pub show_signers: bool,
    pub allow_late_signatures: bool,
    pub release_at: Option<NaiveDateTime>,
    pub release_tz: Option<String>,
    pub released_at: Option<NaiveDateTime>,
    pub archived_at: Option<NaiveDateTime>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// While a release is scheduled: whether partners' answers are frozen until it fires.
    pub answers_frozen: bool,
    /// Whether organizations that were not invited may ask to join (`/letters/{slug}/join`).
    pub open_sign_on: bool,
    /// Whether individuals may sign in their personal capacity, listed apart.
    pub accept_individuals: bool,
    /// The heading of the individuals' list; `None`: the default heading.
    pub individuals_heading: Option<String>,
    /// The BCP 47 tag of the authoritative text (translations are in `letter_translations`).
    pub language: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = letters)]
pub struct NewLetter<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub addressee: &'a str,
    pub status: &'a str,
    pub current_version: i32,
    pub deadline_at: Option<NaiveDateTime>,
    pub deadline_tz: Option<&'a str>,
    pub show_signatories: bool,
    pub show_signers: bool,
    pub allow_late_signatures: bool,
    pub language: &'a str,
    pub created_by: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = letter_versions)]
pub struct LetterVersion {
    pub id: String,
    #[diesel(deserialize_as = String)]
    pub letter_id: LetterId,
    pub version: i32,
    pub title: String,
    pub addressee: String,
    pub body_markdown: String,
    pub content_sha256: String,
    pub change_kind: String,
    pub note: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = letter_versions)]
pub struct NewLetterVersion<'a> {
    pub id: &'a str,
    pub letter_id: &'a str,
    pub version: i32,
    pub title: &'a str,
    pub addressee: &'a str,
    pub body_markdown: &'a str,
    pub content_sha256: &'a str,
    pub change_kind: &'a str,
    pub note: Option<&'a str>,
    pub created_by: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, letter: &NewLetter) -> QueryResult<()> {
    diesel::insert_into(letters::table)
        .values(letter)
        .execute(conn)
        .map(drop)
}

pub fn insert_version(conn: &mut DbConnection, version: &NewLetterVersion) -> QueryResult<()> {
    diesel::insert_into(letter_versions::table)
        .values(version)
        .execute(conn)
        .map(drop)
}

pub fn find(conn: &mut DbConnection, id: &LetterId) -> QueryResult<Option<Letter>> {
    letters::table
        .find(id.as_str())
        .select(Letter::as_select())
        .first(conn)
        .optional()
}

/// The newest version of the letter whose change was substantive (`None` when none was): a
/// translation matching an older version is out of date.
pub fn last_substantive_version(
    conn: &mut DbConnection,
    id: &LetterId,
) -> QueryResult<Option<i32>> {
    letter_versions::table
        .filter(letter_versions::letter_id.eq(id.as_str()))
        .filter(letter_versions::change_kind.eq("substantive"))
        .select(diesel::dsl::max(letter_versions::version))
        .first(conn)
}

/// `last_substantive_version` of each of these letters that had a substantive change:
/// `(letter, version)`.
pub fn last_substantive_versions(
    conn: &mut DbConnection,
    ids: &[LetterId],
) -> QueryResult<Vec<(String, Option<i32>)>> {
    letter_versions::table
        .filter(letter_versions::letter_id.eq_any(ids.iter().map(LetterId::as_str)))
        .filter(letter_versions::change_kind.eq("substantive"))
        .group_by(letter_versions::letter_id)
        .select((
            letter_versions::letter_id,
            diesel::dsl::max(letter_versions::version),
        ))
        .load(conn)
}

/// When the letter's coordinators last acknowledged the withdrawals from its published list.
pub fn withdrawals_seen_at(
    conn: &mut DbConnection,
    id: &LetterId,
) -> QueryResult<Option<NaiveDateTime>> {
    Ok(letters::table
        .find(id.as_str())
        .select(letters::withdrawals_seen_at)
        .first(conn)
        .optional()?
        .flatten())
}

/// Notes that the coordinators saw the withdrawals made until `at`.
pub fn see_withdrawals(
    conn: &mut DbConnection,
    id: &LetterId,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(letters::table.find(id.as_str()))
        .set(letters::withdrawals_seen_at.eq(Some(at)))
        .execute(conn)
        .map(drop)
}

/// The letter with this public address, whatever its status.
pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<Letter>> {
    letters::table
        .filter(letters::slug.eq(slug))
        .select(Letter::as_select())
        .first(conn)
        .optional()
}

pub fn slug_taken(conn: &mut DbConnection, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        letters::table.filter(letters::slug.eq(slug)),
    ))
    .get_result(conn)
}

/// Every letter, newest first; archived ones only when asked.
pub fn list(conn: &mut DbConnection, include_archived: bool) -> QueryResult<Vec<Letter>> {
    let mut query = letters::table.select(Letter::as_select()).into_boxed();
    if !include_archived {
        query = query.filter(letters::archived_at.is_null());
    }
    query.order(letters::created_at.desc()).load(conn)
}

pub fn version(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    version: i32,
) -> QueryResult<Option<LetterVersion>> {
    letter_versions::table
        .filter(letter_versions::letter_id.eq(letter_id.as_str()))
        .filter(letter_versions::version.eq(version))
        .select(LetterVersion::as_select())
        .first(conn)
        .optional()
}

/// All versions of a letter, newest first.
pub fn versions(conn: &mut DbConnection, letter_id: &LetterId) -> QueryResult<Vec<LetterVersion>> {
    letter_versions::table
        .filter(letter_versions::letter_id.eq(letter_id.as_str()))
        .order(letter_versions::version.desc())
        .select(LetterVersion::as_select())
        .load(conn)
}

/// The current version of each of these letters, in one query.
pub fn current_versions(
    conn: &mut DbConnection,
    letter_ids: &[LetterId],
) -> QueryResult<Vec<LetterVersion>> {
    letter_versions::table
        .inner_join(
            letters::table.on(letters::id
                .eq(letter_versions::letter_id)
                .and(letters::current_version.eq(letter_versions::version))),
        )
        .filter(letters::id.eq_any(letter_ids.iter().map(LetterId::as_str)))
        .select(LetterVersion::as_select())
        .load(conn)
}

#[derive(Debug, AsChangeset, Default)]
#[diesel(table_name = letters)]
pub struct LetterChanges<'a> {
    pub title: Option<&'a str>,
    pub slug: Option<&'a str>,
    pub addressee: Option<&'a str>,
    pub status: Option<&'a str>,
    pub current_version: Option<i32>,
    pub deadline_at: Option<Option<NaiveDateTime>>,
    pub deadline_tz: Option<Option<&'a str>>,
    pub show_signatories: Option<bool>,
    pub show_signers: Option<bool>,
    pub allow_late_signatures: Option<bool>,
    pub archived_at: Option<Option<NaiveDateTime>>,
    pub released_at: Option<Option<NaiveDateTime>>,
    pub release_at: Option<Option<NaiveDateTime>>,
    pub release_tz: Option<Option<&'a str>>,
    pub release_scheduled_by: Option<Option<&'a str>>,
    pub answers_frozen: Option<bool>,
    pub open_sign_on: Option<bool>,
    pub accept_individuals: Option<bool>,
    pub individuals_heading: Option<Option<&'a str>>,
    pub language: Option<&'a str>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn update(conn: &mut DbConnection, id: &LetterId, changes: &LetterChanges) -> QueryResult<()> {
    diesel::update(letters::table.find(id.as_str()))
        .set(changes)
        .execute(conn)
        .map(drop)
}

pub fn delete(conn: &mut DbConnection, id: &LetterId) -> QueryResult<()> {
    diesel::delete(letters::table.find(id.as_str()))
        .execute(conn)
        .map(drop)
}

/// Letters whose scheduled release time has come: id and who scheduled it.
pub fn due_releases(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<(LetterId, Option<String>)>> {
    let due: Vec<(String, Option<String>)> = letters::table
        .filter(letters::status.eq(LetterStatus::Scheduled.as_str()))
        .filter(letters::release_at.le(now))
        .select((letters::id, letters::release_scheduled_by))
        .load(conn)?;
    Ok(due.into_iter().map(|(id, by)| (id.into(), by)).collect())
}

/// Open letters with a reminder schedule and a deadline after `now`: `(id, deadline, days)`.
pub fn with_reminders_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<(LetterId, Option<NaiveDateTime>, String)>> {
    let due: Vec<(String, Option<NaiveDateTime>, String)> = letters::table
        .filter(letters::status.eq(LetterStatus::Open.as_str()))
        .filter(letters::deadline_at.gt(now))
        .filter(letters::reminder_days.ne(""))
        .select((letters::id, letters::deadline_at, letters::reminder_days))
        .load(conn)?;
    Ok(due
        .into_iter()
        .map(|(id, deadline, days)| (id.into(), deadline, days))
        .collect())
}

/// Sets the stored reminder schedule; false when there is no such letter.
pub fn set_reminder_days(
    conn: &mut DbConnection,
    id: &LetterId,
    days: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(letters::table.find(id.as_str()))
        .set((letters::reminder_days.eq(days), letters::updated_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

/// The stored reminder schedule of a letter.
pub fn reminder_days(conn: &mut DbConnection, id: &LetterId) -> QueryResult<Option<String>> {
    letters::table
        .find(id.as_str())
        .select(letters::reminder_days)
        .first(conn)
        .optional()
}
