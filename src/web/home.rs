//! The home page: what Undersigned is, and the way in for coordinators.

use actix_web::{HttpResponse, get, web};
use askama::Template;

use super::{PageError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(home);
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage;

#[get("/")]
async fn home() -> Result<HttpResponse, PageError> {
    let html = HomePage.render().map_err(WebError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}
