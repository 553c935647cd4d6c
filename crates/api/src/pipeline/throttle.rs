//! The public endpoints' per-address hourly limit (self-nominations, objections), counted in
//! the database so that every replica sees the same count.

use actix_web::HttpRequest;
use guwen_persistence::guard;

use crate::prelude::*;

/// The client's address: the peer, or with `GUWEN_TRUST_PROXY` the forwarded address.
pub fn client_addr(req: &HttpRequest, state: &AppState) -> String {
    let info = req.connection_info();
    let addr = if state.config.trust_proxy {
        info.realip_remote_addr().map(str::to_owned)
    } else {
        req.peer_addr().map(|a| a.ip().to_string())
    };
    addr.unwrap_or_else(|| "unknown".into())
}

/// Counts a public request against the per-address hourly limit (kept in the database, so
/// every replica sees the same count); 429 with `Retry-After` beyond it.
pub async fn rate_limit(
    req: &HttpRequest,
    state: &AppState,
    scope: &str,
) -> Result<String, ApiError> {
    let client = client_addr(req, state);
    let verdict = guard::rate_limit_hit(
        &state.db,
        scope,
        &client,
        state.config.public_rate_limit,
        3600,
        state.clock.now(),
    )
    .await?;
    match verdict {
        Ok(()) => Ok(client),
        Err(retry_after) => Err(ApiError::new(
            ProblemCode::RateLimited,
            format!(
                "at most {} such requests per hour from one address; retry in {retry_after} s",
                state.config.public_rate_limit
            ),
        )
        .with_header(
            actix_web::http::header::RETRY_AFTER,
            retry_after.to_string(),
        )),
    }
}
