//! Rows of `notification_preferences`: what one account wants to hear about. An account
//! without a row wants everything.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::notification_preferences as row;

/// One account's choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = row)]
pub struct Choices {
    pub lead_declined: bool,
    pub withdrawn_after_release: bool,
    pub release_outcome: bool,
    pub bounced: bool,
    pub daily_digest: bool,
}

/// The account's choices, if it ever saved any.
pub fn find(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<Choices>> {
    row::table
        .filter(row::user_id.eq(user_id))
        .select(Choices::as_select())
        .first(conn)
        .optional()
}

/// Saves the account's choices (inserted the first time, replaced after).
pub fn save(
    conn: &mut DbConnection,
    user_id: &str,
    choices: &Choices,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(row::table.filter(row::user_id.eq(user_id)))
        .set((choices, row::updated_at.eq(at)))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(row::table)
            .values((row::user_id.eq(user_id), choices, row::updated_at.eq(at)))
            .execute(conn)?;
    }
    Ok(())
}
