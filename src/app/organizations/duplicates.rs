//! Duplicate suggestions: organizations that are probably one, because their names are the same
//! once case, accents of compatibility forms, spaces and punctuation are set aside ("Article 19"
//! and "ARTICLE-19"), or because their contacts write from the same email domain (public
//! mailbox providers aside). Only suggestions: merging is the coordinator's choice.

use std::collections::{BTreeMap, BTreeSet};

use crate::app::AppError;
use crate::db::organization_book;
use crate::db::{DbConnection, organizations};
use crate::domain::OrganizationId;

/// Domains shared by unrelated people; a common one says nothing about an organization.
const PUBLIC_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.fr",
    "hotmail.com",
    "hotmail.fr",
    "outlook.com",
    "live.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "orange.fr",
    "free.fr",
    "protonmail.com",
    "proton.me",
    "mail.ru",
    "yandex.ru",
    "qq.com",
    "163.com",
];

/// Organizations that are probably one, and why.
pub struct DuplicateGroup {
    /// "the same name" or "the same email domain example.org".
    pub reason: String,
    /// `(id, name)`, alphabetical; at least two.
    pub members: Vec<(OrganizationId, String)>,
}

/// The name with only its letters and digits, folded: what two spellings of one name share.
fn loose_key(key: &str) -> String {
    key.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Every group of probable duplicates: same loose name first, then same email domain.
pub fn duplicates(conn: &mut DbConnection) -> Result<Vec<DuplicateGroup>, AppError> {
    let all = organizations::names_and_keys(conn)?;
    let names: BTreeMap<OrganizationId, (String, String)> = all
        .into_iter()
        .map(|(id, name, key)| (id, (name, key)))
        .collect();
    let mut by_name: BTreeMap<String, BTreeSet<OrganizationId>> = BTreeMap::new();
    for (id, (_, key)) in &names {
        let loose = loose_key(key);
        if !loose.is_empty() {
            by_name.entry(loose).or_default().insert(id.clone());
        }
    }
    let mut by_domain: BTreeMap<String, BTreeSet<OrganizationId>> = BTreeMap::new();
    for (id, email) in organization_book::all_contact_emails(conn)? {
        let Some((_, domain)) = email.rsplit_once('@') else {
            continue;
        };
        let domain = domain.to_ascii_lowercase();
        if !PUBLIC_DOMAINS.contains(&domain.as_str()) {
            by_domain.entry(domain).or_default().insert(id);
        }
    }
    let group = |reason: String, ids: &BTreeSet<OrganizationId>| {
        let mut members: Vec<(OrganizationId, String)> = ids
            .iter()
            .filter_map(|id| Some((id.clone(), names.get(id)?.0.clone())))
            .collect();
        members.sort_by_key(|a| a.1.to_lowercase());
        DuplicateGroup { reason, members }
    };
    let mut groups: Vec<DuplicateGroup> = by_name
        .values()
        .filter(|ids| ids.len() > 1)
        .map(|ids| group("the same name".into(), ids))
        .collect();
    groups.extend(
        by_domain
            .iter()
            .filter(|(_, ids)| ids.len() > 1)
            .map(|(domain, ids)| group(format!("the same email domain {domain}"), ids)),
    );
    Ok(groups)
}
