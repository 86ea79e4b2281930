//! The emails to someone who asked to join a letter through its sign-on page: the link that
//! confirms their address (its token derived here, at send time, from the request and the
//! job's nonce; never stored) and the coordinators' decision. A confirmation whose request was
//! confirmed, decided or sent again since is not sent.

use super::Email;
use super::branding::{logo_address, sender};
use super::renderer::{Prepared, Renderer};
use crate::app::coordinating;
use crate::crypto::sha256_hex;
use crate::db::outbox::OutboxJob;
use crate::db::sign_on_requests::{self, SignOnRequest};
use crate::db::{DbConnection, DbError, letters, users};
use crate::domain::LetterStatus;
use crate::domain::sign_on::{RequestKind, RequestStatus};
use crate::mail::{self, Addressing, EmailView, Template};

/// Renders a join email, or `None` when the job is of another kind.
pub(super) fn prepare(
    renderer: &Renderer,
    conn: &mut DbConnection,
    job: &OutboxJob,
) -> Result<Option<Prepared>, DbError> {
    let email = Email::from_stored(&job.kind, &job.payload);
    let (Ok(Email::JoinConfirmation { request_id, .. }) | Ok(Email::JoinDecision { request_id })) =
        &email
    else {
        return Ok(None);
    };
    let Some(request) = sign_on_requests::find(conn, request_id)? else {
        return Ok(Some(Prepared::Drop("its request no longer exists")));
    };
    let Some(letter) = letters::find(conn, &request.letter_id)? else {
        return Ok(Some(Prepared::Drop("its letter no longer exists")));
    };
    let status = RequestStatus::parse(&request.status);
    let links = &renderer.links;
    let (template, link, headline, reasons) = match &email {
        Ok(Email::JoinConfirmation { nonce, .. }) => {
            let token = links.secrets.join_confirm_token(&request.id, nonce);
            if status != Some(RequestStatus::Unconfirmed)
                || sha256_hex(&token) != request.confirm_token_hash
            {
                return Ok(Some(Prepared::Drop(
                    "the request was confirmed, decided or sent again since",
                )));
            }
            let link = links.base_url.join(&format!("/join/confirm/{token}"));
            (Template::JoinConfirmation, link, None, Vec::new())
        }
        _ => {
            let (headline, reasons) = decision_words(&request, status);
            let Some(headline) = headline else {
                return Ok(Some(Prepared::Drop("nothing to tell the requester")));
            };
            let path = if letter.status == LetterStatus::Released {
                format!("/letters/{}", letter.slug)
            } else {
                format!("/letters/{}/join", letter.slug)
            };
            (
                Template::JoinDecision,
                links.base_url.join(&path),
                Some(headline),
                reasons,
            )
        }
    };
    let asking = coordinating::current(conn, renderer.organization)?;
    let logo = logo_address(links.base_url, &asking);
    let coordinator = coordinator_of(conn, letter.created_by.as_deref())?;
    let greeting = request.contact_name.as_deref().unwrap_or(&request.name);
    let view = EmailView {
        letter_title: &letter.title,
        addressee: &letter.addressee,
        organization: match RequestKind::parse(&request.kind) {
            Some(RequestKind::Individual) => "your name",
            _ => &request.name,
        },
        contact_name: Some(greeting),
        coordinator: coordinator.as_ref().map(|(name, _)| name.as_str()),
        deadline: None,
        link: &link,
        signed: false,
        minor_change: false,
        forwarded_by: None,
        message: None,
        asking: asking.name.as_deref(),
        logo: logo.as_deref(),
        headline: headline.as_deref(),
        version: letter.current_version,
        released: false,
        withdrew: false,
        reasons: &reasons,
        recorded: None,
        l: crate::i18n::Localizer::english(),
    };
    let rendered = match mail::render(template, &view) {
        Ok(rendered) => rendered,
        Err(e) => {
            return Ok(Some(Prepared::Undeliverable(format!(
                "the email did not render: {e}"
            ))));
        }
    };
    let from = sender(
        renderer.from,
        coordinator.as_ref().map(|(name, _)| name.as_str()),
        asking.name.as_deref(),
    );
    let addressing = Addressing {
        from: &from,
        reply_to: coordinator
            .as_ref()
            .map(|(name, email)| (name.as_str(), email.as_str())),
        to_name: Some(greeting),
        to_address: &job.recipient,
        message_id: &job.message_id,
    };
    Ok(Some(match mail::compose(&addressing, rendered) {
        Ok(message) => Prepared::Send(Box::new(message)),
        Err(e) => Prepared::Undeliverable(e.to_string()),
    }))
}

/// The decision in one sentence, and the lines after it (the reason of a rejection). An
/// approved organization is not told here: it gets the signature's confirmation with its link.
fn decision_words(
    request: &SignOnRequest,
    status: Option<RequestStatus>,
) -> (Option<String>, Vec<String>) {
    let individual = request.kind == RequestKind::Individual.as_str();
    match status {
        Some(RequestStatus::Approved) if individual => (
            Some("Your name is added to the signatories".into()),
            vec![
                "It will be listed apart from the organizations when the letter is published."
                    .into(),
            ],
        ),
        Some(RequestStatus::Rejected) => (
            Some("Your request to sign was not accepted".into()),
            request
                .reason
                .iter()
                .map(|reason| format!("The coordinators' reason: {reason}"))
                .collect(),
        ),
        _ => (None, Vec::new()),
    }
}

/// The coordinator who created the letter: their name and address, for the sender's name and
/// Reply-To.
fn coordinator_of(
    conn: &mut DbConnection,
    created_by: Option<&str>,
) -> Result<Option<(String, String)>, DbError> {
    Ok(match created_by {
        Some(user_id) => users::find(conn, user_id)?.map(|u| (u.name, u.email)),
        None => None,
    })
}
