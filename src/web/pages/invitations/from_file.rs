//! Inviting from an uploaded CSV file, read like the address-book import (any encoding and
//! delimiter a spreadsheet writes). A file that cannot be read brings the invite page back
//! with the reason beside the file field.

use actix_multipart::MultipartError;
use actix_multipart::form::{MultipartForm, bytes::Bytes as UploadedBytes, text::Text};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};

use super::{InvitePage, invite_rows};
use crate::app::Context;
use crate::app::organizations::parse_csv;
use crate::domain::{InvalidInput, LetterId};
use crate::web::PageError;
use crate::web::pages::render;
use crate::web::session::{CurrentUser, html_page, verify_csrf};

/// The largest file accepted, as the form says it.
const MAX_FILE: &str = "2 MB";

/// A CSV file uploaded by a form, with the form's CSRF token.
#[derive(MultipartForm)]
pub struct CsvUpload {
    pub csrf_token: Text<String>,
    #[multipart(limit = "2MB")]
    pub file: UploadedBytes,
}

/// Why an upload did not arrive as a form with a file, in words for the user.
pub fn upload_problem(error: &actix_web::Error) -> String {
    let too_large = error.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE
        || matches!(
            error.as_error::<MultipartError>(),
            Some(MultipartError::Payload(
                actix_web::error::PayloadError::Overflow
            ))
        );
    match error.as_error::<MultipartError>() {
        _ if too_large => {
            format!("The file is larger than {MAX_FILE}: split it into smaller files.")
        }
        Some(MultipartError::MissingField(field)) if field == "file" => {
            "No file was chosen.".to_string()
        }
        _ => "The upload did not arrive whole; choose the file and send it again.".to_string(),
    }
}

#[post("/letters/{id}/invite/csv")]
pub(super) async fn invite_csv(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    upload: Result<MultipartForm<CsvUpload>, actix_web::Error>,
) -> Result<HttpResponse, PageError> {
    let letter_id = id.into_inner();
    let upload = match upload {
        Ok(upload) => upload,
        Err(error) => {
            return refused(&request, &user, &ctx, letter_id, upload_problem(&error)).await;
        }
    };
    verify_csrf(&request, &upload.csrf_token)?;
    let file = match parse_csv(&upload.file.data, ctx.settings.mail.smtputf8) {
        Ok(file) => file,
        Err(InvalidInput(problem)) => {
            return refused(&request, &user, &ctx, letter_id, problem).await;
        }
    };
    let read_as = Some(file.how_read());
    let labels = file
        .rows
        .iter()
        .map(|r| format!("row {}: {} <{}>", r.row, r.organization, r.email))
        .collect();
    let invitees = file
        .rows
        .into_iter()
        .map(|r| {
            r.parsed
                .ok_or_else(|| InvalidInput::new(r.problem.unwrap_or_default()))
        })
        .collect();
    invite_rows(&request, &user, &ctx, letter_id, labels, invitees, read_as).await
}

/// The invite page again, with why the file could not be read beside the file field (422).
async fn refused(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &web::Data<Context>,
    letter_id: LetterId,
    problem: String,
) -> Result<HttpResponse, PageError> {
    let page =
        InvitePage::load(request, user, ctx, letter_id, String::new(), Some(problem)).await?;
    let mut response = html_page(request, render(page)?);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}
