//! How a letter's support grew: for each day since the first invitation, how many organizations
//! stood signed and declined at the end of that day (changes of mind included).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::AppError;
use crate::db::{DbConnection, responses};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    pub day: NaiveDate,
    pub signed: usize,
    pub declined: usize,
}

/// One entry per day from `start` to `today`, both included.
pub fn daily_counts(
    conn: &mut DbConnection,
    letter_id: &str,
    start: NaiveDateTime,
    today: NaiveDateTime,
) -> Result<Vec<DayCount>, AppError> {
    let timeline = responses::timeline(conn, letter_id)?;
    Ok(replay(&timeline, start.date(), today.date()))
}

/// Replays decisions day by day; the latest decision of each invitation counts.
pub fn replay(
    timeline: &[(String, String, NaiveDateTime)],
    start: NaiveDate,
    today: NaiveDate,
) -> Vec<DayCount> {
    let mut latest: HashMap<&str, &str> = HashMap::new();
    let mut days = Vec::new();
    let mut next = timeline.iter().peekable();
    let mut day = start.min(today);
    // A long-running letter still draws at most a year of days.
    let first = today - chrono::Days::new(365);
    while day <= today {
        while let Some((invitation, decision, _)) = next.next_if(|(_, _, at)| at.date() <= day) {
            latest.insert(invitation, decision);
        }
        if day >= first {
            let signed = latest.values().filter(|d| **d == "sign").count();
            let declined = latest.values().filter(|d| **d == "decline").count();
            days.push(DayCount {
                day,
                signed,
                declined,
            });
        }
        day = day.succ_opt().unwrap_or(today + chrono::Days::new(1));
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    #[test]
    fn changes_of_mind_move_an_organization_between_counts() {
        let timeline = vec![
            ("a".to_string(), "sign".to_string(), at(2)),
            ("b".to_string(), "sign".to_string(), at(2)),
            ("b".to_string(), "decline".to_string(), at(3)),
            ("c".to_string(), "decline".to_string(), at(4)),
            ("a".to_string(), "withdraw".to_string(), at(4)),
        ];
        let days = replay(&timeline, at(1).date(), at(5).date());
        let counts: Vec<(usize, usize)> = days.iter().map(|d| (d.signed, d.declined)).collect();
        assert_eq!(counts, [(0, 0), (2, 0), (1, 1), (0, 2), (0, 2)]);
    }
}
