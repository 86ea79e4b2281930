//! A partner's decision: bound to the text read, recorded once, with its confirmation email;
//! on a published letter, a new revision of the public list.

use serde_json::json;
use uuid::Uuid;

use crate::app::audit::{self, Subject};
use crate::app::invitations::Links;
use crate::app::notifications;
use crate::app::outbox::{self, Email, Event, Job, Recorded};
use crate::app::{Actor, AppError, letters};
use crate::clock::Clock;
use crate::db::invitations::{self, Invitation, InvitationChanges};
use crate::db::responses::{self, NewResponse};
use crate::db::{self, DbConnection};
use crate::domain::{Channel, Decision, InvalidInput, InvitationStatus, LetterStatus, Signer};

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
    /// The translation read (BCP 47), or `None` for the letter's own, authoritative text.
    pub read_language: Option<&'a str>,
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
            let source = Source::Partner {
                submission_key,
                read_sha256: answer.read_sha256,
                read_language: answer.read_language,
                origin,
            };
            let recorded = record_decision(
                conn,
                clock,
                links,
                &invitation,
                &view,
                decision,
                answer.signer,
                &source,
            )?;
            tell_coordinators(conn, clock, links, &invitation, &view, decision)?;
            Ok(Some(recorded))
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

/// The news a partner's decision makes for the letter's coordinators: a lead organization
/// declining before release, or a signatory withdrawing from the published letter.
fn tell_coordinators(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    invitation: &Invitation,
    view: &letters::LetterView,
    decision: Decision,
) -> Result<(), AppError> {
    let organization = invitation.display_name.clone();
    let released = view.status() == LetterStatus::Released;
    let event = match decision {
        Decision::Decline if invitation.tier == "lead" && !released => {
            Event::LeadDeclined { organization }
        }
        Decision::Withdraw if released => Event::WithdrawnAfterRelease { organization },
        _ => return Ok(()),
    };
    notifications::notify(conn, clock, links.base_url, &invitation.letter_id, event)?;
    Ok(())
}

/// Who gives an answer, and how it arrived.
pub(super) enum Source<'a> {
    /// The partner, on the sign page: the form's key, the hash of the text they read and, when
    /// it was a translation, its language.
    Partner {
        submission_key: &'a str,
        read_sha256: &'a str,
        read_language: Option<&'a str>,
        origin: &'a Origin,
    },
    /// A coordinator recording an answer that arrived by email, phone, paper or at a meeting.
    Coordinator {
        actor: &'a Actor,
        /// The coordinator's name, as the organization's confirmation names them.
        name: &'a str,
        channel: Channel,
        evidence: &'a str,
        submission_key: Option<&'a str>,
    },
}

/// Writes a decision the organization was offered: the response, the invitation's new status,
/// the audit event, the confirmation email and, on a published letter, the new revision of the
/// list. Runs in the caller's transaction, with the letter and the invitation locked.
#[allow(clippy::too_many_arguments)]
pub(super) fn record_decision(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    invitation: &Invitation,
    view: &letters::LetterView,
    decision: Decision,
    signer: &Signer,
    source: &Source,
) -> Result<Invitation, AppError> {
    let invitation_id = &invitation.id;
    let offered = choices(view, invitation, clock.now()).map_err(AppError::Conflict)?;
    if decision == Decision::Withdraw && invitation.status != InvitationStatus::Signed {
        return Err(InvalidInput::new("only a signature can be withdrawn").into());
    }
    if !offered.contains(&decision) {
        return Err(AppError::conflict(match source {
            Source::Partner { .. } => {
                "The letter is published with your organization's signature; it can only be \
                 withdrawn now."
            }
            Source::Coordinator { .. } => {
                "The letter is published with this organization's signature; only the \
                 organization can withdraw it now, through its sign link."
            }
        }));
    }
    let read = match source {
        Source::Partner {
            read_sha256,
            read_language,
            ..
        } if decision != Decision::Withdraw => read_text(conn, view, read_sha256, *read_language)?,
        _ => None,
    };
    let (submission_key, ip, user_agent, channel, evidence, recorded_by) = match source {
        Source::Partner {
            submission_key,
            origin,
            ..
        } => (
            Some(*submission_key),
            origin.ip.as_deref(),
            origin.user_agent.as_deref(),
            Channel::SignLink,
            None,
            None,
        ),
        Source::Coordinator {
            actor,
            channel,
            evidence,
            submission_key,
            ..
        } => (
            *submission_key,
            actor.ip.as_deref(),
            actor.user_agent.as_deref(),
            *channel,
            Some(*evidence),
            Some(actor.user_id.as_str()),
        ),
    };
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
            submission_key,
            ip,
            user_agent,
            created_at: now,
            channel: channel.as_str(),
            evidence,
            recorded_by,
            language: read.as_ref().map(|t| t.translation.language.as_str()),
            translation_version: read.as_ref().map(|t| t.translation.version),
        },
    )?;
    let updated = invitations::update_returning(
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
    audit_decision(conn, clock, invitation, view, decision, signer, source)?;
    outbox::queue(
        conn,
        clock,
        links.base_url,
        Job {
            email: Email::Confirmation {
                decision,
                after_release: view.status() == LetterStatus::Released,
                recorded: match source {
                    Source::Partner { .. } => None,
                    Source::Coordinator { name, channel, .. } => Some(Recorded {
                        by: name.to_string(),
                        channel: *channel,
                    }),
                },
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
    Ok(updated)
}

/// Checks that what the partner read is the text an answer binds to now: the authoritative
/// text of the current version, or a translation offered to partners that is not out of date
/// (it matches the current text, up to minor corrections), with the SHA-256 the page showed.
/// Returns the translation read, if one was. Errors: 409 when the text, or the translation,
/// changed or was withdrawn while the partner was reading.
fn read_text(
    conn: &mut DbConnection,
    view: &letters::LetterView,
    read_sha256: &str,
    read_language: Option<&str>,
) -> Result<Option<letters::TranslationView>, AppError> {
    let changed = || {
        AppError::conflict(format!(
            "The text of the letter changed while you were reading it. Version {} is shown \
             below: please read it and answer again.",
            view.current.version
        ))
    };
    let Some(language) = read_language.filter(|l| *l != view.letter.language) else {
        return if read_sha256 == view.current.content_sha256 {
            Ok(None)
        } else {
            Err(changed())
        };
    };
    let translation = letters::translations(conn, view)?
        .into_iter()
        .find(|t| t.translation.language == language && t.translation.offered);
    match translation {
        Some(t) if !t.out_of_date && t.translation.content_sha256 == read_sha256 => Ok(Some(t)),
        Some(t) if !t.out_of_date => Err(changed()),
        _ => Err(AppError::conflict(
            "The translation you read is no longer offered for this version of the letter. The \
             letter is shown below in its own language: please read it and answer again.",
        )),
    }
}

/// The audit event of a decision: the partner's (`response.sign`, …) with their address, or the
/// coordinator's (`response.recorded`) with their account, how the answer arrived and its
/// evidence.
fn audit_decision(
    conn: &mut DbConnection,
    clock: &Clock,
    invitation: &Invitation,
    view: &letters::LetterView,
    decision: Decision,
    signer: &Signer,
    source: &Source,
) -> crate::db::QueryResult<()> {
    let mut detail = json!({
        "decision": decision.as_str(),
        "version": view.current.version,
        "content_sha256": view.current.content_sha256,
        "signer_name": signer.name.as_str(),
        "signer_title": signer.title,
        "organization_display_name": signer.organization_display_name.as_str(),
    });
    match source {
        Source::Partner { origin, .. } => partner_event(
            conn,
            clock,
            invitation,
            &format!("response.{}", decision.as_str()),
            detail,
            origin,
        ),
        Source::Coordinator {
            actor,
            channel,
            evidence,
            ..
        } => {
            detail["channel"] = json!(channel.as_str());
            detail["evidence"] = json!(evidence);
            audit::record(
                conn,
                clock,
                actor,
                Subject::invitation(&invitation.letter_id, &invitation.id),
                "response.recorded",
                detail,
            )
        }
    }
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
