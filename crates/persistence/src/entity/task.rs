use sea_orm::entity::prelude::*;

/// A work item requested of the advisors (Art. 6, 11).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub field_code: String,
    pub requester_role: String,
    pub requester_org_id: Option<String>,
    pub requester_sub: String,
    pub deadline: Date,
    pub confidentiality: String,
    pub major_issue: bool,
    pub requested_expertise: Option<String>,
    pub state: String,
    pub version: i32,
    pub closing_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
