//! Fields of expertise and their lead departments (Art. 4.1).

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder, sea_query::OnConflict};

use super::Field;
use crate::{
    audit::{Context, truncate_to_micros},
    entity::field,
    store::{Event, StoreError, append},
};

/// Every field, by code.
pub async fn fields<C: ConnectionTrait>(db: &C) -> Result<Vec<Field>, DbErr> {
    field::Entity::find()
        .order_by_asc(field::Column::Code)
        .all(db)
        .await
}

/// Every field, keyed by code.
pub async fn fields_by_code<C: ConnectionTrait>(db: &C) -> Result<HashMap<String, Field>, DbErr> {
    Ok(field::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.code.clone(), f))
        .collect())
}

/// The field `code`.
pub async fn field<C: ConnectionTrait>(db: &C, code: &str) -> Result<Option<Field>, DbErr> {
    field::Entity::find_by_id(code.to_owned()).one(db).await
}

/// A field's names and lead department.
#[derive(Debug, Clone)]
pub struct FieldNames {
    pub name_en: String,
    pub name_zh: String,
    pub lead_org_id: String,
}

/// Creates or changes the field `code` with its event; returns it as stored.
pub async fn put_field<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    code: &str,
    names: FieldNames,
    event: Event,
) -> Result<Field, StoreError> {
    let row = Field {
        code: code.to_owned(),
        name_en: names.name_en,
        name_zh: names.name_zh,
        lead_org_id: names.lead_org_id,
        updated_at: truncate_to_micros(ctx.now),
    };
    field::Entity::insert(field::ActiveModel::from(row.clone()))
        .on_conflict(
            OnConflict::column(field::Column::Code)
                .update_columns([
                    field::Column::NameEn,
                    field::Column::NameZh,
                    field::Column::LeadOrgId,
                    field::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(tx)
        .await?;
    append(tx, ctx, event).await?;
    Ok(row)
}
