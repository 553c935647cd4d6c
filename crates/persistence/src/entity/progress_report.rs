use sea_orm::entity::prelude::*;

/// An advisor's report of progress on an assignment (Art. 7(5)).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "progress_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub assignment_id: String,
    pub task_id: String,
    pub advisor_id: String,
    pub text: String,
    pub reported_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
