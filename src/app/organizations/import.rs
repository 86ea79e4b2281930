//! The CSV import of the address book: a preview noting rows whose organization is known, then
//! every row without a problem written in one transaction.

use serde_json::json;

use super::{CsvFile, OrganizationInput, add_contact_row, insert_organization, parse_csv, record};
use crate::app::{Actor, AppError};
use crate::clock::Clock;
use crate::db::{self, DbConnection, organizations};

/// The preview of an import: the file as read, every row with its problem if it has one, and
/// a note on rows whose organization is already in the address book. Errors with
/// `AppError::Invalid` when the file as a whole cannot be read (see [`parse_csv`]).
pub fn preview_import(
    conn: &mut DbConnection,
    csv: &[u8],
    smtputf8: bool,
) -> Result<CsvFile, AppError> {
    let mut file = parse_csv(csv, smtputf8)?;
    for row in file.rows.iter_mut().filter(|r| r.problem.is_none()) {
        if let Some(parsed) = &row.parsed
            && organizations::find_by_key(conn, &parsed.organization.key())?.is_some()
        {
            row.note = Some("already in the address book: the contact is added to it".into());
        }
    }
    Ok(file)
}

/// Writes every row without a problem, all in one transaction: either all of them are in the
/// address book afterwards, or none. Returns how many rows were imported.
pub fn import(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    csv: &[u8],
    smtputf8: bool,
) -> Result<usize, AppError> {
    let rows = parse_csv(csv, smtputf8)?.rows;
    db::write_transaction(conn, |conn| {
        let mut imported = 0;
        for row in rows.iter().filter(|r| r.is_accepted()) {
            let Some(parsed) = &row.parsed else { continue };
            let id = match organizations::find_by_key(conn, &parsed.organization.key())? {
                Some(existing) => existing.id,
                None => insert_organization(
                    conn,
                    clock,
                    &OrganizationInput {
                        name: parsed.organization.clone(),
                        display_name: parsed.display_name.clone(),
                        country: parsed.country.clone(),
                        website: row.website.clone(),
                        tags: None,
                    },
                )?,
            };
            add_contact_row(
                conn,
                clock,
                &id,
                &parsed.email,
                parsed.contact_name.as_deref(),
            )?;
            imported += 1;
        }
        record(
            conn,
            clock,
            actor,
            "organizations.imported",
            json!({ "rows": rows.len(), "imported": imported }),
        )?;
        Ok(imported)
    })
}
