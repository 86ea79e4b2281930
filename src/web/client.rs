//! The client of a request, worked out once per request by the middleware (see
//! `TrustedProxies` for the rule) and kept in the request's extensions: the audit trail, the
//! access log and every rate limit read it from there, never from a header.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::dev::ServiceRequest;
use actix_web::http::header::{HeaderName, USER_AGENT};
use actix_web::{HttpMessage, HttpRequest, web};

use crate::domain::TrustedProxies;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

/// Where a request comes from, as far as this server can believe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// The client's address: the socket peer, or what a trusted proxy forwarded.
    pub address: IpAddr,
    /// Whether the client spoke HTTPS (to us, or to the trusted proxy in front).
    pub https: bool,
}

/// Works out the client of a request from its socket peer and, when the peer is one of the
/// app's trusted proxies (`Data<TrustedProxies>`, none when absent), its forwarded headers.
pub fn identify(request: &ServiceRequest) -> Client {
    let proxies = request.app_data::<web::Data<TrustedProxies>>();
    let connection_https = request.app_config().secure();
    // A request without a socket (built in a unit test) has no peer: count it as loopback.
    let peer = request
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |a| a.ip());
    let Some(proxies) = proxies.filter(|p| !p.is_empty()) else {
        return Client {
            address: peer.to_canonical(),
            https: connection_https,
        };
    };
    let headers = request.headers();
    let forwarded_for = headers
        .get_all(X_FORWARDED_FOR)
        .filter_map(|value| value.to_str().ok());
    let forwarded_proto = headers
        .get(X_FORWARDED_PROTO)
        .and_then(|value| value.to_str().ok());
    Client {
        address: proxies.client_address(peer, forwarded_for),
        https: proxies.client_https(peer, forwarded_proto, connection_https),
    }
}

/// The client of a request: the one the middleware stored, or the socket peer where no
/// middleware ran (a handler under test).
pub fn client_address(request: &HttpRequest) -> Option<IpAddr> {
    request
        .extensions()
        .get::<Client>()
        .map(|client| client.address)
        .or_else(|| request.peer_addr().map(|a| a.ip().to_canonical()))
}

/// Client address and user agent (at most 300 characters) of a request, for the audit trail.
pub fn client_info(request: &HttpRequest) -> (Option<String>, Option<String>) {
    let ip = client_address(request).map(|address| address.to_string());
    let agent = request
        .headers()
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(300).collect());
    (ip, agent)
}
