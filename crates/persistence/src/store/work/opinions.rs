//! Opinions (Art. 8, 9): their insert and scoped reads.

use guwen_domain::{role::Role, work::OpinionChannel};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait,
};

use super::scope::{OpinionScope, OpinionSight};
use crate::{
    entity::{
        opinion::{self, Model as Opinion},
        task,
    },
    store::{PageOf, PageRequest, page_of},
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
