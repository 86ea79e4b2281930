//! The dashboard's list of invitations: narrowed by status, tier and a search, sorted (by
//! organization in the reader's alphabetical order, or by status, tier or latest activity with
//! the organization's name second), and cut into pages of 50.

use serde::Deserialize;

use crate::app::collation::ReaderOrder;
use crate::app::invitations::answers::Overview;

/// Invitations on one page of the dashboard.
pub const PAGE_SIZE: usize = 50;

/// What the coordinator narrowed the list to, and its order; empty fields do not narrow.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Filters {
    /// A status as stored ("signed", "sent", …).
    pub status: Option<String>,
    /// "lead" or "supporting".
    pub tier: Option<String>,
    /// Part of the organization's name or contact email, in any case.
    pub q: Option<String>,
    /// "organization" (the default), "status", "tier" or "activity".
    pub sort: Option<String>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Filters {
    /// The status filter, or "" for any.
    pub fn status(&self) -> &str {
        given(&self.status).unwrap_or_default()
    }

    /// The tier filter, or "" for any.
    pub fn tier(&self) -> &str {
        given(&self.tier).unwrap_or_default()
    }

    /// The search, or "".
    pub fn q(&self) -> &str {
        given(&self.q).unwrap_or_default()
    }

    /// The order: "organization", "status", "tier" or "activity".
    pub fn sort(&self) -> &str {
        match given(&self.sort) {
            Some(sort @ ("status" | "tier" | "activity")) => sort,
            _ => "organization",
        }
    }

    /// Whether anything narrows the list.
    pub fn narrows(&self) -> bool {
        !(self.status().is_empty() && self.tier().is_empty() && self.q().is_empty())
    }

    /// The invitations among `rows` that match, in the chosen order.
    pub fn apply(&self, mut rows: Vec<Overview>) -> Vec<Overview> {
        if let Some(status) = given(&self.status) {
            rows.retain(|r| r.invitation.status.as_str() == status);
        }
        if let Some(tier) = given(&self.tier) {
            rows.retain(|r| r.invitation.tier == tier);
        }
        if let Some(q) = given(&self.q) {
            let q = q.to_lowercase();
            rows.retain(|r| {
                r.invitation.display_name.to_lowercase().contains(&q)
                    || r.invitation.contact_email.to_lowercase().contains(&q)
            });
        }
        let mut order = ReaderOrder::default();
        let sort = self.sort();
        rows.sort_by(|a, b| {
            let (a, b) = (&a.invitation, &b.invitation);
            let first = match sort {
                "status" => a.status.cmp(&b.status),
                "tier" => a.tier.cmp(&b.tier),
                "activity" => b.last_activity_at.cmp(&a.last_activity_at),
                _ => std::cmp::Ordering::Equal,
            };
            first.then_with(|| order.compare(&a.display_name, &b.display_name))
        });
        rows
    }
}

/// One page of a list of invitations, and where it stands in the whole list.
#[derive(Debug, Clone)]
pub struct Page {
    pub rows: Vec<Overview>,
    /// This page's number, from 1.
    pub number: usize,
    /// How many pages there are (at least 1).
    pub pages: usize,
    /// How many invitations are on all pages together.
    pub total: usize,
}

impl Page {
    /// Page `number` of `rows`; a number out of range gives the nearest page.
    pub fn of(rows: Vec<Overview>, number: usize) -> Self {
        let total = rows.len();
        let pages = total.div_ceil(PAGE_SIZE).max(1);
        let number = number.clamp(1, pages);
        let rows = rows
            .into_iter()
            .skip((number - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .collect();
        Self {
            rows,
            number,
            pages,
            total,
        }
    }

    /// The position of the first row shown, from 1 (0 for an empty list).
    pub fn first(&self) -> usize {
        if self.total == 0 {
            0
        } else {
            (self.number - 1) * PAGE_SIZE + 1
        }
    }

    /// The position of the last row shown.
    pub fn last(&self) -> usize {
        (self.number - 1) * PAGE_SIZE + self.rows.len()
    }
}
