//! Where the letter stands for a partner, told once at the top of the sign page: open until
//! its deadline, release scheduled (answers open or the list frozen), released (and whether
//! this organization is listed), past its deadline, or closed by the coordinators.

use chrono::NaiveDateTime;

use crate::app::letters::LetterView;
use crate::db::invitations::Invitation;
use crate::domain::{Deadline, InvitationStatus, LetterStatus};

/// The state of the letter as the partner's page tells it.
#[derive(Debug, Clone)]
pub enum SignState {
    /// Answers are open, until the deadline when there is one.
    Open { deadline: Option<Deadline> },
    /// The release is scheduled at `release`; `frozen` when the list of signatories is final.
    Scheduled {
        release: Deadline,
        deadline: Option<Deadline>,
        frozen: bool,
    },
    /// Published on `published_on` (UTC) at `/letters/{slug}`; `listed` when this
    /// organization's signature is on the published list.
    Released {
        published_on: Option<NaiveDateTime>,
        slug: String,
        listed: bool,
    },
    /// The deadline passed and answers are closed.
    DeadlinePassed { deadline: Deadline },
    /// The coordinators closed the letter to answers.
    Closed,
}

/// The state of `view` for this invitation at `now` (UTC).
pub fn sign_state(view: &LetterView, invitation: &Invitation, now: NaiveDateTime) -> SignState {
    let letter = &view.letter;
    let deadline = view.deadline();
    let passed = letter.deadline_at.filter(|d| *d <= now).and(deadline);
    match letter.status {
        LetterStatus::Released => SignState::Released {
            published_on: letter.released_at,
            slug: letter.slug.clone(),
            listed: invitation.status == InvitationStatus::Signed,
        },
        LetterStatus::Closed => SignState::Closed,
        LetterStatus::Scheduled if letter.answers_frozen || passed.is_none() => {
            match letter.release_at {
                Some(at) => SignState::Scheduled {
                    release: Deadline::from_stored(at, letter.release_tz.as_deref()),
                    deadline,
                    frozen: letter.answers_frozen,
                },
                None => SignState::Open { deadline },
            }
        }
        _ => match passed {
            Some(deadline) => SignState::DeadlinePassed { deadline },
            None => SignState::Open { deadline },
        },
    }
}
