//! Signed checkpoints of the audit chain, published outside the database: the background job
//! that publishes them every `GUWEN_AUDIT_CHECKPOINT_EVERY` events or
//! `GUWEN_AUDIT_CHECKPOINT_SECONDS`, and `GET /api/v1/audit-events/checkpoints`.

use actix_web::{HttpResponse, get, web};
use guwen_persistence::checkpoint::{self, Cadence, Checkpoint};

use super::{verify::published, views::CheckpointView};
use crate::{http::pagination::encode_cursor, prelude::*};

/// List audit checkpoints
///
/// The signed checkpoints published so far, oldest first, as read back from where they are
/// published (outside the database). Keep a copy: `guwen audit verify --checkpoints FILE`
/// checks a database against it.
#[utoipa::path(
    operation_id = "listAuditCheckpoints",
    tag = "audit",
    security(("bearer" = ["auditor", "hrss"])),
    params(PageParams),
    responses((status = 200, description = "A page of checkpoints", body = Page<CheckpointView>))
)]
#[get("/audit-events/checkpoints")]
async fn list_audit_checkpoints(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "audit_checkpoints";
    let after = page.cursor::<usize>(KIND)?.unwrap_or(0);
    let limit = page.limit()? as usize;
    let log = published(&state).await?;
    let items: Vec<CheckpointView> = log
        .checkpoints
        .into_iter()
        .skip(after)
        .take(limit + 1)
        .map(CheckpointView::from)
        .collect();
    let more = items.len() > limit;
    let mut items = items;
    items.truncate(limit);
    let next_cursor = more.then(|| encode_cursor(KIND, &(after + limit)));
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// Publishes a checkpoint if one is due (see [`checkpoint::publish_due`]).
pub async fn publish_due(state: &AppState) -> Result<Option<Checkpoint>, ApiError> {
    checkpoint::publish_due(
        &state.db,
        &state.audit_signer,
        state.checkpoint_sink.as_ref(),
        Cadence {
            every_events: state.config.audit_checkpoint_every,
            every_secs: state.config.audit_checkpoint_secs,
        },
        state.clock.now(),
    )
    .await
    .map_err(|e| match e {
        checkpoint::PublishError::Db(e) => ApiError::from(e),
        other => ApiError::internal(other),
    })
}

/// Every second: publishes a checkpoint when one is due, and (every ten seconds) takes over
/// verification jobs whose replica stopped. A failure is logged and tried again at the next
/// tick. Every replica runs it; they share its state through the database.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(std::time::Duration::from_secs(1));
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut n: u64 = 0;
        loop {
            ticks.tick().await;
            match publish_due(&state).await {
                Ok(Some(c)) => tracing::debug!(seq = c.seq, "audit checkpoint published"),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "audit checkpoint failed; retrying"),
            }
            if n.is_multiple_of(10)
                && let Err(e) = super::jobs::resume_abandoned(&state).await
            {
                tracing::warn!(error = %e, "cannot look for abandoned audit verification jobs");
            }
            n = n.wrapping_add(1);
        }
    });
}
