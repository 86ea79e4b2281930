//! Signing: a partner opens their personal link, reads the exact text, and signs, declines or
//! withdraws for their organization; may forward the request to a colleague. Every decision is
//! a new response bound to the version and SHA-256 of the text, never an overwrite.

use chrono::{NaiveDateTime, TimeDelta};
use serde_json::json;
use uuid::Uuid;

use super::invitations::Links;
use super::outbox::{self, EmailKind, Job};
use super::{AppError, letters};
use crate::clock::Clock;
use crate::crypto::{constant_time_eq, sha256_hex};
use crate::db::invitations::{self, Invitation, InvitationChanges};
use crate::db::letters::LetterVersion;
use crate::db::responses::{self, NewResponse, Response};
use crate::db::{self, DbConnection};
use crate::domain::{
    Decision, EmailAddress, InvalidInput, InvitationStatus, LetterStatus, PersonName, Signer,
};

/// Where a partner's request comes from, for the audit trail.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Who acts on the sign page: the invitation, and the hash of the link it was opened with. An
/// action with an old link (replaced by a new one) finds nothing.
#[derive(Debug, Clone, Copy)]
pub struct LinkHolder<'a> {
    pub invitation_id: &'a str,
    pub token_hash: &'a str,
}

/// A link that opened: the invitation, and the hash its cookie is bound to.
pub struct OpenedLink {
    pub invitation_id: String,
    pub token_hash: String,
}

/// Checks a sign-link token. Unknown, revoked and expired links are alike: `None`. A GET never
/// decides (mail scanners open links); it only marks the invitation opened, once.
pub fn open_link(
    conn: &mut DbConnection,
    clock: &Clock,
    token: &str,
    origin: &Origin,
) -> Result<Option<OpenedLink>, AppError> {
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(None);
    }
    let token_hash = sha256_hex(token);
    db::write_transaction(conn, |conn| {
        let Some(found) = invitations::find_by_token_hash(conn, &token_hash)? else {
            return Ok(None);
        };
        // Read again under the row lock: a coordinator may be revoking it this very moment.
        db::lock_invitation(conn, &found.id)?;
        let Some(invitation) = invitations::find(conn, &found.id)? else {
            return Ok(None);
        };
        if !constant_time_eq(&invitation.token_hash, &token_hash) || !invitation.status.link_works()
        {
            return Ok(None);
        }
        if invitation.opened_at.is_none() {
            let now = clock.now();
            let status = matches!(
                invitation.status,
                InvitationStatus::Queued | InvitationStatus::Sent
            )
            .then_some(InvitationStatus::Opened.as_str());
            invitations::update(
                conn,
                &invitation.id,
                &InvitationChanges {
                    status,
                    opened_at: Some(Some(now)),
                    last_activity_at: Some(now),
                    ..Default::default()
                },
            )?;
            partner_event(
                conn,
                clock,
                &invitation,
                "invitation.opened",
                json!({}),
                origin,
            )?;
        }
        Ok(Some(OpenedLink {
            invitation_id: invitation.id,
            token_hash,
        }))
    })
}

/// The invitation behind a sign-page cookie, locked for a decision: the letter first (shared
/// with other partners' decisions, or alone when the decision changes the published list), then
/// the invitation, so that what is checked here still holds when the transaction commits.
fn hold_invitation(
    conn: &mut DbConnection,
    holder: LinkHolder,
    letter_lock: db::LetterLock,
) -> Result<Invitation, AppError> {
    let letter_id = invitations::find(conn, holder.invitation_id)?
        .ok_or(AppError::NotFound("invitation"))?
        .letter_id;
    db::lock_letter(conn, &letter_id, letter_lock)?;
    db::lock_invitation(conn, holder.invitation_id)?;
    current_invitation(conn, holder.invitation_id, holder.token_hash)?
        .ok_or(AppError::NotFound("invitation"))
}

/// The invitation behind a sign-page cookie, if the link it was opened with is still its link.
pub fn current_invitation(
    conn: &mut DbConnection,
    invitation_id: &str,
    token_hash: &str,
) -> Result<Option<Invitation>, AppError> {
    Ok(invitations::find(conn, invitation_id)?
        .filter(|i| constant_time_eq(&i.token_hash, token_hash) && i.status.link_works()))
}

/// Everything the sign page shows.
pub struct SignPage {
    pub invitation: Invitation,
    pub view: letters::LetterView,
    /// The version this organization last signed, when the text has changed since, with the
    /// word-level difference to the current text.
    pub changed_since: Option<(LetterVersion, Vec<letters::DiffSegment>)>,
    /// Organizations that signed the current text (when the letter shows them to partners).
    pub signatories: Vec<Invitation>,
    /// Every decision of this invitation, newest first.
    pub history: Vec<Response>,
    /// The answers the partner can give now (none once answers are closed).
    pub choices: Vec<Decision>,
    /// Why no decision can be made now, if none can.
    pub closed_because: Option<String>,
    /// For a published letter: when it was published, and what an answer now means.
    pub after_release: Option<String>,
}

pub fn sign_page(
    conn: &mut DbConnection,
    clock: &Clock,
    invitation: Invitation,
) -> Result<SignPage, AppError> {
    let view = letters::get_letter(conn, &invitation.letter_id)?;
    let history = responses::for_invitation(conn, &invitation.id)?;
    let last_signed = history
        .first()
        .filter(|r| {
            r.decision == "sign"
                && invitation.status == InvitationStatus::Signed
                && r.version < view.current.version
        })
        .map(|r| r.version);
    let changed_since = match last_signed {
        Some(version) => {
            let (old, _, segments) =
                letters::diff(conn, &invitation.letter_id, version, view.current.version)?;
            Some((old, segments))
        }
        None => None,
    };
    let signatories = if view.letter.show_signatories {
        invitations::signed_for_version(conn, &invitation.letter_id, view.current.version)?
    } else {
        Vec::new()
    };
    let (choices, closed_because) = match choices(&view, &invitation, clock.now()) {
        Ok(choices) => (choices, None),
        Err(reason) => (Vec::new(), Some(reason)),
    };
    let after_release =
        (view.status() == LetterStatus::Released && !choices.is_empty()).then(|| {
            let published = view
                .letter
                .released_at
                .map(crate::clock::long_date)
                .unwrap_or_default();
            if invitation.status == InvitationStatus::Signed {
                format!(
                    "The letter was published on {published} with your organization among its \
                 signatories. You can still withdraw the signature: the public page will then \
                 show the withdrawal, dated, in its list of changes."
                )
            } else {
                format!(
                    "The letter was published on {published}, and organizations may still join it. \
                 If yours signs now, it is listed as having joined after publication, with \
                 today's date."
                )
            }
        });
    Ok(SignPage {
        invitation,
        view,
        changed_since,
        signatories,
        history,
        choices,
        closed_because,
        after_release,
    })
}

/// The answers a partner can give now, or why none. Before release: sign or decline (or
/// withdraw a signature) while the letter is open and before its deadline. After release: a
/// listed organization can withdraw; others can still sign (or decline) if the letter accepts
/// late signatures. While a release is scheduled, everything is frozen.
fn choices(
    view: &letters::LetterView,
    invitation: &Invitation,
    now: NaiveDateTime,
) -> Result<Vec<Decision>, String> {
    offered(
        view.status(),
        view.letter.allow_late_signatures,
        view.letter.deadline_at,
        invitation.status == InvitationStatus::Signed,
        now,
    )
}

/// The rule behind `choices`, on plain facts: the letter's status, whether it accepts late
/// signatures, its deadline (UTC), whether this organization's signature stands, and now.
fn offered(
    letter: LetterStatus,
    accepts_late: bool,
    deadline: Option<NaiveDateTime>,
    signed: bool,
    now: NaiveDateTime,
) -> Result<Vec<Decision>, String> {
    match letter {
        LetterStatus::Released if signed => Ok(vec![Decision::Withdraw]),
        LetterStatus::Released if accepts_late => Ok(vec![Decision::Sign, Decision::Decline]),
        LetterStatus::Released => {
            Err("The letter is released; answers can no longer change.".into())
        }
        LetterStatus::Scheduled => Err(
            "The letter's release is scheduled; answers are frozen until it is published.".into(),
        ),
        LetterStatus::Closed => Err("The coordinators have closed this letter to answers.".into()),
        _ if deadline.is_some_and(|d| d <= now) => {
            Err("The deadline for answers has passed.".into())
        }
        _ if signed => Ok(vec![Decision::Sign, Decision::Decline, Decision::Withdraw]),
        _ => Ok(vec![Decision::Sign, Decision::Decline]),
    }
}

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
    let invitation_id = invitation.id.as_str();
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
    outbox::queue_with_payload(
        conn,
        clock,
        links.base_url,
        Job {
            kind: EmailKind::Confirmation,
            letter_id: &invitation.letter_id,
            invitation_id: Some(invitation_id),
            recipient: &invitation.contact_email,
            dedupe_key: None,
        },
        &json!({
            "decision": decision.as_str(),
            "after_release": view.status() == LetterStatus::Released,
        }),
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
    super::release::revise(conn, clock, links, &invitation.letter_id, &change)?;
    if decision == Decision::Sign {
        outbox::queue(
            conn,
            clock,
            links.base_url,
            Job {
                kind: EmailKind::ReleaseNotice,
                letter_id: &invitation.letter_id,
                invitation_id: Some(&invitation.id),
                recipient: &invitation.contact_email,
                dedupe_key: Some(&format!("release:{}", invitation.id)),
            },
        )?;
    }
    Ok(())
}

/// Hands the request to a colleague (for example a director who must approve): the colleague
/// becomes the contact and gets a fresh link; the forwarding contact's link stops working.
pub fn forward(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    holder: LinkHolder,
    colleague: &EmailAddress,
    colleague_name: Option<&PersonName>,
    origin: &Origin,
) -> Result<Invitation, AppError> {
    let invitation_id = holder.invitation_id;
    db::write_transaction(conn, |conn| {
        let invitation = hold_invitation(conn, holder, db::LetterLock::Shared)?;
        let view = letters::get_letter(conn, &invitation.letter_id)?;
        choices(&view, &invitation, clock.now()).map_err(AppError::Conflict)?;
        if colleague.lookup_key() == invitation.contact_email.to_lowercase() {
            return Err(
                InvalidInput::new("that is your own address; enter your colleague's").into(),
            );
        }
        let (nonce, new_hash) = super::invitations::new_link(links, invitation_id);
        let now = clock.now();
        invitations::update(
            conn,
            invitation_id,
            &InvitationChanges {
                contact_email: Some(colleague.as_str()),
                contact_name: Some(colleague_name.map(PersonName::as_str)),
                token_nonce: Some(&nonce),
                token_hash: Some(&new_hash),
                updated_at: Some(now),
                last_activity_at: Some(now),
                ..Default::default()
            },
        )?;
        crate::db::outbox::cancel_pending(conn, invitation_id)?;
        outbox::queue_with_payload(
            conn,
            clock,
            links.base_url,
            Job {
                kind: EmailKind::Invitation,
                letter_id: &invitation.letter_id,
                invitation_id: Some(invitation_id),
                recipient: colleague.as_str(),
                dedupe_key: None,
            },
            &json!({ "forwarded_by": invitation.contact_name.as_deref().unwrap_or(&invitation.contact_email) }),
        )?;
        partner_event(
            conn,
            clock,
            &invitation,
            "invitation.forwarded",
            json!({
                "from": invitation.contact_email,
                "to": colleague.as_str(),
            }),
            origin,
        )?;
        invitations::find(conn, invitation_id)?.ok_or(AppError::NotFound("invitation"))
    })
}

/// An audit event whose actor is the partner holding the link.
fn partner_event(
    conn: &mut DbConnection,
    clock: &Clock,
    invitation: &Invitation,
    action: &str,
    detail: serde_json::Value,
    origin: &Origin,
) -> crate::db::QueryResult<()> {
    super::audit::write(
        conn,
        clock,
        super::audit::Who::Partner {
            contact_email: &invitation.contact_email,
            ip: origin.ip.as_deref(),
            user_agent: origin.user_agent.as_deref(),
        },
        super::audit::Subject::invitation(&invitation.letter_id, &invitation.id),
        action,
        detail,
    )
}

/// How long a partner's sign page stays open after the link was followed.
pub const SIGN_SESSION: TimeDelta = TimeDelta::hours(4);

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("a valid time")
    }

    #[test]
    fn an_open_letter_offers_sign_and_decline_and_withdraw_once_signed() {
        use Decision::*;
        let open = |signed| offered(LetterStatus::Open, false, Some(at(12)), signed, at(9));
        assert_eq!(open(false), Ok(vec![Sign, Decline]));
        assert_eq!(open(true), Ok(vec![Sign, Decline, Withdraw]));
    }

    #[test]
    fn the_deadline_closing_or_scheduling_freeze_answers() {
        let past_deadline = offered(LetterStatus::Open, true, Some(at(12)), false, at(12));
        assert_eq!(
            past_deadline,
            Err("The deadline for answers has passed.".into())
        );
        for status in [LetterStatus::Closed, LetterStatus::Scheduled] {
            let frozen = offered(status, true, None, true, at(9));
            assert!(
                frozen.as_ref().is_err_and(|why| why.starts_with("The ")),
                "{frozen:?}"
            );
        }
    }

    #[test]
    fn after_release_a_signatory_may_withdraw_and_others_sign_only_when_late_is_allowed() {
        use Decision::*;
        // The deadline no longer matters once the letter is out.
        let released =
            |late, signed| offered(LetterStatus::Released, late, Some(at(1)), signed, at(9));
        assert_eq!(released(false, true), Ok(vec![Withdraw]));
        assert_eq!(released(true, true), Ok(vec![Withdraw]));
        assert_eq!(released(true, false), Ok(vec![Sign, Decline]));
        assert!(released(false, false).is_err());
    }
}
