//! The CSV import of the address book: upload a file, see every row with its spreadsheet row
//! number and its problem (and how the file was read), then import the good rows. A file that
//! cannot be read brings the form back with the reason beside the file field.

use actix_multipart::form::MultipartForm;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::super::invitations::{CsvUpload, upload_problem};
use super::super::{Chrome, render};
use crate::app::organizations::{self, CsvFile};
use crate::app::{AppError, Context};
use crate::domain::InvalidInput;
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};

#[derive(Template)]
#[template(path = "app/import.html")]
struct ImportPage {
    chrome: Chrome,
    file: Option<CsvFile>,
    error: Option<String>,
}

impl ImportPage {
    fn accepted(&self) -> usize {
        self.file.as_ref().map_or(0, CsvFile::accepted)
    }
}

/// The form again, with why the file could not be read beside the file field (422).
fn refused(
    request: &HttpRequest,
    user: &CurrentUser,
    problem: String,
) -> Result<HttpResponse, PageError> {
    let page = ImportPage {
        chrome: Chrome::new(request, user),
        file: None,
        error: Some(problem),
    };
    let mut response = html_page(request, render(page)?);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

#[get("/organizations/import")]
pub(super) async fn import_page(
    request: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, PageError> {
    let page = ImportPage {
        chrome: Chrome::new(&request, &user),
        file: None,
        error: None,
    };
    Ok(html_page(&request, render(page)?))
}

/// Shows every row of the uploaded file with its problem; writes nothing.
#[post("/organizations/import/preview")]
pub(super) async fn import_preview(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    upload: Result<MultipartForm<CsvUpload>, actix_web::Error>,
) -> Result<HttpResponse, PageError> {
    let upload = match upload {
        Ok(upload) => upload,
        Err(error) => return refused(&request, &user, upload_problem(&error)),
    };
    verify_csrf(&request, &upload.csrf_token)?;
    let (bytes, smtputf8) = (upload.file.data.to_vec(), ctx.settings.mail.smtputf8);
    let preview = ctx
        .db
        .run(move |conn| organizations::preview_import(conn, &bytes, smtputf8))
        .await;
    let file = match preview {
        Ok(file) => file,
        Err(AppError::Invalid(InvalidInput(problem))) => {
            return refused(&request, &user, problem);
        }
        Err(other) => return Err(other.into()),
    };
    let page = ImportPage {
        chrome: Chrome::new(&request, &user),
        file: Some(file),
        error: None,
    };
    Ok(html_page(&request, render(page)?))
}

#[derive(Deserialize)]
struct ConfirmForm {
    csrf_token: String,
    csv: String,
}

/// Writes the accepted rows of the previewed file (its text as decoded for the preview), all of
/// them or none.
#[post("/organizations/import")]
pub(super) async fn import_confirm(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let actor = user.actor(&request);
    let (context, csv) = (ctx.clone(), form.into_inner().csv);
    let smtputf8 = ctx.settings.mail.smtputf8;
    let imported = ctx
        .db
        .run(move |conn| {
            organizations::import(conn, &context.clock, &actor, csv.as_bytes(), smtputf8)
        })
        .await;
    match imported {
        Ok(imported) => Ok(redirect_with_notice(
            &ctx,
            "/app/organizations",
            &format!("{imported} rows imported into the address book."),
        )),
        Err(AppError::Invalid(InvalidInput(problem))) => refused(&request, &user, problem),
        Err(other) => Err(other.into()),
    }
}
