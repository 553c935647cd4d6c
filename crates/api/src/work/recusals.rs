//! Recusal (Art. 10): an advisor with a conflict of interest applies to leave a task; HRSS
//! grants or refuses.

use actix_web::{HttpResponse, get, post, web};
use guwen_domain::{
    audit::AuditAction,
    work::{self, AssignmentState, RecusalState},
};
use guwen_persistence::store::{
    self, Direction, Event, StoreError,
    work::{self as work_store, NewRecusal},
};

use super::{
    assignments::own_assignment,
    progress::refresh_task_state,
    views::{RecusalDecisionRequest, RecusalFilter, RecusalRequestBody, RecusalView},
};
use crate::{office::standing::acting_advisor, prelude::*};

/// Request recusal from a task
///
/// The advisor applies to recuse from a task because of a conflict of interest (Art. 10); HRSS decides.
///
/// Refused with `recusal_pending`.
#[utoipa::path(
    operation_id = "requestRecusal",
    tag = "tasks",
    security(("bearer" = ["advisor"])),
    params(("id" = String, Path, description = "Assignment id"), IdempotencyKey),
    request_body = RecusalRequestBody,
    responses((status = 201, description = "The pending request", body = RecusalView))
)]
#[post("/assignments/{id}/recusal-request")]
pub async fn request_recusal(
    call: Creating,
    id: web::Path<String>,
    body: ApiJson<RecusalRequestBody>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let today = call.state.clock.today();
    let conflict = required_text("conflict", &body.conflict, 2000)?;
    write_as(&call, &body.0, async |tx| {
        let a = own_assignment(tx, &call.caller, &id).await?;
        acting_advisor(tx, &call.caller, today).await?;
        let pending = work_store::recusal_pending(tx, &a.id).await?;
        work::check_recusal_request(a.state, pending)?;
        let rid = store::new_id();
        let event = Event::new(AuditAction::RecusalRequested, "recusal_request", &rid)
            .after(RecusalState::Pending)
            .reason(Some(conflict.as_str()))
            .details(serde_json::json!({ "assignment_id": a.id, "task_id": a.task_id }));
        let new = NewRecusal {
            id: rid.clone(),
            assignment_id: a.id,
            task_id: a.task_id,
            advisor_id: a.advisor_id,
            conflict: conflict.clone(),
        };
        let saved = work_store::insert_recusal(tx, &ctx, new, event).await?;
        Ok(Created::at(
            format!("/api/v1/recusal-requests/{rid}"),
            RecusalView::from(saved),
        ))
    })
    .await
}

/// List recusal requests
///
/// Recusal requests, newest first.
#[utoipa::path(
    operation_id = "listRecusalRequests",
    tag = "tasks",
    security(("bearer" = ["hrss", "auditor"])),
    params(RecusalFilter, PageParams),
    responses((status = 200, description = "A page of recusal requests", body = Page<RecusalView>))
)]
#[get("/recusal-requests")]
pub async fn list_recusals(
    state: web::Data<AppState>,
    filter: web::Query<RecusalFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "recusals";
    let request = page.request(KIND, Direction::NewestFirst)?;
    let got = work_store::list_recusals(&state.db, &filter.to_store(), request).await?;
    Ok(HttpResponse::Ok().json(Page::of(KIND, got, |r| Ok(RecusalView::from(r)))?))
}

/// Decide a recusal request
///
/// Decides a recusal request (Art. 10): granted — the advisor leaves the task, can no longer
/// see or deliver on it, and the task needs an advisor again; refused — the assignment stands.
#[utoipa::path(
    operation_id = "decideRecusalRequest",
    tag = "tasks",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Recusal request id")),
    request_body = RecusalDecisionRequest,
    responses((status = 200, description = "The decided request", body = RecusalView))
)]
#[post("/recusal-requests/{id}/decision")]
pub async fn decide_recusal(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<RecusalDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let reason = required_text("reason", &body.reason, 2000)?;
    write_as(&call, &body.0, async |tx| {
        let r = work_store::recusal_by_id(tx, &id)
            .await?
            .ok_or_else(|| ApiError::not_found("recusal request"))?;
        let next = work::decide_recusal(r.state, body.decision)?;
        let event = Event::new(AuditAction::RecusalDecided, "recusal_request", &r.id)
            .reason(Some(reason.as_str()))
            .details(serde_json::json!({ "assignment_id": r.assignment_id, "task_id": r.task_id }));
        work_store::decide_recusal(tx, &ctx, &r.id, next, call.caller.sub(), &reason, event)
            .await
            .map_err(|e| match e {
                StoreError::Stale { .. } => ApiError::new(
                    ProblemCode::InvalidTransition,
                    "the request was decided by another request",
                )
                .with_article("Art. 10"),
                e => e.into(),
            })?;
        if next == RecusalState::Granted {
            let a = work_store::assignment_by_id(tx, &r.assignment_id)
                .await?
                .ok_or_else(|| ApiError::internal("recusal without assignment"))?;
            if a.state == AssignmentState::Active {
                let event = Event::new(AuditAction::RecusalDecided, "assignment", &a.id).details(
                    serde_json::json!({ "recusal_request_id": r.id, "task_id": a.task_id }),
                );
                work_store::recuse_assignment(tx, &ctx, &a.id, event).await?;
                refresh_task_state(tx, &ctx, &a.task_id).await?;
            }
        }
        let saved = work_store::recusal_by_id(tx, &r.id)
            .await?
            .ok_or_else(|| ApiError::internal("recusal vanished"))?;
        Ok(Created::ok(RecusalView::from(saved)))
    })
    .await
}
