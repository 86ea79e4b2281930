//! Who is asking: the coordinating organization that every email, sign page and published
//! letter names. Admins set its name, website, press contact and logo on the settings page;
//! each field left empty there falls back to the `organization.*` setting.

use serde_json::json;

use super::audit::{self, Subject};
use super::{Actor, AppError};
use crate::clock::Clock;
use crate::config::OrganizationSettings;
use crate::crypto::sha256_hex;
use crate::db::coordinating_organization::{self as stored, Stored};
use crate::db::{self, DbConnection, DbError};
use crate::domain::{EmailAddress, OrganizationName, Role, Website, logo};

/// The coordinating organization as the world sees it (each field `None` when set nowhere).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoordinatingOrganization {
    pub name: Option<String>,
    /// An `http(s)://` address.
    pub website: Option<String>,
    /// The press contact.
    pub contact_email: Option<String>,
    /// The SHA-256 of the logo (PNG) when there is one: its address is
    /// `/organization/logo.png?v={sha}`.
    pub logo_sha256: Option<String>,
}

impl CoordinatingOrganization {
    /// The logo's address, fingerprinted so it may be cached for a year.
    pub fn logo_url(&self) -> Option<String> {
        let sha = self.logo_sha256.as_deref()?;
        Some(format!(
            "/organization/logo.png?v={}",
            &sha[..16.min(sha.len())]
        ))
    }
}

/// What the settings page shows: the values set there, and the settings they fall back to.
pub struct Profile {
    pub set_here: Stored,
    pub effective: CoordinatingOrganization,
}

/// The coordinating organization: the page's values, else the settings'.
pub fn current(
    conn: &mut DbConnection,
    settings: &OrganizationSettings,
) -> Result<CoordinatingOrganization, DbError> {
    Ok(merge(stored::find(conn)?, settings))
}

/// The values set on the settings page and the result.
pub fn profile(
    conn: &mut DbConnection,
    settings: &OrganizationSettings,
) -> Result<Profile, AppError> {
    let set_here = stored::find(conn)?;
    Ok(Profile {
        effective: merge(set_here.clone(), settings),
        set_here,
    })
}

fn merge(stored: Stored, settings: &OrganizationSettings) -> CoordinatingOrganization {
    let fallback = |value: &str| Some(value.trim().to_string()).filter(|v| !v.is_empty());
    CoordinatingOrganization {
        name: stored.name.or_else(|| fallback(&settings.name)),
        website: stored.website.or_else(|| {
            fallback(&settings.website)
                .and_then(|w| Website::parse_optional(Some(&w)).ok().flatten())
                .map(|w| w.as_str().to_string())
        }),
        contact_email: stored
            .contact_email
            .or_else(|| fallback(&settings.contact_email)),
        logo_sha256: stored.logo_sha256,
    }
}

/// The settings page's fields, parsed; `None` leaves a field to the settings.
pub struct ProfileInput {
    pub name: Option<OrganizationName>,
    pub website: Option<Website>,
    pub contact_email: Option<EmailAddress>,
}

/// Saves the page's fields and records `organization.updated`. Errors: `AdminOnly`.
pub fn save(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    input: ProfileInput,
) -> Result<(), AppError> {
    require_admin(actor)?;
    let fields = Stored {
        name: input.name.map(|n| n.as_str().to_string()),
        website: input.website.map(|w| w.as_str().to_string()),
        contact_email: input.contact_email.map(|e| e.as_str().to_string()),
        logo_sha256: None,
    };
    db::write_transaction(conn, |conn| {
        stored::save_fields(conn, &fields, clock.now(), &actor.user_id)?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::default(),
            "organization.updated",
            json!({
                "name": fields.name,
                "website": fields.website,
                "contact_email": fields.contact_email,
            }),
        )?;
        Ok(())
    })
}

/// Checks an uploaded logo (PNG or JPEG), stores it re-encoded as PNG and records
/// `organization.logo_changed`. Errors: `AdminOnly`; `Invalid` with the reason for a file that
/// is not a usable image.
pub fn set_logo(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    upload: &[u8],
) -> Result<(), AppError> {
    require_admin(actor)?;
    let png = logo::reencode_logo(upload)?;
    let sha = sha256_hex(&png);
    db::write_transaction(conn, |conn| {
        stored::save_logo(conn, Some((&png, &sha)), clock.now(), &actor.user_id)?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::default(),
            "organization.logo_changed",
            json!({ "sha256": sha, "bytes": png.len() }),
        )?;
        Ok(())
    })
}

/// Removes the logo and records `organization.logo_changed`. Errors: `AdminOnly`.
pub fn remove_logo(conn: &mut DbConnection, clock: &Clock, actor: &Actor) -> Result<(), AppError> {
    require_admin(actor)?;
    db::write_transaction(conn, |conn| {
        stored::save_logo(conn, None, clock.now(), &actor.user_id)?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::default(),
            "organization.logo_changed",
            json!({ "sha256": null }),
        )?;
        Ok(())
    })
}

/// The logo as PNG bytes with its SHA-256, if there is one.
pub fn logo_png(conn: &mut DbConnection) -> Result<Option<(Vec<u8>, String)>, AppError> {
    Ok(stored::logo(conn)?)
}

fn require_admin(actor: &Actor) -> Result<(), AppError> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::AdminOnly)
    }
}
