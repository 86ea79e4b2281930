//! Rows of `organizations` and their `organization_contacts`: the address book.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{organization_contacts, organizations};
use crate::domain::{OrganizationId, email_key};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organizations)]
pub struct Organization {
    #[diesel(deserialize_as = String)]
    pub id: OrganizationId,
    pub name: String,
    pub name_key: String,
    pub display_name: String,
    pub country: Option<String>,
    pub website: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = organizations)]
pub struct NewOrganization<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub name_key: &'a str,
    pub display_name: &'a str,
    pub country: Option<&'a str>,
    pub website: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = organizations)]
pub struct OrganizationChanges<'a> {
    pub name: &'a str,
    pub name_key: &'a str,
    pub display_name: &'a str,
    pub country: Option<&'a str>,
    pub website: Option<&'a str>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organization_contacts)]
pub struct Contact {
    pub id: String,
    #[diesel(deserialize_as = String)]
    pub organization_id: OrganizationId,
    pub email: String,
    pub name: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = organization_contacts)]
pub struct NewContact<'a> {
    pub id: &'a str,
    pub organization_id: &'a str,
    pub email: &'a str,
    pub name: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, organization: &NewOrganization) -> QueryResult<()> {
    diesel::insert_into(organizations::table)
        .values(organization)
        .execute(conn)
        .map(drop)
}

pub fn update(
    conn: &mut DbConnection,
    id: &OrganizationId,
    changes: &OrganizationChanges,
) -> QueryResult<()> {
    diesel::update(organizations::table.find(id.as_str()))
        .set(changes)
        .execute(conn)
        .map(drop)
}

pub fn find(conn: &mut DbConnection, id: &OrganizationId) -> QueryResult<Option<Organization>> {
    organizations::table
        .find(id.as_str())
        .select(Organization::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_key(conn: &mut DbConnection, name_key: &str) -> QueryResult<Option<Organization>> {
    organizations::table
        .filter(organizations::name_key.eq(name_key))
        .select(Organization::as_select())
        .first(conn)
        .optional()
}

/// Organizations whose name, display name or a contact's email contains `text` (any case),
/// alphabetical; all of them when `text` is empty.
pub fn search(conn: &mut DbConnection, text: &str, limit: i64) -> QueryResult<Vec<Organization>> {
    let mut query = organizations::table
        .select(Organization::as_select())
        .into_boxed();
    let needle = text.trim().to_lowercase();
    if !needle.is_empty() {
        let pattern = format!("%{}%", escape_like(&needle));
        let by_contact = organization_contacts::table
            .filter(
                organization_contacts::email
                    .like(pattern.clone())
                    .escape('\\'),
            )
            .select(organization_contacts::organization_id);
        query = query.filter(
            organizations::name_key
                .like(pattern.clone())
                .escape('\\')
                .or(organizations::display_name.like(pattern).escape('\\'))
                .or(organizations::id.eq_any(by_contact)),
        );
    }
    query
        .order(organizations::name_key.asc())
        .limit(limit)
        .load(conn)
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub fn contacts(
    conn: &mut DbConnection,
    organization_id: &OrganizationId,
) -> QueryResult<Vec<Contact>> {
    organization_contacts::table
        .filter(organization_contacts::organization_id.eq(organization_id.as_str()))
        .order(organization_contacts::created_at.asc())
        .select(Contact::as_select())
        .load(conn)
}

/// Every organization's id, name and stored matching key.
pub fn names_and_keys(
    conn: &mut DbConnection,
) -> QueryResult<Vec<(OrganizationId, String, String)>> {
    let rows: Vec<(String, String, String)> = organizations::table
        .select((
            organizations::id,
            organizations::name,
            organizations::name_key,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, key)| (id.into(), name, key))
        .collect())
}

/// Stores an organization's matching key.
pub fn set_key(conn: &mut DbConnection, id: &OrganizationId, key: &str) -> QueryResult<()> {
    diesel::update(organizations::table.find(id.as_str()))
        .set(organizations::name_key.eq(key))
        .execute(conn)
        .map(drop)
}

/// Adds the contact unless the organization already has this mailbox (the same address in
/// any case: see `domain::email_key`).
pub fn add_contact(conn: &mut DbConnection, contact: &NewContact) -> QueryResult<()> {
    let known: Vec<String> = organization_contacts::table
        .filter(organization_contacts::organization_id.eq(contact.organization_id))
        .select(organization_contacts::email)
        .load(conn)?;
    let key = email_key(contact.email);
    if !known.iter().any(|email| email_key(email) == key) {
        diesel::insert_into(organization_contacts::table)
            .values(contact)
            .execute(conn)?;
    }
    Ok(())
}

pub fn remove_contact(
    conn: &mut DbConnection,
    organization_id: &OrganizationId,
    contact_id: &str,
) -> QueryResult<usize> {
    diesel::delete(
        organization_contacts::table
            .filter(organization_contacts::organization_id.eq(organization_id.as_str()))
            .filter(organization_contacts::id.eq(contact_id)),
    )
    .execute(conn)
}
