//! Taking a request to join: whether the letter takes one now, the limits per client address
//! and per email address, the honeypot and the least fill time, the merging of a second request
//! from the same organization or address, and the confirmation by emailed link.

use chrono::NaiveDateTime;
use serde_json::json;
use uuid::Uuid;

use crate::app::audit::{self, Subject, Who};
use crate::app::invitations::Links;
use crate::app::outbox::{self, Email, Job};
use crate::app::rate_limits::RateLimits;
use crate::app::{AppError, letters};
use crate::clock::Clock;
use crate::config::SecuritySettings;
use crate::crypto::sha256_hex;
use crate::db::letters::Letter;
use crate::db::sign_on_requests::{self, NewRequest, RequestChanges, RequestFields, SignOnRequest};
use crate::db::{self, DbConnection};
use crate::domain::sign_on::{JoinForm, JoinRequest, RequestKind, RequestStatus};
use crate::domain::{FieldError, LetterStatus};

/// Why a request to join is not taken.
#[derive(Debug)]
pub enum JoinRefusal {
    /// Fields to correct, each named with its reason; the form is shown again.
    Fields(Vec<FieldError>),
    /// The form came back faster than a person fills it: shown again, to be sent once more.
    TooFast,
    /// Too many requests from this client address or for this email address (429).
    Limited,
    /// The letter no longer takes requests (or never did): why, in a sentence.
    Closed(String),
    App(AppError),
}

impl From<AppError> for JoinRefusal {
    fn from(error: AppError) -> Self {
        Self::App(error)
    }
}

impl From<db::DbError> for JoinRefusal {
    fn from(error: db::DbError) -> Self {
        Self::App(error.into())
    }
}

impl From<db::QueryError> for JoinRefusal {
    fn from(error: db::QueryError) -> Self {
        Self::App(error.into())
    }
}

/// Whether the letter takes requests of this kind now: open sign-on must be on (and, for an
/// individual, individuals accepted); requests stop at the deadline and at release, unless the
/// letter takes late signatures. `Err` says why not, in a sentence a requester reads.
pub fn window(letter: &Letter, kind: RequestKind, now: NaiveDateTime) -> Result<(), String> {
    if !letter.open_sign_on || letter.archived_at.is_some() {
        return Err("This letter does not take requests to sign.".into());
    }
    if kind == RequestKind::Individual && !letter.accept_individuals {
        return Err("This letter is signed by organizations only.".into());
    }
    if letter.allow_late_signatures {
        return Ok(());
    }
    if letter.status == LetterStatus::Released {
        return Err("The letter is published: it no longer takes signatures.".into());
    }
    if letter.answers_frozen {
        return Err("The list of signatories is frozen until the letter is published.".into());
    }
    if letter.deadline_at.is_some_and(|deadline| deadline <= now) {
        return Err("The deadline to sign this letter has passed.".into());
    }
    Ok(())
}

/// The letter whose join page this is, with its current text, when it has open sign-on on
/// (404 otherwise: nothing tells a visitor a letter exists before it is public).
pub fn join_page(conn: &mut DbConnection, slug: &str) -> Result<letters::LetterView, AppError> {
    let letter = db::letters::find_by_slug(conn, slug)?
        .filter(|l| l.open_sign_on && l.archived_at.is_none())
        .ok_or(AppError::NotFound("letter"))?;
    letters::get_letter(conn, &letter.id)
}

/// Takes a request to join the letter at `slug`. `shown_at` is when the form was shown (Unix
/// seconds, proven by the form); `trap` is the hidden field people leave empty. A filled trap
/// is answered like a success and stores nothing. A second request for the same organization
/// (by its name's key) or the same individual (by address) updates the first and is confirmed
/// again, unless the first is decided, or confirmed from another address (then nobody can take
/// over a request someone else confirmed): those are left as they are. Either way the page
/// says the same, so it tells nobody whether someone else asked. Returns the letter's title,
/// for the page that says what happens next.
#[allow(clippy::too_many_arguments)]
pub fn submit(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    security: &SecuritySettings,
    slug: &str,
    kind: RequestKind,
    form: &JoinForm,
    shown_at: Option<i64>,
    trap: &str,
    ip: Option<&str>,
) -> Result<String, JoinRefusal> {
    let view = join_page(conn, slug)?;
    let title = view.current.title.clone();
    let now = clock.now();
    window(&view.letter, kind, now).map_err(JoinRefusal::Closed)?;
    let request = JoinRequest::parse(kind, form).map_err(JoinRefusal::Fields)?;
    let min_fill = i64::from(security.join_min_fill_seconds);
    match shown_at {
        Some(shown) if now.and_utc().timestamp() - shown >= min_fill => {}
        _ => return Err(JoinRefusal::TooFast),
    }
    if !trap.trim().is_empty() {
        tracing::info!(letter = %view.letter.id, "a join form with its trap field filled was ignored");
        return Ok(title);
    }
    let limits = RateLimits::from_settings(security);
    let address = ip.unwrap_or("unknown");
    let mailbox = sha256_hex(request.email.lookup_key());
    if limits.join_per_address.is_reached(conn, clock, address)?
        || limits.join_per_email.is_reached(conn, clock, &mailbox)?
    {
        return Err(JoinRefusal::Limited);
    }
    limits
        .join_per_address
        .record_failure(conn, clock, address)?;
    limits
        .join_per_email
        .record_failure(conn, clock, &mailbox)?;

    let letter_id = view.letter.id.clone();
    let read_version = view.current.version;
    let result = db::write_transaction(conn, |conn| {
        db::lock_letter(conn, &letter_id, db::LetterLock::Shared)?;
        let key = request.dedupe_key();
        let email = request.email.as_str();
        let same = sign_on_requests::find_same(conn, &letter_id, kind.as_str(), &key)?;
        let kept = same
            .as_ref()
            .is_some_and(|s| match RequestStatus::parse(&s.status) {
                Some(RequestStatus::Unconfirmed) => false,
                Some(RequestStatus::Pending) => {
                    crate::domain::email_key(&s.email) != request.email.lookup_key()
                }
                _ => true,
            });
        if kept {
            audit::write(
                conn,
                clock,
                Who::Partner {
                    contact_email: email,
                    ip,
                    user_agent: None,
                },
                Subject::letter(&letter_id),
                "sign_on.duplicate_kept",
                json!({ "request": same.as_ref().map(|s| s.id.clone()), "name": request.name }),
            )?;
            return Ok::<_, AppError>(None);
        }
        let id = same
            .as_ref()
            .map_or_else(|| Uuid::new_v4().to_string(), |s| s.id.clone());
        let mut nonce = [0u8; 16];
        rand::fill(&mut nonce);
        let nonce = hex::encode(nonce);
        let token_hash = sha256_hex(links.secrets.join_confirm_token(&id, &nonce));
        let fields = RequestFields {
            name: &request.name,
            dedupe_key: &key,
            country: request.country.as_ref().map(|c| c.as_str()),
            website: request.website.as_ref().map(|w| w.as_str()),
            contact_name: request.contact_name.as_deref(),
            title: request.title.as_deref(),
            affiliation: request.affiliation.as_deref(),
            email,
            note: request.note.as_deref(),
            read_version,
            confirm_token_hash: &token_hash,
            ip,
            updated_at: now,
        };
        match &same {
            Some(_) => sign_on_requests::refill(conn, &id, &fields)?,
            None => sign_on_requests::insert(
                conn,
                &NewRequest {
                    id: &id,
                    letter_id: letter_id.as_str(),
                    kind: kind.as_str(),
                    status: RequestStatus::Unconfirmed.as_str(),
                    created_at: now,
                    fields,
                },
            )?,
        }
        outbox::queue(
            conn,
            clock,
            links.base_url,
            Job {
                email: Email::JoinConfirmation {
                    request_id: id.clone(),
                    nonce,
                },
                letter_id: letter_id.as_str(),
                invitation_id: None,
                recipient: email,
                dedupe_key: None,
            },
        )?;
        audit::write(
            conn,
            clock,
            Who::Partner {
                contact_email: email,
                ip,
                user_agent: None,
            },
            Subject::letter(&letter_id),
            if same.is_some() {
                "sign_on.requested_again"
            } else {
                "sign_on.requested"
            },
            json!({ "request": id, "kind": kind.as_str(), "name": request.name }),
        )?;
        Ok(Some(id))
    });
    match result {
        Ok(_) => Ok(title),
        // The same organization asking twice at the same moment: the other request is kept.
        Err(AppError::Storage(db::DbError::Query(e))) if db::is_unique_violation(&e) => Ok(title),
        Err(e) => Err(e.into()),
    }
}

/// Confirms the request whose emailed link carries `token`: it then waits for a coordinator.
/// Confirming twice changes nothing. An unknown token is not found.
pub fn confirm(
    conn: &mut DbConnection,
    clock: &Clock,
    token: &str,
) -> Result<SignOnRequest, AppError> {
    let hash = sha256_hex(token);
    db::write_transaction(conn, |conn| {
        let request = sign_on_requests::find_by_token_hash(conn, &hash)?
            .ok_or(AppError::NotFound("request"))?;
        if request.status != RequestStatus::Unconfirmed.as_str() {
            return Ok(request);
        }
        let now = clock.now();
        sign_on_requests::update(
            conn,
            &request.id,
            &RequestChanges {
                status: Some(RequestStatus::Pending.as_str()),
                confirmed_at: Some(Some(now)),
                updated_at: Some(now),
                ..Default::default()
            },
        )?;
        audit::write(
            conn,
            clock,
            Who::Partner {
                contact_email: &request.email,
                ip: None,
                user_agent: None,
            },
            Subject::letter(&request.letter_id),
            "sign_on.confirmed",
            json!({ "request": request.id, "kind": request.kind, "name": request.name }),
        )?;
        sign_on_requests::find(conn, &request.id)?.ok_or(AppError::NotFound("request"))
    })
}

/// A request's confirmation token is random per request: a test of that and of the window.
#[cfg(test)]
mod tests {
    use super::*;

    fn letter() -> Letter {
        let at = chrono::DateTime::from_timestamp(1_796_000_000, 0)
            .unwrap()
            .naive_utc();
        Letter {
            id: "l".into(),
            slug: "s".into(),
            title: "t".into(),
            addressee: "a".into(),
            status: LetterStatus::Open,
            current_version: 1,
            deadline_at: Some(at),
            deadline_tz: None,
            show_signatories: true,
            show_signers: false,
            allow_late_signatures: false,
            release_at: None,
            release_tz: None,
            released_at: None,
            archived_at: None,
            created_by: None,
            created_at: at,
            updated_at: at,
            answers_frozen: false,
            open_sign_on: true,
            accept_individuals: false,
            individuals_heading: None,
            language: "en".into(),
        }
    }

    #[test]
    fn requests_are_taken_until_the_deadline_or_release_unless_late_signatures() {
        let mut letter = letter();
        let deadline = letter.deadline_at.unwrap();
        let before = deadline - chrono::TimeDelta::hours(1);
        let after = deadline + chrono::TimeDelta::hours(1);
        assert!(window(&letter, RequestKind::Organization, before).is_ok());
        assert!(window(&letter, RequestKind::Organization, after).is_err());
        assert!(window(&letter, RequestKind::Individual, before).is_err());
        letter.accept_individuals = true;
        assert!(window(&letter, RequestKind::Individual, before).is_ok());
        letter.status = LetterStatus::Released;
        assert!(window(&letter, RequestKind::Organization, before).is_err());
        letter.allow_late_signatures = true;
        assert!(window(&letter, RequestKind::Organization, after).is_ok());
        letter.open_sign_on = false;
        assert!(window(&letter, RequestKind::Organization, before).is_err());
    }
}
