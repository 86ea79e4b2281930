//! Where an invitation stands, and the rules that follow from it: which links still open, who
//! still waits for an answer, who has answered.

use super::stored::stored_as_text;

stored_as_text! {
    /// An invitation's status.
    ///
    /// `queued` (email waiting) → `sent` → `opened` → `signed` | `declined`; from `signed`,
    /// `withdrawn`; `revoked` by a coordinator and `bounced` when delivery failed for good, at
    /// any time before release. A letter's deadline closes answers for all its invitations at
    /// once (see the sign page's choices) and changes no invitation's status. `ALL` is the order
    /// a dashboard lists them in.
    pub enum InvitationStatus {
        Queued => "queued",
        Sent => "sent",
        Opened => "opened",
        Signed => "signed",
        Declined => "declined",
        Withdrawn => "withdrawn",
        Bounced => "bounced",
        Revoked => "revoked",
    }
}

impl InvitationStatus {
    /// Whether the invitation's sign link still opens anything: every link but a revoked
    /// invitation's (the one dead-link rule).
    pub fn link_works(self) -> bool {
        self != Self::Revoked
    }

    /// Emailed and not answered yet: who reminders go to.
    pub fn awaits_answer(self) -> bool {
        matches!(self, Self::Sent | Self::Opened)
    }

    /// The partner has decided something (a new link does not undo a decision).
    pub fn has_answered(self) -> bool {
        matches!(self, Self::Signed | Self::Declined | Self::Withdrawn)
    }

    /// The statuses that `awaits_answer`, for a query.
    pub const AWAITING_ANSWER: [Self; 2] = [Self::Sent, Self::Opened];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_and_unknown_text_is_refused() {
        for &status in InvitationStatus::ALL {
            assert_eq!(InvitationStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(InvitationStatus::parse("expired"), None);
        assert!(InvitationStatus::try_from("Signed".to_string()).is_err());
    }

    #[test]
    fn only_a_revoked_invitation_has_a_dead_link() {
        let dead: Vec<_> = InvitationStatus::ALL
            .iter()
            .copied()
            .filter(|s| !s.link_works())
            .collect();
        assert_eq!(dead, [InvitationStatus::Revoked]);
    }

    #[test]
    fn reminders_go_to_those_emailed_who_have_not_answered() {
        let waiting: Vec<_> = InvitationStatus::ALL
            .iter()
            .copied()
            .filter(|s| s.awaits_answer())
            .collect();
        assert_eq!(waiting, InvitationStatus::AWAITING_ANSWER);
        assert!(!InvitationStatus::Queued.awaits_answer());
        assert!(InvitationStatus::Withdrawn.has_answered());
        assert!(!InvitationStatus::Bounced.has_answered());
    }
}
