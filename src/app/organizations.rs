//! The address book: organizations reused across letters, their contacts and tags, and the CSV
//! import that shows every row's problem before anything is written. Pages of a search with
//! their total are in `listing`, deleting and merging in `merge`, duplicate suggestions in
//! `duplicates`.

use serde_json::json;
use uuid::Uuid;

use super::audit::{self, Subject};
use super::{Actor, AppError};
use crate::clock::Clock;
use crate::db::organizations::{
    self, Contact, NewContact, NewOrganization, Organization, OrganizationChanges,
};
use crate::db::{self, DbConnection};
use crate::domain::{CountryCode, EmailAddress, OrganizationId, OrganizationName, Tag, Website};

mod columns;
pub mod csv_rows;
mod decode;
mod duplicates;
mod import;
mod keys;
mod listing;
mod merge;

pub use csv_rows::{CsvFile, Delimiter, ImportRow, MAX_ROWS, parse_csv};
pub use decode::TextEncoding;
pub use duplicates::{DuplicateGroup, duplicates};
pub use import::{import, preview_import};
pub use keys::refresh_keys;
pub use listing::{
    DEFAULT_PER_PAGE, MAX_PER_PAGE, OrganizationPage, PageRequest, Tags, all_matching, list, tags,
};
pub use merge::{MergeOutcome, delete, merge};

/// An organization as typed in the address book form or a CSV row.
#[derive(Debug, Clone)]
pub struct OrganizationInput {
    pub name: OrganizationName,
    pub display_name: Option<OrganizationName>,
    pub country: Option<CountryCode>,
    pub website: Option<Website>,
    /// The tags it carries from now on; `None` leaves them as they are.
    pub tags: Option<Vec<Tag>>,
}

/// An organization with its contacts (oldest first: the first is invited unless another is
/// chosen) and its tags (alphabetical).
pub struct OrganizationView {
    pub organization: Organization,
    pub contacts: Vec<Contact>,
    pub tags: Vec<String>,
}

pub fn create(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    input: &OrganizationInput,
    contact: Option<(&EmailAddress, Option<&str>)>,
) -> Result<Organization, AppError> {
    db::write_transaction(conn, |conn| {
        let id = insert_organization(conn, clock, input)?;
        set_tags(conn, &id, input.tags.as_deref())?;
        if let Some((email, name)) = contact {
            add_contact_row(conn, clock, &id, email, name)?;
        }
        record(
            conn,
            clock,
            actor,
            "organization.created",
            json!({ "organization_id": id, "name": input.name.as_str() }),
        )?;
        organizations::find(conn, &id)?.ok_or(AppError::NotFound("organization"))
    })
}

fn insert_organization(
    conn: &mut DbConnection,
    clock: &Clock,
    input: &OrganizationInput,
) -> Result<OrganizationId, AppError> {
    let key = input.name.key();
    if organizations::find_by_key(conn, &key)?.is_some() {
        return Err(AppError::conflict(format!(
            "{} is already in the address book",
            input.name.as_str()
        )));
    }
    let id = OrganizationId::generate();
    let now = clock.now();
    organizations::insert(
        conn,
        &NewOrganization {
            id: &id,
            name: input.name.as_str(),
            name_key: &key,
            display_name: input.display_name.as_ref().unwrap_or(&input.name).as_str(),
            country: input.country.as_ref().map(CountryCode::as_str),
            website: input.website.as_ref().map(Website::as_str),
            created_at: now,
            updated_at: now,
        },
    )?;
    Ok(id)
}

fn set_tags(
    conn: &mut DbConnection,
    id: &OrganizationId,
    tags: Option<&[Tag]>,
) -> Result<(), AppError> {
    if let Some(tags) = tags {
        let rows: Vec<(String, String)> = tags
            .iter()
            .map(|t| (t.as_str().to_string(), t.key().to_string()))
            .collect();
        db::organization_book::set_tags(conn, id, &rows)?;
    }
    Ok(())
}

fn add_contact_row(
    conn: &mut DbConnection,
    clock: &Clock,
    organization_id: &OrganizationId,
    email: &EmailAddress,
    name: Option<&str>,
) -> Result<(), AppError> {
    organizations::add_contact(
        conn,
        &NewContact {
            id: &Uuid::new_v4().to_string(),
            organization_id,
            email: email.as_str(),
            name,
            created_at: clock.now(),
        },
    )?;
    Ok(())
}

pub fn update(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    id: &OrganizationId,
    input: &OrganizationInput,
) -> Result<Organization, AppError> {
    db::write_transaction(conn, |conn| {
        organizations::find(conn, id)?.ok_or(AppError::NotFound("organization"))?;
        let key = input.name.key();
        if organizations::find_by_key(conn, &key)?.is_some_and(|other| other.id != *id) {
            return Err(AppError::conflict(format!(
                "another organization is called {}",
                input.name.as_str()
            )));
        }
        organizations::update(
            conn,
            id,
            &OrganizationChanges {
                name: input.name.as_str(),
                name_key: &key,
                display_name: input.display_name.as_ref().unwrap_or(&input.name).as_str(),
                country: input.country.as_ref().map(CountryCode::as_str),
                website: input.website.as_ref().map(Website::as_str),
                updated_at: clock.now(),
            },
        )?;
        set_tags(conn, id, input.tags.as_deref())?;
        record(
            conn,
            clock,
            actor,
            "organization.edited",
            json!({ "organization_id": id, "name": input.name.as_str() }),
        )?;
        organizations::find(conn, id)?.ok_or(AppError::NotFound("organization"))
    })
}

pub fn get(conn: &mut DbConnection, id: &OrganizationId) -> Result<OrganizationView, AppError> {
    let organization = organizations::find(conn, id)?.ok_or(AppError::NotFound("organization"))?;
    let contacts = organizations::contacts(conn, id)?;
    let tags = db::organization_book::tags_of(conn, std::slice::from_ref(id))?
        .into_iter()
        .map(|(_, tag)| tag)
        .collect();
    Ok(OrganizationView {
        organization,
        contacts,
        tags,
    })
}

pub fn add_contact(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    id: &OrganizationId,
    email: &EmailAddress,
    name: Option<&str>,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        organizations::find(conn, id)?.ok_or(AppError::NotFound("organization"))?;
        add_contact_row(conn, clock, id, email, name)?;
        record(
            conn,
            clock,
            actor,
            "organization.contact_added",
            json!({ "organization_id": id, "email": email.as_str() }),
        )
    })
}

pub fn remove_contact(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    id: &OrganizationId,
    contact_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        match organizations::remove_contact(conn, id, contact_id)? {
            0 => Err(AppError::NotFound("contact")),
            _ => record(
                conn,
                clock,
                actor,
                "organization.contact_removed",
                json!({ "organization_id": id, "contact_id": contact_id }),
            ),
        }
    })
}

/// Address-book actions belong to no letter; they are audited all the same.
fn record(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    action: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    Ok(audit::record(
        conn,
        clock,
        actor,
        Subject::default(),
        action,
        detail,
    )?)
}

/// The id of the organization whose name folds to `name_key`, if the address book has one.
pub fn find_by_name_key(
    conn: &mut DbConnection,
    name_key: &str,
) -> Result<Option<OrganizationId>, AppError> {
    Ok(organizations::find_by_key(conn, name_key)?.map(|o| o.id))
}
