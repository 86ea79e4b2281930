//! A letter's dashboard as a coordinator reads it: the headline (who signed, declined, has not
//! answered; the deadline; lead organizations without an approval of the current text), the
//! invitations narrowed by filters, in the reader's order and cut into pages, and the day counts
//! of the chart. Read in a fixed number of queries, however many organizations were invited.

pub mod headline;
pub mod listing;

use std::collections::HashMap;

use chrono::NaiveDateTime;

pub use headline::Headline;
pub use listing::{Filters, PAGE_SIZE, Page};

use crate::app::AppError;
use crate::app::invitations::answers::{self, Overview};
use crate::app::letters::{self, LetterOverview, LetterView};
use crate::app::progress::{self, DayCount};
use crate::app::signing::{self, RecordedNote};
use crate::db::DbConnection;
use crate::domain::{Decision, InvitationId, LetterId};

/// Everything the dashboard shows of one letter.
pub struct Dashboard {
    pub overview: LetterOverview,
    pub headline: Headline,
    /// The page of invitations asked for, among those matching the filters.
    pub page: Page,
    /// Signed and declined at the end of each day since the first invitation.
    pub days: Vec<DayCount>,
    /// How answers a coordinator recorded arrived, by invitation.
    pub recorded: HashMap<InvitationId, RecordedNote>,
    /// Signatories that withdrew from the published letter since the coordinators last
    /// acknowledged: organization and when, oldest first.
    pub withdrawals: Vec<(String, NaiveDateTime)>,
    /// Confirmed requests to join that wait for a coordinator's decision.
    pub requests_waiting: i64,
}

/// The withdrawals from the published letter not acknowledged yet.
fn unseen_withdrawals(
    conn: &mut DbConnection,
    view: &LetterView,
    rows: &[Overview],
) -> Result<Vec<(String, NaiveDateTime)>, AppError> {
    let Some(released_at) = view.letter.released_at else {
        return Ok(Vec::new());
    };
    let seen = crate::db::letters::withdrawals_seen_at(conn, &view.letter.id)?;
    let since = seen.map_or(released_at, |seen| seen.max(released_at));
    let mut withdrawals: Vec<(String, NaiveDateTime)> = rows
        .iter()
        .filter_map(|row| row.current.as_ref().map(|r| (row, r)))
        .filter(|(_, r)| r.decision == Decision::Withdraw && r.created_at > since)
        .map(|(row, r)| (row.invitation.display_name.clone(), r.created_at))
        .collect();
    withdrawals.sort_by_key(|(_, at)| *at);
    Ok(withdrawals)
}

/// The coordinators saw the withdrawals shown: the dashboard stops showing them, and
/// `letter.withdrawals_acknowledged` is recorded.
pub fn acknowledge_withdrawals(
    conn: &mut DbConnection,
    clock: &crate::clock::Clock,
    actor: &crate::app::Actor,
    letter_id: &LetterId,
) -> Result<(), AppError> {
    letters::get_letter(conn, letter_id)?;
    crate::db::write_transaction(conn, |conn| {
        crate::db::letters::see_withdrawals(conn, letter_id, clock.now())?;
        crate::app::audit::record(
            conn,
            clock,
            actor,
            crate::app::audit::Subject::letter(letter_id),
            "letter.withdrawals_acknowledged",
            serde_json::json!({}),
        )?;
        Ok(())
    })
}

/// The dashboard of a letter: page `page` (from 1; out of range reads the nearest page) of the
/// invitations matching `filters`. Errors: 404 for a letter that does not exist.
pub fn dashboard(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    filters: &Filters,
    page: usize,
    now: NaiveDateTime,
) -> Result<Dashboard, AppError> {
    let overview = letters::get_overview(conn, letter_id)?;
    let view = &overview.view;
    let rows = answers::overview(conn, letter_id)?;
    let start = rows
        .iter()
        .map(|r| r.invitation.created_at)
        .min()
        .unwrap_or(now);
    let days = progress::daily_counts(conn, letter_id, start, now)?;
    let recorded = signing::recorded_notes_of(
        conn,
        letter_id,
        rows.iter().filter_map(|row| {
            let answer = row.current.as_ref()?;
            Some((
                &row.invitation.id,
                row.invitation.display_name.as_str(),
                answer,
            ))
        }),
    )?;
    let headline = Headline::of(view, &rows, now.and_utc());
    let withdrawals = unseen_withdrawals(conn, view, &rows)?;
    let page = Page::of(filters.apply(rows), page);
    let requests_waiting = crate::db::sign_on_requests::count_pending(conn, letter_id)?;
    Ok(Dashboard {
        overview,
        headline,
        page,
        days,
        recorded,
        withdrawals,
        requests_waiting,
    })
}

/// Every invitation of a letter that matches `filters`, on every page, in the dashboard's
/// order: what "select all matching" acts on. Errors: 404 for a letter that does not exist.
pub fn matching(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    filters: &Filters,
) -> Result<Vec<Overview>, AppError> {
    Ok(filters.apply(answers::overview(conn, letter_id)?))
}
