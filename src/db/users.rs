//! Rows of `users`: coordinator and admin accounts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::users;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
    /// Set while an invited colleague has not chosen a password yet: the account cannot log in.
    pub pending_since: Option<NaiveDateTime>,
    /// The TOTP secret, sealed with the server secret; set during enrolment and while on.
    pub totp_secret: Option<String>,
    /// When the second factor was turned on; `None` while it is off.
    pub totp_enabled_at: Option<NaiveDateTime>,
    /// The last TOTP time step accepted, so a code never works twice.
    pub totp_last_step: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub created_at: NaiveDateTime,
    pub pending_since: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, user: &NewUser) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)
        .map(drop)
}

/// The account with this id.
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Finds an account by its lowercased email address.
pub fn find_by_email(conn: &mut DbConnection, email_key: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email_key))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// Every account, admins first, then by name.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<User>> {
    users::table
        .order((users::role.asc(), users::name.asc()))
        .select(User::as_select())
        .load(conn)
}

/// Disables the account at `at`, or enables it (`None`); false when there is no such account.
pub fn set_disabled_at(
    conn: &mut DbConnection,
    id: &str,
    at: Option<NaiveDateTime>,
) -> QueryResult<bool> {
    diesel::update(users::table.find(id))
        .set(users::disabled_at.eq(at))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn set_password_hash(conn: &mut DbConnection, id: &str, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::password_hash.eq(hash))
        .execute(conn)
        .map(drop)
}

/// Sets the role of an account; false when there is no such account.
pub fn set_role(conn: &mut DbConnection, id: &str, role: &str) -> QueryResult<bool> {
    diesel::update(users::table.find(id))
        .set(users::role.eq(role))
        .execute(conn)
        .map(|n| n == 1)
}

/// How many enabled admins there are.
pub fn count_active_admins(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq("admin"))
        .filter(users::disabled_at.is_null())
        .filter(users::pending_since.is_null())
        .count()
        .get_result(conn)
}

/// Ends the pending state of an invited account (it chose its password).
pub fn clear_pending(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::pending_since.eq(None::<NaiveDateTime>))
        .execute(conn)
        .map(drop)
}

/// Stores a sealed TOTP secret (enrolment started) or removes it with the second factor
/// (`None`); the second factor is off afterwards either way.
pub fn set_totp_secret(conn: &mut DbConnection, id: &str, sealed: Option<&str>) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::totp_secret.eq(sealed),
            users::totp_enabled_at.eq(None::<NaiveDateTime>),
            users::totp_last_step.eq(None::<i64>),
        ))
        .execute(conn)
        .map(drop)
}

/// Turns the second factor on, noting the time step of the code that confirmed it.
pub fn enable_totp(
    conn: &mut DbConnection,
    id: &str,
    at: NaiveDateTime,
    step: i64,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::totp_enabled_at.eq(Some(at)),
            users::totp_last_step.eq(Some(step)),
        ))
        .execute(conn)
        .map(drop)
}

/// Records the time step of an accepted code, only if it is later than the last one: false when
/// a code of this step (or a later one) was already used.
pub fn advance_totp_step(conn: &mut DbConnection, id: &str, step: i64) -> QueryResult<bool> {
    diesel::update(
        users::table.find(id).filter(
            users::totp_last_step
                .is_null()
                .or(users::totp_last_step.lt(step)),
        ),
    )
    .set(users::totp_last_step.eq(Some(step)))
    .execute(conn)
    .map(|n| n == 1)
}
