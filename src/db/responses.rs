//! Rows of `responses`: every decision a partner made, never overwritten.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{responses, users};
use crate::domain::{Channel, Decision, InvitationId, LetterId};

/// One decision in a letter's timeline.
#[derive(Debug, Clone, Queryable)]
pub struct TimedDecision {
    pub invitation_id: String,
    #[diesel(deserialize_as = String)]
    pub decision: Decision,
    pub at: NaiveDateTime,
}

/// The decisions of a letter's partners in the order they were made.
pub fn timeline(conn: &mut DbConnection, letter_id: &LetterId) -> QueryResult<Vec<TimedDecision>> {
    responses::table
        .filter(responses::letter_id.eq(letter_id.as_str()))
        .order((responses::created_at.asc(), responses::id.asc()))
        .select((
            responses::invitation_id,
            responses::decision,
            responses::created_at,
        ))
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = responses)]
pub struct Response {
    pub id: String,
    #[diesel(deserialize_as = String)]
    pub invitation_id: InvitationId,
    #[diesel(deserialize_as = String)]
    pub letter_id: LetterId,
    #[diesel(deserialize_as = String)]
    pub decision: Decision,
    pub version: i32,
    pub content_sha256: String,
    pub signer_name: String,
    pub signer_title: String,
    pub organization_display_name: String,
    pub comment: Option<String>,
    pub submission_key: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: NaiveDateTime,
    /// How the answer arrived: the sign link, or what a coordinator recorded it from.
    #[diesel(deserialize_as = String)]
    pub channel: Channel,
    /// For an answer a coordinator recorded: what shows it.
    pub evidence: Option<String>,
    /// For an answer a coordinator recorded: their account.
    pub recorded_by: Option<String>,
    /// The translation the partner read (BCP 47), when not the authoritative text.
    pub language: Option<String>,
    /// That translation's version.
    pub translation_version: Option<i32>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = responses)]
pub struct NewResponse<'a> {
    pub id: &'a str,
    pub invitation_id: &'a str,
    pub letter_id: &'a str,
    pub decision: &'a str,
    pub version: i32,
    pub content_sha256: &'a str,
    pub signer_name: &'a str,
    pub signer_title: &'a str,
    pub organization_display_name: &'a str,
    pub comment: Option<&'a str>,
    pub submission_key: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub channel: &'a str,
    pub evidence: Option<&'a str>,
    pub recorded_by: Option<&'a str>,
    pub language: Option<&'a str>,
    pub translation_version: Option<i32>,
}

pub fn insert(conn: &mut DbConnection, response: &NewResponse) -> QueryResult<()> {
    diesel::insert_into(responses::table)
        .values(response)
        .execute(conn)
        .map(drop)
}

pub fn submitted(conn: &mut DbConnection, submission_key: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        responses::table.filter(responses::submission_key.eq(submission_key)),
    ))
    .get_result(conn)
}

/// Every decision of one invitation, newest first.
pub fn for_invitation(
    conn: &mut DbConnection,
    invitation_id: &InvitationId,
) -> QueryResult<Vec<Response>> {
    responses::table
        .filter(responses::invitation_id.eq(invitation_id.as_str()))
        .order((responses::created_at.desc(), responses::id.desc()))
        .select(Response::as_select())
        .load(conn)
}

/// Whether anybody has answered the letter.
pub fn any_for_letter(conn: &mut DbConnection, letter_id: &LetterId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        responses::table.filter(responses::letter_id.eq(letter_id.as_str())),
    ))
    .get_result(conn)
}

/// The current answer of each invitation of a letter that has one (its newest decision), by
/// invitation.
pub fn current_for_letter(
    conn: &mut DbConnection,
    letter_id: &LetterId,
) -> QueryResult<HashMap<InvitationId, Response>> {
    let newest_first: Vec<Response> = responses::table
        .filter(responses::letter_id.eq(letter_id.as_str()))
        .order((responses::created_at.desc(), responses::id.desc()))
        .select(Response::as_select())
        .load(conn)?;
    let mut current = HashMap::new();
    for response in newest_first {
        current
            .entry(response.invitation_id.clone())
            .or_insert(response);
    }
    Ok(current)
}

/// The names of the accounts that recorded answers to a letter on organizations' behalf, by
/// account id.
pub fn recorder_names(
    conn: &mut DbConnection,
    letter_id: &LetterId,
) -> QueryResult<HashMap<String, String>> {
    let rows: Vec<(String, String)> = responses::table
        .inner_join(users::table.on(responses::recorded_by.eq(users::id.nullable())))
        .filter(responses::letter_id.eq(letter_id.as_str()))
        .select((users::id, users::name))
        .distinct()
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Every decision made in `[from, to)`, of every letter, by letter then time.
pub fn between(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<Response>> {
    responses::table
        .filter(responses::created_at.ge(from))
        .filter(responses::created_at.lt(to))
        .order((
            responses::letter_id.asc(),
            responses::created_at.asc(),
            responses::id.asc(),
        ))
        .select(Response::as_select())
        .load(conn)
}

/// How many answers were ever recorded, by decision (`sign`, `decline`, `withdraw`).
pub fn count_by_decision(conn: &mut DbConnection) -> QueryResult<Vec<(String, i64)>> {
    responses::table
        .group_by(responses::decision)
        .select((responses::decision, diesel::dsl::count_star()))
        .load(conn)
}
