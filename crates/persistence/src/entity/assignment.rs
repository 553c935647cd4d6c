use guwen_domain::work::{AssignmentState, Timeliness};
use sea_orm::entity::prelude::*;

/// An advisor assigned to a task by HRSS (Art. 11).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assignments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub task_id: String,
    pub advisor_id: String,
    pub state: AssignmentState,
    pub version: i32,
    pub assigned_by: String,
    pub assigned_at: DateTimeUtc,
    pub inability_reason: Option<String>,
    pub released_at: Option<DateTimeUtc>,
    pub opinion_id: Option<String>,
    pub delivered_at: Option<DateTimeUtc>,
    pub timeliness: Option<Timeliness>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::store::stateful! { AssignmentState, "assignment", state = State, version = Version }
