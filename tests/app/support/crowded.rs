//! A crowded letter for the dashboard's tests: 400 invitations, names that sort differently by
//! code point and by the reader's alphabet, three lead organizations, and the readings of the
//! dashboard those tests need (names in order, headline, the hidden fields of a confirmation).

use serde_json::json;

use super::TestApp;
use super::forms::unescape;
use super::letters::{Letter, NewLetter};

/// Invitations of the crowded letter.
pub const INVITED: usize = 400;

/// Names outside the numbered members, each sorting somewhere telling.
pub const NAMED: [(&str, &str); 5] = [
    ("World Uyghur Congress", "lead"),
    ("Ärztinnen für Frieden", "supporting"),
    ("Église Verte", "supporting"),
    ("Ecology Now", "supporting"),
    ("Eden Network", "supporting"),
];

/// The numbered member `n` (0 to 394): "Member 003 Coalition" for every third, "Member 004
/// Network" for the others.
pub fn member(n: usize) -> String {
    if n.is_multiple_of(3) {
        format!("Member {n:03} Coalition")
    } else {
        format!("Member {n:03} Network")
    }
}

/// A letter with a deadline `days` days (and an hour) from now, inviting the five named
/// organizations and 395 members; members 1 and 2 are lead organizations.
pub async fn crowded_letter(app: &TestApp, token: &str, days: i64) -> Letter {
    let deadline = chrono::Utc::now() + chrono::TimeDelta::days(days) + chrono::TimeDelta::hours(1);
    let mut letter = NewLetter::new().with("deadline", deadline.to_rfc3339());
    let members = (0..INVITED - NAMED.len()).map(|n| {
        let tier = if n == 1 || n == 2 {
            "lead"
        } else {
            "supporting"
        };
        (member(n), tier)
    });
    let everyone: Vec<(String, &str)> = NAMED
        .iter()
        .map(|(name, tier)| (name.to_string(), *tier))
        .chain(members)
        .collect();
    for (n, (name, tier)) in everyone.iter().enumerate() {
        letter = letter.invitee(json!({
            "organization": name,
            "tier": tier,
            "email": format!("crowd{n}@example.org"),
        }));
    }
    letter.create(app, token).await
}

/// The organizations listed on a dashboard page, in order (from their checkboxes' labels).
pub fn names_on(page: &str) -> Vec<String> {
    let marker = r#"name="ids" value=""#;
    page.split(marker)
        .skip(1)
        .filter_map(|rest| {
            let label = rest.split(r#"aria-label="Select "#).nth(1)?;
            Some(unescape(&label[..label.find('"')?]))
        })
        .collect()
}

/// The text of the dashboard's headline.
pub fn headline_of(page: &str) -> String {
    let start = page.find(r#"id="headline">"#).expect("a headline") + r#"id="headline">"#.len();
    unescape(&page[start..start + page[start..].find("</p>").unwrap()])
}

/// The "Showing 51–100 of 400" line of a dashboard page.
pub fn showing_of(page: &str) -> String {
    let start = page.find(r#"id="showing">"#).expect("a showing line") + r#"id="showing">"#.len();
    unescape(&page[start..start + page[start..].find("</p>").unwrap()])
}

/// Every hidden field of a page's forms but the CSRF token, as (name, value), in order: what
/// a confirmation page sends back.
pub fn hidden_fields(page: &str) -> Vec<(String, String)> {
    page.split(r#"<input type="hidden" name=""#)
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once('"')?;
            let value = rest.split(r#"value=""#).nth(1)?;
            Some((name.to_string(), unescape(&value[..value.find('"')?])))
        })
        .filter(|(name, _)| name != "csrf_token")
        .collect()
}
