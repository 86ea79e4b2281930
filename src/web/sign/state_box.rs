//! The box at the top of the sign page that tells where the letter stands, in words: its
//! heading, a sentence or two, and the public link once the letter is out.

use chrono::{DateTime, Utc};

use crate::app::signing::SignState;
use crate::domain::Deadline;
use crate::i18n::Localizer;

/// What the state box shows.
pub(super) struct StateBox {
    /// `open`, `scheduled`, `frozen`, `released` or `closed`: the box's style.
    pub kind: &'static str,
    pub heading: String,
    pub lines: Vec<String>,
    /// The published letter: its address and the words of the link.
    pub link: Option<(String, String)>,
}

/// The state box of `state` at `now`, in the words of `l`.
pub(super) fn state_box(l: &Localizer, state: &SignState, now: DateTime<Utc>) -> StateBox {
    let when = |d: &Deadline| l.deadline_from(d, now);
    match state {
        SignState::Open { deadline } => StateBox {
            kind: "open",
            heading: l.t("state-open"),
            lines: vec![match deadline {
                Some(d) => l
                    .msg("state-open-deadline")
                    .arg("deadline", when(d))
                    .to_string(),
                None => l.t("state-open-no-deadline"),
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
                _ => l.t("state-scheduled-until-release"),
            };
            StateBox {
                kind: "scheduled",
                heading: l.t("state-scheduled"),
                lines: vec![
                    l.msg("state-scheduled-on")
                        .arg("release", when(release))
                        .to_string(),
                    l.msg("state-scheduled-until")
                        .arg("until", until)
                        .to_string(),
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
            heading: l.t("state-frozen"),
            lines: vec![
                l.msg("state-scheduled-on")
                    .arg("release", when(release))
                    .to_string(),
                l.t("state-frozen-explained"),
            ],
            link: None,
        },
        SignState::Released {
            published_on,
            slug,
            listed,
        } => {
            let date = published_on.map(|on| l.date(on)).unwrap_or_default();
            StateBox {
                kind: "released",
                heading: l.msg("state-published").arg("date", date).to_string(),
                lines: vec![if *listed {
                    l.t("state-listed")
                } else {
                    l.t("state-not-listed")
                }],
                link: Some((format!("/letters/{slug}"), l.t("state-read-it"))),
            }
        }
        SignState::DeadlinePassed { deadline } => StateBox {
            kind: "closed",
            heading: l.t("state-deadline-passed"),
            lines: vec![
                l.msg("state-deadline-passed-on")
                    .arg("deadline", when(deadline))
                    .to_string(),
            ],
            link: None,
        },
        SignState::Closed => StateBox {
            kind: "closed",
            heading: l.t("state-closed"),
            lines: vec![l.t("state-closed-explained")],
            link: None,
        },
    }
}
