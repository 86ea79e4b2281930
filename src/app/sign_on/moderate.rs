//! The coordinators' side of open sign-on: the letter's requests with hints (does the email's
//! domain match the website, is it a free email service, is the organization already in the
//! address book), and the decisions. Approving an organization makes it an invitation whose
//! signature is recorded for the version its requester read: it counts when no substantive
//! edit came since, and the organization is asked to approve again otherwise; its contact gets
//! their own sign link to correct or withdraw like any partner. Approving an individual lists
//! them apart. A rejection tells the requester, with the reason.

use serde_json::json;
use uuid::Uuid;

use crate::app::audit::{self, Subject};
use crate::app::invitations::{Links, new_link};
use crate::app::outbox::{self, Email, Job};
use crate::app::{Actor, AppError, hold_letter, letters};
use crate::clock::Clock;
use crate::db::invitations::{self, NewInvitation};
use crate::db::organizations::{self, NewContact, NewOrganization, Organization};
use crate::db::responses::{self, NewResponse};
use crate::db::sign_on_requests::{self, RequestChanges, SignOnRequest};
use crate::db::{self, DbConnection};
use crate::domain::sign_on::{RequestKind, RequestStatus, email_matches_website, is_free_mail};
use crate::domain::{
    ChangeKind, Channel, Decision, InvitationStatus, LetterId, LetterStatus, OrganizationId,
    organization_key,
};

/// What helps a coordinator judge a request.
#[derive(Debug, Clone)]
pub struct Hints {
    /// Whether the email's domain is the website's; `None` without a website.
    pub email_matches_website: Option<bool>,
    /// The address is at a free email service (anyone can have one).
    pub free_mail: bool,
    /// An organization of the address book with the same key, for an organization's request.
    pub matching_organization: Option<Organization>,
}

/// A request with its hints.
#[derive(Debug, Clone)]
pub struct RequestView {
    pub request: SignOnRequest,
    pub hints: Hints,
}

/// The letter's requests, oldest first, each with its hints.
pub fn requests(
    conn: &mut DbConnection,
    letter_id: &LetterId,
) -> Result<Vec<RequestView>, AppError> {
    letters::get_letter(conn, letter_id)?;
    let mut views = Vec::new();
    for request in sign_on_requests::for_letter(conn, letter_id, None)? {
        let matching_organization = match request.kind == RequestKind::Organization.as_str() {
            true => organizations::find_by_key(conn, &request.dedupe_key)?,
            false => None,
        };
        let hints = Hints {
            email_matches_website: email_matches_website(
                &request.email,
                request.website.as_deref(),
            ),
            free_mail: is_free_mail(&request.email),
            matching_organization,
        };
        views.push(RequestView { request, hints });
    }
    Ok(views)
}

/// The request, held with its letter for a decision; refused unless it waits for one.
fn hold_pending(
    conn: &mut DbConnection,
    request_id: &str,
) -> Result<(SignOnRequest, letters::LetterView), AppError> {
    let request = sign_on_requests::find(conn, request_id)?.ok_or(AppError::NotFound("request"))?;
    hold_letter(conn, &request.letter_id)?;
    let request = sign_on_requests::find(conn, request_id)?.ok_or(AppError::NotFound("request"))?;
    match RequestStatus::parse(&request.status) {
        Some(RequestStatus::Pending) => {}
        Some(RequestStatus::Unconfirmed) => {
            return Err(AppError::conflict(format!(
                "The request of {} is not confirmed yet: its email address must be confirmed \
                 before it can be decided.",
                request.name
            )));
        }
        _ => {
            return Err(AppError::conflict(format!(
                "The request of {} is already {}.",
                request.name, request.status
            )));
        }
    }
    let view = letters::get_letter(conn, &request.letter_id)?;
    Ok((request, view))
}

/// Approves a confirmed request. An organization is found in the address book by its key (or
/// is `merge_into`, when the coordinator names one), or added to it; it then becomes an
/// invitation signed for the version its requester read. Refused (409) when the organization is
/// already invited, when the letter no longer takes signatures, or when it holds
/// `max_invitations` already (`letters.max_invitations`).
pub fn approve(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    request_id: &str,
    merge_into: Option<&OrganizationId>,
    max_invitations: usize,
) -> Result<SignOnRequest, AppError> {
    db::write_transaction(conn, |conn| {
        let (request, view) = hold_pending(conn, request_id)?;
        let released = view.status() == LetterStatus::Released;
        if released && !view.letter.allow_late_signatures {
            return Err(AppError::conflict(
                "The letter is published and takes no late signatures.",
            ));
        }
        let now = clock.now();
        let (organization_id, invitation_id) = match RequestKind::parse(&request.kind) {
            Some(RequestKind::Individual) => (None, None),
            _ => {
                if crate::db::invitations::count_for_letter(conn, &view.letter.id)?
                    >= max_invitations
                {
                    return Err(AppError::conflict(crate::app::invitations::over_the_limit(
                        max_invitations,
                    )));
                }
                let organization = organization_for(conn, clock, &request, merge_into)?;
                let invitation_id = sign_for_organization(
                    conn,
                    clock,
                    links,
                    actor,
                    &request,
                    &view,
                    &organization,
                )?;
                (Some(organization.id.to_string()), Some(invitation_id))
            }
        };
        sign_on_requests::update(
            conn,
            &request.id,
            &RequestChanges {
                status: Some(RequestStatus::Approved.as_str()),
                decided_at: Some(Some(now)),
                decided_by: Some(Some(&actor.user_id)),
                organization_id: Some(organization_id.as_deref()),
                invitation_id: Some(invitation_id.as_deref()),
                updated_at: Some(now),
                ..Default::default()
            },
        )?;
        if invitation_id.is_none() {
            outbox::queue(
                conn,
                clock,
                links.base_url,
                Job {
                    email: Email::JoinDecision {
                        request_id: request.id.clone(),
                    },
                    letter_id: request.letter_id.as_str(),
                    invitation_id: None,
                    recipient: &request.email,
                    dedupe_key: Some(&format!("join-decision:{}", request.id)),
                },
            )?;
        }
        audit::record(
            conn,
            clock,
            actor,
            Subject::letter(&request.letter_id),
            "sign_on.approved",
            json!({
                "request": request.id,
                "kind": request.kind,
                "name": request.name,
                "organization": organization_id,
                "invitation": invitation_id,
            }),
        )?;
        if released && invitation_id.is_none() {
            crate::app::release::revise(
                conn,
                clock,
                links,
                &request.letter_id,
                &format!(
                    "{} joined the letter in their personal capacity",
                    request.name
                ),
            )?;
        }
        sign_on_requests::find(conn, &request.id)?.ok_or(AppError::NotFound("request"))
    })
}

/// The organization an approved request signs for: the one the coordinator merges it into,
/// else the address book's organization of the same key, else a new one from the request.
/// The requester's address becomes one of its contacts.
fn organization_for(
    conn: &mut DbConnection,
    clock: &Clock,
    request: &SignOnRequest,
    merge_into: Option<&OrganizationId>,
) -> Result<Organization, AppError> {
    let now = clock.now();
    let organization = match merge_into {
        Some(id) => Some(organizations::find(conn, id)?.ok_or(AppError::NotFound("organization"))?),
        None => organizations::find_by_key(conn, &request.dedupe_key)?,
    };
    let organization = match organization {
        Some(organization) => organization,
        None => {
            let id = Uuid::new_v4().to_string();
            organizations::insert(
                conn,
                &NewOrganization {
                    id: &id,
                    name: &request.name,
                    name_key: &organization_key(&request.name),
                    display_name: &request.name,
                    country: request.country.as_deref(),
                    website: request.website.as_deref(),
                    created_at: now,
                    updated_at: now,
                },
            )?;
            organizations::find(conn, &OrganizationId::from(id))?
                .ok_or(AppError::NotFound("organization"))?
        }
    };
    organizations::add_contact(
        conn,
        &NewContact {
            id: &Uuid::new_v4().to_string(),
            organization_id: organization.id.as_str(),
            email: &request.email,
            name: request.contact_name.as_deref(),
            created_at: now,
        },
    )?;
    Ok(organization)
}

/// The invitation of an approved organization, its signature recorded for the version its
/// requester read, and the email to its contact: the confirmation with their sign link, or,
/// when a substantive edit came since, the request to approve the new text. Returns the
/// invitation's id.
fn sign_for_organization(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    request: &SignOnRequest,
    view: &letters::LetterView,
    organization: &Organization,
) -> Result<String, AppError> {
    let letter_id = &request.letter_id;
    let invited = invitations::for_letter(conn, letter_id)?
        .into_iter()
        .any(|i| i.organization_id == organization.id && i.status != InvitationStatus::Revoked);
    if invited {
        return Err(AppError::conflict(format!(
            "{} is already invited to this letter: its contact answers through their own \
             sign link. Reject this request, or revoke the invitation first.",
            organization.name
        )));
    }
    let versions = crate::db::letters::versions(conn, letter_id)?;
    let read = versions
        .iter()
        .find(|v| v.version == request.read_version)
        .ok_or(AppError::NotFound("version"))?;
    let changed_since = versions.iter().any(|v| {
        v.version > request.read_version && v.change_kind == ChangeKind::Substantive.as_str()
    });
    let approved_version = if changed_since {
        request.read_version
    } else {
        view.current.version
    };
    let now = clock.now();
    let id = Uuid::new_v4().to_string();
    let (nonce, token_hash) = new_link(links, &id.clone().into());
    invitations::insert(
        conn,
        &NewInvitation {
            id: &id,
            letter_id: letter_id.as_str(),
            organization_id: organization.id.as_str(),
            contact_email: &request.email,
            contact_name: request.contact_name.as_deref(),
            display_name: &request.name,
            country: request.country.as_deref(),
            tier: "supporting",
            status: InvitationStatus::Signed.as_str(),
            token_nonce: &nonce,
            token_hash: &token_hash,
            language: None,
            created_at: now,
            updated_at: now,
            last_activity_at: now,
        },
    )?;
    invitations::update(
        conn,
        &id.clone().into(),
        &invitations::InvitationChanges {
            approved_version: Some(Some(approved_version)),
            responded_at: Some(Some(now)),
            ..Default::default()
        },
    )?;
    responses::insert(
        conn,
        &NewResponse {
            id: &Uuid::new_v4().to_string(),
            invitation_id: &id,
            letter_id: letter_id.as_str(),
            decision: Decision::Sign.as_str(),
            version: read.version,
            content_sha256: &read.content_sha256,
            signer_name: request.contact_name.as_deref().unwrap_or(&request.name),
            signer_title: request.title.as_deref().unwrap_or(""),
            organization_display_name: &request.name,
            comment: request.note.as_deref(),
            submission_key: None,
            ip: request.ip.as_deref(),
            user_agent: None,
            created_at: request.confirmed_at.unwrap_or(now),
            channel: Channel::OpenSignOn.as_str(),
            evidence: Some(&format!("request {} confirmed by email", request.id)),
            recorded_by: Some(&actor.user_id),
            language: None,
            translation_version: None,
        },
    )?;
    let released = view.status() == LetterStatus::Released;
    let email = if changed_since {
        Email::Reapproval {
            change: ChangeKind::Substantive,
        }
    } else {
        Email::Confirmation {
            decision: Decision::Sign,
            after_release: released,
            recorded: None,
        }
    };
    outbox::queue(
        conn,
        clock,
        links.base_url,
        Job {
            email,
            letter_id: letter_id.as_str(),
            invitation_id: Some(&id),
            recipient: &request.email,
            dedupe_key: None,
        },
    )?;
    if released && !changed_since {
        crate::app::release::revise(
            conn,
            clock,
            links,
            letter_id,
            &format!("{} joined the letter", request.name),
        )?;
    }
    Ok(id)
}

/// Rejects a confirmed request with the coordinator's reason, which the requester is told.
pub fn reject(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    request_id: &str,
    reason: &str,
) -> Result<SignOnRequest, AppError> {
    let reason = reason.trim();
    if reason.chars().count() > 1000 {
        return Err(
            crate::domain::InvalidInput::new("the reason is longer than 1,000 characters").into(),
        );
    }
    db::write_transaction(conn, |conn| {
        let (request, _) = hold_pending(conn, request_id)?;
        let now = clock.now();
        sign_on_requests::update(
            conn,
            &request.id,
            &RequestChanges {
                status: Some(RequestStatus::Rejected.as_str()),
                decided_at: Some(Some(now)),
                decided_by: Some(Some(&actor.user_id)),
                reason: Some(Some(reason).filter(|r| !r.is_empty())),
                updated_at: Some(now),
                ..Default::default()
            },
        )?;
        outbox::queue(
            conn,
            clock,
            links.base_url,
            Job {
                email: Email::JoinDecision {
                    request_id: request.id.clone(),
                },
                letter_id: request.letter_id.as_str(),
                invitation_id: None,
                recipient: &request.email,
                dedupe_key: Some(&format!("join-decision:{}", request.id)),
            },
        )?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::letter(&request.letter_id),
            "sign_on.rejected",
            json!({ "request": request.id, "kind": request.kind, "name": request.name, "reason": reason }),
        )?;
        sign_on_requests::find(conn, &request.id)?.ok_or(AppError::NotFound("request"))
    })
}
