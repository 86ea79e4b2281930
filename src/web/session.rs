//! Sessions and forms in the browser: the session cookie of coordinators and admins, the
//! middleware that guards `/app`, CSRF tokens on every form (a signed double-submit cookie:
//! the form carries an HMAC of a random cookie that other sites can neither read nor set), and
//! one-shot notices shown after a redirect.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};

use super::{PageError, WebError};
use crate::app::Context;
use crate::app::sessions::{self, SessionUser};
use crate::crypto;
use crate::domain::Role;

pub const SESSION_COOKIE: &str = "us_session";
const CSRF_COOKIE: &str = "us_csrf";
const NOTICE_COOKIE: &str = "us_notice";

/// A cookie with the attributes every cookie of ours has.
pub fn cookie(context: &Context, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(context.base_url.is_https())
        .finish()
}

/// A cookie that removes the named one.
pub fn removal(context: &Context, name: &'static str) -> Cookie<'static> {
    let mut c = cookie(context, name, String::new());
    c.make_removal();
    c
}

/// The CSRF seed of this request: the browser's CSRF cookie, or a fresh one made the first time
/// a page asks for a token (and then set as a cookie on the answer).
struct CsrfSeed {
    existing: Option<String>,
    fresh: std::cell::OnceCell<String>,
}

/// Middleware for every request: a page with a form gets the browser a CSRF cookie if it has
/// none. Answers without a form (public letters, files) set no cookie, so shared caches can
/// keep them.
pub async fn csrf_cookie(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let existing = request
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 43);
    request.extensions_mut().insert(CsrfSeed {
        existing,
        fresh: std::cell::OnceCell::new(),
    });
    let mut response = next.call(request).await?;
    let fresh = response
        .request()
        .extensions()
        .get::<CsrfSeed>()
        .and_then(|seed| seed.fresh.get().cloned());
    let context = response.request().app_data::<web::Data<Context>>().cloned();
    if let (Some(value), Some(context)) = (fresh, context) {
        let _ = response
            .response_mut()
            .add_cookie(&cookie(&context, CSRF_COOKIE, value));
    }
    Ok(response)
}

/// The CSRF token to put in the forms of this page.
pub fn csrf_token(request: &HttpRequest) -> String {
    let seed = request
        .extensions()
        .get::<CsrfSeed>()
        .map(|seed| match &seed.existing {
            Some(existing) => existing.clone(),
            None => seed.fresh.get_or_init(crypto::random_token).clone(),
        })
        .unwrap_or_default();
    match request.app_data::<web::Data<Context>>() {
        Some(context) => context.secrets.csrf_token(&seed),
        None => String::new(),
    }
}

/// Refuses a form whose CSRF token does not match the browser's cookie; nothing may change then.
pub fn verify_csrf(request: &HttpRequest, submitted: &str) -> Result<(), PageError> {
    let had_cookie = request.cookie(CSRF_COOKIE).is_some();
    if had_cookie && crypto::constant_time_eq(&csrf_token(request), submitted) {
        Ok(())
    } else {
        Err(PageError(WebError::new(
            StatusCode::FORBIDDEN,
            "This form has expired or did not come from this site. Go back, reload the page and try again.",
        )))
    }
}

/// Middleware of `/app`: lets through only requests with a live session, whose user it puts in
/// the request; others are sent to the login page.
pub async fn require_session(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let token = request
        .cookie(SESSION_COOKIE)
        .map(|c| c.value().to_string());
    let context = request.app_data::<web::Data<Context>>().cloned();
    if let (Some(token), Some(context)) = (token, context) {
        let clock = context.clock.clone();
        let security = context.settings.security.clone();
        let found = context
            .db
            .run(move |conn| sessions::authenticate(conn, &clock, &security, &token))
            .await;
        match found {
            Ok(Some(user)) => {
                request.extensions_mut().insert(user);
                return next
                    .call(request)
                    .await
                    .map(ServiceResponse::map_into_left_body);
            }
            Ok(None) => {}
            Err(error) => {
                let response = actix_web::ResponseError::error_response(&PageError::from(error));
                return Ok(request.into_response(response).map_into_right_body());
            }
        }
    }
    let next_path = if request.method() == actix_web::http::Method::GET {
        request.path().to_string()
    } else {
        "/app".into()
    };
    let location = format!(
        "/login?next={}",
        url::form_urlencoded::byte_serialize(next_path.as_bytes()).collect::<String>()
    );
    let response = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish();
    Ok(request.into_response(response).map_into_right_body())
}

/// The signed-in coordinator or admin of an `/app` request.
pub struct CurrentUser(pub SessionUser);

impl FromRequest for CurrentUser {
    type Error = PageError;
    type Future = std::future::Ready<Result<Self, PageError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            request
                .extensions()
                .get::<SessionUser>()
                .cloned()
                .map(CurrentUser)
                .ok_or_else(|| {
                    PageError(WebError::new(StatusCode::UNAUTHORIZED, "Please log in."))
                }),
        )
    }
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.0.role == Role::Admin
    }

    /// Refuses with 403 unless the user is an admin.
    pub fn require_admin(&self) -> Result<(), PageError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(PageError(WebError::new(
                StatusCode::FORBIDDEN,
                "Only an admin may do this.",
            )))
        }
    }

    /// The actor of the audit trail for this request.
    pub fn actor(&self, request: &HttpRequest) -> crate::app::Actor {
        let (ip, user_agent) = super::client::client_info(request);
        crate::app::Actor {
            user_id: self.0.user_id.clone(),
            email: self.0.email.clone(),
            role: self.0.role,
            ip,
            user_agent,
        }
    }
}

/// A redirect after a successful form, with a notice for the next page.
pub fn redirect_with_notice(context: &Context, location: &str, notice: &str) -> HttpResponse {
    let encoded: String = url::form_urlencoded::byte_serialize(notice.as_bytes()).collect();
    let mut notice_cookie = cookie(context, NOTICE_COOKIE, encoded);
    notice_cookie.set_max_age(CookieDuration::seconds(60));
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_string()))
        .cookie(notice_cookie)
        .finish()
}

/// Where to go after logging in: only a path of this site, never another host
/// (`//evil.example`, `https://…`); `/app` otherwise.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_string()
        }
        _ => "/app".to_string(),
    }
}

pub fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_string()))
        .finish()
}

/// The notice left by the previous redirect, if any.
pub fn take_notice(request: &HttpRequest) -> Option<String> {
    let raw = request.cookie(NOTICE_COOKIE)?;
    let decoded: String = url::form_urlencoded::parse(format!("n={}", raw.value()).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    Some(decoded.chars().take(500).collect())
}

/// An HTML page; clears the notice cookie it showed.
pub fn html_page(request: &HttpRequest, html: String) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response.content_type("text/html; charset=utf-8");
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    if request.cookie(NOTICE_COOKIE).is_some()
        && let Some(context) = request.app_data::<web::Data<Context>>()
    {
        response.cookie(removal(context, NOTICE_COOKIE));
    }
    response.body(html)
}
