//! Links between the pages of a long list (the address book, the invite picker): "Showing
//! 51–100 of 1000", Previous and Next, each keeping the search and the tag of the page.

/// What a list page shows about its position, and where Previous and Next lead.
pub struct Pager {
    /// "Showing 51–100 of 1000" (or "None of 0" when nothing matches).
    pub summary: String,
    /// "Page 2 of 20".
    pub label: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// The pager of page `page` (from 1) of `pages`, showing `first`–`last` of `total`; links
    /// are `path` with `params` (empty ones left out) and `page`.
    pub fn new(
        path: &str,
        params: &[(&str, &str)],
        (page, pages): (u64, u64),
        (first, last, total): (u64, u64, u64),
    ) -> Self {
        let link = |to: u64| {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (name, value) in params.iter().filter(|(_, v)| !v.is_empty()) {
                query.append_pair(name, value);
            }
            query.append_pair("page", &to.to_string());
            format!("{path}?{}", query.finish())
        };
        Self {
            summary: if total == 0 {
                "None of 0".into()
            } else if first == 0 {
                format!("None on this page of {total}")
            } else {
                format!("Showing {first}–{last} of {total}")
            },
            label: format!("Page {page} of {pages}"),
            previous: (page > 1).then(|| link(page.min(pages + 1) - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}
