//! Progress reports (Art. 7(5) 及时反馈工作进展): an advisor reports progress on an assignment
//! they are working on, with files attached afterwards; the requester and HRSS (and the
//! government, auditors, and integrated systems on `internal` tasks) read the history, an
//! advisor their own reports.

use actix_web::{HttpResponse, get, post, web};
use guwen_domain::{
    audit::AuditAction,
    documents::{self, AttachmentOwner},
};
use guwen_persistence::store::{Event, documents as store, new_id, work as work_store};

use super::{
    policy::{self, visible_progress, visible_task},
    views::{ProgressReportList, ProgressReportRequest, ProgressReportView},
    with_files,
};
use crate::{office::standing::acting_advisor, prelude::*, work::policy as work_policy};

/// Report progress on an assignment
///
/// The assigned advisor reports progress on their active assignment (Art. 7(5)); attach files
/// with `POST /api/v1/progress-reports/{id}/attachments`. 404 for an assignment that is not the
/// caller's.
///
/// Refused with `advisor_not_in_office`, `invalid_transition`.
#[utoipa::path(
    operation_id = "reportProgress",
    tag = "progress",
    security(("bearer" = ["advisor"])),
    params(("id" = String, Path, description = "Assignment id (the caller's own)"), IdempotencyKey),
    request_body = ProgressReportRequest,
    responses(
        (status = 201, description = "The report", body = ProgressReportView, headers(("Location" = String, description = "The report's URL"))),
    )
)]
#[post("/assignments/{id}/progress-reports")]
pub async fn report_progress(
    call: Creating,
    id: web::Path<String>,
    body: ApiJson<ProgressReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let today = call.state.clock.today();
    let me = work_policy::advisor_of(&call.caller)?.to_owned();
    let text = required_text("text", &body.text, 10000)?;
    let ctx = call.audit();
    write_as(&call, &body.0, async |tx| {
        let a = work_store::own_assignment(tx, &me, &id)
            .await?
            .ok_or_else(|| ApiError::not_found("assignment"))?;
        acting_advisor(tx, &call.caller, today).await?;
        documents::check_progress_reportable(a.state)?;
        let report_id = new_id();
        let event = Event::new(AuditAction::ProgressReported, "assignment", &a.id)
            .details(serde_json::json!({ "progress_report_id": report_id, "task_id": a.task_id }));
        let new = store::NewProgressReport {
            id: report_id.clone(),
            assignment_id: a.id.clone(),
            task_id: a.task_id.clone(),
            advisor_id: me.clone(),
            text: text.clone(),
        };
        let saved = store::insert_progress_report(tx, &ctx, new, event).await?;
        Ok(Created::at(
            format!("/api/v1/progress-reports/{report_id}"),
            ProgressReportView::of(saved, Vec::new()),
        ))
    })
    .await
}

/// List a task's progress reports
///
/// The history of progress on a task (Art. 7(5)), oldest first: every advisor's for HRSS, the
/// government, auditors, the requester and (on `internal` tasks) integrated systems; an
/// assigned advisor's own. 404 for a task the caller may not see.
#[utoipa::path(
    operation_id = "listProgressReports",
    tag = "progress",
    security(("bearer" = ["hrss", "government", "auditor", "department", "advisor", "integration"])),
    params(("id" = String, Path, description = "Task id")),
    responses((status = 200, description = "The reports", body = ProgressReportList))
)]
#[get("/tasks/{id}/progress-reports")]
pub async fn list_progress_reports(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let t = visible_task(&state.db, &caller, &id).await?;
    let only = if policy::sees_all_progress(&caller, &t) {
        None
    } else {
        Some(caller.advisor_id().unwrap_or("-"))
    };
    let reports = store::progress_reports_of_task(&state.db, &t.id, only).await?;
    let owner = AttachmentOwner::ProgressReports;
    let items = with_files(&state.db, owner, reports, |r| &r.id, ProgressReportView::of).await?;
    Ok(HttpResponse::Ok().json(ProgressReportList { items }))
}

/// Get a progress report
///
/// One progress report with its attachments (as in the task's list).
#[utoipa::path(
    operation_id = "getProgressReport",
    tag = "progress",
    security(("bearer" = ["hrss", "government", "auditor", "department", "advisor", "integration"])),
    params(("id" = String, Path, description = "Progress report id")),
    responses((status = 200, description = "The report", body = ProgressReportView))
)]
#[get("/progress-reports/{id}")]
pub async fn get_progress_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (r, _) = visible_progress(&state.db, &caller, &id).await?;
    let files = store::attachments_of(&state.db, AttachmentOwner::ProgressReports, &r.id).await?;
    Ok(HttpResponse::Ok().json(ProgressReportView::of(r, files)))
}
