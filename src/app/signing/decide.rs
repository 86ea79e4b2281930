//! A partner's decision: bound to the text read, recorded once, with its confirmation email;
//! on a published letter, a new revision of the public list.

use serde_json::json;
use uuid::Uuid;

use crate::app::invitations::Links;
use crate::app::outbox::{self, Email, Job};
use crate::app::{AppError, letters};
use crate::clock::Clock;
use crate::db::invitations::{self, Invitation, InvitationChanges};
use crate::db::responses::{self, NewResponse};
use crate::db::{self, DbConnection};
use crate::domain::{Decision, InvalidInput, InvitationStatus, LetterStatus, Signer};

use super::link::{hold_invitation, partner_event};
use super::page::choices;
use super::*;

/// A submitted sign form. `submission_key` is fresh in every rendered form, so a form sent
/// twice (a double click, a retried request) is recognised.
pub struct Answer<'a> {
    pub decision: Decision,
    pub signer: &'a Signer,
    pub submission_key: &'a str,
    /// The SHA-256 of the text the partner read (the form carries it): a decision is refused
    /// when the text has changed since, so that nobody approves words they never saw.
    pub read_sha256: &'a str,
}

/// Records a decision: a new response bound to the current version and its hash, the
/// invitation's new status, an audit event and a confirmation email, in one transaction.
/// The same form submitted twice records one response.
pub fn decide(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    holder: LinkHolder,
    answer: Answer,
    origin: &Origin,
) -> Result<Invitation, AppError> {
    let (decision, submission_key) = (answer.decision, answer.submission_key);
    let invitation_id = holder.invitation_id;
    // A decision before release shares the letter with other partners' decisions; one on a
    // published letter changes its public list and needs the letter alone. Which one it is
    // shows only under the lock (a release may commit while this request waits for it), so a
    // decision that finds the letter published starts again holding it alone.
    let mut letter_lock = db::LetterLock::Shared;
    let result = loop {
        let attempt = db::write_transaction(conn, |conn| {
            let invitation = hold_invitation(conn, holder, letter_lock)?;
            if responses::submitted(conn, submission_key)? {
                return Ok(Some(invitation));
            }
            let view = letters::get_letter(conn, &invitation.letter_id)?;
            let changes_public_list =
                view.status() == LetterStatus::Released && decision != Decision::Decline;
            if changes_public_list && letter_lock == db::LetterLock::Shared {
                return Ok(None);
            }
            record_decision(conn, clock, links, &invitation, &view, &answer, origin).map(Some)
        });
        match attempt {
            Ok(None) => letter_lock = db::LetterLock::Exclusive,
            Ok(Some(invitation)) => break Ok(invitation),
            Err(error) => break Err(error),
        }
    };
    match result {
        // Two copies of one form raced past the check: the other one recorded it. Any other
        // refused duplicate is not this partner's answer, and is reported as a conflict.
        Err(AppError::Storage(db::DbError::Query(e)))
            if db::is_unique_violation(&e) && responses::submitted(conn, submission_key)? =>
        {
            invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))
        }
        other => other,
    }
}

/// Writes a decision the partner was offered: the response, the invitation's new status, the
/// audit event, the confirmation email and, on a published letter, the new revision of the
/// list. Runs in `decide`'s transaction, with the letter and the invitation locked.
fn record_decision(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    invitation: &Invitation,
    view: &letters::LetterView,
    answer: &Answer,
    origin: &Origin,
) -> Result<Invitation, AppError> {
    let &Answer {
        decision,
        signer,
        submission_key,
        read_sha256,
    } = answer;
    let invitation_id = &invitation.id;
    let offered = choices(view, invitation, clock.now()).map_err(AppError::Conflict)?;
    if decision == Decision::Withdraw && invitation.status != InvitationStatus::Signed {
        return Err(InvalidInput::new("only a signature can be withdrawn").into());
    }
    if !offered.contains(&decision) {
        return Err(AppError::conflict(
            "The letter is published with your organization's signature; it can only be \
                 withdrawn now.",
        ));
    }
    if decision != Decision::Withdraw && read_sha256 != view.current.content_sha256 {
        return Err(AppError::conflict(format!(
            "The text of the letter changed while you were reading it. Version {} is shown \
                 below: please read it and answer again.",
            view.current.version
        )));
    }
    let now = clock.now();
    responses::insert(
        conn,
        &NewResponse {
            id: &Uuid::new_v4().to_string(),
            invitation_id,
            letter_id: &invitation.letter_id,
            decision: decision.as_str(),
            version: view.current.version,
            content_sha256: &view.current.content_sha256,
            signer_name: signer.name.as_str(),
            signer_title: &signer.title,
            organization_display_name: signer.organization_display_name.as_str(),
            comment: signer.comment.as_deref(),
            submission_key: Some(submission_key),
            ip: origin.ip.as_deref(),
            user_agent: origin.user_agent.as_deref(),
            created_at: now,
        },
    )?;
    invitations::update(
        conn,
        invitation_id,
        &InvitationChanges {
            status: Some(decision.status().as_str()),
            display_name: Some(signer.organization_display_name.as_str()),
            approved_version: Some((decision == Decision::Sign).then_some(view.current.version)),
            responded_at: Some(Some(now)),
            updated_at: Some(now),
            last_activity_at: Some(now),
            ..Default::default()
        },
    )?;
    partner_event(
        conn,
        clock,
        invitation,
        &format!("response.{}", decision.as_str()),
        json!({
            "version": view.current.version,
            "content_sha256": view.current.content_sha256,
            "signer_name": signer.name.as_str(),
            "signer_title": signer.title,
            "organization_display_name": signer.organization_display_name.as_str(),
        }),
        origin,
    )?;
    outbox::queue(
        conn,
        clock,
        links.base_url,
        Job {
            email: Email::Confirmation {
                decision,
                after_release: view.status() == LetterStatus::Released,
            },
            letter_id: &invitation.letter_id,
            invitation_id: Some(invitation_id),
            recipient: &invitation.contact_email,
            dedupe_key: None,
        },
    )?;
    if view.status() == LetterStatus::Released {
        after_publication(conn, clock, links, invitation, decision, signer)?;
    }
    invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))
}

/// A decision on a published letter changes its public list: a late signature adds the
/// organization (and sends it the public link), a withdrawal removes it; either makes a new
/// dated revision. A late decline changes nothing public.
fn after_publication(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    invitation: &Invitation,
    decision: Decision,
    signer: &Signer,
) -> Result<(), AppError> {
    let change = match decision {
        Decision::Sign => format!(
            "{} joined the letter",
            signer.organization_display_name.as_str()
        ),
        Decision::Withdraw => format!("{} withdrew its signature", invitation.display_name),
        Decision::Decline => return Ok(()),
    };
    crate::app::release::revise(conn, clock, links, &invitation.letter_id, &change)?;
    if decision == Decision::Sign {
        outbox::queue(
            conn,
            clock,
            links.base_url,
            Job {
                email: Email::ReleaseNotice,
                letter_id: &invitation.letter_id,
                invitation_id: Some(&invitation.id),
                recipient: &invitation.contact_email,
                dedupe_key: Some(&format!("release:{}", invitation.id)),
            },
        )?;
    }
    Ok(())
}
