use guwen_domain::work::{Confidentiality, OpinionChannel, Timeliness};
use sea_orm::entity::prelude::*;

/// An advisor's opinion (Art. 8, 9), on a task or unsolicited.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opinions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub advisor_id: String,
    pub task_id: Option<String>,
    pub assignment_id: Option<String>,
    pub channel: OpinionChannel,
    pub major_issue: bool,
    pub subject: String,
    pub content: String,
    pub confidentiality: Confidentiality,
    pub timeliness: Option<Timeliness>,
    pub submitted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
