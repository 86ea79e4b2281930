//! The box at the top of the sign page that tells where the letter stands, in words: its
//! heading, a sentence or two, and the public link once the letter is out.

use chrono::{DateTime, Utc};

use crate::app::signing::SignState;
use crate::domain::Deadline;

/// What the state box shows.
pub(super) struct StateBox {
    /// `open`, `scheduled`, `frozen`, `released` or `closed`: the box's style.
    pub kind: &'static str,
    pub heading: String,
    pub lines: Vec<String>,
    /// The published letter: its address and the words of the link.
    pub link: Option<(String, String)>,
}

/// The state box of `state` at `now`.
pub(super) fn state_box(state: &SignState, now: DateTime<Utc>) -> StateBox {
    let when = |d: &Deadline| d.display_with_utc(now);
    match state {
        SignState::Open { deadline } => StateBox {
            kind: "open",
            heading: "Open for answers".into(),
            lines: vec![match deadline {
                Some(d) => format!("Answers close on {}.", when(d)),
                None => "There is no deadline for answers.".into(),
            }],
            link: None,
        },
        SignState::Scheduled {
            release,
            deadline,
            frozen: false,
        } => {
            let until = match deadline {
                Some(d) if d.at < release.at => when(d),
                _ => "the release".into(),
            };
            StateBox {
                kind: "scheduled",
                heading: "Release scheduled".into(),
                lines: vec![
                    format!("The letter will be published on {}.", when(release)),
                    format!(
                        "Answers are still open until {until}: until then you may still sign, \
                         decline or change your answer."
                    ),
                ],
                link: None,
            }
        }
        SignState::Scheduled {
            release,
            frozen: true,
            ..
        } => StateBox {
            kind: "frozen",
            heading: "Release scheduled, list frozen".into(),
            lines: vec![
                format!("The letter will be published on {}.", when(release)),
                "The list of signatories is frozen: answers can no longer change.".into(),
            ],
            link: None,
        },
        SignState::Released {
            published_on,
            slug,
            listed,
        } => {
            let date = published_on
                .map(crate::clock::long_date)
                .unwrap_or_default();
            StateBox {
                kind: "released",
                heading: format!("Published on {date}"),
                lines: vec![if *listed {
                    "Your organization is listed among its signatories.".into()
                } else {
                    "Your organization is not listed among its signatories.".into()
                }],
                link: Some((format!("/letters/{slug}"), "Read it here".into())),
            }
        }
        SignState::DeadlinePassed { deadline } => StateBox {
            kind: "closed",
            heading: "Deadline passed".into(),
            lines: vec![format!("Answers closed on {}.", when(deadline))],
            link: None,
        },
        SignState::Closed => StateBox {
            kind: "closed",
            heading: "Closed to answers".into(),
            lines: vec!["The coordinators have closed this letter to answers.".into()],
            link: None,
        },
    }
}
