//! An answer recorded by a coordinator on an organization's behalf, when it arrived by email,
//! on the phone, on paper or at a meeting: bound to the current version like any decision,
//! under the same rules and locks, audited with the coordinator's account, and confirmed to the
//! organization's contact with their own sign link to correct it.

use std::collections::HashMap;

use crate::app::invitations::Links;
use crate::app::{Actor, AppError, letters};
use crate::clock::{Clock, long_date};
use crate::db::invitations::{self, Invitation};
use crate::db::responses::{self, Response};
use crate::db::{self, DbConnection, users};
use crate::domain::{
    Channel, Decision, InvitationId, InvitationStatus, LetterId, LetterStatus, OrganizationName,
    RecordedAnswer, Signer,
};

use super::decide::{Source, record_decision};

/// Records `answer` for the invitation, in the coordinator's name. `submission_key` (a fresh
/// key in each rendered form) makes a form sent twice record one answer. Refused with a
/// sentence (409) when the organization could not give this answer itself now: past the
/// deadline, closed, released without late signatures, or the invitation revoked.
pub fn record(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    invitation_id: &InvitationId,
    answer: &RecordedAnswer,
    submission_key: Option<&str>,
) -> Result<(Invitation, Response), AppError> {
    let name = users::find(conn, &actor.user_id)?
        .map(|user| user.name)
        .unwrap_or_else(|| actor.email.clone());
    // As for a partner's decision: the letter shared with other answers, or held alone when
    // the answer changes a published list (which shows only under the lock).
    let mut letter_lock = db::LetterLock::Shared;
    let result = loop {
        let attempt = db::write_transaction(conn, |conn| {
            let invitation = hold(conn, invitation_id, letter_lock)?;
            if let Some(key) = submission_key
                && responses::submitted(conn, key)?
            {
                return Ok(Some(invitation));
            }
            let view = letters::get_letter(conn, &invitation.letter_id)?;
            if view.status() == LetterStatus::Released
                && answer.decision != Decision::Decline
                && letter_lock == db::LetterLock::Shared
            {
                return Ok(None);
            }
            let signer = Signer {
                name: answer.signer_name.clone(),
                title: answer.signer_title.clone(),
                organization_display_name: OrganizationName::parse(&invitation.display_name)?,
                comment: None,
            };
            let source = Source::Coordinator {
                actor,
                name: &name,
                channel: answer.channel,
                evidence: &answer.evidence,
                submission_key,
            };
            record_decision(
                conn,
                clock,
                links,
                &invitation,
                &view,
                answer.decision,
                &signer,
                &source,
            )
            .map(Some)
        });
        match attempt {
            Ok(None) => letter_lock = db::LetterLock::Exclusive,
            Ok(Some(invitation)) => break Ok(invitation),
            Err(error) => break Err(error),
        }
    };
    let invitation = match result {
        // The same form twice at the same moment: the other copy recorded it.
        Err(AppError::Storage(db::DbError::Query(e)))
            if db::is_unique_violation(&e)
                && submission_key
                    .is_some_and(|key| responses::submitted(conn, key).unwrap_or(false)) =>
        {
            invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))?
        }
        other => other?,
    };
    let response = responses::for_invitation(conn, invitation_id)?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound("response"))?;
    Ok((invitation, response))
}

/// The invitation, locked after its letter; a revoked invitation takes no answer.
fn hold(
    conn: &mut DbConnection,
    invitation_id: &InvitationId,
    letter_lock: db::LetterLock,
) -> Result<Invitation, AppError> {
    let letter_id = invitations::find(conn, invitation_id)?
        .ok_or(AppError::NotFound("invitation"))?
        .letter_id;
    db::lock_letter(conn, &letter_id, letter_lock)?;
    db::lock_invitation(conn, invitation_id)?;
    let invitation =
        invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))?;
    if invitation.status == InvitationStatus::Revoked {
        return Err(AppError::conflict(format!(
            "The invitation of {} is revoked, so no answer can be recorded for it. Send it a new \
             link first if the organization is to take part.",
            invitation.display_name
        )));
    }
    Ok(invitation)
}

/// How the current answer of an invitation arrived, when a coordinator recorded it.
#[derive(Debug, Clone)]
pub struct RecordedNote {
    /// The organization as printed.
    pub organization: String,
    /// "recorded by NAME from an email on 30 November 2026".
    pub note: String,
}

/// For each invitation of the letter whose current answer a coordinator recorded, a note that
/// says who recorded it, how it had arrived and when. Reads every invitation and newest answer;
/// a caller holding them already uses `recorded_notes_of`.
pub fn recorded_notes(
    conn: &mut DbConnection,
    letter_id: &LetterId,
) -> Result<HashMap<InvitationId, RecordedNote>, AppError> {
    let organizations: HashMap<InvitationId, String> = invitations::for_letter(conn, letter_id)?
        .into_iter()
        .map(|i| (i.id, i.display_name))
        .collect();
    let current = responses::current_for_letter(conn, letter_id)?;
    recorded_notes_of(
        conn,
        letter_id,
        current.iter().map(|(id, answer)| {
            let organization = organizations.get(id).map_or("", String::as_str);
            (id, organization, answer)
        }),
    )
}

/// The notes of `recorded_notes` for answers read already: `(invitation, organization as
/// printed, its newest answer)`. One query, for the names of the coordinators who recorded.
pub fn recorded_notes_of<'a>(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    current: impl IntoIterator<Item = (&'a InvitationId, &'a str, &'a Response)>,
) -> Result<HashMap<InvitationId, RecordedNote>, AppError> {
    let names = responses::recorder_names(conn, letter_id)?;
    Ok(current
        .into_iter()
        .filter(|(_, _, r)| r.channel != Channel::SignLink)
        .map(|(id, organization, r)| {
            let by = r
                .recorded_by
                .as_ref()
                .and_then(|user| names.get(user))
                .map_or("a coordinator", String::as_str);
            let note = RecordedNote {
                organization: organization.to_string(),
                note: format!(
                    "recorded by {by} {} on {}",
                    r.channel.phrase(),
                    long_date(r.created_at)
                ),
            };
            (id.clone(), note)
        })
        .collect())
}
