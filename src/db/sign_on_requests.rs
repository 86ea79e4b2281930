//! Rows of `sign_on_requests`: organizations and individuals that asked to join a letter
//! through its public sign-on page, with their confirmation and the coordinators' decision.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::sign_on_requests;
use crate::domain::LetterId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sign_on_requests)]
pub struct SignOnRequest {
    pub id: String,
    #[diesel(deserialize_as = String)]
    pub letter_id: LetterId,
    /// `organization` or `individual`.
    pub kind: String,
    /// `unconfirmed`, `pending`, `approved` or `rejected`.
    pub status: String,
    pub name: String,
    pub dedupe_key: String,
    pub country: Option<String>,
    pub website: Option<String>,
    pub contact_name: Option<String>,
    pub title: Option<String>,
    pub affiliation: Option<String>,
    pub email: String,
    pub note: Option<String>,
    /// The version of the letter the requester read.
    pub read_version: i32,
    pub confirm_token_hash: String,
    pub confirmed_at: Option<NaiveDateTime>,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    pub organization_id: Option<String>,
    pub invitation_id: Option<String>,
    pub ip: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = sign_on_requests)]
#[diesel(treat_none_as_null = true)]
pub struct RequestFields<'a> {
    pub name: &'a str,
    pub dedupe_key: &'a str,
    pub country: Option<&'a str>,
    pub website: Option<&'a str>,
    pub contact_name: Option<&'a str>,
    pub title: Option<&'a str>,
    pub affiliation: Option<&'a str>,
    pub email: &'a str,
    pub note: Option<&'a str>,
    pub read_version: i32,
    pub confirm_token_hash: &'a str,
    pub ip: Option<&'a str>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sign_on_requests)]
pub struct NewRequest<'a> {
    pub id: &'a str,
    pub letter_id: &'a str,
    pub kind: &'a str,
    pub status: &'a str,
    pub created_at: NaiveDateTime,
    #[diesel(embed)]
    pub fields: RequestFields<'a>,
}

/// A decision or a confirmation: only the fields that are `Some` change.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = sign_on_requests)]
pub struct RequestChanges<'a> {
    pub status: Option<&'a str>,
    pub confirmed_at: Option<Option<NaiveDateTime>>,
    pub decided_at: Option<Option<NaiveDateTime>>,
    pub decided_by: Option<Option<&'a str>>,
    pub reason: Option<Option<&'a str>>,
    pub organization_id: Option<Option<&'a str>>,
    pub invitation_id: Option<Option<&'a str>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, request: &NewRequest) -> QueryResult<()> {
    diesel::insert_into(sign_on_requests::table)
        .values(request)
        .execute(conn)
        .map(drop)
}

/// Replaces what a requester typed (a second request for the same organization or address)
/// and makes it wait for a confirmation again.
pub fn refill(conn: &mut DbConnection, id: &str, fields: &RequestFields) -> QueryResult<()> {
    diesel::update(sign_on_requests::table.find(id))
        .set((
            fields,
            sign_on_requests::status.eq("unconfirmed"),
            sign_on_requests::confirmed_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(drop)
}

pub fn update(conn: &mut DbConnection, id: &str, changes: &RequestChanges) -> QueryResult<()> {
    diesel::update(sign_on_requests::table.find(id))
        .set(changes)
        .execute(conn)
        .map(drop)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<SignOnRequest>> {
    sign_on_requests::table
        .find(id)
        .select(SignOnRequest::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_token_hash(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<SignOnRequest>> {
    sign_on_requests::table
        .filter(sign_on_requests::confirm_token_hash.eq(token_hash))
        .select(SignOnRequest::as_select())
        .first(conn)
        .optional()
}

/// The letter's request of this kind with this key, or from this email address.
pub fn find_same(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    kind: &str,
    dedupe_key: &str,
    email: &str,
) -> QueryResult<Option<SignOnRequest>> {
    sign_on_requests::table
        .filter(sign_on_requests::letter_id.eq(letter_id.as_str()))
        .filter(sign_on_requests::kind.eq(kind))
        .filter(
            sign_on_requests::dedupe_key
                .eq(dedupe_key)
                .or(sign_on_requests::email.eq(email)),
        )
        .order(sign_on_requests::created_at.asc())
        .select(SignOnRequest::as_select())
        .first(conn)
        .optional()
}

/// The letter's requests, oldest first; with `status`, only those in it.
pub fn for_letter(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    status: Option<&str>,
) -> QueryResult<Vec<SignOnRequest>> {
    let mut query = sign_on_requests::table
        .filter(sign_on_requests::letter_id.eq(letter_id.as_str()))
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(sign_on_requests::status.eq(status.to_string()));
    }
    query
        .order((
            sign_on_requests::created_at.asc(),
            sign_on_requests::id.asc(),
        ))
        .select(SignOnRequest::as_select())
        .load(conn)
}

/// How many of the letter's requests wait for a coordinator.
pub fn count_pending(conn: &mut DbConnection, letter_id: &LetterId) -> QueryResult<i64> {
    sign_on_requests::table
        .filter(sign_on_requests::letter_id.eq(letter_id.as_str()))
        .filter(sign_on_requests::status.eq("pending"))
        .count()
        .get_result(conn)
}
