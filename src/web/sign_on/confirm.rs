//! Confirming a request to join: the emailed link opens a page with a button (a GET changes
//! nothing, so mail scanners that open links confirm nothing); the button confirms.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app::sign_on;
use crate::app::{AppError, Context};
use crate::crypto::sha256_hex;
use crate::db::{letters, sign_on_requests};
use crate::web::session::{csrf_token, html_page, verify_csrf};
use crate::web::{PageError, WebError};

#[derive(Template)]
#[template(path = "join_confirm.html")]
struct ConfirmTemplate {
    title: String,
    name: String,
    email: String,
    /// Already confirmed (or decided): nothing is left to press.
    done: bool,
    csrf: String,
    token: String,
}

/// The request and its letter's title for a token; 404 for a token that matches nothing.
async fn load(
    ctx: &Context,
    token: &str,
) -> Result<(sign_on_requests::SignOnRequest, String), PageError> {
    let hash = sha256_hex(token);
    let found = ctx
        .db
        .run(move |conn| {
            let Some(request) = sign_on_requests::find_by_token_hash(conn, &hash)? else {
                return Ok::<_, AppError>(None);
            };
            let title = letters::find(conn, &request.letter_id)?
                .map(|l| l.title)
                .unwrap_or_default();
            Ok(Some((request, title)))
        })
        .await?;
    found.ok_or_else(|| {
        PageError(WebError::new(
            actix_web::http::StatusCode::NOT_FOUND,
            "This confirmation link does not work: a newer request may have replaced it. Send \
             your request again from the letter's sign-on page.",
        ))
    })
}

#[get("/join/confirm/{token}")]
pub(super) async fn confirm_page(
    request: HttpRequest,
    ctx: web::Data<Context>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let (found, title) = load(&ctx, &token).await?;
    let html = ConfirmTemplate {
        title,
        name: found.name,
        email: found.email,
        done: found.status != "unconfirmed",
        csrf: csrf_token(&request),
        token,
    }
    .render()
    .map_err(WebError::internal)?;
    Ok(html_page(&request, html))
}

#[derive(Deserialize)]
pub(super) struct ConfirmForm {
    #[serde(default)]
    csrf_token: String,
}

#[post("/join/confirm/{token}")]
pub(super) async fn confirm_request(
    request: HttpRequest,
    ctx: web::Data<Context>,
    token: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let token = token.into_inner();
    let (_, title) = load(&ctx, &token).await?;
    let (context, secret) = (ctx.clone(), token.clone());
    let confirmed = ctx
        .db
        .run(move |conn| sign_on::confirm(conn, &context.clock, &secret))
        .await?;
    let html = ConfirmTemplate {
        title,
        name: confirmed.name,
        email: confirmed.email,
        done: true,
        csrf: String::new(),
        token,
    }
    .render()
    .map_err(WebError::internal)?;
    Ok(html_page(&request, html))
}
