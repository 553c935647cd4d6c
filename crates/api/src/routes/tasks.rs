//! Tasks (工作事项, Art. 6, 11): requested by the government or a department, matched and
//! assigned by HRSS; an advisor may report inability before the deadline (Art. 7.6) or apply
//! to recuse (Art. 10).

use std::collections::{HashMap, HashSet};

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    role::Role,
    time::to_cst,
    work::{
        self, AssignmentState, Confidentiality, MatchCandidate, RecusalDecision, RecusalState,
        TaskKind, TaskState, Timeliness, WorkAction,
    },
};
use guwen_persistence::{
    audit::{Context, begin_write, truncate_to_micros},
    db::is_unique_violation,
    entity::{advisor, assignment, recusal_request, task},
    sea_orm::{
        ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait,
        QueryFilter, QueryOrder, sea_query::Expr,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::common::{
    FieldRef, Transition, field_ref, fields_by_code, new_id, optional_text, parse_stored, record,
    required_text,
};
use crate::{
    access::Caller,
    error::ApiError,
    extract::ApiJson,
    idempotency::{Created, IdempotencyKey},
    pagination::{Direction, Page, PageParams, page_of},
    state::AppState,
    write::audit_context,
};

/// Parses a confidentiality label; a state-secret marking is refused with its own code,
/// since this system may not hold state secrets (Art. 7.1).
pub fn parse_confidentiality(raw: &str) -> Result<Confidentiality, ApiError> {
    work::check_confidentiality_label(raw).map_err(|v| {
        let mut e = ApiError::new(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            v.code,
            v.message.clone(),
        )
        .with_article(v.article);
        if v.code != "state_secret_not_allowed" {
            e = ApiError::invalid_field("confidentiality", v.message).with_article(v.article);
        }
        e
    })
}

/// Who asked for the task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Requester {
    /// `government` or `department`.
    #[schema(example = "department")]
    pub role: String,
    pub org_id: Option<String>,
}

/// An advisor's assignment to a task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignmentView {
    pub id: String,
    pub task_id: String,
    pub advisor_id: String,
    pub advisor_name: String,
    pub state: AssignmentState,
    pub assigned_at: DateTime<FixedOffset>,
    pub inability_reason: Option<String>,
    pub released_at: Option<DateTime<FixedOffset>>,
    pub opinion_id: Option<String>,
    pub delivered_at: Option<DateTime<FixedOffset>>,
    /// Delivered on or before the deadline, or after it.
    pub timeliness: Option<Timeliness>,
}

/// An action the caller may take now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkActionLink {
    pub action: WorkAction,
    #[schema(example = "Art. 11")]
    pub article: String,
    pub href: String,
}

/// A task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskView {
    pub id: String,
    pub kind: TaskKind,
    pub title: String,
    pub description: String,
    pub field: FieldRef,
    pub requester: Requester,
    /// Last day for delivery (China Standard Time).
    pub deadline: NaiveDate,
    pub confidentiality: Confidentiality,
    /// A major issue: opinions must be written (Art. 9).
    pub major_issue: bool,
    /// Expertise the requester asked for in advance (Art. 11).
    pub requested_expertise: Option<String>,
    pub state: TaskState,
    pub closing_note: Option<String>,
    /// The assignments (an advisor sees only their own).
    pub assignments: Vec<AssignmentView>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    pub allowed_actions: Vec<WorkActionLink>,
}

fn is_requester(caller: &Caller, t: &task::Model) -> bool {
    match t.requester_role.as_str() {
        "government" => caller.has(Role::Government),
        _ => {
            caller.has(Role::Department)
                && caller.org_id().is_some()
                && caller.org_id() == t.requester_org_id.as_deref()
        }
    }
}

/// The assignment states in which an advisor may still see the task.
const VISIBLE_TO_ADVISOR: [AssignmentState; 2] =
    [AssignmentState::Active, AssignmentState::Delivered];

/// Whether the caller may see a task at all (others get 404).
pub fn can_see_task(
    caller: &Caller,
    t: &task::Model,
    own_assignment: Option<&assignment::Model>,
) -> bool {
    if caller.has(Role::Hrss)
        || caller.has(Role::Government)
        || caller.has(Role::Auditor)
        || is_requester(caller, t)
    {
        return true;
    }
    if caller.has(Role::Integration)
        && t.confidentiality
            .parse::<Confidentiality>()
            .is_ok_and(work::confidentiality_visible_to_integration)
    {
        return true;
    }
    caller.has(Role::Advisor)
        && own_assignment.is_some_and(|a| VISIBLE_TO_ADVISOR.iter().any(|s| s.code() == a.state))
}

async fn assignments_of<C: ConnectionTrait>(
    db: &C,
    task_ids: Vec<String>,
) -> Result<Vec<assignment::Model>, ApiError> {
    if task_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(assignment::Entity::find()
        .filter(assignment::Column::TaskId.is_in(task_ids))
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await?)
}

async fn advisor_names<C: ConnectionTrait>(
    db: &C,
    ids: Vec<String>,
) -> Result<HashMap<String, String>, ApiError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(advisor::Entity::find()
        .filter(advisor::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect())
}

fn assignment_view(
    a: &assignment::Model,
    names: &HashMap<String, String>,
) -> Result<AssignmentView, ApiError> {
    Ok(AssignmentView {
        id: a.id.clone(),
        task_id: a.task_id.clone(),
        advisor_id: a.advisor_id.clone(),
        advisor_name: names.get(&a.advisor_id).cloned().unwrap_or_default(),
        state: parse_stored("assignment state", &a.state)?,
        assigned_at: to_cst(a.assigned_at),
        inability_reason: a.inability_reason.clone(),
        released_at: a.released_at.map(to_cst),
        opinion_id: a.opinion_id.clone(),
        delivered_at: a.delivered_at.map(to_cst),
        timeliness: a
            .timeliness
            .as_deref()
            .map(|t| parse_stored("timeliness", t))
            .transpose()?,
    })
}

fn task_actions(
    caller: &Caller,
    t: &task::Model,
    state: TaskState,
    own: Option<&assignment::Model>,
    today: NaiveDate,
) -> Vec<WorkActionLink> {
    let mut out = Vec::new();
    let link = |action: WorkAction, href: String| WorkActionLink {
        action,
        article: work::article_of_work(action).to_owned(),
        href,
    };
    for action in work::task_allowed_from(state) {
        let allowed = match action {
            WorkAction::Assign => caller.has(Role::Hrss),
            WorkAction::Close | WorkAction::Cancel => {
                caller.has(Role::Hrss) || is_requester(caller, t)
            }
            _ => false,
        };
        if allowed {
            let href = match action {
                WorkAction::Assign => format!("/api/v1/tasks/{}/assignments", t.id),
                WorkAction::Close => format!("/api/v1/tasks/{}/closure", t.id),
                _ => format!("/api/v1/tasks/{}/cancellation", t.id),
            };
            out.push(link(*action, href));
        }
    }
    if caller.has(Role::Advisor)
        && let Some(a) = own.filter(|a| a.state == AssignmentState::Active.code())
    {
        out.push(link(WorkAction::Deliver, "/api/v1/opinions".into()));
        if today < t.deadline {
            out.push(link(
                WorkAction::ReportInability,
                format!("/api/v1/assignments/{}/inability", a.id),
            ));
        }
        out.push(link(
            WorkAction::RequestRecusal,
            format!("/api/v1/assignments/{}/recusal-request", a.id),
        ));
    }
    out
}

/// Renders tasks for a caller.
pub async fn task_views<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    rows: &[task::Model],
    today: NaiveDate,
) -> Result<Vec<TaskView>, ApiError> {
    let assignments = assignments_of(db, rows.iter().map(|t| t.id.clone()).collect()).await?;
    let names = advisor_names(
        db,
        assignments.iter().map(|a| a.advisor_id.clone()).collect(),
    )
    .await?;
    let fields = fields_by_code(db).await?;
    let mut views = Vec::with_capacity(rows.len());
    for t in rows {
        let mine: Vec<&assignment::Model> =
            assignments.iter().filter(|a| a.task_id == t.id).collect();
        let own = caller
            .advisor_id()
            .filter(|_| caller.has(Role::Advisor))
            .and_then(|me| mine.iter().copied().find(|a| a.advisor_id == me));
        let staff = caller.has(Role::Hrss)
            || caller.has(Role::Government)
            || caller.has(Role::Auditor)
            || is_requester(caller, t);
        let shown: Vec<AssignmentView> = mine
            .iter()
            .filter(|a| staff || own.is_some_and(|o| o.id == a.id))
            .map(|a| assignment_view(a, &names))
            .collect::<Result<_, _>>()?;
        let state: TaskState = parse_stored("task state", &t.state)?;
        views.push(TaskView {
            id: t.id.clone(),
            kind: parse_stored("task kind", &t.kind)?,
            title: t.title.clone(),
            description: t.description.clone(),
            field: field_ref(&fields, &t.field_code),
            requester: Requester {
                role: t.requester_role.clone(),
                org_id: t.requester_org_id.clone(),
            },
            deadline: t.deadline,
            confidentiality: parse_stored("confidentiality", &t.confidentiality)?,
            major_issue: t.major_issue,
            requested_expertise: t.requested_expertise.clone(),
            state,
            closing_note: t.closing_note.clone(),
            assignments: shown,
            created_at: to_cst(t.created_at),
            updated_at: to_cst(t.updated_at),
            allowed_actions: task_actions(caller, t, state, own, today),
        });
    }
    Ok(views)
}

/// Loads a task the caller may see (404 otherwise).
pub async fn load_task<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: &str,
) -> Result<task::Model, ApiError> {
    let t = task::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("task"))?;
    let own = match caller.advisor_id() {
        Some(me) if caller.has(Role::Advisor) => {
            assignment::Entity::find()
                .filter(assignment::Column::TaskId.eq(t.id.clone()))
                .filter(assignment::Column::AdvisorId.eq(me))
                .one(db)
                .await?
        }
        _ => None,
    };
    if can_see_task(caller, &t, own.as_ref()) {
        Ok(t)
    } else {
        Err(ApiError::not_found("task"))
    }
}

async fn render_one<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: &str,
    today: NaiveDate,
) -> Result<TaskView, ApiError> {
    let t = load_task(db, caller, id).await?;
    task_views(db, caller, std::slice::from_ref(&t), today)
        .await?
        .pop()
        .ok_or_else(|| ApiError::internal("task view vanished"))
}

/// Recomputes and stores a task's state from its assignments (Art. 7.6, 10, 11).
pub async fn refresh_task_state<C: ConnectionTrait>(
    tx: &C,
    task_id: &str,
    ctx: &Context,
) -> Result<(), ApiError> {
    let t = task::Entity::find_by_id(task_id.to_owned())
        .one(tx)
        .await?
        .ok_or_else(|| ApiError::internal("task vanished"))?;
    let current: TaskState = parse_stored("task state", &t.state)?;
    let all = assignments_of(tx, vec![t.id.clone()]).await?;
    let active = all
        .iter()
        .filter(|a| a.state == AssignmentState::Active.code())
        .count();
    let delivered = all
        .iter()
        .filter(|a| a.state == AssignmentState::Delivered.code())
        .count();
    let next = work::task_state_after_assignments(
        current,
        u32::try_from(active).unwrap_or(u32::MAX),
        u32::try_from(delivered).unwrap_or(u32::MAX),
    );
    if next != current {
        set_task_state(tx, &t.id, current, next, None, ctx).await?;
        record(
            tx,
            ctx,
            Transition {
                action: AuditAction::TaskStateChanged,
                object_type: "task",
                object_id: &t.id,
                before: Some(current.code()),
                after: Some(next.code()),
                reason: None,
                details: None,
            },
        )
        .await?;
    }
    Ok(())
}

async fn set_task_state<C: ConnectionTrait>(
    tx: &C,
    id: &str,
    from: TaskState,
    to: TaskState,
    note: Option<String>,
    ctx: &Context,
) -> Result<(), ApiError> {
    let mut changes = task::ActiveModel {
        state: Set(to.code().to_owned()),
        updated_at: Set(truncate_to_micros(ctx.now)),
        ..Default::default()
    };
    if note.is_some() {
        changes.closing_note = Set(note);
    }
    let res = task::Entity::update_many()
        .set(changes)
        .col_expr(
            task::Column::Version,
            Expr::col(task::Column::Version).add(1),
        )
        .filter(task::Column::Id.eq(id))
        .filter(task::Column::State.eq(from.code()))
        .exec(tx)
        .await?;
    if res.rows_affected == 1 {
        Ok(())
    } else {
        Err(ApiError::conflict(
            "invalid_transition",
            format!("the task is no longer `{from}`: another change came first"),
        ))
    }
}

/// Moves an assignment from `from` to `to` only if it is still in `from`.
pub async fn set_assignment_state<C: ConnectionTrait>(
    tx: &C,
    id: &str,
    from: AssignmentState,
    mut changes: assignment::ActiveModel,
    to: AssignmentState,
) -> Result<(), ApiError> {
    changes.state = Set(to.code().to_owned());
    let res = assignment::Entity::update_many()
        .set(changes)
        .col_expr(
            assignment::Column::Version,
            Expr::col(assignment::Column::Version).add(1),
        )
        .filter(assignment::Column::Id.eq(id))
        .filter(assignment::Column::State.eq(from.code()))
        .exec(tx)
        .await?;
    if res.rows_affected == 1 {
        Ok(())
    } else {
        Err(ApiError::conflict(
            "invalid_transition",
            format!("the assignment is no longer `{from}`: another change came first"),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Creating and reading tasks
// ---------------------------------------------------------------------------------------------

/// A new task.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateTaskRequest {
    pub kind: TaskKind,
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "中蒙跨境物流通道建设论证",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub title: String,
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub description: String,
    /// Field code (see `GET /api/v1/fields`).
    #[schema(example = "logistics")]
    pub field: String,
    /// Last day for delivery (China Standard Time), today or later.
    pub deadline: NaiveDate,
    /// `internal`, `work_secret` or `commercial_secret` (Art. 7.1). State secrets are not
    /// allowed in this system: `state_secret` and the like are refused with
    /// `state_secret_not_allowed`.
    #[schema(example = "internal")]
    pub confidentiality: String,
    /// A major issue (重大问题): opinions on it must be written (Art. 9).
    #[serde(default)]
    pub major_issue: bool,
    /// Expertise asked for in advance (Art. 11, 事先商请).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub requested_expertise: Option<String>,
}

/// Requests work of the advisors (Art. 6, 11): the government, or a department for its own
/// organisation.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = ["government", "department"])),
    request_body = CreateTaskRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key", pattern = "^[!-~]{1,200}$")),
    responses((status = 201, description = "The task", body = TaskView, headers(("Location" = String, description = "The task's URL"))))
)]
#[post("/tasks")]
async fn create_task(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: ApiJson<CreateTaskRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let confidentiality = parse_confidentiality(&body.confidentiality)?;
    let title = required_text("title", &body.title, 200)?;
    let description = required_text("description", &body.description, 10000)?;
    let expertise = optional_text(
        "requested_expertise",
        body.requested_expertise.as_deref(),
        2000,
    )?;
    if body.deadline < today {
        return Err(ApiError::invalid_field(
            "deadline",
            "must be today or later (China Standard Time)",
        ));
    }
    let (role, org) = if caller.has(Role::Government) {
        ("government", None)
    } else {
        let org = caller
            .org_id()
            .ok_or_else(|| ApiError::forbidden("a department token needs an org_id claim"))?;
        ("department", Some(org.to_owned()))
    };
    crate::write::write(&state, &req, &caller.idempotency_scope(), &key, &body, async |tx| {
        let field = super::candidates::find_field(tx, &body.field).await?;
        let id = new_id();
        let now = truncate_to_micros(ctx.now);
        task::Entity::insert(task::ActiveModel {
            id: Set(id.clone()),
            kind: Set(body.kind.code().to_owned()),
            title: Set(title.clone()),
            description: Set(description.clone()),
            field_code: Set(field.code.clone()),
            requester_role: Set(role.to_owned()),
            requester_org_id: Set(org.clone()),
            requester_sub: Set(caller.sub().to_owned()),
            deadline: Set(body.deadline),
            confidentiality: Set(confidentiality.code().to_owned()),
            major_issue: Set(body.major_issue),
            requested_expertise: Set(expertise.clone()),
            state: Set(TaskState::Open.code().to_owned()),
            version: Set(1),
            closing_note: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec_without_returning(tx)
        .await?;
        record(
            tx,
            &ctx,
            Transition {
                action: AuditAction::TaskCreated,
                object_type: "task",
                object_id: &id,
                before: None,
                after: Some(TaskState::Open.code()),
                reason: None,
                details: Some(serde_json::json!({ "kind": body.kind.code(), "field": field.code, "deadline": body.deadline, "confidentiality": confidentiality.code() })),
            },
        )
        .await?;
        Ok(Created::at(format!("/api/v1/tasks/{id}"), render_one(tx, &caller, &id, today).await?))
    })
    .await
}

/// Filters of the task list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskFilter {
    pub state: Option<TaskState>,
    pub kind: Option<TaskKind>,
    pub field: Option<String>,
}

/// Tasks the caller may see, newest first: all for hrss, government and auditor; its own
/// requests for a department; those assigned to them for an advisor; `internal` ones only for
/// integration.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = ["hrss", "government", "auditor", "department", "advisor", "integration"])),
    params(TaskFilter, PageParams),
    responses((status = 200, description = "A page of tasks", body = Page<TaskView>))
)]
#[get("/tasks")]
async fn list_tasks(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<TaskFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "tasks";
    let mut query = task::Entity::find();
    if !(caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor)) {
        let mut scope = Condition::any();
        if caller.has(Role::Department)
            && let Some(org) = caller.org_id()
        {
            scope = scope.add(
                Condition::all()
                    .add(task::Column::RequesterRole.eq("department"))
                    .add(task::Column::RequesterOrgId.eq(org)),
            );
        }
        if caller.has(Role::Advisor)
            && let Some(me) = caller.advisor_id()
        {
            let mine: Vec<String> = assignment::Entity::find()
                .filter(assignment::Column::AdvisorId.eq(me))
                .filter(assignment::Column::State.is_in(VISIBLE_TO_ADVISOR.map(|s| s.code())))
                .all(&state.db)
                .await?
                .into_iter()
                .map(|a| a.task_id)
                .collect();
            scope = scope.add(task::Column::Id.is_in(mine));
        }
        if caller.has(Role::Integration) {
            scope = scope.add(task::Column::Confidentiality.eq(Confidentiality::Internal.code()));
        }
        // An empty `any` would match everything: this member makes it match nothing instead.
        scope = scope.add(task::Column::Id.eq("-"));
        query = query.filter(scope);
    }
    if let Some(s) = filter.state {
        query = query.filter(task::Column::State.eq(s.code()));
    }
    if let Some(k) = filter.kind {
        query = query.filter(task::Column::Kind.eq(k.code()));
    }
    if let Some(f) = &filter.field {
        query = query.filter(task::Column::FieldCode.eq(f.clone()));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        task::Column::Id,
        &page,
        KIND,
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let items = task_views(&state.db, &caller, &rows, state.clock.today()).await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// One task.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = ["hrss", "government", "auditor", "department", "advisor", "integration"])),
    params(("id" = String, Path, description = "Task id")),
    responses((status = 200, description = "The task", body = TaskView))
)]
#[get("/tasks/{id}")]
async fn get_task(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(render_one(&state.db, &caller, &id, state.clock.today()).await?))
}

/// A note on closing or cancelling a task.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct TaskNoteRequest {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub note: String,
}

async fn end_task(
    state: &AppState,
    req: &HttpRequest,
    caller: &Caller,
    id: &str,
    note: &str,
    action: WorkAction,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(req, state);
    let today = state.clock.today();
    let note = required_text("note", note, 2000)?;
    let tx = begin_write(&state.db).await?;
    let t = load_task(&tx, caller, id).await?;
    if !(caller.has(Role::Hrss) || is_requester(caller, &t)) {
        return Err(ApiError::forbidden(
            "only HRSS or the requester may close or cancel a task",
        ));
    }
    let from: TaskState = parse_stored("task state", &t.state)?;
    let to = work::task_transition(from, action)?;
    set_task_state(&tx, &t.id, from, to, Some(note.clone()), &ctx).await?;
    {
        // Closing or cancelling releases whoever is still working on it.
        for a in assignments_of(&tx, vec![t.id.clone()]).await? {
            if a.state == AssignmentState::Active.code() {
                let changes = assignment::ActiveModel {
                    released_at: Set(Some(truncate_to_micros(ctx.now))),
                    ..Default::default()
                };
                set_assignment_state(
                    &tx,
                    &a.id,
                    AssignmentState::Active,
                    changes,
                    AssignmentState::Released,
                )
                .await?;
            }
        }
    }
    record(
        &tx,
        &ctx,
        Transition {
            action: if action == WorkAction::Cancel {
                AuditAction::TaskCancelled
            } else {
                AuditAction::TaskClosed
            },
            object_type: "task",
            object_id: &t.id,
            before: Some(from.code()),
            after: Some(to.code()),
            reason: Some(&note),
            details: None,
        },
    )
    .await?;
    let view = render_one(&tx, caller, &t.id, today).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Closes a task (HRSS or the requester), e.g. once its opinions are in.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = ["hrss", "government", "department"])),
    params(("id" = String, Path, description = "Task id")),
    request_body = TaskNoteRequest,
    responses((status = 200, description = "The closed task", body = TaskView))
)]
#[post("/tasks/{id}/closure")]
async fn close_task(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<TaskNoteRequest>,
) -> Result<HttpResponse, ApiError> {
    end_task(&state, &req, &caller, &id, &body.note, WorkAction::Close).await
}

/// Cancels a task that is not delivered (HRSS or the requester); active assignments are released.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = ["hrss", "government", "department"])),
    params(("id" = String, Path, description = "Task id")),
    request_body = TaskNoteRequest,
    responses((status = 200, description = "The cancelled task", body = TaskView))
)]
#[post("/tasks/{id}/cancellation")]
async fn cancel_task(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<TaskNoteRequest>,
) -> Result<HttpResponse, ApiError> {
    end_task(&state, &req, &caller, &id, &body.note, WorkAction::Cancel).await
}

// ---------------------------------------------------------------------------------------------
// Matching and assignment (Art. 11)
// ---------------------------------------------------------------------------------------------

/// An advisor ranked for a task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchView {
    pub rank: u32,
    pub advisor_id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field: FieldRef,
    pub field_match: bool,
    /// Assignments still open for this advisor.
    pub open_assignments: u32,
    /// Why the advisor ranks here.
    pub reasons: Vec<String>,
}

/// The ranked matches of a task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchList {
    pub task_id: String,
    pub items: Vec<MatchView>,
}

/// Advisors in office ranked for a task: field match first, then the lightest open workload;
/// those already on the task or recused from the same requester's matters are left out (Art. 10, 11).
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Task id")),
    responses((status = 200, description = "Ranked advisors", body = MatchList))
)]
#[get("/tasks/{id}/matching-advisors")]
async fn matching_advisors(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let today = state.clock.today();
    let t = load_task(&state.db, &caller, &id).await?;
    let advisors = advisor::Entity::find()
        .filter(super::advisors::in_office_on(today))
        .all(&state.db)
        .await?;
    let open: Vec<assignment::Model> = assignment::Entity::find()
        .filter(assignment::Column::State.eq(AssignmentState::Active.code()))
        .all(&state.db)
        .await?;
    let on_task: HashSet<String> = assignments_of(&state.db, vec![t.id.clone()])
        .await?
        .into_iter()
        .map(|a| a.advisor_id)
        .collect();
    let recused = recused_from_requester(&state.db, &t).await?;
    let candidates: Vec<MatchCandidate> = advisors
        .iter()
        .filter(|a| !on_task.contains(&a.id))
        .map(|a| MatchCandidate {
            advisor_id: a.id.clone(),
            field_code: a.field_code.clone(),
            open_assignments: u32::try_from(open.iter().filter(|o| o.advisor_id == a.id).count())
                .unwrap_or(u32::MAX),
            recused_from_requester: recused.contains(&a.id),
            active: true,
        })
        .collect();
    let by_id: HashMap<&str, &advisor::Model> =
        advisors.iter().map(|a| (a.id.as_str(), a)).collect();
    let fields = fields_by_code(&state.db).await?;
    let items = work::rank_advisors(&t.field_code, &candidates)
        .into_iter()
        .filter_map(|r| {
            by_id.get(r.advisor_id.as_str()).map(|a| MatchView {
                rank: r.rank,
                advisor_id: r.advisor_id.clone(),
                name: a.name.clone(),
                employer: a.employer.clone(),
                title: a.title.clone(),
                field: field_ref(&fields, &a.field_code),
                field_match: r.field_match,
                open_assignments: r.open_assignments,
                reasons: r.reasons,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(MatchList {
        task_id: t.id,
        items,
    }))
}

/// Advisors with a granted recusal on any task of the same requester (Art. 10).
async fn recused_from_requester<C: ConnectionTrait>(
    db: &C,
    t: &task::Model,
) -> Result<HashSet<String>, ApiError> {
    let mut same_requester =
        task::Entity::find().filter(task::Column::RequesterRole.eq(t.requester_role.clone()));
    same_requester = match &t.requester_org_id {
        Some(org) => same_requester.filter(task::Column::RequesterOrgId.eq(org.clone())),
        None => same_requester.filter(task::Column::RequesterOrgId.is_null()),
    };
    let task_ids: Vec<String> = same_requester
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    if task_ids.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(recusal_request::Entity::find()
        .filter(recusal_request::Column::TaskId.is_in(task_ids))
        .filter(recusal_request::Column::State.eq(RecusalState::Granted.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.advisor_id)
        .collect())
}

/// Whom to assign.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AssignRequest {
    #[validate(length(min = 1, max = 36))]
    #[schema(min_length = 1, max_length = 36, pattern = r"\S")]
    pub advisor_id: String,
}

/// Assigns an advisor in office to the task (Art. 11). An advisor recused from the same
/// requester's matters is refused with `conflict_of_interest`.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Task id"), ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key", pattern = "^[!-~]{1,200}$")),
    request_body = AssignRequest,
    responses((status = 201, description = "The assignment", body = AssignmentView, headers(("Location" = String, description = "The task's URL"))))
)]
#[post("/tasks/{id}/assignments")]
async fn assign(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: ApiJson<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let task_id = id.into_inner();
    crate::write::write(&state, &req, &caller.idempotency_scope(), &key, &body, async |tx| {
        let t = load_task(tx, &caller, &task_id).await?;
        let from: TaskState = parse_stored("task state", &t.state)?;
        let to = work::task_transition(from, WorkAction::Assign)?;
        let a = advisor::Entity::find_by_id(body.advisor_id.clone())
            .one(tx)
            .await?
            .ok_or_else(|| ApiError::invalid_field("advisor_id", "no such advisor"))?;
        let status = super::advisors::status_on(&a, today)?;
        if !guwen_domain::office::is_in_office(status) || a.term_starts_on > today {
            return Err(ApiError::conflict("advisor_not_in_office", "only an advisor in office can be assigned").with_article("Art. 11"));
        }
        if recused_from_requester(tx, &t).await?.contains(&a.id) {
            return Err(ApiError::conflict(
                "conflict_of_interest",
                "the advisor is recused from this requester's matters",
            )
            .with_article("Art. 10"));
        }
        let assignment_id = new_id();
        let inserted = assignment::Entity::insert(assignment::ActiveModel {
            id: Set(assignment_id.clone()),
            task_id: Set(t.id.clone()),
            advisor_id: Set(a.id.clone()),
            state: Set(AssignmentState::Active.code().to_owned()),
            version: Set(1),
            assigned_by: Set(caller.sub().to_owned()),
            assigned_at: Set(truncate_to_micros(ctx.now)),
            inability_reason: Set(None),
            released_at: Set(None),
            opinion_id: Set(None),
            delivered_at: Set(None),
            timeliness: Set(None),
        })
        .exec_without_returning(tx)
        .await;
        if let Err(e) = inserted {
            return Err(if is_unique_violation(&e) {
                ApiError::conflict("already_assigned", "this advisor is already on the task")
            } else {
                e.into()
            });
        }
        if to != from {
            set_task_state(tx, &t.id, from, to, None, &ctx).await?;
        }
        record(
            tx,
            &ctx,
            Transition {
                action: AuditAction::AdvisorAssigned,
                object_type: "assignment",
                object_id: &assignment_id,
                before: None,
                after: Some(AssignmentState::Active.code()),
                reason: None,
                details: Some(serde_json::json!({ "task_id": t.id, "advisor_id": a.id, "task_state": to.code() })),
            },
        )
        .await?;
        let saved = assignment::Entity::find_by_id(assignment_id.clone())
            .one(tx)
            .await?
            .ok_or_else(|| ApiError::internal("assignment vanished"))?;
        let names = HashMap::from([(a.id.clone(), a.name.clone())]);
        Ok(Created::at(format!("/api/v1/tasks/{}", t.id), assignment_view(&saved, &names)?))
    })
    .await
}

/// Loads the caller's own assignment (404 for anyone else's).
async fn own_assignment<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: &str,
) -> Result<assignment::Model, ApiError> {
    assignment::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .filter(|a| caller.advisor_id() == Some(a.advisor_id.as_str()))
        .ok_or_else(|| ApiError::not_found("assignment"))
}

/// Why the advisor cannot complete the task.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct InabilityRequest {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
}

/// The advisor tells HRSS, before the deadline, that they cannot complete the task (Art. 7.6):
/// the assignment is released and the task needs an advisor again. On or after the deadline
/// the request is refused with `inability_after_deadline`.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = ["advisor"])),
    params(("id" = String, Path, description = "Assignment id")),
    request_body = InabilityRequest,
    responses((status = 200, description = "The released assignment", body = AssignmentView))
)]
#[post("/assignments/{id}/inability")]
async fn report_inability(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<InabilityRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let reason = required_text("reason", &body.reason, 2000)?;
    let tx = begin_write(&state.db).await?;
    let a = own_assignment(&tx, &caller, &id).await?;
    let t = task::Entity::find_by_id(a.task_id.clone())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("assignment without task"))?;
    let current: AssignmentState = parse_stored("assignment state", &a.state)?;
    work::check_inability(current, t.deadline, today)?;
    let changes = assignment::ActiveModel {
        inability_reason: Set(Some(reason.clone())),
        released_at: Set(Some(truncate_to_micros(ctx.now))),
        ..Default::default()
    };
    set_assignment_state(&tx, &a.id, current, changes, AssignmentState::Released).await?;
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::InabilityReported,
            object_type: "assignment",
            object_id: &a.id,
            before: Some(current.code()),
            after: Some(AssignmentState::Released.code()),
            reason: Some(&reason),
            details: Some(serde_json::json!({ "task_id": t.id })),
        },
    )
    .await?;
    refresh_task_state(&tx, &t.id, &ctx).await?;
    let saved = assignment::Entity::find_by_id(a.id.clone())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("assignment vanished"))?;
    let names = advisor_names(&tx, vec![a.advisor_id.clone()]).await?;
    let view = assignment_view(&saved, &names)?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view))
}

/// A recusal request as HRSS and the advisor see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecusalView {
    pub id: String,
    pub assignment_id: String,
    pub task_id: String,
    pub advisor_id: String,
    /// The conflict of interest the advisor declares.
    pub conflict: String,
    pub state: RecusalState,
    pub requested_at: DateTime<FixedOffset>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
}

fn recusal_view(r: recusal_request::Model) -> Result<RecusalView, ApiError> {
    Ok(RecusalView {
        state: parse_stored("recusal state", &r.state)?,
        id: r.id,
        assignment_id: r.assignment_id,
        task_id: r.task_id,
        advisor_id: r.advisor_id,
        conflict: r.conflict,
        requested_at: to_cst(r.requested_at),
        decided_by: r.decided_by,
        decided_at: r.decided_at.map(to_cst),
        decision_reason: r.decision_reason,
    })
}

/// The conflict of interest.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct RecusalRequestBody {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub conflict: String,
}

/// The advisor applies to recuse from a task because of a conflict of interest (Art. 10); HRSS decides.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = ["advisor"])),
    params(("id" = String, Path, description = "Assignment id")),
    request_body = RecusalRequestBody,
    responses((status = 201, description = "The pending request", body = RecusalView))
)]
#[post("/assignments/{id}/recusal-request")]
async fn request_recusal(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<RecusalRequestBody>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let conflict = required_text("conflict", &body.conflict, 2000)?;
    let tx = begin_write(&state.db).await?;
    let a = own_assignment(&tx, &caller, &id).await?;
    let pending = recusal_request::Entity::find()
        .filter(recusal_request::Column::AssignmentId.eq(a.id.clone()))
        .filter(recusal_request::Column::State.eq(RecusalState::Pending.code()))
        .one(&tx)
        .await?
        .is_some();
    work::check_recusal_request(parse_stored("assignment state", &a.state)?, pending)?;
    let rid = new_id();
    recusal_request::Entity::insert(recusal_request::ActiveModel {
        id: Set(rid.clone()),
        assignment_id: Set(a.id.clone()),
        task_id: Set(a.task_id.clone()),
        advisor_id: Set(a.advisor_id.clone()),
        conflict: Set(conflict.clone()),
        state: Set(RecusalState::Pending.code().to_owned()),
        requested_at: Set(truncate_to_micros(ctx.now)),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_reason: Set(None),
    })
    .exec_without_returning(&tx)
    .await?;
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::RecusalRequested,
            object_type: "recusal_request",
            object_id: &rid,
            before: None,
            after: Some(RecusalState::Pending.code()),
            reason: Some(&conflict),
            details: Some(serde_json::json!({ "assignment_id": a.id, "task_id": a.task_id })),
        },
    )
    .await?;
    let saved = recusal_request::Entity::find_by_id(rid.clone())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("recusal vanished"))?;
    tx.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/recusal-requests/{rid}"),
        ))
        .json(recusal_view(saved)?))
}

/// Filters of recusal requests.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecusalFilter {
    pub state: Option<RecusalState>,
    pub task_id: Option<String>,
}

/// Recusal requests, newest first.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = ["hrss", "auditor"])),
    params(RecusalFilter, PageParams),
    responses((status = 200, description = "A page of recusal requests", body = Page<RecusalView>))
)]
#[get("/recusal-requests")]
async fn list_recusals(
    state: web::Data<AppState>,
    filter: web::Query<RecusalFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "recusals";
    let mut query = recusal_request::Entity::find();
    if let Some(s) = filter.state {
        query = query.filter(recusal_request::Column::State.eq(s.code()));
    }
    if let Some(t) = &filter.task_id {
        query = query.filter(recusal_request::Column::TaskId.eq(t.clone()));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        recusal_request::Column::Id,
        &page,
        KIND,
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let items = rows
        .into_iter()
        .map(recusal_view)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// HRSS's decision on a recusal request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct RecusalDecisionRequest {
    pub decision: RecusalDecision,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
}

/// Decides a recusal request (Art. 10): granted — the advisor leaves the task, can no longer
/// see or deliver on it, and the task needs an advisor again; refused — the assignment stands.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Recusal request id")),
    request_body = RecusalDecisionRequest,
    responses((status = 200, description = "The decided request", body = RecusalView))
)]
#[post("/recusal-requests/{id}/decision")]
async fn decide_recusal(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<RecusalDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let reason = required_text("reason", &body.reason, 2000)?;
    let tx = begin_write(&state.db).await?;
    let r = recusal_request::Entity::find_by_id(id.into_inner())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::not_found("recusal request"))?;
    let current: RecusalState = parse_stored("recusal state", &r.state)?;
    let next = work::decide_recusal(current, body.decision)?;
    let res = recusal_request::Entity::update_many()
        .set(recusal_request::ActiveModel {
            state: Set(next.code().to_owned()),
            decided_by: Set(Some(caller.sub().to_owned())),
            decided_at: Set(Some(truncate_to_micros(ctx.now))),
            decision_reason: Set(Some(reason.clone())),
            ..Default::default()
        })
        .filter(recusal_request::Column::Id.eq(r.id.clone()))
        .filter(recusal_request::Column::State.eq(current.code()))
        .exec(&tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::conflict(
            "invalid_transition",
            "the request was decided by another request",
        )
        .with_article("Art. 10"));
    }
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::RecusalDecided,
            object_type: "recusal_request",
            object_id: &r.id,
            before: Some(current.code()),
            after: Some(next.code()),
            reason: Some(&reason),
            details: Some(
                serde_json::json!({ "assignment_id": r.assignment_id, "task_id": r.task_id }),
            ),
        },
    )
    .await?;
    if next == RecusalState::Granted {
        let a = assignment::Entity::find_by_id(r.assignment_id.clone())
            .one(&tx)
            .await?
            .ok_or_else(|| ApiError::internal("recusal without assignment"))?;
        let from: AssignmentState = parse_stored("assignment state", &a.state)?;
        if from == AssignmentState::Active {
            let changes = assignment::ActiveModel {
                released_at: Set(Some(truncate_to_micros(ctx.now))),
                ..Default::default()
            };
            set_assignment_state(&tx, &a.id, from, changes, AssignmentState::Recused).await?;
            refresh_task_state(&tx, &a.task_id, &ctx).await?;
        }
    }
    let saved = recusal_request::Entity::find_by_id(r.id.clone())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("recusal vanished"))?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(recusal_view(saved)?))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_task)
        .service(list_tasks)
        .service(get_task)
        .service(close_task)
        .service(cancel_task)
        .service(matching_advisors)
        .service(assign)
        .service(report_inability)
        .service(request_recusal)
        .service(list_recusals)
        .service(decide_recusal);
}
