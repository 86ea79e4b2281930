//! The address book page by page: the organizations matching a search and a tag, with the total
//! of all that match, and every matching one at once for the invite picker's "Review all".

use std::collections::HashMap;

use super::OrganizationView;
use crate::app::AppError;
use crate::db::organization_book::{self, Filter};
use crate::db::organizations::Organization;
use crate::db::{DbConnection, organizations};
use crate::domain::{InvalidInput, OrganizationId, Tag};

/// How many organizations a page shows unless asked otherwise.
pub const DEFAULT_PER_PAGE: u32 = 50;
/// The most one page may show.
pub const MAX_PER_PAGE: u32 = 500;

/// Which page: `page` counts from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl PageRequest {
    /// Reads `page` and `per_page` as given (absent means the defaults). Errors naming the field
    /// when `page` is not a whole number from 1, or `per_page` not one from 1 to
    /// [`MAX_PER_PAGE`].
    pub fn parse(page: Option<&str>, per_page: Option<&str>) -> Result<Self, InvalidInput> {
        let read = |raw: Option<&str>, field: &str, default: u32, max: u32| match raw
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            None => Ok(default),
            Some(raw) => raw
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| {
                    InvalidInput::new(format!(
                        "{field}: a whole number from 1 to {max}, not “{raw}”"
                    ))
                }),
        };
        Ok(Self {
            page: read(page, "page", 1, u32::MAX / MAX_PER_PAGE)?,
            per_page: read(per_page, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)?,
        })
    }

    fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }
}

/// One page of the address book and the number of all organizations that match.
pub struct OrganizationPage {
    pub organizations: Vec<OrganizationView>,
    pub total: u64,
    pub page: PageRequest,
}

impl OrganizationPage {
    /// The number of pages (at least 1).
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(u64::from(self.page.per_page)).max(1)
    }

    /// The position of the first and last organization shown, from 1 (0, 0 when none).
    pub fn range(&self) -> (u64, u64) {
        self.range_of(self.organizations.len())
    }

    /// The same for a page of this size showing `shown` organizations.
    pub fn range_of(&self, shown: usize) -> (u64, u64) {
        if shown == 0 {
            return (0, 0);
        }
        let first = (u64::from(self.page.page) - 1) * u64::from(self.page.per_page) + 1;
        (first, first + shown as u64 - 1)
    }
}

/// Every tag in use, for the filters.
pub struct Tags {
    /// `(tag, key, how many organizations carry it)`, alphabetical.
    pub all: Vec<(String, String, i64)>,
}

impl Tags {
    /// The tag whose key `raw` folds to, if it is in use.
    pub fn find(&self, raw: &str) -> Option<&(String, String, i64)> {
        let key = Tag::parse(raw).ok()?;
        self.all.iter().find(|(_, k, _)| k == key.key())
    }
}

/// Every tag of the address book.
pub fn tags(conn: &mut DbConnection) -> Result<Tags, AppError> {
    Ok(Tags {
        all: organization_book::all_tags(conn)?,
    })
}

fn filter(text: &str, tag: Option<&Tag>) -> Filter {
    Filter {
        text: text.to_string(),
        tag_key: tag.map(|t| t.key().to_string()),
    }
}

/// The page of organizations matching `text` (in a name or a contact's email; all when empty)
/// and carrying `tag` when given, alphabetical, with their contacts and tags, and the total.
pub fn list(
    conn: &mut DbConnection,
    text: &str,
    tag: Option<&Tag>,
    page: PageRequest,
) -> Result<OrganizationPage, AppError> {
    let filter = filter(text, tag);
    let total = organization_book::count(conn, &filter)?;
    let rows = organization_book::page(conn, &filter, page.offset(), i64::from(page.per_page))?;
    Ok(OrganizationPage {
        organizations: with_details(conn, rows)?,
        total: u64::try_from(total).unwrap_or(0),
        page,
    })
}

/// Every organization matching `text` and `tag`, alphabetical, with contacts and tags: what
/// "Review all" means however many pages the list has.
pub fn all_matching(
    conn: &mut DbConnection,
    text: &str,
    tag: Option<&Tag>,
) -> Result<Vec<OrganizationView>, AppError> {
    let filter = filter(text, tag);
    let rows = organization_book::page(conn, &filter, 0, i64::MAX)?;
    with_details(conn, rows)
}

fn with_details(
    conn: &mut DbConnection,
    rows: Vec<Organization>,
) -> Result<Vec<OrganizationView>, AppError> {
    let ids: Vec<OrganizationId> = rows.iter().map(|o| o.id.clone()).collect();
    let mut contacts: HashMap<OrganizationId, Vec<organizations::Contact>> = HashMap::new();
    for contact in organization_book::contacts_of(conn, &ids)? {
        contacts
            .entry(contact.organization_id.clone())
            .or_default()
            .push(contact);
    }
    let mut tags: HashMap<OrganizationId, Vec<String>> = HashMap::new();
    for (id, tag) in organization_book::tags_of(conn, &ids)? {
        tags.entry(id).or_default().push(tag);
    }
    Ok(rows
        .into_iter()
        .map(|organization| OrganizationView {
            contacts: contacts.remove(&organization.id).unwrap_or_default(),
            tags: tags.remove(&organization.id).unwrap_or_default(),
            organization,
        })
        .collect())
}
