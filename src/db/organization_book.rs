//! The address book at scale: one page of organizations matching a search and a tag with the
//! total, their contacts and tags in one query each, the tags themselves, and the row moves of
//! deleting and merging organizations.

use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::DbConnection;
use super::connection::MultiBackend;
use super::organizations::{Contact, Organization};
use super::schema::{invitations, organization_contacts, organization_tags, organizations};
use crate::domain::{InvitationStatus, LetterId, OrganizationId};

/// Which organizations a listing means: `text` in the name, printed name or a contact's email
/// (any case; all when empty), and, when given, only those carrying the tag with this key.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub text: String,
    pub tag_key: Option<String>,
}

type Condition = Box<dyn BoxableExpression<organizations::table, MultiBackend, SqlType = Bool>>;

fn condition(filter: &Filter) -> Condition {
    let mut condition: Condition = Box::new(diesel::dsl::sql::<Bool>("1 = 1"));
    let needle = filter.text.trim().to_lowercase();
    if !needle.is_empty() {
        let pattern = format!("%{}%", escape_like(&needle));
        let by_contact = organization_contacts::table
            .filter(
                organization_contacts::email
                    .like(pattern.clone())
                    .escape('\\'),
            )
            .select(organization_contacts::organization_id);
        condition = Box::new(
            condition.and(
                organizations::name_key
                    .like(pattern.clone())
                    .escape('\\')
                    .or(organizations::display_name.like(pattern).escape('\\'))
                    .or(organizations::id.eq_any(by_contact)),
            ),
        );
    }
    if let Some(key) = &filter.tag_key {
        let tagged = organization_tags::table
            .filter(organization_tags::tag_key.eq(key.clone()))
            .select(organization_tags::organization_id);
        condition = Box::new(condition.and(organizations::id.eq_any(tagged)));
    }
    condition
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// How many organizations the filter matches.
pub fn count(conn: &mut DbConnection, filter: &Filter) -> QueryResult<i64> {
    organizations::table
        .filter(condition(filter))
        .select(count_star())
        .first(conn)
}

/// The organizations the filter matches, alphabetical by key, `limit` of them after `offset`.
pub fn page(
    conn: &mut DbConnection,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Organization>> {
    organizations::table
        .filter(condition(filter))
        .select(Organization::as_select())
        .order((organizations::name_key.asc(), organizations::id.asc()))
        .offset(offset)
        .limit(limit)
        .load(conn)
}

/// The contacts of these organizations, oldest first.
pub fn contacts_of(conn: &mut DbConnection, ids: &[OrganizationId]) -> QueryResult<Vec<Contact>> {
    let mut all = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let keys: Vec<&str> = chunk.iter().map(OrganizationId::as_str).collect();
        all.extend(
            organization_contacts::table
                .filter(organization_contacts::organization_id.eq_any(keys))
                .order((
                    organization_contacts::created_at.asc(),
                    organization_contacts::id.asc(),
                ))
                .select(Contact::as_select())
                .load(conn)?,
        );
    }
    Ok(all)
}

/// The tags of these organizations as `(organization, tag)`, alphabetical.
pub fn tags_of(
    conn: &mut DbConnection,
    ids: &[OrganizationId],
) -> QueryResult<Vec<(OrganizationId, String)>> {
    let mut all = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let keys: Vec<&str> = chunk.iter().map(OrganizationId::as_str).collect();
        let rows: Vec<(String, String)> = organization_tags::table
            .filter(organization_tags::organization_id.eq_any(keys))
            .order(organization_tags::tag_key.asc())
            .select((organization_tags::organization_id, organization_tags::tag))
            .load(conn)?;
        all.extend(rows.into_iter().map(|(id, tag)| (id.into(), tag)));
    }
    Ok(all)
}

/// Every tag in use as `(tag, key, organizations carrying it)`, alphabetical by key.
pub fn all_tags(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, i64)>> {
    let rows: Vec<(String, String)> = organization_tags::table
        .order((
            organization_tags::tag_key.asc(),
            organization_tags::tag.asc(),
        ))
        .select((organization_tags::tag, organization_tags::tag_key))
        .load(conn)?;
    let mut tags: Vec<(String, String, i64)> = Vec::new();
    for (tag, key) in rows {
        match tags.last_mut() {
            Some(last) if last.1 == key => last.2 += 1,
            _ => tags.push((tag, key, 1)),
        }
    }
    Ok(tags)
}

/// Replaces an organization's tags with `tags` as `(tag, key)`, one per key.
pub fn set_tags(
    conn: &mut DbConnection,
    id: &OrganizationId,
    tags: &[(String, String)],
) -> QueryResult<()> {
    diesel::delete(
        organization_tags::table.filter(organization_tags::organization_id.eq(id.as_str())),
    )
    .execute(conn)?;
    add_tags(conn, id, tags)
}

/// Adds the tags `(tag, key)` the organization does not carry yet.
pub fn add_tags(
    conn: &mut DbConnection,
    id: &OrganizationId,
    tags: &[(String, String)],
) -> QueryResult<()> {
    let known: Vec<String> = organization_tags::table
        .filter(organization_tags::organization_id.eq(id.as_str()))
        .select(organization_tags::tag_key)
        .load(conn)?;
    let mut seen = known;
    for (tag, key) in tags {
        if seen.contains(key) {
            continue;
        }
        diesel::insert_into(organization_tags::table)
            .values((
                organization_tags::organization_id.eq(id.as_str()),
                organization_tags::tag.eq(tag),
                organization_tags::tag_key.eq(key),
            ))
            .execute(conn)?;
        seen.push(key.clone());
    }
    Ok(())
}

/// Every `(organization, email)` of the address book, for duplicate suggestions.
pub fn all_contact_emails(conn: &mut DbConnection) -> QueryResult<Vec<(OrganizationId, String)>> {
    let rows: Vec<(String, String)> = organization_contacts::table
        .select((
            organization_contacts::organization_id,
            organization_contacts::email,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, e)| (id.into(), e)).collect())
}

/// Whether any invitation, revoked ones included, was ever made to the organization.
pub fn ever_invited(conn: &mut DbConnection, id: &OrganizationId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        invitations::table.filter(invitations::organization_id.eq(id.as_str())),
    ))
    .get_result(conn)
}

/// The organization's invitations as `(invitation, letter, status)`.
pub fn invitations_of(
    conn: &mut DbConnection,
    id: &OrganizationId,
) -> QueryResult<Vec<(String, LetterId, InvitationStatus)>> {
    let rows: Vec<(String, String, String)> = invitations::table
        .filter(invitations::organization_id.eq(id.as_str()))
        .select((invitations::id, invitations::letter_id, invitations::status))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, letter, status)| {
            let status = InvitationStatus::try_from(status)
                .map_err(|e| diesel::result::Error::DeserializationError(e.to_string().into()))?;
            Ok((id, letter.into(), status))
        })
        .collect()
}

/// Moves every invitation of `from` to `into`; returns how many moved.
pub fn move_invitations(
    conn: &mut DbConnection,
    from: &OrganizationId,
    into: &OrganizationId,
) -> QueryResult<usize> {
    diesel::update(invitations::table.filter(invitations::organization_id.eq(from.as_str())))
        .set(invitations::organization_id.eq(into.as_str()))
        .execute(conn)
}

/// Moves one contact to another organization.
pub fn move_contact(
    conn: &mut DbConnection,
    contact_id: &str,
    into: &OrganizationId,
) -> QueryResult<()> {
    diesel::update(organization_contacts::table.find(contact_id))
        .set(organization_contacts::organization_id.eq(into.as_str()))
        .execute(conn)
        .map(drop)
}

/// Deletes the organization with its contacts and tags; returns how many organizations went.
pub fn delete(conn: &mut DbConnection, id: &OrganizationId) -> QueryResult<usize> {
    diesel::delete(
        organization_contacts::table.filter(organization_contacts::organization_id.eq(id.as_str())),
    )
    .execute(conn)?;
    diesel::delete(
        organization_tags::table.filter(organization_tags::organization_id.eq(id.as_str())),
    )
    .execute(conn)?;
    diesel::delete(organizations::table.find(id.as_str())).execute(conn)
}
