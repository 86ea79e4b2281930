//! What wraps every request: a request id and the client's address carried by every log line
//! of the request, one access log line with sign-link tokens redacted, and the security headers
//! of every answer.

use std::time::Instant;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{DefaultHeaders, Next};
use tracing::Instrument;
use uuid::Uuid;

/// Script only from our own origin, no framing, no plugins, forms post only to us.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The policy of a page that shows an email's HTML in a sandboxed `<iframe srcdoc>`: the
/// email's inline `style="…"` attributes (ours, from its templates) are allowed by their
/// SHA-256, nothing else changes. A `srcdoc` document inherits the page's policy.
pub fn policy_allowing_email_styles(email_html: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let mut hashes: Vec<String> = email_html
        .split("style=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(value, _)| value))
        .map(|value| {
            let digest = sha2::Sha256::digest(value.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    hashes.sort();
    hashes.dedup();
    CONTENT_SECURITY_POLICY.replace(
        "style-src 'self';",
        &format!("style-src 'self' 'unsafe-hashes' {};", hashes.join(" ")),
    )
}

/// The policy of a page that any website may show in an `<iframe>` (the letter's embed
/// card): the usual one with `frame-ancestors *`, nothing else changes. An answer with this
/// policy goes without `X-Frame-Options` (see `framing_as_the_policy_says`).
pub fn policy_framable_by_any_site() -> String {
    CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")
}

/// Drops the default `X-Frame-Options: DENY` from an answer whose own policy lets any site
/// frame it, which that header would otherwise overrule in older browsers. Wraps
/// `security_headers`, so it sees the headers that one added.
pub async fn framing_as_the_policy_says(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut response = next.call(request).await?;
    let framable = response
        .headers()
        .get(actix_web::http::header::CONTENT_SECURITY_POLICY)
        .and_then(|policy| policy.to_str().ok())
        .is_some_and(|policy| policy.contains("frame-ancestors *"));
    if framable {
        response
            .headers_mut()
            .remove(actix_web::http::header::X_FRAME_OPTIONS);
    }
    Ok(response)
}

/// Headers every answer carries unless a handler set its own.
pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .add(("X-Content-Type-Options", "nosniff"))
        // Sign links carry their token in the path until it is exchanged for a cookie;
        // no page of ours ever sends its address to another site.
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ));
    if https {
        headers.add(("Strict-Transport-Security", "max-age=31536000"))
    } else {
        headers
    }
}

/// Paths as they may appear in logs: a sign-link token never does.
pub fn redact_path(path: &str) -> String {
    for secret_prefix in ["/sign/", "/setup/"] {
        if path.starts_with(secret_prefix) {
            return format!("{secret_prefix}[redacted]");
        }
    }
    path.to_string()
}

/// Gives the request an id (also answered as `X-Request-Id`), works out its client once (kept
/// in the request's extensions as `Client`), runs it inside a span that carries both, and logs
/// one access line with status and duration, and counts it in the metrics by route pattern
/// (never the path, which may hold a token). Query strings are never logged.
pub async fn request_context(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = Uuid::new_v4().simple().to_string();
    let client = super::client::identify(&request);
    request.extensions_mut().insert(client);
    let span = tracing::info_span!(
        "request",
        id = %request_id,
        client = %client.address,
        scheme = %if client.https { "https" } else { "http" },
        method = %request.method(),
        path = %redact_path(request.path()),
    );
    // Counted only where a metrics listener serves them: finding the route's pattern is a
    // second walk of the routes, which a press spike on the public page need not pay for.
    let metrics = request
        .app_data::<actix_web::web::Data<crate::app::Context>>()
        .filter(|ctx| !ctx.settings.metrics.listen.trim().is_empty())
        .map(|ctx| std::sync::Arc::clone(&ctx.metrics));
    let route = match metrics {
        Some(_) => request
            .match_pattern()
            .unwrap_or_else(|| "(no route)".into()),
        None => String::new(),
    };
    let method = request.method().clone();
    let started = Instant::now();
    let result = next.call(request).instrument(span.clone()).await;
    let elapsed = started.elapsed().as_secs_f64();
    let elapsed_ms = (elapsed * 100_000.0).round() / 100.0;
    let status = match &result {
        Ok(response) => response.status().as_u16(),
        Err(error) => error.as_response_error().status_code().as_u16(),
    };
    if let Some(metrics) = metrics {
        metrics.observe_request(&route, method.as_str(), status, elapsed);
    }
    let _entered = span.enter();
    match result {
        Ok(mut response) => {
            tracing::info!(status, elapsed_ms, "answered");
            if let Ok(value) = HeaderValue::from_str(&request_id) {
                response
                    .headers_mut()
                    .insert(HeaderName::from_static("x-request-id"), value);
            }
            Ok(response)
        }
        Err(error) => {
            tracing::info!(status, elapsed_ms, "answered with an error");
            Err(error)
        }
    }
}

/// Answers HEAD like GET, for every route at once: the request is routed as a GET, so it gets
/// GET's status and headers (Content-Length included). The HTTP/1 codec remembers that the
/// request line said HEAD and leaves the body out of the answer (RFC 9110, section 9.3.2).
pub async fn head_as_get(
    mut request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if request.method() == Method::HEAD {
        request.head_mut().method = Method::GET;
    }
    next.call(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_tokens_are_redacted() {
        assert_eq!(redact_path("/sign/abcDEF123"), "/sign/[redacted]");
        assert_eq!(redact_path("/sign/abc/decision"), "/sign/[redacted]");
        assert_eq!(redact_path("/setup/abc"), "/setup/[redacted]");
        assert_eq!(redact_path("/letters/x"), "/letters/x");
    }
}
