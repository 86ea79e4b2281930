//! Rows of `invitations`: one organization asked to sign one letter.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::invitations;
use crate::domain::{InvitationId, InvitationStatus, LetterId, OrganizationId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    #[diesel(deserialize_as = String)]
    pub id: InvitationId,
    #[diesel(deserialize_as = String)]
    pub letter_id: LetterId,
    #[diesel(deserialize_as = String)]
    pub organization_id: OrganizationId,
    pub contact_email: String,
    pub contact_name: Option<String>,
    pub display_name: String,
    pub country: Option<String>,
    pub tier: String,
    #[diesel(deserialize_as = String)]
    pub status: InvitationStatus,
    pub token_nonce: String,
    pub token_hash: String,
    pub approved_version: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub opened_at: Option<NaiveDateTime>,
    pub responded_at: Option<NaiveDateTime>,
    pub last_activity_at: NaiveDateTime,
    /// The language the coordinators chose for this invitation (BCP 47), if they did.
    pub language: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = invitations)]
pub struct NewInvitation<'a> {
    pub id: &'a str,
    pub letter_id: &'a str,
    pub organization_id: &'a str,
    pub contact_email: &'a str,
    pub contact_name: Option<&'a str>,
    pub display_name: &'a str,
    pub country: Option<&'a str>,
    pub tier: &'a str,
    pub status: &'a str,
    pub token_nonce: &'a str,
    pub token_hash: &'a str,
    pub language: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_activity_at: NaiveDateTime,
}

#[derive(Debug, AsChangeset, Default)]
#[diesel(table_name = invitations)]
pub struct InvitationChanges<'a> {
    /// An `InvitationStatus` as stored (`as_str()`).
    pub status: Option<&'a str>,
    pub tier: Option<&'a str>,
    pub display_name: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub contact_name: Option<Option<&'a str>>,
    pub approved_version: Option<Option<i32>>,
    pub opened_at: Option<Option<NaiveDateTime>>,
    pub responded_at: Option<Option<NaiveDateTime>>,
    pub token_nonce: Option<&'a str>,
    pub token_hash: Option<&'a str>,
    pub updated_at: Option<NaiveDateTime>,
    pub last_activity_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, invitation: &NewInvitation) -> QueryResult<()> {
    diesel::insert_into(invitations::table)
        .values(invitation)
        .execute(conn)
        .map(drop)
}

pub fn update(
    conn: &mut DbConnection,
    id: &InvitationId,
    changes: &InvitationChanges,
) -> QueryResult<()> {
    diesel::update(invitations::table.find(id.as_str()))
        .set(changes)
        .execute(conn)
        .map(drop)
}

/// Applies `changes` and returns the invitation as it now stands, in one statement.
pub fn update_returning(
    conn: &mut DbConnection,
    id: &InvitationId,
    changes: &InvitationChanges,
) -> QueryResult<Invitation> {
    let update = || diesel::update(invitations::table.find(id.as_str())).set(changes);
    // RETURNING is spoken by each backend, not by the connection enum.
    match conn {
        DbConnection::Postgres(pg) => update()
            .returning(Invitation::as_returning())
            .get_result(pg),
        DbConnection::Sqlite(sqlite) => update()
            .returning(Invitation::as_returning())
            .get_result(sqlite),
    }
}

pub fn find(conn: &mut DbConnection, id: &InvitationId) -> QueryResult<Option<Invitation>> {
    invitations::table
        .find(id.as_str())
        .select(Invitation::as_select())
        .first(conn)
        .optional()
}

/// The invitation of this organization to this letter that is not revoked, if any.
pub fn find_open(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    organization_id: &OrganizationId,
) -> QueryResult<Option<Invitation>> {
    invitations::table
        .filter(invitations::letter_id.eq(letter_id.as_str()))
        .filter(invitations::organization_id.eq(organization_id.as_str()))
        .filter(invitations::status.ne(InvitationStatus::Revoked.as_str()))
        .select(Invitation::as_select())
        .first(conn)
        .optional()
}

pub fn for_letter(conn: &mut DbConnection, letter_id: &LetterId) -> QueryResult<Vec<Invitation>> {
    invitations::table
        .filter(invitations::letter_id.eq(letter_id.as_str()))
        .order((invitations::tier.asc(), invitations::display_name.asc()))
        .select(Invitation::as_select())
        .load(conn)
}

/// How many invitations of the letter are in each status.
pub fn count_by_status(
    conn: &mut DbConnection,
    letter_id: &LetterId,
) -> QueryResult<Vec<(String, i64)>> {
    invitations::table
        .filter(invitations::letter_id.eq(letter_id.as_str()))
        .group_by(invitations::status)
        .select((invitations::status, diesel::dsl::count_star()))
        .load(conn)
}

/// How many invitations of each of these letters are in each status: `(letter, status, count)`.
pub fn count_by_letter_and_status(
    conn: &mut DbConnection,
    letter_ids: &[LetterId],
) -> QueryResult<Vec<(String, String, i64)>> {
    invitations::table
        .filter(invitations::letter_id.eq_any(letter_ids.iter().map(LetterId::as_str)))
        .group_by((invitations::letter_id, invitations::status))
        .select((
            invitations::letter_id,
            invitations::status,
            diesel::dsl::count_star(),
        ))
        .load(conn)
}

/// The invitation email went out: `queued` becomes `sent` (a later status stays as it is).
pub fn mark_sent(
    conn: &mut DbConnection,
    id: &InvitationId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        invitations::table
            .find(id.as_str())
            .filter(invitations::status.eq(InvitationStatus::Queued.as_str())),
    )
    .set((
        invitations::status.eq(InvitationStatus::Sent.as_str()),
        invitations::sent_at.eq(now),
        invitations::updated_at.eq(now),
    ))
    .execute(conn)
    .map(drop)
}

/// Delivery failed for good: an invitation still waiting for an answer becomes `bounced`.
/// Returns whether it changed.
pub fn mark_bounced(
    conn: &mut DbConnection,
    id: &InvitationId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        invitations::table.find(id.as_str()).filter(
            invitations::status.eq_any(
                [
                    InvitationStatus::Queued,
                    InvitationStatus::Sent,
                    InvitationStatus::Opened,
                ]
                .map(InvitationStatus::as_str),
            ),
        ),
    )
    .set((
        invitations::status.eq(InvitationStatus::Bounced.as_str()),
        invitations::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// A bounced invitation whose email is tried again goes back to `sent` if its invitation
/// email had gone out before, else to `queued`.
pub fn unbounce(conn: &mut DbConnection, id: &InvitationId, now: NaiveDateTime) -> QueryResult<()> {
    let bounced = invitations::table
        .find(id.as_str())
        .filter(invitations::status.eq(InvitationStatus::Bounced.as_str()));
    diesel::update(bounced.filter(invitations::sent_at.is_not_null()))
        .set((
            invitations::status.eq(InvitationStatus::Sent.as_str()),
            invitations::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(bounced.filter(invitations::sent_at.is_null()))
        .set((
            invitations::status.eq(InvitationStatus::Queued.as_str()),
            invitations::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// The invitation whose sign-link token has this SHA-256.
pub fn find_by_token_hash(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<Invitation>> {
    invitations::table
        .filter(invitations::token_hash.eq(token_hash))
        .select(Invitation::as_select())
        .first(conn)
        .optional()
}

/// The names of at most `limit` organizations whose signature is for this version of the
/// letter, in byte order of their names: read from the `invitations_signed_by_name` index and
/// stopped there, so the cost does not grow with the letter.
pub fn first_signed_names(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    version: i32,
    limit: i64,
) -> QueryResult<Vec<String>> {
    invitations::table
        .filter(invitations::letter_id.eq(letter_id.as_str()))
        .filter(invitations::status.eq(InvitationStatus::Signed.as_str()))
        .filter(invitations::approved_version.eq(version))
        .order(invitations::display_name.asc())
        .select(invitations::display_name)
        .limit(limit)
        .load(conn)
}

/// How many invitations the letter holds, in any status (an index-only count).
pub fn count_for_letter(conn: &mut DbConnection, letter_id: &LetterId) -> QueryResult<usize> {
    invitations::table
        .filter(invitations::letter_id.eq(letter_id.as_str()))
        .count()
        .get_result::<i64>(conn)
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// Invitations of the letter whose signature is for this version.
pub fn signed_for_version(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    version: i32,
) -> QueryResult<Vec<Invitation>> {
    invitations::table
        .filter(invitations::letter_id.eq(letter_id.as_str()))
        .filter(invitations::status.eq(InvitationStatus::Signed.as_str()))
        .filter(invitations::approved_version.eq(version))
        .order(invitations::display_name.asc())
        .select(Invitation::as_select())
        .load(conn)
}

/// Invitations of the letter in one of `statuses` whose invitation email went out before
/// `before`: `(id, contact email)`.
pub fn emailed_before(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    statuses: &[&str],
    before: NaiveDateTime,
) -> QueryResult<Vec<(InvitationId, String)>> {
    let emailed: Vec<(String, String)> = invitations::table
        .filter(invitations::letter_id.eq(letter_id.as_str()))
        .filter(invitations::status.eq_any(statuses))
        .filter(invitations::sent_at.lt(before))
        .select((invitations::id, invitations::contact_email))
        .load(conn)?;
    Ok(emailed
        .into_iter()
        .map(|(id, email)| (id.into(), email))
        .collect())
}
