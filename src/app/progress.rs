//! How a letter's support grew: for each day since the first invitation, how many organizations
//! stood signed and declined at the end of that day (changes of mind included).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::AppError;
use crate::db::DbConnection;
use crate::db::responses::{self, TimedDecision};
use crate::domain::{Decision, LetterId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    pub day: NaiveDate,
    pub signed: usize,
    pub declined: usize,
}

/// One entry per day from `start` to `today`, both included.
pub fn daily_counts(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    start: NaiveDateTime,
    today: NaiveDateTime,
) -> Result<Vec<DayCount>, AppError> {
    let timeline = responses::timeline(conn, letter_id)?;
    Ok(replay(&timeline, start.date(), today.date()))
}

/// Replays decisions day by day; the latest decision of each invitation counts.
pub fn replay(timeline: &[TimedDecision], start: NaiveDate, today: NaiveDate) -> Vec<DayCount> {
    let mut latest: HashMap<&str, Decision> = HashMap::new();
    let mut days = Vec::new();
    let mut next = timeline.iter().peekable();
    let mut day = start.min(today);
    // A long-running letter still draws at most a year of days.
    let first = today - chrono::Days::new(365);
    while day <= today {
        while let Some(answer) = next.next_if(|answer| answer.at.date() <= day) {
            latest.insert(&answer.invitation_id, answer.decision);
        }
        if day >= first {
            let signed = latest.values().filter(|d| **d == Decision::Sign).count();
            let declined = latest.values().filter(|d| **d == Decision::Decline).count();
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

    fn answer(invitation: &str, decision: Decision, at: NaiveDateTime) -> TimedDecision {
        TimedDecision {
            invitation_id: invitation.into(),
            decision,
            at,
        }
    }

    #[test]
    fn changes_of_mind_move_an_organization_between_counts() {
        let timeline = vec![
            answer("a", Decision::Sign, at(2)),
            answer("b", Decision::Sign, at(2)),
            answer("b", Decision::Decline, at(3)),
            answer("c", Decision::Decline, at(4)),
            answer("a", Decision::Withdraw, at(4)),
        ];
        let days = replay(&timeline, at(1).date(), at(5).date());
        let counts: Vec<(usize, usize)> = days.iter().map(|d| (d.signed, d.declined)).collect();
        assert_eq!(counts, [(0, 0), (2, 0), (1, 1), (0, 2), (0, 2)]);
    }
}
