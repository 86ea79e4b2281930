//! Webhooks pages: a letter's (`/app/letters/{id}/webhooks`, for its coordinators) and every
//! letter's (`/app/settings/webhooks`, for admins). Each endpoint with the events it hears, its
//! latest deliveries (status, attempts, the last error, when the next attempt is due), a button
//! that sends it a test event and one that removes it (after a confirmation); and the form that
//! registers one, with each refused field's reason beside it. The secret is shown once, on the
//! page that answers the registration, never in an address or a cookie.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app::letters;
use crate::app::webhook_events;
use crate::app::webhooks::{self, NewWebhook};
use crate::app::{AppError, Context};
use crate::clock::rfc3339;
use crate::db::outbox::OutboxJob;
use crate::db::webhooks::Webhook;
use crate::domain::{JobStatus, LetterId, Role, WebhookEvent};
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
            event: webhook_events::event_of(&job.payload),
            status: job.status,
            attempts: job.attempts,
            last_error: job.last_error.clone(),
            created_at: rfc3339(job.created_at),
            next_attempt_at: (job.status == JobStatus::Pending).then(|| rfc3339(job.run_after)),
        }
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(webhooks_page)
        .service(register_webhook)
        .service(test_webhook)
        .service(remove_webhook)
        .service(installation_page)
        .service(register_installation_webhook)
        .service(test_installation_webhook)
        .service(remove_installation_webhook);
}

/// Whose webhooks a page shows: one letter's, or every letter's.
#[derive(Clone)]
enum Scope {
    Letter(LetterId),
    Installation,
}

impl Scope {
    fn letter(&self) -> Option<&LetterId> {
        match self {
            Self::Letter(id) => Some(id),
            Self::Installation => None,
        }
    }

    /// The page's address; its forms post below it.
    fn base(&self) -> String {
        match self {
            Self::Letter(id) => format!("/app/letters/{id}/webhooks"),
            Self::Installation => "/app/settings/webhooks".into(),
        }
    }
}

#[derive(Template)]
#[template(path = "app/webhooks.html")]
struct WebhooksPage {
    chrome: Chrome,
    /// The letter's title, or `None` on the page of every letter's webhooks.
    title: Option<String>,
    /// Where the back link leads and the forms post (`Scope::base`).
    base: String,
    back: String,
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

/// The page's state; the form as given, or with every event ticked. Every letter's webhooks
/// are for admins only.
async fn page(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    scope: &Scope,
    form: Option<WebhookForm>,
) -> Result<WebhooksPage, PageError> {
    let actor = user.actor(request);
    if scope.letter().is_none() && actor.role != Role::Admin {
        return Err(AppError::AdminOnly.into());
    }
    let letter_id = scope.letter().cloned();
    let (title, listed) = ctx
        .db
        .run(move |conn| {
            let title = match &letter_id {
                Some(id) => Some(letters::get_letter(conn, id)?.current.title),
                None => None,
            };
            let listed = webhooks::list(conn, letter_id.as_ref())?
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
            Ok::<_, AppError>((title, listed))
        })
        .await?;
    let form = form.unwrap_or_else(|| WebhookForm {
        events: WebhookEvent::subscribable()
            .map(|e| e.as_str().to_string())
            .collect(),
        ..Default::default()
    });
    let back = match scope {
        Scope::Letter(id) => format!("/app/letters/{id}"),
        Scope::Installation => "/app/settings".into(),
    };
    Ok(WebhooksPage {
        chrome: Chrome::new(request, user),
        title,
        base: scope.base(),
        back,
        listed,
        form,
        errors: FieldErrors::default(),
        registered: None,
        allow_private: ctx.settings.webhooks.allow_private,
    })
}

#[get("/letters/{id}/webhooks")]
async fn webhooks_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, PageError> {
    let page = page(&request, &user, &ctx, &Scope::Letter(id.into_inner()), None).await?;
    Ok(html_page(&request, render(page)?))
}

#[get("/settings/webhooks")]
async fn installation_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
) -> Result<HttpResponse, PageError> {
    let page = page(&request, &user, &ctx, &Scope::Installation, None).await?;
    Ok(html_page(&request, render(page)?))
}

#[post("/letters/{id}/webhooks")]
async fn register_webhook(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    register(request, user, ctx, Scope::Letter(id.into_inner()), &body).await
}

#[post("/settings/webhooks")]
async fn register_installation_webhook(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    register(request, user, ctx, Scope::Installation, &body).await
}

/// Registers the webhook and shows its secret once; or the form again with each refused
/// field's reason beside it (422).
async fn register(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    scope: Scope,
    body: &[u8],
) -> Result<HttpResponse, PageError> {
    let form = WebhookForm::from_body(body);
    verify_csrf(&request, &form.csrf_token)?;
    let mut shown = page(&request, &user, &ctx, &scope, Some(form.clone())).await?;
    let url = shown.errors.check(
        "url",
        webhooks::checked_url(&form.url, ctx.settings.webhooks.allow_private).await,
    );
    let events = shown.errors.check(
        "events",
        WebhookEvent::parse_list(form.events.iter().map(String::as_str)),
    );
    let (Some(url), Some(events)) = (url, events) else {
        let mut response = html_page(&request, render(shown)?);
        *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    };
    let (context, actor, letter_id) = (ctx.clone(), user.actor(&request), scope.letter().cloned());
    let registered = ctx
        .db
        .run(move |conn| {
            webhooks::register(
                conn,
                &context.clock,
                &context.secrets,
                &actor,
                letter_id.as_ref(),
                NewWebhook { url, events },
            )
        })
        .await?;
    let mut page = page(&request, &user, &ctx, &scope, None).await?;
    page.registered = Some((registered.webhook, registered.secret));
    Ok(html_page(&request, render(page)?))
}

#[derive(Deserialize)]
pub(super) struct ActionForm {
    #[serde(default)]
    csrf_token: String,
    confirm: Option<String>,
}

/// The webhook, if the page's scope holds it: a letter's page acts on that letter's only,
/// the page of every letter's on those only (admins).
fn in_scope(
    conn: &mut crate::db::DbConnection,
    actor: &crate::app::Actor,
    scope: &Scope,
    id: &str,
) -> Result<Webhook, AppError> {
    match scope {
        Scope::Letter(letter_id) => webhooks::of_letter(conn, letter_id, id),
        Scope::Installation => {
            let webhook = webhooks::find(conn, actor, id)?;
            match webhook.letter_id {
                None => Ok(webhook),
                Some(_) => Err(AppError::NotFound("webhook")),
            }
        }
    }
}

#[post("/letters/{id}/webhooks/{webhook}/test")]
async fn test_webhook(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    path: web::Path<(LetterId, String)>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, PageError> {
    let (letter_id, webhook) = path.into_inner();
    send_test(
        request,
        user,
        ctx,
        Scope::Letter(letter_id),
        webhook,
        &form.csrf_token,
    )
    .await
}

#[post("/settings/webhooks/{webhook}/test")]
async fn test_installation_webhook(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    webhook: web::Path<String>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, PageError> {
    let webhook = webhook.into_inner();
    send_test(
        request,
        user,
        ctx,
        Scope::Installation,
        webhook,
        &form.csrf_token,
    )
    .await
}

/// Queues the test event and comes back to the page.
async fn send_test(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    scope: Scope,
    webhook: String,
    csrf_token: &str,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, csrf_token)?;
    let back = scope.base();
    let (context, actor) = (ctx.clone(), user.actor(&request));
    let sent = ctx
        .db
        .run(move |conn| {
            in_scope(conn, &actor, &scope, &webhook)?;
            webhooks::send_test(conn, &context.clock, &actor, &webhook)
        })
        .await;
    let notice = match sent {
        Ok(_) => "A test event is on its way; its delivery shows below.".to_string(),
        Err(AppError::Conflict(reason)) => format!(
            "{}; try again in a minute.",
            crate::web::pages::field_errors::sentence(&reason).trim_end_matches('.')
        ),
        Err(other) => return Err(other.into()),
    };
    ctx.mail_queued();
    Ok(redirect_with_notice(&ctx, &back, &notice))
}

#[post("/letters/{id}/webhooks/{webhook}/remove")]
async fn remove_webhook(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    path: web::Path<(LetterId, String)>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, PageError> {
    let (letter_id, webhook) = path.into_inner();
    remove(
        request,
        user,
        ctx,
        Scope::Letter(letter_id),
        webhook,
        form.into_inner(),
    )
    .await
}

#[post("/settings/webhooks/{webhook}/remove")]
async fn remove_installation_webhook(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    webhook: web::Path<String>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, PageError> {
    let webhook = webhook.into_inner();
    remove(
        request,
        user,
        ctx,
        Scope::Installation,
        webhook,
        form.into_inner(),
    )
    .await
}

/// Removes the webhook once confirmed.
async fn remove(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    scope: Scope,
    webhook: String,
    form: ActionForm,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let back = scope.base();
    if !confirmed(form.confirm.as_deref()) {
        let (id, actor, looked_in) = (webhook.clone(), user.actor(&request), scope.clone());
        let found = ctx
            .db
            .run(move |conn| in_scope(conn, &actor, &looked_in, &id))
            .await?;
        let whose = match scope {
            Scope::Letter(_) => "this letter",
            Scope::Installation => "any letter",
        };
        return confirmation_page(
            &request,
            &user,
            Confirmation {
                question: format!("Remove the webhook to {}?", found.url),
                consequences: vec![
                    format!("It will hear of no more events of {whose}."),
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
            in_scope(conn, &actor, &scope, &webhook)?;
            webhooks::remove(conn, &context.clock, &actor, &webhook)
        })
        .await?;
    Ok(redirect_with_notice(&ctx, &back, "The webhook is removed."))
}
