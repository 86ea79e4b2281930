//! What coordinators read about each invitation: the organization's current answer (who
//! decided, their title, their note), how often it was reminded, and the whole history of its
//! decisions. A letter's list is read in a fixed number of queries, whatever its length.

use std::collections::HashMap;

use crate::app::AppError;
use crate::app::reminded::Reminded;
use crate::db::invitations::{self, Invitation};
use crate::db::responses::{self, Response};
use crate::db::{self, DbConnection, letters};
use crate::domain::{InvitationId, LetterId};

/// One invitation with its current answer and its reminders.
#[derive(Debug, Clone)]
pub struct Overview {
    pub invitation: Invitation,
    /// The newest decision, if the organization has made one.
    pub current: Option<Response>,
    pub reminded: Reminded,
}

/// One invitation with every decision the organization made, newest first.
#[derive(Debug, Clone)]
pub struct Detail {
    pub overview: Overview,
    pub history: Vec<Response>,
}

/// Every invitation of a letter with its current answer and reminders, in three queries.
pub fn overview(conn: &mut DbConnection, letter_id: &LetterId) -> Result<Vec<Overview>, AppError> {
    letters::find(conn, letter_id)?.ok_or(AppError::NotFound("letter"))?;
    let all = invitations::for_letter(conn, letter_id)?;
    let mut current = responses::current_for_letter(conn, letter_id)?;
    let reminded = Reminded::tally(&db::outbox::reminders_of_letter(conn, letter_id)?);
    Ok(join(all, &mut current, &reminded))
}

/// One invitation with its current answer, reminders and history.
pub fn detail(conn: &mut DbConnection, invitation_id: &InvitationId) -> Result<Detail, AppError> {
    let invitation =
        invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))?;
    let history = responses::for_invitation(conn, invitation_id)?;
    let reminded = Reminded::tally(&db::outbox::reminders_of_invitation(conn, invitation_id)?);
    Ok(Detail {
        overview: Overview {
            current: history.first().cloned(),
            reminded: reminded.get(invitation_id).copied().unwrap_or_default(),
            invitation,
        },
        history,
    })
}

fn join(
    all: Vec<Invitation>,
    current: &mut HashMap<InvitationId, Response>,
    reminded: &HashMap<InvitationId, Reminded>,
) -> Vec<Overview> {
    all.into_iter()
        .map(|invitation| Overview {
            current: current.remove(&invitation.id),
            reminded: reminded.get(&invitation.id).copied().unwrap_or_default(),
            invitation,
        })
        .collect()
}
