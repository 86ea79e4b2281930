//! How failures are answered: a helpful HTML page for people, `{"error", "details"}` with a
//! fitting 4xx or 5xx status for the JSON API. Internal causes are logged, never shown.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde_json::{Value, json};

use crate::app::AppError;
use crate::db::DbError;
use crate::domain::InvalidInput;
use crate::i18n::Localizer;

/// A failure as the web layer sees it, before it is shown as a page or as JSON.
#[derive(Debug)]
pub struct WebError {
    status: StatusCode,
    message: String,
    details: Option<Value>,
    /// The page's words in a partner's language, with its heading; English words otherwise.
    words: Option<Box<(Localizer, String)>>,
}

impl WebError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            details: None,
            words: None,
        }
    }

    /// The error page in the words of `l`, under `heading` (the message is in them already).
    pub fn in_words(mut self, l: Localizer, heading: String) -> Self {
        self.words = Some(Box::new((l, heading)));
        self
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "This page does not exist.")
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// Logs the cause with the request's span and answers a bare 500.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on our side. Please try again in a moment.",
        )
    }

    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        tracing::warn!(error = %cause, "service unavailable");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "The service is busy. Please try again in a moment.",
        )
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

/// A use-case error that knows which web failure it is.
pub trait IntoWebError {
    fn into_web_error(self) -> WebError;
}

impl IntoWebError for WebError {
    fn into_web_error(self) -> WebError {
        self
    }
}

impl IntoWebError for DbError {
    fn into_web_error(self) -> WebError {
        match self {
            DbError::Unavailable(cause) => WebError::unavailable(cause),
            DbError::Query(cause) if crate::db::is_concurrent_change(&cause) => {
                tracing::info!(error = %cause, "a write met a concurrent change");
                WebError::new(
                    StatusCode::CONFLICT,
                    "Someone else changed this at the same moment, so nothing was saved. \
                     Please reload the page and try again.",
                )
            }
            other => WebError::internal(other),
        }
    }
}

impl IntoWebError for InvalidInput {
    fn into_web_error(self) -> WebError {
        WebError::new(StatusCode::UNPROCESSABLE_ENTITY, self.0)
    }
}

impl IntoWebError for AppError {
    fn into_web_error(self) -> WebError {
        match self {
            AppError::Invalid(invalid) => invalid.into_web_error(),
            AppError::NotFound(what) => {
                WebError::new(StatusCode::NOT_FOUND, format!("{what} not found"))
            }
            AppError::Conflict(message) => WebError::new(StatusCode::CONFLICT, message),
            AppError::AdminOnly => {
                WebError::new(StatusCode::FORBIDDEN, "only an admin may do this")
            }
            AppError::Storage(error) => error.into_web_error(),
            corrupt @ AppError::Corrupt(_) => WebError::internal(corrupt),
        }
    }
}

/// A failure shown as an HTML page.
#[derive(Debug)]
pub struct PageError(pub WebError);

/// A failure shown as JSON.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: IntoWebError> From<E> for PageError {
    fn from(error: E) -> Self {
        Self(error.into_web_error())
    }
}

impl<E: IntoWebError> From<E> for ApiError {
    fn from(error: E) -> Self {
        Self(error.into_web_error())
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    l: &'a Localizer,
    status: u16,
    reason: &'a str,
    message: &'a str,
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.0.status
    }

    fn error_response(&self) -> HttpResponse {
        let english = Localizer::english();
        let (l, reason) = match self.0.words.as_deref() {
            Some((l, heading)) => (l, heading.as_str()),
            None => (
                &english,
                self.0.status.canonical_reason().unwrap_or("Error"),
            ),
        };
        let page = ErrorPage {
            l,
            status: self.0.status.as_u16(),
            reason,
            message: &self.0.message,
        };
        match page.render() {
            // In the reader's words: not to be kept for another reader.
            Ok(html) if self.0.words.is_some() => HttpResponse::build(self.0.status)
                .content_type(ContentType::html())
                .insert_header((header::VARY, "Accept-Language"))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body(html),
            Ok(html) => HttpResponse::build(self.0.status)
                .content_type(ContentType::html())
                .body(html),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                HttpResponse::build(self.0.status).body(self.0.message.clone())
            }
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.0.status).json(json!({
            "error": self.0.message,
            "details": self.0.details,
        }))
    }
}

/// The answer for any path no route claims: JSON under `/api/`, a page elsewhere.
pub async fn not_found(request: HttpRequest) -> HttpResponse {
    if request.path().starts_with("/api/") {
        ApiError(WebError::new(StatusCode::NOT_FOUND, "no such endpoint")).error_response()
    } else {
        PageError(WebError::not_found()).error_response()
    }
}
