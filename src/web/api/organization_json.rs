//! The JSON shapes of the address book in API v1: an organization with its contacts and tags,
//! a page of them with the total, the body that creates or updates one, and a merge.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::organizations::OrganizationView;
use crate::clock::rfc3339 as utc;

#[derive(Serialize, ToSchema)]
pub struct ContactJson {
    pub id: String,
    pub email: String,
    pub name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationJson {
    pub id: String,
    pub name: String,
    /// The name as printed under a letter.
    pub display_name: String,
    /// ISO 3166-1 alpha-2, uppercase.
    pub country: Option<String>,
    pub website: Option<String>,
    /// Oldest first: the first is invited unless another is chosen.
    pub contacts: Vec<ContactJson>,
    pub tags: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&OrganizationView> for OrganizationJson {
    fn from(view: &OrganizationView) -> Self {
        let o = &view.organization;
        Self {
            id: o.id.to_string(),
            name: o.name.clone(),
            display_name: o.display_name.clone(),
            country: o.country.clone(),
            website: o.website.clone(),
            contacts: view
                .contacts
                .iter()
                .map(|c| ContactJson {
                    id: c.id.clone(),
                    email: c.email.clone(),
                    name: c.name.clone(),
                })
                .collect(),
            tags: view.tags.clone(),
            created_at: utc(o.created_at),
            updated_at: utc(o.updated_at),
        }
    }
}

/// One page of the address book, alphabetical, and how many organizations match in all.
#[derive(Serialize, ToSchema)]
pub struct OrganizationListJson {
    pub organizations: Vec<OrganizationJson>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// An organization to create (`POST`) or its new details (`PUT`). With `email`, the contact is
/// added (unless the organization has this mailbox already). `tags` replaces its tags when
/// given. Unknown fields are refused with 422.
#[derive(Deserialize, ToSchema)]
pub struct OrganizationBody {
    pub name: Option<String>,
    pub email: Option<String>,
    pub contact_name: Option<String>,
    /// A code such as "CH", or the country's name.
    pub country: Option<String>,
    pub website: Option<String>,
    pub display_name: Option<String>,
    pub tags: Option<Vec<String>>,
}

/// The organization this one is merged into.
#[derive(Deserialize, ToSchema)]
pub struct MergeBody {
    pub into: String,
}

#[derive(Serialize, ToSchema)]
pub struct MergedJson {
    /// The organization kept, with the contacts and tags it gained.
    pub organization: OrganizationJson,
    pub contacts_moved: usize,
    pub invitations_moved: usize,
}
