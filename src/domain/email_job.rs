//! The states and kinds of the email queue (`outbox`), stored as text.

use super::stored::stored_as_text;

stored_as_text! {
    /// Where an email job is: `pending` (waiting for its turn) → `sending` (claimed by a worker
    /// under a lease) → `sent`; back to `pending` after a temporary failure, or `dead` (kept in
    /// the dead-letter list for an admin) when it can never go out.
    pub enum JobStatus {
        Pending => "pending",
        Sending => "sending",
        Sent => "sent",
        Dead => "dead",
    }
}

impl JobStatus {
    /// Not sent yet and not given up on: the job will still go out.
    pub const WAITING: [Self; 2] = [Self::Pending, Self::Sending];
}

stored_as_text! {
    /// Which email a job sends.
    pub enum EmailKind {
        /// The first email of an invitation (or the one forwarded to a colleague).
        Invitation => "invitation",
        Reminder => "reminder",
        /// Confirms a signature, a decline or a withdrawal.
        Confirmation => "confirmation",
        /// Tells a signatory the text changed, and asks again when the change is substantive.
        Reapproval => "reapproval",
        /// Tells a signatory the letter is public.
        ReleaseNotice => "release_notice",
        /// Tells an admin that a scheduled release did not happen, and why.
        ReleaseFailed => "release_failed",
        /// Tells a letter's coordinators something that needs them (a lead declined, a
        /// withdrawal after publication, a release fired or failed, a bounce).
        Notice => "notice",
        /// The day's answers to a letter, for its coordinators.
        Digest => "digest",
        /// Invites a colleague to choose the password of the account an admin made for them.
        AccountInvitation => "account_invitation",
        /// A link to choose a new password ("Forgot your password?").
        PasswordReset => "password_reset",
        /// To someone who asked to join a letter: the link that confirms their address.
        JoinConfirmation => "join_confirmation",
        /// To someone who asked to join a letter: the coordinators' decision.
        JoinDecision => "join_decision",
    }
}
