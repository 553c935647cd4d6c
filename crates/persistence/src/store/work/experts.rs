//! Temporary experts (Art. 8 ¶3).

use chrono::NaiveDate;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::{
    audit::{Context, truncate_to_micros},
    entity::temporary_expert::{self, Model as TemporaryExpert},
    store::{Event, PageOf, PageRequest, StoreError, append, page_of},
};

/// An engagement to insert.
#[derive(Debug, Clone)]
pub struct NewExpert {
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field_code: Option<String>,
    pub scope: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub engaged_by: String,
}

/// Inserts an engagement with its event.
pub async fn insert_expert<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    new: NewExpert,
    event: Event,
) -> Result<TemporaryExpert, StoreError> {
    let id = new.id.clone();
    temporary_expert::Entity::insert(temporary_expert::ActiveModel {
        id: Set(new.id),
        name: Set(new.name),
        employer: Set(new.employer),
        title: Set(new.title),
        field_code: Set(new.field_code),
        scope: Set(new.scope),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        engaged_by: Set(new.engaged_by),
        created_at: Set(truncate_to_micros(ctx.now)),
    })
    .exec_without_returning(tx)
    .await?;
    append(tx, ctx, event).await?;
    Ok(temporary_expert::Entity::find_by_id(id.clone())
        .one(tx)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("temporary expert {id}")))?)
}

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
