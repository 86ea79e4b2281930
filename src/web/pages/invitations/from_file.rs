//! Inviting from an uploaded CSV file, read like the address-book import (any encoding and
//! delimiter a spreadsheet writes), then reviewed before anything is sent. A file that cannot
//! be read, or with any row that cannot be invited, brings the invite page back with the
//! reasons beside the file field.

use actix_multipart::MultipartError;
use actix_multipart::form::{MultipartForm, bytes::Bytes as UploadedBytes, text::Text};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};

use super::review::{Source, review_rows};
use super::{Refusal, Row, show_invite_page};
use crate::app::Context;
use crate::app::organizations::parse_csv;
use crate::domain::{InvalidInput, LetterId};
use crate::web::PageError;
use crate::web::session::{CurrentUser, verify_csrf};

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
    let read_as = file.how_read();
    let rows = file
        .rows
        .into_iter()
        .map(|r| Row {
            place: format!("row {}", r.row),
            text: format!("{} <{}>", r.organization, r.email),
            parsed: r
                .parsed
                .ok_or_else(|| InvalidInput::new(r.problem.unwrap_or_default())),
        })
        .collect();
    review_rows(
        &request,
        &user,
        &ctx,
        letter_id,
        rows,
        Source::File { read_as },
    )
    .await
}

/// The invite page again, with why the file could not be read beside the file field (422).
async fn refused(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &web::Data<Context>,
    letter_id: LetterId,
    problem: String,
) -> Result<HttpResponse, PageError> {
    let refusal = Refusal {
        file_error: Some(problem),
        ..Refusal::default()
    };
    show_invite_page(request, user, ctx, letter_id, String::new(), refusal).await
}
