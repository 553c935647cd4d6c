use guwen_domain::funds::ExpenseCategory;
use sea_orm::entity::prelude::*;

/// The sub-budget of a strictly controlled category in a year (Art. 14), in fen.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sub_budgets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub category: ExpenseCategory,
    pub limit_fen: i64,
    pub committed_fen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
