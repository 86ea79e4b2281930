//! The metrics listener: `GET /metrics` in Prometheus's text format, on the address
//! `metrics.listen` names and never on the public one. Nothing else is served there.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::{App, HttpResponse, HttpServer, get, web};

use super::{ApiError, IntoWebError};
use crate::app::{Context, metrics};

/// Serves `/metrics` for this process on `listener`, with one worker thread.
pub fn server(listener: TcpListener, context: Context) -> std::io::Result<Server> {
    let data = web::Data::new(context);
    Ok(
        HttpServer::new(move || App::new().app_data(data.clone()).service(scrape))
            .workers(1)
            .shutdown_timeout(1)
            .listen(listener)?
            .disable_signals()
            .run(),
    )
}

#[get("/metrics")]
async fn scrape(ctx: web::Data<Context>) -> Result<HttpResponse, ApiError> {
    let text = metrics::render(&ctx)
        .await
        .map_err(|e| ApiError(e.into_web_error()))?;
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(text))
}
