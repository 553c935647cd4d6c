use guwen_domain::{
    role::Role,
    work::{Confidentiality, TaskKind, TaskState},
};
use sea_orm::entity::prelude::*;

/// A work item requested of the advisors (Art. 6, 11).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub kind: TaskKind,
    pub title: String,
    pub description: String,
    pub field_code: String,
    pub requester_role: Role,
    pub requester_org_id: Option<String>,
    pub requester_sub: String,
    pub deadline: Date,
    pub confidentiality: Confidentiality,
    pub major_issue: bool,
    pub requested_expertise: Option<String>,
    /// The organisation the matter concerns besides the requester (Art. 7(2)–(3), 10).
    pub counterpart: Option<String>,
    pub state: TaskState,
    pub version: i32,
    pub closing_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::store::stateful! { TaskState, "task", state = State, version = Version, updated_at = UpdatedAt }
