//! A letter's audit log: every action with who, what, when and from where; also as CSV.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;

use super::{Chrome, render, when};
use crate::app::audit::{self, AuditEvent};
use crate::app::{AppError, Context, letters};
use crate::db;
use crate::domain::LetterId;
use crate::web::session::{CurrentUser, html_page};
use crate::web::{PageError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(audit_log).service(audit_csv);
}

async fn load(
    ctx: &Context,
    letter_id: LetterId,
) -> Result<(letters::LetterView, Vec<AuditEvent>), PageError> {
    Ok(ctx
        .db
        .run(move |conn| -> Result<_, AppError> {
            let view = letters::get_letter(conn, &letter_id)?;
            let events = db::audit::for_letter(conn, &letter_id)?;
            Ok((view, events))
        })
        .await?)
}

#[derive(Template)]
#[template(path = "app/audit.html")]
struct AuditPage {
    chrome: Chrome,
    view: letters::LetterView,
    events: Vec<AuditEvent>,
}

impl AuditPage {
    fn when(&self, event: &AuditEvent) -> String {
        when(&event.created_at)
    }
}

#[get("/letters/{id}/audit")]
async fn audit_log(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, PageError> {
    let (view, events) = load(&ctx, id.into_inner()).await?;
    Ok(html_page(
        &request,
        render(AuditPage {
            chrome: Chrome::new(&request, &user),
            view,
            events,
        })?,
    ))
}

#[get("/letters/{id}/audit.csv")]
async fn audit_csv(
    _user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, PageError> {
    let (view, events) = load(&ctx, id.into_inner()).await?;
    let csv = audit::to_csv(&events).map_err(WebError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"audit-{}.csv\"", view.letter.slug),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(csv))
}
