//! Bearer-token authentication of the JSON API. Tokens are looked up by their SHA-256; a
//! revoked token or a disabled account answers 401 like an unknown token.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, ResponseError, web};

use crate::app::{Actor, Context, accounts};
use crate::domain::Role;
use crate::web::{ApiError, WebError};

/// The account behind a valid `Authorization: Bearer …` header.
pub struct ApiUser(pub Actor);

impl ApiUser {
    /// Refuses with 403 unless the account is an admin.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        match self.0.role {
            Role::Admin => Ok(()),
            Role::Coordinator => Err(ApiError(WebError::new(
                StatusCode::FORBIDDEN,
                "only an admin may do this",
            ))),
        }
    }
}

fn unauthorized() -> ApiError {
    ApiError(WebError::new(
        StatusCode::UNAUTHORIZED,
        "a valid API token is required: send `Authorization: Bearer <token>`",
    ))
}

impl FromRequest for ApiUser {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    /// Reads what `require_api_token` found; it ran before any body was read.
    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            request
                .extensions()
                .get::<Actor>()
                .cloned()
                .map(ApiUser)
                .ok_or_else(unauthorized),
        )
    }
}

/// Middleware of the API scope: authenticates the bearer token before anything else happens, so
/// a request without a valid token gets 401 whatever its body, and changes nothing.
pub async fn require_api_token(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if request.path() == "/api/v1/openapi.json" {
        return next
            .call(request)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    let token = request
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let context = request.app_data::<web::Data<Context>>().cloned();
    let (ip, user_agent) = crate::web::client::client_info(request.request());
    let actor = match (token, context) {
        (Some(token), Some(context)) => {
            let clock = context.clock.clone();
            match context
                .db
                .run(move |conn| accounts::api_token_owner(conn, &clock, &token))
                .await
            {
                Ok(Some((user_id, email, role))) => Role::parse(&role).ok().map(|role| Actor {
                    user_id,
                    email,
                    role,
                    ip,
                    user_agent,
                }),
                Ok(None) => None,
                Err(error) => {
                    let response = ApiError::from(error).error_response();
                    return Ok(request.into_response(response).map_into_right_body());
                }
            }
        }
        _ => None,
    };
    match actor {
        Some(actor) => {
            request.extensions_mut().insert(actor);
            next.call(request)
                .await
                .map(ServiceResponse::map_into_left_body)
        }
        None => {
            let mut response = unauthorized().error_response();
            response.headers_mut().insert(
                actix_web::http::header::WWW_AUTHENTICATE,
                actix_web::http::header::HeaderValue::from_static("Bearer"),
            );
            Ok(request.into_response(response).map_into_right_body())
        }
    }
}
