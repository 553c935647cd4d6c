use guwen_domain::work::{Confidentiality, MeetingOrganizer};
use sea_orm::entity::prelude::*;

/// A meeting advisors are invited to (Art. 8, 11).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organizer: MeetingOrganizer,
    pub organizer_org_id: Option<String>,
    pub created_by: String,
    pub title: String,
    pub agenda: String,
    pub held_at: DateTimeUtc,
    pub location: Option<String>,
    pub confidentiality: Confidentiality,
    pub task_id: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
