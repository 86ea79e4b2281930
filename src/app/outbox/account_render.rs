//! The emails about an account (no letter): queued with the id of a stored one-time link, and
//! rendered here, at send time, with the link's token derived from the server secret. A link
//! that was used, replaced or has expired by then is not sent.

use super::Email;
use super::renderer::{Prepared, Renderer};
use crate::app::account_links::{self, Purpose};
use crate::app::coordinating;
use crate::clock::Clock;
use crate::config::BaseUrl;
use crate::db::outbox::{self, OutboxJob};
use crate::db::{DbConnection, DbError, QueryResult};
use crate::domain::JobStatus;
use crate::mail::{self, AccountEmailView, AccountTemplate, Addressing};

/// Queues an account email to `recipient`, inside the caller's transaction. The payload holds
/// the link's id only, never a token.
pub fn queue_account_email(
    conn: &mut DbConnection,
    clock: &Clock,
    base_url: &BaseUrl,
    email: Email,
    recipient: &str,
) -> QueryResult<()> {
    let id = uuid::Uuid::new_v4().to_string();
    let host = url::Url::parse(base_url.as_str())
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "undersigned.invalid".into());
    let now = clock.now();
    outbox::insert(
        conn,
        &outbox::NewOutboxJob {
            id: &id,
            kind: email.kind().as_str(),
            letter_id: None,
            invitation_id: None,
            recipient,
            payload: &email.payload(),
            message_id: &format!("<{id}@{host}>"),
            dedupe_key: None,
            status: JobStatus::Pending.as_str(),
            run_after: now,
            created_at: now,
        },
    )
    .map(drop)
}

/// Renders an account email, or `None` when the job is about a letter.
pub(super) fn prepare(
    renderer: &Renderer,
    conn: &mut DbConnection,
    job: &OutboxJob,
) -> Result<Option<Prepared>, DbError> {
    let (link_id, purpose, template, valid_for) = match Email::from_stored(&job.kind, &job.payload)
    {
        Ok(Email::AccountInvitation { link_id }) => (
            link_id,
            Purpose::Invitation,
            AccountTemplate::Invitation,
            "for 72 hours",
        ),
        Ok(Email::PasswordReset { link_id }) => (
            link_id,
            Purpose::PasswordReset,
            AccountTemplate::PasswordReset,
            "for one hour",
        ),
        _ => return Ok(None),
    };
    let links = &renderer.links;
    let Some(facts) = account_links::link_facts(
        conn,
        renderer.clock,
        links.secrets,
        links.base_url,
        &link_id,
        purpose,
    )?
    else {
        return Ok(Some(Prepared::Drop(
            "its link was used, replaced or has expired",
        )));
    };
    let asking = coordinating::current(conn, renderer.organization)?;
    let logo = super::branding::logo_address(links.base_url, &asking);
    let view = AccountEmailView {
        name: &facts.name,
        link: &facts.url,
        valid_for,
        asking: asking.name.as_deref(),
        logo: logo.as_deref(),
    };
    let rendered = match mail::render_account(template, &view) {
        Ok(rendered) => rendered,
        Err(e) => {
            return Ok(Some(Prepared::Undeliverable(format!(
                "the email did not render: {e}"
            ))));
        }
    };
    let addressing = Addressing {
        from: renderer.from,
        reply_to: None,
        to_name: Some(&facts.name),
        to_address: &job.recipient,
        message_id: &job.message_id,
    };
    Ok(Some(match mail::compose(&addressing, rendered) {
        Ok(message) => Prepared::Send(Box::new(message)),
        Err(e) => Prepared::Undeliverable(e.to_string()),
    }))
}
