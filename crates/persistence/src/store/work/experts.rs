//! Temporary experts (Art. 8 ¶3).

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::{
    entity::temporary_expert::{self, Model as TemporaryExpert},
    store::{PageOf, PageRequest, page_of},
};

/// One page of engagements, only those running on `active_on` when given.
pub async fn list_experts<C: ConnectionTrait>(
    db: &C,
    active_on: Option<NaiveDate>,
    page: PageRequest<String>,
) -> Result<PageOf<TemporaryExpert, String>, DbErr> {
    let mut query = temporary_expert::Entity::find();
    if let Some(d) = active_on {
        query = query
            .filter(temporary_expert::Column::StartsOn.lte(d))
            .filter(temporary_expert::Column::EndsOn.gte(d));
    }
    page_of(db, query, temporary_expert::Column::Id, page, |e| {
        e.id.clone()
    })
    .await
}
