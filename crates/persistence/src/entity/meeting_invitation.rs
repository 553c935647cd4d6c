use guwen_domain::{
    participation::{ExcuseStatus, InvitationResponse},
    work::Attendance,
};
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
    /// The advisor's answer (Art. 8).
    pub response: Option<InvitationResponse>,
    pub response_reason: Option<String>,
    pub responded_at: Option<DateTimeUtc>,
    /// A declined government meeting is an excuse request HRSS decides (Art. 8 ¶1).
    pub excuse_status: Option<ExcuseStatus>,
    pub excuse_note: Option<String>,
    pub excuse_decided_by: Option<String>,
    pub excuse_decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
