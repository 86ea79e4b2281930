//! A letter's audit log: every action with who, what, when and from where; also as CSV and
//! XLSX (see `exports`).

use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;

use super::{Chrome, render, when};
use crate::app::audit::{self, AuditEvent};
use crate::app::{AppError, Context, letters};
use crate::domain::LetterId;
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(audit_log);
}

async fn load(
    ctx: &Context,
    letter_id: LetterId,
) -> Result<(letters::LetterView, Vec<AuditEvent>), PageError> {
    Ok(ctx
        .db
        .run(move |conn| -> Result<_, AppError> {
            let view = letters::get_letter(conn, &letter_id)?;
            let events = audit::for_letter(conn, &letter_id)?;
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
