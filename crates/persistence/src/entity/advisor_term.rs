use sea_orm::entity::prelude::*;

/// One term of an advisor (Art. 3); every term stays in the history.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advisor_terms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub advisor_id: String,
    pub number: i32,
    pub starts_on: Date,
    pub ends_on: Date,
    pub years: i32,
    pub agreement_ref: String,
    #[sea_orm(unique)]
    pub certificate_no: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
