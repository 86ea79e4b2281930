//! The admins' view of outgoing email: the dead-letter list (emails that gave up, with their
//! last error, and a button to try again), and — when no SMTP server is configured — the `.eml`
//! files the app wrote instead of sending, so a trial needs no mail server.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;

use super::{Chrome, CsrfForm, render, when};
use crate::app::{Context, outbox};
use crate::db::outbox::OutboxJob;
use crate::mail::{OutgoingError, OutgoingFile, list_outgoing_files, read_outgoing_file};
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};
use crate::web::{PageError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(mail_page).service(retry).service(show_file);
}

#[derive(Template)]
#[template(path = "app/mail.html")]
struct MailPage {
    chrome: Chrome,
    dead: Vec<OutboxJob>,
    files: Vec<OutgoingFile>,
    smtp: bool,
}

impl MailPage {
    fn created(&self, job: &OutboxJob) -> String {
        when(&job.created_at)
    }

    fn modified(&self, file: &OutgoingFile) -> String {
        chrono::DateTime::<chrono::Utc>::from(file.modified)
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string()
    }
}

fn outgoing_error(error: OutgoingError) -> PageError {
    match error {
        OutgoingError::NotFound => PageError(WebError::not_found()),
        other => PageError(WebError::internal(other)),
    }
}

#[get("/mail")]
async fn mail_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    let dead = ctx.db.run(outbox::dead_jobs).await?;
    let smtp = !secrecy::ExposeSecret::expose_secret(&ctx.settings.mail.smtp_url).is_empty();
    let data_dir = ctx.settings.storage.data_dir.clone();
    let mut files = if smtp {
        Vec::new()
    } else {
        list_outgoing_files(&data_dir).map_err(outgoing_error)?
    };
    files.truncate(500);
    Ok(html_page(
        &request,
        render(MailPage {
            chrome: Chrome::new(&request, &user),
            dead,
            files,
            smtp,
        })?,
    ))
}

#[post("/mail/{id}/retry")]
async fn retry(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    verify_csrf(&request, &form.csrf_token)?;
    let (context, id) = (ctx.clone(), id.into_inner());
    let job = ctx
        .db
        .run(move |conn| outbox::retry_job(conn, &context.clock, &id))
        .await?;
    ctx.mail_queued();
    Ok(redirect_with_notice(
        &ctx,
        "/app/mail",
        &format!("The email to {} is queued again.", job.recipient),
    ))
}

/// One `.eml` file as plain text (it may hold a working sign link: this is the trial mode).
#[get("/mail/files/{name}")]
async fn show_file(
    user: CurrentUser,
    ctx: web::Data<Context>,
    name: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    let bytes =
        read_outgoing_file(&ctx.settings.storage.data_dir, &name).map_err(outgoing_error)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}
