use guwen_domain::office::Grade;
use sea_orm::entity::prelude::*;

/// A service unit's opinion on an assessment (Art. 16).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessment_opinions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub assessment_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_id: String,
    pub opinion: String,
    pub suggested_grade: Option<Grade>,
    pub submitted_by: String,
    pub submitted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
