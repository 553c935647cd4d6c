//! Assignments of advisors to tasks (Art. 7.5, 7.6, 11) and recusal requests (Art. 10).

use std::collections::HashMap;

use guwen_domain::work::{AssignmentState, RecusalState, Timeliness};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use crate::{
    audit::{Context, truncate_to_micros},
    entity::{
        assignment::{self, Model as Assignment},
        recusal_request::{self, Model as RecusalRequest},
    },
    store::{Event, PageOf, PageRequest, StoreError, append, page_of, update_if_state},
};

/// One assignment, if it exists.
pub async fn assignment_by_id<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<Assignment>, DbErr> {
    assignment::Entity::find_by_id(id.to_owned()).one(db).await
}

/// One assignment of this advisor (another advisor's is not found).
pub async fn own_assignment<C: ConnectionTrait>(
    db: &C,
    advisor_id: &str,
    id: &str,
) -> Result<Option<Assignment>, DbErr> {
    assignment::Entity::find_by_id(id.to_owned())
        .filter(assignment::Column::AdvisorId.eq(advisor_id))
        .one(db)
        .await
}

/// Every assignment of these tasks, by id.
pub async fn assignments_of_tasks<C: ConnectionTrait>(
    db: &C,
    task_ids: Vec<String>,
) -> Result<Vec<Assignment>, DbErr> {
    if task_ids.is_empty() {
        return Ok(Vec::new());
    }
    assignment::Entity::find()
        .filter(assignment::Column::TaskId.is_in(task_ids))
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await
}

/// How many of a task's assignments are still active, and how many are delivered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AssignmentCounts {
    pub active: u32,
    pub delivered: u32,
}

/// The counts of a task's active and delivered assignments.
pub async fn assignment_counts<C: ConnectionTrait>(
    db: &C,
    task_id: &str,
) -> Result<AssignmentCounts, DbErr> {
    let mut counts = AssignmentCounts::default();
    for a in assignments_of_tasks(db, vec![task_id.to_owned()]).await? {
        match a.state {
            AssignmentState::Active => counts.active = counts.active.saturating_add(1),
            AssignmentState::Delivered => counts.delivered = counts.delivered.saturating_add(1),
            AssignmentState::Released | AssignmentState::Recused => {}
        }
    }
    Ok(counts)
}

/// Every advisor's number of active assignments (advisors without any are absent).
pub async fn open_assignments_by_advisor<C: ConnectionTrait>(
    db: &C,
) -> Result<HashMap<String, u32>, DbErr> {
    let mut open: HashMap<String, u32> = HashMap::new();
    for a in assignment::Entity::find()
        .filter(assignment::Column::State.eq(AssignmentState::Active))
        .all(db)
        .await?
    {
        let n = open.entry(a.advisor_id).or_default();
        *n = n.saturating_add(1);
    }
    Ok(open)
}

/// An assignment to insert, `active`.
#[derive(Debug, Clone)]
pub struct NewAssignment {
    pub id: String,
    pub task_id: String,
    pub advisor_id: String,
    pub assigned_by: String,
}

/// Inserts an `active` assignment with its event; a second assignment of the same advisor to
/// the same task is [`StoreError::Duplicate`].
pub async fn insert_assignment<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    new: NewAssignment,
    event: Event,
) -> Result<Assignment, StoreError> {
    let id = new.id.clone();
    assignment::Entity::insert(assignment::ActiveModel {
        id: Set(new.id),
        task_id: Set(new.task_id),
        advisor_id: Set(new.advisor_id),
        state: Set(AssignmentState::Active),
        version: Set(1),
        assigned_by: Set(new.assigned_by),
        assigned_at: Set(truncate_to_micros(ctx.now)),
        inability_reason: Set(None),
        released_at: Set(None),
        opinion_id: Set(None),
        delivered_at: Set(None),
        timeliness: Set(None),
    })
    .exec_without_returning(tx)
    .await?;
    append(tx, ctx, event).await?;
    Ok(assignment_by_id(tx, &id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("assignment {id}")))?)
}

/// Releases an assignment (Art. 7.6 inability, or the end of its task), with the advisor's
/// reason when they gave one.
pub async fn release_assignment<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    from: AssignmentState,
    inability_reason: Option<String>,
    event: Event,
) -> Result<(), StoreError> {
    let mut changes = assignment::ActiveModel {
        released_at: Set(Some(truncate_to_micros(ctx.now))),
        ..Default::default()
    };
    if inability_reason.is_some() {
        changes.inability_reason = Set(inability_reason);
    }
    update_if_state::<assignment::Entity, _>(
        tx,
        ctx,
        id,
        &[from],
        AssignmentState::Released,
        changes,
        event,
    )
    .await
}

/// The active assignments of one advisor: what leaving office releases (Art. 12, 13).
pub async fn active_assignments_of<C: ConnectionTrait>(
    db: &C,
    advisor_id: &str,
) -> Result<Vec<Assignment>, DbErr> {
    assignment::Entity::find()
        .filter(assignment::Column::AdvisorId.eq(advisor_id))
        .filter(assignment::Column::State.eq(AssignmentState::Active))
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await
}

/// Takes an active advisor off the task after a granted recusal (Art. 10).
pub async fn recuse_assignment<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    event: Event,
) -> Result<(), StoreError> {
    let changes = assignment::ActiveModel {
        released_at: Set(Some(truncate_to_micros(ctx.now))),
        ..Default::default()
    };
    update_if_state::<assignment::Entity, _>(
        tx,
        ctx,
        id,
        &[AssignmentState::Active],
        AssignmentState::Recused,
        changes,
        event,
    )
    .await
}

/// Marks an assignment delivered by an opinion, on time or overdue (Art. 7.5).
pub async fn deliver_assignment<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    from: AssignmentState,
    opinion_id: &str,
    timeliness: Timeliness,
    event: Event,
) -> Result<(), StoreError> {
    let changes = assignment::ActiveModel {
        opinion_id: Set(Some(opinion_id.to_owned())),
        delivered_at: Set(Some(truncate_to_micros(ctx.now))),
        timeliness: Set(Some(timeliness)),
        ..Default::default()
    };
    update_if_state::<assignment::Entity, _>(
        tx,
        ctx,
        id,
        &[from],
        AssignmentState::Delivered,
        changes,
        event,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Recusal requests (Art. 10)
// ---------------------------------------------------------------------------------------------

/// One recusal request, if it exists.
pub async fn recusal_by_id<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<RecusalRequest>, DbErr> {
    recusal_request::Entity::find_by_id(id.to_owned())
        .one(db)
        .await
}

/// Whether a request on this assignment awaits HRSS's decision.
pub async fn recusal_pending<C: ConnectionTrait>(
    db: &C,
    assignment_id: &str,
) -> Result<bool, DbErr> {
    Ok(recusal_request::Entity::find()
        .filter(recusal_request::Column::AssignmentId.eq(assignment_id))
        .filter(recusal_request::Column::State.eq(RecusalState::Pending))
        .one(db)
        .await?
        .is_some())
}

/// A recusal request to insert, `pending`.
#[derive(Debug, Clone)]
pub struct NewRecusal {
    pub id: String,
    pub assignment_id: String,
    pub task_id: String,
    pub advisor_id: String,
    pub conflict: String,
}

/// Inserts a `pending` recusal request with its event.
pub async fn insert_recusal<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    new: NewRecusal,
    event: Event,
) -> Result<RecusalRequest, StoreError> {
    let id = new.id.clone();
    recusal_request::Entity::insert(recusal_request::ActiveModel {
        id: Set(new.id),
        assignment_id: Set(new.assignment_id),
        task_id: Set(new.task_id),
        advisor_id: Set(new.advisor_id),
        conflict: Set(new.conflict),
        state: Set(RecusalState::Pending),
        requested_at: Set(truncate_to_micros(ctx.now)),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_reason: Set(None),
    })
    .exec_without_returning(tx)
    .await?;
    append(tx, ctx, event).await?;
    Ok(recusal_by_id(tx, &id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("recusal request {id}")))?)
}

/// Filters of the recusal list.
#[derive(Debug, Clone, Default)]
pub struct RecusalListFilter {
    pub state: Option<RecusalState>,
    pub task_id: Option<String>,
}

/// One page of recusal requests.
pub async fn list_recusals<C: ConnectionTrait>(
    db: &C,
    filter: &RecusalListFilter,
    page: PageRequest<String>,
) -> Result<PageOf<RecusalRequest, String>, DbErr> {
    let mut query = recusal_request::Entity::find();
    if let Some(s) = filter.state {
        query = query.filter(recusal_request::Column::State.eq(s));
    }
    if let Some(t) = &filter.task_id {
        query = query.filter(recusal_request::Column::TaskId.eq(t.clone()));
    }
    page_of(db, query, recusal_request::Column::Id, page, |r| {
        r.id.clone()
    })
    .await
}

/// Records HRSS's decision on a request still `pending`.
pub async fn decide_recusal<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    to: RecusalState,
    decided_by: &str,
    reason: &str,
    event: Event,
) -> Result<(), StoreError> {
    let changes = recusal_request::ActiveModel {
        decided_by: Set(Some(decided_by.to_owned())),
        decided_at: Set(Some(truncate_to_micros(ctx.now))),
        decision_reason: Set(Some(reason.to_owned())),
        ..Default::default()
    };
    update_if_state::<recusal_request::Entity, _>(
        tx,
        ctx,
        id,
        &[RecusalState::Pending],
        to,
        changes,
        event,
    )
    .await
}
