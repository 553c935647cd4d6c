//! Per-address limits on what anyone may do without a token, counted in the database so that
//! every replica sees the same count: public writes (self-nominations, objections) per hour,
//! and public reads (every `GET` of the API that needs no token) per minute.

use actix_web::{
    HttpRequest,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::{Method, header},
    middleware::Next,
    web,
};
use guwen_persistence::guard;

use crate::http::{
    access::{Access, AccessTable},
    client_addr::{client_ip, rate_key, reduced},
};
use crate::prelude::*;

/// The client's address: the peer, or behind a trusted proxy the rightmost forwarded address
/// that is not one (see [`crate::http::client_addr`]).
pub fn client_ip_of(req: &HttpRequest, state: &AppState) -> Option<std::net::IpAddr> {
    client_ip(
        req.peer_addr().map(|a| a.ip()),
        req.headers(),
        &state.config.trusted_proxies,
    )
}

/// The client's network as the audit trail of an anonymous write keeps it (privacy): the /24
/// of an IPv4 address, the /48 of an IPv6 one; `unknown` without a peer.
pub fn client_network(req: &HttpRequest, state: &AppState) -> String {
    client_ip_of(req, state)
        .map(reduced)
        .unwrap_or_else(|| "unknown".into())
}

/// The key the client's requests are counted under (an IPv6 client by its /64).
pub fn client_addr(req: &HttpRequest, state: &AppState) -> String {
    client_ip_of(req, state)
        .map(rate_key)
        .unwrap_or_else(|| "unknown".into())
}

/// Counts one hit of `client` in `scope` (`limit` per `window_secs`); 429 with `Retry-After`
/// beyond it.
async fn count(
    state: &AppState,
    scope: &str,
    client: &str,
    limit: u32,
    window_secs: i64,
    per: &str,
) -> Result<(), ApiError> {
    let verdict = guard::rate_limit_hit(
        &state.db,
        scope,
        client,
        limit,
        window_secs,
        state.clock.now(),
    )
    .await?;
    verdict.map_err(|retry_after| {
        ApiError::new(
            ProblemCode::RateLimited,
            format!(
                "at most {limit} such requests per {per} from one address; retry in {retry_after} s"
            ),
        )
        .with_header(header::RETRY_AFTER, retry_after.to_string())
    })
}

/// Counts a public write against the per-address hourly limit; 429 with `Retry-After` beyond
/// it. Returns the client's key.
pub async fn rate_limit(
    req: &HttpRequest,
    state: &AppState,
    scope: &str,
) -> Result<String, ApiError> {
    let client = client_addr(req, state);
    count(
        state,
        scope,
        &client,
        state.config.public_rate_limit,
        3600,
        "hour",
    )
    .await?;
    Ok(client)
}

/// The middleware: every `GET` (and `HEAD`) of an API operation that needs no token counts
/// against the client's per-minute read limit (`GUWEN_PUBLIC_READ_RATE_LIMIT`).
pub async fn limit_public_reads(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let reads_publicly = matches!(*req.method(), Method::GET | Method::HEAD)
        && req.path().starts_with("/api/")
        && req.match_pattern().is_some_and(|pattern| {
            req.app_data::<web::Data<AccessTable>>()
                .and_then(|t| t.rule(&Method::GET, &pattern).cloned())
                == Some(Access::Public)
        });
    let state = req.app_data::<web::Data<AppState>>().cloned();
    if let (true, Some(state)) = (reads_publicly, state) {
        let client = client_addr(req.request(), &state);
        let limit = state.config.public_read_rate_limit;
        if let Err(e) = count(&state, "public_read", &client, limit, 60, "minute").await {
            let response = actix_web::ResponseError::error_response(&e);
            return Ok(req.into_response(response).map_into_right_body());
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}
