use sea_orm::entity::prelude::*;

/// A fiscal year's advisor budget with its running sums (Art. 14), in fen.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "budgets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub total_fen: i64,
    pub committed_fen: i64,
    pub paid_fen: i64,
    pub note: Option<String>,
    pub set_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
