//! A letter's webhooks, for its coordinators: each endpoint with the events it hears, its
//! latest deliveries (status, attempts, the last error, when the next attempt is due), a button
//! that sends it a test event and one that removes it (after a confirmation); and the form that
//! registers one, with each refused field's reason beside it. The secret is shown once, on the
//! page that answers the registration, never in an address or a cookie.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app::letters::{self, LetterView};
use crate::app::webhooks::{self, NewWebhook, delivery};
use crate::app::{AppError, Context};
use crate::clock::rfc3339;
use crate::db::outbox::OutboxJob;
use crate::db::webhooks::Webhook;
use crate::domain::{InvalidInput, JobStatus, LetterId, WebhookEvent, WebhookUrl};
use crate::web::PageError;
use crate::web::pages::confirm::{Confirmation, confirmation_page, confirmed};
use crate::web::pages::dashboard::{field, form_pairs};
use crate::web::pages::field_errors::FieldErrors;
use crate::web::pages::{Chrome, render};
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};

/// How many deliveries each webhook shows on the page.
const SHOWN: usize = 10;

/// The registration form as typed: the address and one `events` value per ticked box.
#[derive(Default, Clone)]
pub(super) struct WebhookForm {
    csrf_token: String,
    url: String,
    events: Vec<String>,
}

impl WebhookForm {
    /// Reads the form's pairs (`events` repeats, once per ticked box).
    fn from_body(body: &[u8]) -> Self {
        let pairs = form_pairs(body);
        Self {
            csrf_token: field(&pairs, "csrf_token").to_string(),
            url: field(&pairs, "url").to_string(),
            events: pairs
                .into_iter()
                .filter(|(name, _)| name == "events")
                .map(|(_, value)| value)
                .collect(),
        }
    }
}

/// A webhook with its latest deliveries, as the page lists it.
struct Listed {
    webhook: Webhook,
    deliveries: Vec<Delivery>,
}

/// One delivery row.
struct Delivery {
    event: String,
    status: JobStatus,
    attempts: i32,
    last_error: Option<String>,
    created_at: String,
    next_attempt_at: Option<String>,
}

impl From<&OutboxJob> for Delivery {
    fn from(job: &OutboxJob) -> Self {
        Self {
            event: serde_json::from_str::<serde_json::Value>(&job.payload)
                .ok()
                .and_then(|p| p["event"].as_str().map(str::to_string))
                .unwrap_or_default(),
            status: job.status,
            attempts: job.attempts,
            last_error: job.last_error.clone(),
            created_at: rfc3339(job.created_at),
            next_attempt_at: (job.status == JobStatus::Pending).then(|| rfc3339(job.run_after)),
        }
    }
}

#[derive(Template)]
#[template(path = "app/webhooks.html")]
struct WebhooksPage {
    chrome: Chrome,
    view: LetterView,
    listed: Vec<Listed>,
    form: WebhookForm,
    errors: FieldErrors,
    /// The webhook just registered and its secret, shown this once.
    registered: Option<(Webhook, String)>,
    allow_private: bool,
}

impl WebhooksPage {
    fn events(&self) -> Vec<&'static str> {
        WebhookEvent::subscribable()
            .map(WebhookEvent::as_str)
            .collect()
    }

    fn ticked(&self, event: &&str) -> bool {
        self.form.events.iter().any(|e| e == event)
    }
}

/// The page's state for this letter; the form as given, or with every event ticked.
async fn page(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    letter_id: LetterId,
    form: Option<WebhookForm>,
) -> Result<WebhooksPage, PageError> {
    let actor = user.actor(request);
    let (view, listed) = ctx
        .db
        .run(move |conn| {
            let view = letters::get_letter(conn, &letter_id)?;
            let listed = webhooks::list(conn, Some(&letter_id))?
                .into_iter()
                .map(|webhook| {
                    let deliveries = webhooks::deliveries(conn, &actor, &webhook.id)?
                        .iter()
                        .take(SHOWN)
                        .map(Delivery::from)
                        .collect();
                    Ok(Listed {
                        webhook,
                        deliveries,
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            Ok::<_, AppError>((view, listed))
        })
        .await?;
    let form = form.unwrap_or_else(|| WebhookForm {
        events: WebhookEvent::subscribable()
            .map(|e| e.as_str().to_string())
            .collect(),
        ..Default::default()
    });
    Ok(WebhooksPage {
        chrome: Chrome::new(request, user),
        view,
        listed,
        form,
        errors: FieldErrors::default(),
        registered: None,
        allow_private: ctx.settings.webhooks.allow_private,
    })
}

#[get("/letters/{id}/webhooks")]
pub(super) async fn webhooks_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, PageError> {
    let page = page(&request, &user, &ctx, id.into_inner(), None).await?;
    Ok(html_page(&request, render(page)?))
}

/// Registers the webhook and shows its secret once; or the form again with each refused
/// field's reason beside it (422).
#[post("/letters/{id}/webhooks")]
pub(super) async fn register_webhook(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = WebhookForm::from_body(&body);
    verify_csrf(&request, &form.csrf_token)?;
    let id = id.into_inner();
    let allow_private = ctx.settings.webhooks.allow_private;
    let mut shown = page(&request, &user, &ctx, id.clone(), Some(form.clone())).await?;
    let url = shown
        .errors
        .check("url", WebhookUrl::parse(&form.url, allow_private));
    let url = match url {
        Some(url) => match delivery::check_reachable(&url, allow_private).await {
            Ok(()) => Some(url),
            Err(reason) => {
                shown.errors.add("url", InvalidInput::new(reason));
                None
            }
        },
        None => None,
    };
    let events = shown.errors.check(
        "events",
        WebhookEvent::parse_list(form.events.iter().map(String::as_str)),
    );
    let (Some(url), Some(events)) = (url, events) else {
        let mut response = html_page(&request, render(shown)?);
        *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    };
    let (context, actor, letter_id) = (ctx.clone(), user.actor(&request), id.clone());
    let registered = ctx
        .db
        .run(move |conn| {
            webhooks::register(
                conn,
                &context.clock,
                &context.secrets,
                &actor,
                Some(&letter_id),
                NewWebhook { url, events },
            )
        })
        .await?;
    let mut page = page(&request, &user, &ctx, id, None).await?;
    page.registered = Some((registered.webhook, registered.secret));
    Ok(html_page(&request, render(page)?))
}

#[derive(Deserialize)]
pub(super) struct ActionForm {
    #[serde(default)]
    csrf_token: String,
    confirm: Option<String>,
}

/// Queues the test event and comes back to the page.
#[post("/letters/{id}/webhooks/{webhook}/test")]
pub(super) async fn test_webhook(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    path: web::Path<(LetterId, String)>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (letter_id, webhook) = path.into_inner();
    let back = format!("/app/letters/{letter_id}/webhooks");
    let (context, actor) = (ctx.clone(), user.actor(&request));
    let sent = ctx
        .db
        .run(move |conn| {
            webhooks::of_letter(conn, &letter_id, &webhook)?;
            webhooks::send_test(conn, &context.clock, &actor, &webhook)
        })
        .await;
    let notice = match sent {
        Ok(_) => "A test event is on its way; its delivery shows below.".to_string(),
        Err(AppError::Conflict(reason)) => {
            format!(
                "{}; try again in a minute.",
                crate::web::pages::field_errors::sentence(&reason).trim_end_matches('.')
            )
        }
        Err(other) => return Err(other.into()),
    };
    ctx.mail_queued();
    Ok(redirect_with_notice(&ctx, &back, &notice))
}

/// Removes the webhook once confirmed.
#[post("/letters/{id}/webhooks/{webhook}/remove")]
pub(super) async fn remove_webhook(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    path: web::Path<(LetterId, String)>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (letter_id, webhook) = path.into_inner();
    let back = format!("/app/letters/{letter_id}/webhooks");
    if !confirmed(form.confirm.as_deref()) {
        let (id, letter) = (webhook.clone(), letter_id.clone());
        let found = ctx
            .db
            .run(move |conn| webhooks::of_letter(conn, &letter, &id))
            .await?;
        return confirmation_page(
            &request,
            &user,
            Confirmation {
                question: format!("Remove the webhook to {}?", found.url),
                consequences: vec![
                    "It will hear of no more events of this letter.".into(),
                    "Deliveries still waiting are dropped; those made stay in the audit log."
                        .into(),
                ],
                names: Vec::new(),
                action: format!("{back}/{webhook}/remove"),
                fields: Vec::new(),
                button: "Remove the webhook".into(),
                back,
            },
        );
    }
    let (context, actor) = (ctx.clone(), user.actor(&request));
    ctx.db
        .run(move |conn| {
            webhooks::of_letter(conn, &letter_id, &webhook)?;
            webhooks::remove(conn, &context.clock, &actor, &webhook)
        })
        .await?;
    Ok(redirect_with_notice(&ctx, &back, "The webhook is removed."))
}
