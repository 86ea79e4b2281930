//! Probes for orchestrators: `/healthz` says the process answers, `/readyz` that the
//! database does too.

use actix_web::{HttpResponse, get, web};
use serde_json::json;

use super::{ApiError, WebError};
use crate::app::Context;
use crate::db::DbError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(healthz).service(readyz);
}

#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "alive" }))
}

#[get("/readyz")]
async fn readyz(ctx: web::Data<Context>) -> Result<HttpResponse, ApiError> {
    ctx.db
        .run(|conn| crate::db::ping(conn).map_err(DbError::from))
        .await
        .map_err(|e| ApiError(WebError::unavailable(e)))?;
    Ok(HttpResponse::Ok().json(json!({ "status": "ready", "database": ctx.db.backend() })))
}
