use guwen_domain::work::Attendance;
use sea_orm::entity::prelude::*;

/// An advisor invited to a meeting, and their attendance (Art. 8).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_invitations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub meeting_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub advisor_id: String,
    pub attendance: Option<Attendance>,
    pub excuse_reason: Option<String>,
    pub recorded_at: Option<DateTimeUtc>,
    /// When the invitation was withdrawn because the advisor left office (Art. 12, 13).
    pub withdrawn_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
