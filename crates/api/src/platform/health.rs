//! Platform endpoints outside `/api/v1`: liveness, readiness and metrics.

use actix_web::{HttpRequest, HttpResponse, get, http::header, web};
use guwen_domain::ProblemCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{http::error::ApiError, state::AppState};

/// Liveness or readiness.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` when the database cannot be reached.
    #[schema(example = "ok")]
    pub status: String,
    /// The database engine, on `/readyz`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "PostgreSQL")]
    pub database: Option<String>,
}

/// Liveness
///
/// Liveness: the process answers.
#[utoipa::path(operation_id = "getLiveness", tag = "platform", security(()), responses((status = 200, description = "The process is alive", body = Health)))]
#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
        database: None,
    })
}

/// Readiness
///
/// Readiness: the database is reachable.
#[utoipa::path(
    operation_id = "getReadiness",
    tag = "platform",
    security(()),
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "The database cannot be reached", body = Health),
    )
)]
#[get("/readyz")]
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let database = Some(guwen_persistence::db::backend_name(&state.db).to_owned());
    let ping = tokio::time::timeout(std::time::Duration::from_secs(2), state.db.ping()).await;
    match ping {
        Ok(Ok(())) => HttpResponse::Ok().json(Health {
            status: "ok".into(),
            database,
        }),
        _ => HttpResponse::ServiceUnavailable().json(Health {
            status: "unavailable".into(),
            database,
        }),
    }
}

/// Prometheus metrics
///
/// Prometheus metrics of this replica: requests by route and status, latency histogram, statements sent to the database. With
/// `GUWEN_METRICS_TOKEN` set, only a request carrying `Authorization: Bearer <that token>` is
/// answered.
#[utoipa::path(
    operation_id = "getMetrics",
    tag = "platform",
    security(()),
    responses(
        (status = 200, description = "Prometheus text exposition format 0.0.4", content_type = "text/plain", body = String),
        (status = 401, description = "`GUWEN_METRICS_TOKEN` is set and the request does not carry it (problem+json)", content_type = "application/problem+json", body = crate::http::error::Problem),
    )
)]
#[get("/metrics")]
async fn metrics(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    if let Some(expected) = &state.config.metrics_token {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim());
        if !given.is_some_and(|g| same_secret(g.as_bytes(), expected.as_bytes())) {
            return Err(ApiError::unauthorized(
                ProblemCode::MissingToken,
                "the metrics need the operator's bearer token (GUWEN_METRICS_TOKEN)",
            ));
        }
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(format!(
            "{}# HELP guwen_db_statements_total Statements sent to the database by this replica.\n\
             # TYPE guwen_db_statements_total counter\nguwen_db_statements_total {}\n",
            state.metrics.render(),
            state.statements.get()
        )))
}

/// Compares two secrets in time independent of where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    // Comparing digests keeps the time independent of the secrets' lengths too.
    let (a, b) = (Sha256::digest(a), Sha256::digest(b));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(healthz).service(readyz).service(metrics);
}
