//! A letter's reminder schedule: the days before its deadline on which partners who have not
//! answered are reminded, such as "7,2". Stored as that text; empty means no automatic reminder.

use super::InvalidInput;

const MOST_SLOTS: usize = 6;
const MOST_DAYS: u32 = 90;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReminderSchedule(Vec<u32>);

impl ReminderSchedule {
    /// Days before the deadline, each from 1 to 90, at most six; kept largest first, once each.
    pub fn from_days(days: &[u32]) -> Result<Self, InvalidInput> {
        if days.len() > MOST_SLOTS {
            return Err(InvalidInput::new(format!(
                "a letter has at most {MOST_SLOTS} automatic reminders"
            )));
        }
        if let Some(bad) = days.iter().find(|d| !(1..=MOST_DAYS).contains(*d)) {
            return Err(InvalidInput::new(format!(
                "reminders are sent 1 to {MOST_DAYS} days before the deadline, not {bad}"
            )));
        }
        let mut days = days.to_vec();
        days.sort_unstable_by(|a, b| b.cmp(a));
        days.dedup();
        Ok(Self(days))
    }

    /// Reads the days as a coordinator types them, such as "7, 2"; empty means none.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let days: Result<Vec<u32>, _> = raw
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::parse)
            .collect();
        let days = days.map_err(|_| {
            InvalidInput::new(
                "the reminder schedule: write days before the deadline, separated by commas, such as 7, 2",
            )
        })?;
        Self::from_days(&days)
    }

    /// The days as the letter form shows them: "7, 2".
    pub fn to_input(&self) -> String {
        self.0
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Reads the stored text; anything unreadable counts as no schedule.
    pub fn from_stored(raw: &str) -> Self {
        let days: Option<Vec<u32>> = raw
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| d.parse().ok())
            .collect();
        days.and_then(|days| Self::from_days(&days).ok())
            .unwrap_or_default()
    }

    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn days(&self) -> &[u32] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_read_sort_and_refuse_nonsense() {
        assert_eq!(ReminderSchedule::from_stored("2, 7,7").days(), [7, 2]);
        assert_eq!(ReminderSchedule::from_stored("").days(), [] as [u32; 0]);
        assert_eq!(ReminderSchedule::from_stored("x").days(), [] as [u32; 0]);
        assert_eq!(
            ReminderSchedule::from_days(&[1, 14]).unwrap().to_stored(),
            "14,1"
        );
        assert!(ReminderSchedule::from_days(&[0]).is_err());
        assert!(ReminderSchedule::from_days(&[91]).is_err());
        assert!(ReminderSchedule::from_days(&[1, 2, 3, 4, 5, 6, 7]).is_err());
        assert_eq!(ReminderSchedule::parse(" 2,7 ").unwrap().to_input(), "7, 2");
        assert_eq!(ReminderSchedule::parse("").unwrap().days(), [] as [u32; 0]);
        assert!(ReminderSchedule::parse("7, two").is_err());
        assert!(ReminderSchedule::parse("0").is_err());
    }
}
