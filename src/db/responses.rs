//! Rows of `responses`: every decision a partner made, never overwritten.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::responses;

/// The decisions of a letter's partners in the order they were made: invitation, decision, time.
pub fn timeline(
    conn: &mut DbConnection,
    letter_id: &str,
) -> QueryResult<Vec<(String, String, NaiveDateTime)>> {
    responses::table
        .filter(responses::letter_id.eq(letter_id))
        .order((responses::created_at.asc(), responses::id.asc()))
        .select((
            responses::invitation_id,
            responses::decision,
            responses::created_at,
        ))
        .load(conn)
}
