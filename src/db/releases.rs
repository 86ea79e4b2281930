//! Rows of `releases`: the frozen snapshots that were published. Immutable (the database
//! refuses updates); each later change of the public list adds a revision.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{letters, releases};
use crate::domain::LetterId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = releases)]
pub struct Release {
    pub id: String,
    #[diesel(deserialize_as = String)]
    pub letter_id: LetterId,
    pub revision: i32,
    pub version: i32,
    pub title: String,
    pub addressee: String,
    pub body_html: String,
    pub content_sha256: String,
    pub signatories: String,
    pub manifest: String,
    pub manifest_sha256: String,
    pub signature: String,
    pub change_note: Option<String>,
    pub created_by: Option<String>,
    pub released_at: NaiveDateTime,
    /// The individuals listed apart from the organizations, as JSON (`[]` when none).
    pub individuals: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = releases)]
pub struct NewRelease<'a> {
    pub id: &'a str,
    pub letter_id: &'a str,
    pub revision: i32,
    pub version: i32,
    pub title: &'a str,
    pub addressee: &'a str,
    pub body_html: &'a str,
    pub content_sha256: &'a str,
    pub signatories: &'a str,
    pub manifest: &'a str,
    pub manifest_sha256: &'a str,
    pub signature: &'a str,
    pub change_note: Option<&'a str>,
    pub created_by: Option<&'a str>,
    pub released_at: NaiveDateTime,
    pub individuals: &'a str,
}

pub fn insert(conn: &mut DbConnection, release: &NewRelease) -> QueryResult<()> {
    diesel::insert_into(releases::table)
        .values(release)
        .execute(conn)
        .map(drop)
}

/// Every revision of a letter's release, the original first.
pub fn for_letter(conn: &mut DbConnection, letter_id: &LetterId) -> QueryResult<Vec<Release>> {
    releases::table
        .filter(releases::letter_id.eq(letter_id.as_str()))
        .order(releases::revision.asc())
        .select(Release::as_select())
        .load(conn)
}

/// Every revision of the release of the letter with this slug, the original first; empty when
/// the letter was not released.
pub fn for_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Vec<Release>> {
    releases::table
        .inner_join(letters::table)
        .filter(letters::slug.eq(slug))
        .order(releases::revision.asc())
        .select(Release::as_select())
        .load(conn)
}

/// The newest revision number of the letter with this slug, if it was released.
pub fn latest_revision(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<i32>> {
    releases::table
        .inner_join(letters::table)
        .filter(letters::slug.eq(slug))
        .select(diesel::dsl::max(releases::revision))
        .first(conn)
}

/// Every letter's original release, newest first, with its slug.
pub fn all_originals(conn: &mut DbConnection) -> QueryResult<Vec<(String, Release)>> {
    releases::table
        .inner_join(letters::table)
        .filter(releases::revision.eq(1))
        .order(releases::released_at.desc())
        .select((letters::slug, Release::as_select()))
        .load(conn)
}

/// How many letters were released (first revisions) and how many revisions followed.
pub fn count_releases_and_revisions(conn: &mut DbConnection) -> QueryResult<(i64, i64)> {
    let releases = releases::table
        .filter(releases::revision.eq(1))
        .count()
        .get_result(conn)?;
    let revisions = releases::table
        .filter(releases::revision.gt(1))
        .count()
        .get_result(conn)?;
    Ok((releases, revisions))
}
