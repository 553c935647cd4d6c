//! Tasks (Art. 6, 11): their insert, scoped reads and state moves.

use std::collections::{HashMap, HashSet};

use guwen_domain::{
    Labelled,
    role::Role,
    work::{self, Confidentiality, RecusalState, TaskKind, TaskState},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QuerySelect, QueryTrait,
};

use super::{
    advisors::advisor_names,
    assignments::assignments_of_tasks,
    scope::{TaskScope, TaskSight},
};
use crate::{
    audit::Context,
    entity::{
        assignment::{self, Model as Assignment},
        field, recusal_request,
        task::{self, Model as Task},
    },
    store::{Event, PageOf, PageRequest, StoreError, page_of, update_if_state},
};

/// The SQL condition of a task scope (`None`: every task).
fn task_condition(scope: &TaskScope) -> Option<Condition> {
    let TaskScope::AnyOf(sights) = scope else {
        return None;
    };
    // An empty `any` would match everything: this member makes it match nothing instead.
    let mut any = Condition::any().add(task::Column::Id.eq("-"));
    for sight in sights {
        any = any.add(match sight {
            TaskSight::RequestedByOrg(org) => Condition::all()
                .add(task::Column::RequesterRole.eq(Role::Department))
                .add(task::Column::RequesterOrgId.eq(org.clone())),
            TaskSight::AssignedTo(advisor) => Condition::all().add(
                task::Column::Id.in_subquery(
                    assignment::Entity::find()
                        .select_only()
                        .column(assignment::Column::TaskId)
                        .filter(assignment::Column::AdvisorId.eq(advisor.clone()))
                        .filter(
                            assignment::Column::State.is_in(work::ASSIGNMENT_STATES_SEEING_TASK),
                        )
                        .into_query(),
                ),
            ),
            TaskSight::VisibleToIntegration => Condition::all().add(
                task::Column::Confidentiality.is_in(
                    Confidentiality::all()
                        .iter()
                        .copied()
                        .filter(|c| work::confidentiality_visible_to_integration(*c)),
                ),
            ),
        });
    }
    Some(any)
}

/// One task, if it exists.
pub async fn task_by_id<C: ConnectionTrait>(db: &C, id: &str) -> Result<Option<Task>, DbErr> {
    task::Entity::find_by_id(id.to_owned()).one(db).await
}

/// One task, if it exists and the scope covers it.
pub async fn task_in_scope<C: ConnectionTrait>(
    db: &C,
    scope: &TaskScope,
    id: &str,
) -> Result<Option<Task>, DbErr> {
    let mut query = task::Entity::find_by_id(id.to_owned());
    if let Some(condition) = task_condition(scope) {
        query = query.filter(condition);
    }
    query.one(db).await
}

/// What a task view shows besides the task: its assignments, their advisors' names and the
/// fields of expertise.
#[derive(Debug, Clone, Default)]
pub struct TaskDetails {
    pub assignments: Vec<Assignment>,
    pub advisor_names: HashMap<String, String>,
    pub fields: HashMap<String, field::Model>,
}

/// The assignments of these tasks (by id), their advisors' names and every field.
pub async fn task_details<C: ConnectionTrait>(
    db: &C,
    tasks: &[Task],
) -> Result<TaskDetails, DbErr> {
    let assignments =
        assignments_of_tasks(db, tasks.iter().map(|t| t.id.clone()).collect()).await?;
    let advisor_names = advisor_names(
        db,
        assignments.iter().map(|a| a.advisor_id.clone()).collect(),
    )
    .await?;
    let fields = field::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.code.clone(), f))
        .collect();
    Ok(TaskDetails {
        assignments,
        advisor_names,
        fields,
    })
}

/// Filters of the task list.
#[derive(Debug, Clone, Default)]
pub struct TaskListFilter {
    pub state: Option<TaskState>,
    pub kind: Option<TaskKind>,
    pub field_code: Option<String>,
}

/// One page of the tasks in scope.
pub async fn list_tasks<C: ConnectionTrait>(
    db: &C,
    scope: &TaskScope,
    filter: &TaskListFilter,
    page: PageRequest<String>,
) -> Result<PageOf<Task, String>, DbErr> {
    let mut query = task::Entity::find();
    if let Some(condition) = task_condition(scope) {
        query = query.filter(condition);
    }
    if let Some(s) = filter.state {
        query = query.filter(task::Column::State.eq(s));
    }
    if let Some(k) = filter.kind {
        query = query.filter(task::Column::Kind.eq(k));
    }
    if let Some(f) = &filter.field_code {
        query = query.filter(task::Column::FieldCode.eq(f.clone()));
    }
    page_of(db, query, task::Column::Id, page, |t| t.id.clone()).await
}

/// Moves a task from `from` to `to` (with the closing or cancelling note, if any).
pub async fn move_task<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    from: TaskState,
    to: TaskState,
    note: Option<String>,
    event: Event,
) -> Result<(), StoreError> {
    let mut changes = task::ActiveModel::default();
    if note.is_some() {
        changes.closing_note = Set(note);
    }
    update_if_state::<task::Entity, _>(tx, ctx, id, &[from], to, changes, event).await
}

/// Advisors with a granted recusal on any task of the same requester (Art. 10): the role and,
/// for a department, its organisation.
pub async fn recused_from_requester<C: ConnectionTrait>(
    db: &C,
    role: Role,
    org_id: Option<&str>,
) -> Result<HashSet<String>, DbErr> {
    let mut same_requester = task::Entity::find()
        .select_only()
        .column(task::Column::Id)
        .filter(task::Column::RequesterRole.eq(role));
    same_requester = match org_id {
        Some(org) => same_requester.filter(task::Column::RequesterOrgId.eq(org)),
        None => same_requester.filter(task::Column::RequesterOrgId.is_null()),
    };
    Ok(recusal_request::Entity::find()
        .filter(recusal_request::Column::TaskId.in_subquery(same_requester.into_query()))
        .filter(recusal_request::Column::State.eq(RecusalState::Granted))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.advisor_id)
        .collect())
}
