use guwen_domain::work::RecusalState;
use sea_orm::entity::prelude::*;

/// An advisor's application to recuse from a task (Art. 10).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recusal_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub assignment_id: String,
    pub task_id: String,
    pub advisor_id: String,
    pub conflict: String,
    pub state: RecusalState,
    pub requested_at: DateTimeUtc,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::store::stateful! { RecusalState, "recusal_request", state = State }
