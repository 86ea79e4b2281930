//! The one row of `coordinating_organization`: who is asking, as admins set it on the settings
//! page. The logo is read only when it is served; everything else is read together.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::coordinating_organization as row;

/// The stored fields (each `None` when not set on the page), and the logo's SHA-256.
#[derive(Debug, Clone, Default, Queryable, Selectable)]
#[diesel(table_name = row)]
pub struct Stored {
    pub name: Option<String>,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub logo_sha256: Option<String>,
}

/// The stored fields; all `None` when the row is missing (a database migrated by hand).
pub fn find(conn: &mut DbConnection) -> QueryResult<Stored> {
    Ok(row::table
        .filter(row::id.eq(1))
        .select(Stored::as_select())
        .first(conn)
        .optional()?
        .unwrap_or_default())
}

/// The logo as PNG bytes with its SHA-256, if there is one.
pub fn logo(conn: &mut DbConnection) -> QueryResult<Option<(Vec<u8>, String)>> {
    let found: Option<(Option<Vec<u8>>, Option<String>)> = row::table
        .filter(row::id.eq(1))
        .select((row::logo_png, row::logo_sha256))
        .first(conn)
        .optional()?;
    Ok(match found {
        Some((Some(png), Some(sha))) => Some((png, sha)),
        _ => None,
    })
}

/// Sets the text fields (`None` clears one).
pub fn save_fields(
    conn: &mut DbConnection,
    fields: &Stored,
    at: NaiveDateTime,
    by: &str,
) -> QueryResult<()> {
    diesel::update(row::table.filter(row::id.eq(1)))
        .set((
            row::name.eq(fields.name.as_deref()),
            row::website.eq(fields.website.as_deref()),
            row::contact_email.eq(fields.contact_email.as_deref()),
            row::updated_at.eq(at),
            row::updated_by.eq(by),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Sets the logo (PNG bytes and their SHA-256), or removes it with `None`.
pub fn save_logo(
    conn: &mut DbConnection,
    logo: Option<(&[u8], &str)>,
    at: NaiveDateTime,
    by: &str,
) -> QueryResult<()> {
    diesel::update(row::table.filter(row::id.eq(1)))
        .set((
            row::logo_png.eq(logo.map(|(png, _)| png)),
            row::logo_sha256.eq(logo.map(|(_, sha)| sha)),
            row::updated_at.eq(at),
            row::updated_by.eq(by),
        ))
        .execute(conn)
        .map(|_| ())
}
