//! Opinions (Art. 8, 9): their insert and scoped reads.

use guwen_domain::{
    role::Role,
    work::{Confidentiality, OpinionChannel, Timeliness},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QuerySelect, QueryTrait,
};

use super::scope::{OpinionScope, OpinionSight};
use crate::{
    audit::{Context, truncate_to_micros},
    entity::{
        opinion::{self, Model as Opinion},
        task,
    },
    store::{Event, PageOf, PageRequest, StoreError, append, page_of},
};

/// The SQL condition of an opinion scope (`None`: every opinion).
fn opinion_condition(scope: &OpinionScope) -> Option<Condition> {
    let OpinionScope::AnyOf(sights) = scope else {
        return None;
    };
    // An empty `any` would match everything: this member makes it match nothing instead.
    let mut any = Condition::any().add(opinion::Column::Id.eq("-"));
    for sight in sights {
        any = any.add(match sight {
            OpinionSight::ByAdvisor(advisor) => opinion::Column::AdvisorId.eq(advisor.clone()),
            OpinionSight::OnTasksOfOrg(org) => opinion::Column::TaskId.in_subquery(
                task::Entity::find()
                    .select_only()
                    .column(task::Column::Id)
                    .filter(task::Column::RequesterRole.eq(Role::Department))
                    .filter(task::Column::RequesterOrgId.eq(org.clone()))
                    .into_query(),
            ),
        });
    }
    Some(any)
}

/// One opinion, if it exists and the scope covers it.
pub async fn opinion_in_scope<C: ConnectionTrait>(
    db: &C,
    scope: &OpinionScope,
    id: &str,
) -> Result<Option<Opinion>, DbErr> {
    let mut query = opinion::Entity::find_by_id(id.to_owned());
    if let Some(condition) = opinion_condition(scope) {
        query = query.filter(condition);
    }
    query.one(db).await
}

/// Filters of the opinion list.
#[derive(Debug, Clone, Default)]
pub struct OpinionListFilter {
    pub advisor_id: Option<String>,
    pub task_id: Option<String>,
    pub channel: Option<OpinionChannel>,
}

/// One page of the opinions in scope.
pub async fn list_opinions<C: ConnectionTrait>(
    db: &C,
    scope: &OpinionScope,
    filter: &OpinionListFilter,
    page: PageRequest<String>,
) -> Result<PageOf<Opinion, String>, DbErr> {
    let mut query = opinion::Entity::find();
    if let Some(condition) = opinion_condition(scope) {
        query = query.filter(condition);
    }
    if let Some(a) = &filter.advisor_id {
        query = query.filter(opinion::Column::AdvisorId.eq(a.clone()));
    }
    if let Some(t) = &filter.task_id {
        query = query.filter(opinion::Column::TaskId.eq(t.clone()));
    }
    if let Some(c) = filter.channel {
        query = query.filter(opinion::Column::Channel.eq(c));
    }
    page_of(db, query, opinion::Column::Id, page, |o| o.id.clone()).await
}

/// An opinion to insert; `task_id`, `assignment_id` and `timeliness` are set for a delivery.
#[derive(Debug, Clone)]
pub struct NewOpinion {
    pub id: String,
    pub advisor_id: String,
    pub task_id: Option<String>,
    pub assignment_id: Option<String>,
    pub channel: OpinionChannel,
    pub major_issue: bool,
    pub subject: String,
    pub content: String,
    pub confidentiality: Confidentiality,
    pub timeliness: Option<Timeliness>,
}

/// Inserts an opinion with its event.
pub async fn insert_opinion<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    new: NewOpinion,
    event: Event,
) -> Result<Opinion, StoreError> {
    let id = new.id.clone();
    opinion::Entity::insert(opinion::ActiveModel {
        id: Set(new.id),
        advisor_id: Set(new.advisor_id),
        task_id: Set(new.task_id),
        assignment_id: Set(new.assignment_id),
        channel: Set(new.channel),
        major_issue: Set(new.major_issue),
        subject: Set(new.subject),
        content: Set(new.content),
        confidentiality: Set(new.confidentiality),
        timeliness: Set(new.timeliness),
        submitted_at: Set(truncate_to_micros(ctx.now)),
    })
    .exec_without_returning(tx)
    .await?;
    append(tx, ctx, event).await?;
    Ok(opinion::Entity::find_by_id(id.clone())
        .one(tx)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("opinion {id}")))?)
}
