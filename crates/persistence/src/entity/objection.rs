use guwen_domain::appointment::ObjectionStatus;
use sea_orm::entity::prelude::*;

/// An objection filed by the public during a notice (Art. 4.5).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "objections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub notice_id: String,
    pub candidate_id: String,
    pub status: ObjectionStatus,
    pub content: String,
    pub contact_name: Option<String>,
    pub contact: Option<String>,
    pub filed_at: DateTimeUtc,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<DateTimeUtc>,
    pub resolution_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::store::stateful! { ObjectionStatus, "objection", state = Status }
