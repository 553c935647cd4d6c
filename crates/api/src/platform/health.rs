//! Platform endpoints outside `/api/v1`: liveness, readiness and metrics.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::state::AppState;

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
/// Prometheus metrics of this replica: requests by route and status, latency histogram.
#[utoipa::path(
    operation_id = "getMetrics",
    tag = "platform",
    security(()),
    responses((status = 200, description = "Prometheus text exposition format 0.0.4", content_type = "text/plain", body = String))
)]
#[get("/metrics")]
async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(healthz).service(readyz).service(metrics);
}
