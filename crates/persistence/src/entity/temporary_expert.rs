use sea_orm::entity::prelude::*;

/// A non-advisor expert engaged by the government for one matter (Art. 8).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "temporary_experts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field_code: Option<String>,
    pub scope: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub engaged_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
