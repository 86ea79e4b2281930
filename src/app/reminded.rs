//! How often, and how recently, each organization was reminded: read from the reminder jobs of
//! the outbox, so reminders by hand and by a letter's schedule count alike. A reminder that
//! could never be delivered (a dead job) does not count; one still waiting counts from the
//! moment it was queued.

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::outbox::ReminderJob;
use crate::domain::{InvitationId, JobStatus};

/// The reminders of one invitation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reminded {
    /// Reminders sent or on their way.
    pub count: usize,
    /// When the latest of them went out (or was queued, while it waits).
    pub last_at: Option<NaiveDateTime>,
    /// Whether one of them is still waiting in the outbox.
    pub waiting: bool,
}

impl Reminded {
    /// The reminders of each invitation among these jobs.
    pub fn tally(jobs: &[ReminderJob]) -> HashMap<InvitationId, Reminded> {
        let mut all: HashMap<InvitationId, Reminded> = HashMap::new();
        for job in jobs.iter().filter(|job| job.status != JobStatus::Dead) {
            let Some(invitation_id) = job.invitation_id.as_deref() else {
                continue;
            };
            let at = job.sent_at.unwrap_or(job.created_at);
            let entry = all.entry(InvitationId::from(invitation_id)).or_default();
            entry.count += 1;
            entry.last_at = entry.last_at.max(Some(at));
            entry.waiting |= JobStatus::WAITING.contains(&job.status);
        }
        all
    }

    /// Whether another reminder now would come too soon: one is still waiting, or the last
    /// went out less than `min_interval` ago.
    pub fn too_recent(&self, now: NaiveDateTime, min_interval: TimeDelta) -> bool {
        self.waiting || self.last_at.is_some_and(|at| now - at < min_interval)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(invitation: &str, status: JobStatus, hour: i64) -> ReminderJob {
        let at = NaiveDateTime::default() + TimeDelta::hours(hour);
        ReminderJob {
            invitation_id: Some(invitation.into()),
            dedupe_key: None,
            status,
            created_at: at,
            sent_at: (status == JobStatus::Sent).then_some(at + TimeDelta::minutes(1)),
        }
    }

    #[test]
    fn dead_reminders_do_not_count_and_the_latest_is_kept() {
        let all = Reminded::tally(&[
            job("a", JobStatus::Sent, 1),
            job("a", JobStatus::Sent, 5),
            job("a", JobStatus::Dead, 9),
            job("b", JobStatus::Pending, 2),
        ]);
        let a = all[&InvitationId::from("a")];
        assert_eq!(a.count, 2);
        assert!(!a.waiting);
        let at = |hour| NaiveDateTime::default() + TimeDelta::hours(hour);
        assert_eq!(a.last_at, Some(at(5) + TimeDelta::minutes(1)));
        assert!(a.too_recent(at(20), TimeDelta::hours(24)));
        assert!(!a.too_recent(at(30), TimeDelta::hours(24)));
        assert!(all[&InvitationId::from("b")].too_recent(at(100), TimeDelta::hours(24)));
        assert!(!Reminded::default().too_recent(at(0), TimeDelta::hours(24)));
    }
}
