//! Matching and assignment (Art. 11), and an advisor's report that they cannot complete the
//! task (Art. 7.6).

use std::collections::HashMap;

use actix_web::{HttpResponse, get, post, web};
use guwen_domain::{
    audit::AuditAction,
    office,
    participation::{self, Interest},
    time::cst_date,
    work::{self, AssignmentState, MatchCandidate, WorkAction},
};
use guwen_persistence::store::{
    self, Event,
    participation::{self as participation_store, DeclaredInterest},
    work::{self as work_store, NewAssignment},
};

/// A declared interest as the matching rule reads it.
fn declared_interest(i: &DeclaredInterest) -> Interest {
    Interest {
        kind: i.kind,
        organisation: i.organisation.clone(),
        starts_on: i.starts_on,
        ends_on: i.ends_on,
    }
}

use super::{
    policy,
    progress::refresh_task_state,
    views::{AssignRequest, AssignmentView, InabilityRequest, MatchList, MatchView},
};
use crate::fields::{field_ref, fields_by_code};
use crate::{office::standing::acting_advisor, prelude::*};

/// Rank advisors for a task
///
/// Advisors in office ranked for a task: field match first, then the lightest open workload;
/// those already on the task or recused from the same requester's matters are left out (Art. 10, 11).
/// An advisor whose declared interests in force today name the requesting unit or the task's
/// counterpart is flagged with the reason in `interest_conflicts` (Art. 7(2)–(3)).
#[utoipa::path(
    operation_id = "listMatchingAdvisors",
    tag = "tasks",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Task id")),
    responses((status = 200, description = "Ranked advisors", body = MatchList))
)]
#[get("/tasks/{id}/matching-advisors")]
pub async fn matching_advisors(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let db = &state.db;
    let t = work_store::task_in_scope(db, &policy::task_scope(&caller), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("task"))?;
    let advisors = work_store::advisors_in_office_on(db, state.clock.today()).await?;
    let open = work_store::open_assignments_by_advisor(db).await?;
    let on_task = work_store::assignments_of_tasks(db, vec![t.id.clone()]).await?;
    let recused =
        work_store::recused_from_requester(db, t.requester_role, t.requester_org_id.as_deref())
            .await?;
    let candidates: Vec<MatchCandidate> = advisors
        .iter()
        .filter(|a| !on_task.iter().any(|o| o.advisor_id == a.id))
        .map(|a| MatchCandidate {
            advisor_id: a.id.clone(),
            field_code: a.field_code.clone(),
            open_assignments: open.get(&a.id).copied().unwrap_or(0),
            recused_from_requester: recused.contains(&a.id),
            active: true,
        })
        .collect();
    let by_id: HashMap<&str, _> = advisors.iter().map(|a| (a.id.as_str(), a)).collect();
    let fields = fields_by_code(db).await?;
    let interests = participation_store::interests_by_advisor(
        db,
        candidates.iter().map(|c| c.advisor_id.clone()).collect(),
    )
    .await?;
    let parties: Vec<&str> = [t.requester_org_id.as_deref(), t.counterpart.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    // In force on the day the task was requested or today.
    let days = [cst_date(t.created_at), state.clock.today()];
    let conflicts_of = |advisor_id: &str| -> Vec<String> {
        let declared: Vec<Interest> = interests
            .get(advisor_id)
            .map(|list| list.iter().map(declared_interest).collect())
            .unwrap_or_default();
        let mut reasons = Vec::new();
        for day in days {
            for r in participation::conflicting_interests(&declared, &parties, day) {
                if !reasons.contains(&r) {
                    reasons.push(r);
                }
            }
        }
        reasons
    };
    let items = work::rank_advisors(&t.field_code, &candidates)
        .into_iter()
        .filter_map(|r| {
            let a = by_id.get(r.advisor_id.as_str())?;
            let conflicts = conflicts_of(&r.advisor_id);
            Some(MatchView::build(
                r,
                a,
                field_ref(&fields, &a.field_code),
                conflicts,
            ))
        })
        .collect();
    Ok(HttpResponse::Ok().json(MatchList {
        task_id: t.id,
        items,
    }))
}

/// Assign an advisor to a task
///
/// Assigns an advisor in office to the task (Art. 11). An advisor recused from the same
/// requester's matters is refused with `conflict_of_interest`.
///
/// Refused with `advisor_not_in_office`, `already_assigned`.
#[utoipa::path(
    operation_id = "assignAdvisor",
    tag = "tasks",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Task id"), IdempotencyKey),
    request_body = AssignRequest,
    responses((status = 201, description = "The assignment", body = AssignmentView, headers(("Location" = String, description = "The task's URL"))))
)]
#[post("/tasks/{id}/assignments")]
pub async fn assign(
    call: Creating,
    id: web::Path<String>,
    body: ApiJson<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = call.audit();
    let today = call.state.clock.today();
    identifier("advisor_id", &body.advisor_id, ID_MAX)?;
    write_as(&call, &body, async |tx| {
        let t = work_store::task_in_scope(tx, &policy::task_scope(&call.caller), &id)
            .await?
            .ok_or_else(|| ApiError::not_found("task"))?;
        let to = work::task_transition(t.state, WorkAction::Assign)?;
        let a = work_store::advisor_standing(tx, &body.advisor_id)
            .await?
            .ok_or_else(|| ApiError::invalid_field("advisor_id", "no such advisor"))?;
        office::check_advisor_in_office(a.status, a.term_starts_on, a.office_ends_on, today)?;
        let recused =
            work_store::recused_from_requester(tx, t.requester_role, t.requester_org_id.as_deref())
                .await?;
        work::check_no_conflict_of_interest(recused.contains(&a.id))?;
        let assignment_id = store::new_id();
        let new = NewAssignment {
            id: assignment_id.clone(),
            task_id: t.id.clone(),
            advisor_id: a.id.clone(),
            assigned_by: call.caller.sub().to_owned(),
        };
        let event = Event::new(AuditAction::AdvisorAssigned, "assignment", &assignment_id)
            .after(AssignmentState::Active)
            .details(serde_json::json!({ "task_id": t.id, "advisor_id": a.id, "task_state": to }));
        let saved = work_store::insert_assignment(tx, &ctx, new, event)
            .await
            .map_err(ApiError::on_duplicate(|| {
                ApiError::new(
                    ProblemCode::AlreadyAssigned,
                    "this advisor is already on the task",
                )
            }))?;
        if to != t.state {
            let event = Event::new(AuditAction::TaskStateChanged, "task", &t.id);
            work_store::move_task(tx, &ctx, &t.id, t.state, to, None, event).await?;
        }
        Ok(Created::at(
            format!("/api/v1/tasks/{}", t.id),
            AssignmentView::build(saved, a.name),
        ))
    })
    .await
}

/// Report inability to complete a task
///
/// The advisor tells HRSS, before the deadline, that they cannot complete the task (Art. 7.6):
/// the assignment is released and the task needs an advisor again. On or after the deadline
/// the request is refused with `inability_after_deadline`.
#[utoipa::path(
    operation_id = "reportInability",
    tag = "tasks",
    security(("bearer" = ["advisor"])),
    params(("id" = String, Path, description = "Assignment id")),
    request_body = InabilityRequest,
    responses((status = 200, description = "The released assignment", body = AssignmentView))
)]
#[post("/assignments/{id}/inability")]
pub async fn report_inability(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<InabilityRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let today = call.state.clock.today();
    let reason = required_text("reason", &body.reason, 2000)?;
    write_as(&call, &body.0, async |tx| {
        let a = own_assignment(tx, &call.caller, &id).await?;
        acting_advisor(tx, &call.caller, today).await?;
        let t = work_store::task_by_id(tx, &a.task_id)
            .await?
            .ok_or_else(|| ApiError::internal("assignment without task"))?;
        work::check_inability(a.state, t.deadline, today)?;
        let event = Event::new(AuditAction::InabilityReported, "assignment", &a.id)
            .reason(Some(reason.as_str()))
            .details(serde_json::json!({ "task_id": t.id }));
        work_store::release_assignment(tx, &ctx, &a.id, a.state, Some(reason.clone()), event)
            .await?;
        refresh_task_state(tx, &ctx, &t.id).await?;
        let saved = work_store::assignment_by_id(tx, &a.id)
            .await?
            .ok_or_else(|| ApiError::internal("assignment vanished"))?;
        let names = work_store::advisor_names(tx, vec![a.advisor_id.clone()]).await?;
        let name = names.get(&a.advisor_id).cloned().unwrap_or_default();
        Ok(Created::ok(AssignmentView::build(saved, name)))
    })
    .await
}

/// Loads the caller's own assignment (404 for anyone else's).
pub async fn own_assignment(
    tx: &store::Tx,
    caller: &Caller,
    id: &str,
) -> Result<work_store::Assignment, ApiError> {
    let Some(me) = caller.advisor_id() else {
        return Err(ApiError::not_found("assignment"));
    };
    work_store::own_assignment(tx, me, id)
        .await?
        .ok_or_else(|| ApiError::not_found("assignment"))
}
