//! Tasks (工作事项, Art. 6, 11): requested by the government or a department, matched and
//! assigned by HRSS; closed or cancelled by HRSS or the requester.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::NaiveDate;
use guwen_domain::{
    audit::AuditAction,
    work::{self, AssignmentState, WorkAction},
};
use guwen_persistence::store::{
    self, Direction, Event, PageOf,
    work::{self as work_store, Assignment, Task, TaskDetails},
};

use super::{
    policy,
    views::{AssignmentView, CreateTaskRequest, TaskFilter, TaskNoteRequest, TaskView},
};
use crate::audit::{Sensitive, record_sensitive_read};
use crate::prelude::*;
use crate::{
    fields::{field_ref, find_field},
    http::access::AccessTable,
};

/// Tasks as the caller sees them: the assignments it may see and the actions it may take.
fn task_views(
    access: &AccessTable,
    caller: &Caller,
    rows: Vec<Task>,
    details: TaskDetails,
    today: NaiveDate,
) -> Vec<TaskView> {
    let TaskDetails {
        assignments,
        advisor_names,
        fields,
    } = details;
    rows.into_iter()
        .map(|t| {
            let mine: Vec<&Assignment> = assignments.iter().filter(|a| a.task_id == t.id).collect();
            let own = policy::own_assignment(caller, &mine);
            let all = policy::sees_all_assignments(caller, &t);
            let shown = mine
                .iter()
                .filter(|a| all || own.is_some_and(|o| o.id == a.id))
                .map(|a| {
                    let name = advisor_names.get(&a.advisor_id).cloned();
                    AssignmentView::build((*a).clone(), name.unwrap_or_default())
                })
                .collect();
            let actions = policy::task_actions(access, caller, &t, own, today);
            let field = field_ref(&fields, &t.field_code);
            TaskView::build(t, field, shown, actions)
        })
        .collect()
}

/// One task as the caller sees it.
fn task_view(
    state: &AppState,
    caller: &Caller,
    t: Task,
    details: TaskDetails,
) -> Result<TaskView, ApiError> {
    task_views(&state.access, caller, vec![t], details, state.clock.today())
        .pop()
        .ok_or_else(|| ApiError::internal("task view vanished"))
}

/// Request a task
///
/// Requests work of the advisors (Art. 6, 11): the government, or a department for its own
/// organisation.
///
/// Refused with `state_secret_not_allowed`.
#[utoipa::path(
    operation_id = "createTask",
    tag = "tasks",
    security(("bearer" = ["government", "department"])),
    request_body = CreateTaskRequest,
    params(IdempotencyKey),
    responses((status = 201, description = "The task", body = TaskView, headers(("Location" = String, description = "The task's URL"))))
)]
#[post("/tasks")]
pub async fn create_task(
    call: Creating,
    body: ApiJson<CreateTaskRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = call.audit();
    let draft = body.draft(call.state.clock.today())?;
    let requester = policy::requester(&call.caller)?;
    write_as(&call, &body, async |tx| {
        let field = find_field(tx, &body.field).await?;
        let id = store::new_id();
        let new = draft.into_new_task(id.clone(), requester, call.caller.sub(), field.code, ctx.stamp());
        let event = Event::new(AuditAction::TaskCreated, "task", &id)
            .after(work::TaskState::Open)
            .details(serde_json::json!({ "kind": new.kind, "field": new.field_code, "deadline": new.deadline, "confidentiality": new.confidentiality }));
        let t = store::insert_row(tx, &ctx, new, event).await?;
        let details = work_store::task_details(tx, std::slice::from_ref(&t)).await?;
        Ok(Created::at(
            format!("/api/v1/tasks/{id}"),
            task_view(&call.state, &call.caller, t, details)?,
        ))
    })
    .await
}

/// List tasks
///
/// Tasks the caller may see, newest first: all for hrss, government and auditor; its own
/// requests for a department; those assigned to them for an advisor; `internal` ones only for
/// integration.
#[utoipa::path(
    operation_id = "listTasks",
    tag = "tasks",
    security(("bearer" = ["hrss", "government", "auditor", "department", "advisor", "integration"])),
    params(TaskFilter, PageParams),
    responses((status = 200, description = "A page of tasks", body = Page<TaskView>))
)]
#[get("/tasks")]
pub async fn list_tasks(
    call: Signed,
    filter: web::Query<TaskFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "tasks";
    let request = page.request(KIND, Direction::NewestFirst)?;
    let scope = policy::task_scope(&call.caller);
    let got = work_store::list_tasks(&call.state.db, &scope, &filter.to_store(), request).await?;
    let details = work_store::task_details(&call.state.db, &got.rows).await?;
    let rows = task_views(
        &call.state.access,
        &call.caller,
        got.rows,
        details,
        call.state.clock.today(),
    );
    record_secret_reads(&call.state, &call.http, &rows).await?;
    let views = PageOf {
        rows,
        next: got.next,
    };
    Ok(HttpResponse::Ok().json(Page::of(KIND, views, Ok)?))
}

/// Get a task
///
/// One task.
#[utoipa::path(
    operation_id = "getTask",
    tag = "tasks",
    security(("bearer" = ["hrss", "government", "auditor", "department", "advisor", "integration"])),
    params(("id" = String, Path, description = "Task id")),
    responses((status = 200, description = "The task", body = TaskView))
)]
#[get("/tasks/{id}")]
pub async fn get_task(call: Signed, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let t = work_store::task_in_scope(&call.state.db, &policy::task_scope(&call.caller), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("task"))?;
    let details = work_store::task_details(&call.state.db, std::slice::from_ref(&t)).await?;
    let view = task_view(&call.state, &call.caller, t, details)?;
    record_secret_reads(&call.state, &call.http, std::slice::from_ref(&view)).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Records in the audit trail the reads of tasks marked `work_secret` or `commercial_secret`
/// (Art. 7.1).
async fn record_secret_reads(
    state: &AppState,
    req: &HttpRequest,
    shown: &[TaskView],
) -> Result<(), ApiError> {
    let secret = shown
        .iter()
        .filter(|t| t.confidentiality != guwen_domain::work::Confidentiality::Internal)
        .map(|t| t.id.clone())
        .collect();
    record_sensitive_read(state, req, Sensitive::SecretTask, "task", secret).await
}

/// Closes or cancels a task (HRSS or the requester); whoever is still working on it is
/// released.
async fn end_task(
    call: &Signed,
    id: &str,
    body: &TaskNoteRequest,
    action: WorkAction,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let note = required_text("note", &body.note, 2000)?;
    let (route, audit) = match action {
        WorkAction::Cancel => (policy::CANCEL, AuditAction::TaskCancelled),
        _ => (policy::CLOSE, AuditAction::TaskClosed),
    };
    write_as(call, body, async |tx| {
        let t = work_store::task_in_scope(tx, &policy::task_scope(&call.caller), id)
            .await?
            .ok_or_else(|| ApiError::not_found("task"))?;
        if !policy::may_end_task(&call.state.access, &call.caller, &t, route) {
            return Err(ApiError::forbidden(
                "only HRSS or the requester may close or cancel a task",
            ));
        }
        let to = work::task_transition(t.state, action)?;
        let event = Event::new(audit, "task", &t.id).reason(Some(note.as_str()));
        work_store::move_task(tx, &ctx, &t.id, t.state, to, Some(note.clone()), event).await?;
        for a in work_store::assignments_of_tasks(tx, vec![t.id.clone()]).await? {
            if a.state == AssignmentState::Active {
                let event = Event::new(audit, "assignment", &a.id)
                    .details(serde_json::json!({ "task_id": t.id }));
                work_store::release_assignment(tx, &ctx, &a.id, a.state, None, event).await?;
            }
        }
        let t = work_store::task_by_id(tx, &t.id)
            .await?
            .ok_or_else(|| ApiError::internal("task vanished"))?;
        let details = work_store::task_details(tx, std::slice::from_ref(&t)).await?;
        Ok(Created::ok(task_view(
            &call.state,
            &call.caller,
            t,
            details,
        )?))
    })
    .await
}

/// Close a task
///
/// Closes a task (HRSS or the requester), e.g. once its opinions are in.
#[utoipa::path(
    operation_id = "closeTask",
    tag = "tasks",
    security(("bearer" = ["hrss", "government", "department"])),
    params(("id" = String, Path, description = "Task id")),
    request_body = TaskNoteRequest,
    responses((status = 200, description = "The closed task", body = TaskView))
)]
#[post("/tasks/{id}/closure")]
pub async fn close_task(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<TaskNoteRequest>,
) -> Result<HttpResponse, ApiError> {
    end_task(&call, &id, &body, WorkAction::Close).await
}

/// Cancel a task
///
/// Cancels a task that is not delivered (HRSS or the requester); active assignments are released.
#[utoipa::path(
    operation_id = "cancelTask",
    tag = "tasks",
    security(("bearer" = ["hrss", "government", "department"])),
    params(("id" = String, Path, description = "Task id")),
    request_body = TaskNoteRequest,
    responses((status = 200, description = "The cancelled task", body = TaskView))
)]
#[post("/tasks/{id}/cancellation")]
pub async fn cancel_task(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<TaskNoteRequest>,
) -> Result<HttpResponse, ApiError> {
    end_task(&call, &id, &body, WorkAction::Cancel).await
}
