//! The coordinator's downloads of a letter, each as CSV and as XLSX:
//! `/app/letters/{id}/audit.{csv,xlsx}` (the audit trail) and
//! `/app/letters/{id}/responses.{csv,xlsx}` (the answers so far, one row per invitation).
//! Saved as `{slug}-audit.csv`, `{slug}-responses.xlsx` and so on; never cached.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};

use crate::app::exports::{self, Export};
use crate::app::{AppError, Context};
use crate::db::DbConnection;
use crate::domain::LetterId;
use crate::sheets::{CSV_TYPE, XLSX_TYPE};
use crate::web::session::CurrentUser;
use crate::web::{PageError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(audit_csv)
        .service(audit_xlsx)
        .service(responses_csv)
        .service(responses_xlsx);
}

/// The file formats of a download.
#[derive(Debug, Clone, Copy)]
enum Format {
    Csv,
    Xlsx,
}

/// Builds an export on a blocking thread and answers it as a file to save, named
/// `{slug}-{what}.{csv|xlsx}`.
async fn download(
    ctx: &Context,
    letter_id: LetterId,
    what: &'static str,
    format: Format,
    build: fn(&mut DbConnection, &LetterId) -> Result<Export, AppError>,
) -> Result<HttpResponse, PageError> {
    let export = ctx.db.run(move |conn| build(conn, &letter_id)).await?;
    let (extension, content_type, body) = match format {
        Format::Csv => ("csv", CSV_TYPE, export.sheet.to_csv()),
        Format::Xlsx => ("xlsx", XLSX_TYPE, export.sheet.to_xlsx()),
    };
    let body = body.map_err(WebError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            // A slug is lowercase letters, digits and hyphens: nothing to quote.
            format!(
                "attachment; filename=\"{}-{what}.{extension}\"",
                export.slug
            ),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

#[get("/letters/{id}/audit.csv")]
async fn audit_csv(
    _user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, PageError> {
    download(&ctx, id.into_inner(), "audit", Format::Csv, exports::audit).await
}

#[get("/letters/{id}/audit.xlsx")]
async fn audit_xlsx(
    _user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, PageError> {
    download(&ctx, id.into_inner(), "audit", Format::Xlsx, exports::audit).await
}

#[get("/letters/{id}/responses.csv")]
async fn responses_csv(
    _user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, PageError> {
    download(
        &ctx,
        id.into_inner(),
        "responses",
        Format::Csv,
        exports::responses,
    )
    .await
}

#[get("/letters/{id}/responses.xlsx")]
async fn responses_xlsx(
    _user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, PageError> {
    download(
        &ctx,
        id.into_inner(),
        "responses",
        Format::Xlsx,
        exports::responses,
    )
    .await
}
