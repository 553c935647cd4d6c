//! The audit trail: `GET /api/v1/audit-events` and its verification (DOMAIN.md §6).

pub mod checkpoints;
pub mod jobs;
pub mod reads;
pub mod verify;
mod views;

use actix_web::{HttpResponse, get, web};
use chrono::Utc;
use guwen_persistence::audit;
use utoipa_actix_web::service_config::ServiceConfig;

pub use reads::{Sensitive, record_sensitive_read};
pub use views::{
    ActorView, AuditEventView, AuditFilter, BrokenLink, CheckpointComparison, CheckpointView,
    SortOrder, VerificationJobView, VerificationView,
};

use crate::http::pagination::encode_cursor;
use crate::prelude::*;

/// List audit events
///
/// The audit trail, filtered, in pages.
#[utoipa::path(
    operation_id = "listAuditEvents",
    tag = "audit",
    security(("bearer" = ["auditor", "hrss"])),
    params(AuditFilter, PageParams),
    responses((status = 200, description = "A page of audit events", body = Page<AuditEventView>))
)]
#[get("/audit-events")]
async fn list_audit_events(
    state: web::Data<AppState>,
    filter: web::Query<AuditFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "audit";
    let filter = filter.into_inner();
    let descending = filter.order == Some(SortOrder::Desc);
    let query = audit::Filter {
        action: filter.action,
        object_type: filter.object_type,
        object_id: filter.object_id,
        actor_sub: filter.actor_sub,
        from: filter.from.map(|t| t.with_timezone(&Utc)),
        to: filter.to.map(|t| t.with_timezone(&Utc)),
        cursor: page.cursor::<(i64, bool)>(KIND)?.map(|(seq, desc)| {
            // A cursor carries its direction; reusing it with another order restarts cleanly.
            if desc == descending {
                seq
            } else if descending {
                i64::MAX
            } else {
                0
            }
        }),
        descending,
        limit: page.limit()?,
    };
    let (rows, more) = audit::list(&state.db, &query).await?;
    let next_cursor = if more {
        rows.last()
            .map(|e| encode_cursor(KIND, &(e.seq, descending)))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(Page {
        items: rows
            .into_iter()
            .map(AuditEventView::from)
            .collect::<Vec<_>>(),
        next_cursor,
    }))
}

/// Verify the audit chain
///
/// Verifies the events after the point the last verification found sound (every event the
/// first time): each hash, link and signature by the audit key. Then compares the chain with
/// the signed checkpoints published outside the database, so removing the newest events or
/// rolling the head back to an older signed state is reported once a later checkpoint exists.
/// Names the first broken link. For a full re-verification of every event, start a job.
#[utoipa::path(
    operation_id = "verifyAuditChain",
    tag = "audit",
    security(("bearer" = ["auditor", "hrss"])),
    responses((status = 200, description = "The verification result", body = VerificationView))
)]
#[get("/audit-events/verification")]
async fn verify_audit_chain(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(verify::incremental(&state).await?))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_audit_events)
        .service(verify_audit_chain)
        .service(checkpoints::list_audit_checkpoints)
        .service(jobs::start_audit_verification_job)
        .service(jobs::list_audit_verification_jobs)
        .service(jobs::get_audit_verification_job);
}
