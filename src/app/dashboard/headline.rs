//! The dashboard's headline: "7 of 12 signed · 1 declined · 4 not answered · deadline in 15
//! days · 2 lead organizations have not approved the current text", and the shares of its
//! progress bar. Revoked invitations do not count: they were taken back.

use chrono::{DateTime, Utc};

use crate::app::invitations::answers::Overview;
use crate::app::letters::LetterView;
use crate::domain::InvitationStatus;

/// The numbers of the headline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    /// Invitations that were not revoked.
    pub total: usize,
    pub signed: usize,
    pub declined: usize,
    /// Not sent yet, sent or opened: no answer.
    pub not_answered: usize,
    pub withdrawn: usize,
    pub bounced: usize,
    /// "in 15 days", "2 days ago"; `None` without a deadline.
    pub deadline: Option<String>,
    /// Whether the deadline has passed.
    pub deadline_passed: bool,
    /// Lead organizations (not revoked) that did not sign the current version of the text.
    pub unapproved_leads: usize,
    /// Lead organizations, not revoked.
    pub leads: usize,
}

impl Headline {
    /// The headline of a letter whose invitations are `rows`, at `now`.
    pub fn of(view: &LetterView, rows: &[Overview], now: DateTime<Utc>) -> Self {
        let version = view.current.version;
        let live: Vec<_> = rows
            .iter()
            .map(|r| &r.invitation)
            .filter(|i| i.status != InvitationStatus::Revoked)
            .collect();
        let count = |status: InvitationStatus| live.iter().filter(|i| i.status == status).count();
        let leads: Vec<_> = live.iter().filter(|i| i.tier == "lead").collect();
        let deadline = view.deadline();
        Self {
            total: live.len(),
            signed: count(InvitationStatus::Signed),
            declined: count(InvitationStatus::Declined),
            not_answered: live
                .iter()
                .filter(|i| i.status == InvitationStatus::Queued || i.status.awaits_answer())
                .count(),
            withdrawn: count(InvitationStatus::Withdrawn),
            bounced: count(InvitationStatus::Bounced),
            deadline: deadline.as_ref().map(|d| d.from_now(now)),
            deadline_passed: deadline.is_some_and(|d| d.at <= now),
            unapproved_leads: leads
                .iter()
                .filter(|i| {
                    !(i.status == InvitationStatus::Signed && i.approved_version == Some(version))
                })
                .count(),
            leads: leads.len(),
        }
    }

    /// The headline's parts, to be joined with " · ".
    pub fn parts(&self) -> Vec<String> {
        let mut parts = vec![
            format!("{} of {} signed", self.signed, self.total),
            format!("{} declined", self.declined),
            format!("{} not answered", self.not_answered),
        ];
        if self.withdrawn > 0 {
            parts.push(format!("{} withdrew", self.withdrawn));
        }
        if self.bounced > 0 {
            parts.push(format!("{} bounced", self.bounced));
        }
        parts.push(match (&self.deadline, self.deadline_passed) {
            (None, _) => "no deadline".into(),
            (Some(when), false) => format!("deadline {when}"),
            (Some(when), true) => format!("deadline passed {when}"),
        });
        match self.unapproved_leads {
            0 if self.leads > 0 => {
                parts.push("every lead organization approved the current text".into())
            }
            0 => {}
            1 => parts.push("1 lead organization has not approved the current text".into()),
            n => parts.push(format!(
                "{n} lead organizations have not approved the current text"
            )),
        }
        parts
    }

    /// The share of signed invitations, in percent of the bar.
    pub fn signed_percent(&self) -> f64 {
        self.percent(self.signed)
    }

    /// The share of declined invitations, in percent of the bar.
    pub fn declined_percent(&self) -> f64 {
        self.percent(self.declined)
    }

    fn percent(&self, n: usize) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            n as f64 * 100.0 / self.total as f64
        }
    }
}
