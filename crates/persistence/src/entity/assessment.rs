use guwen_domain::office::{AssessmentState, Grade};
use sea_orm::entity::prelude::*;

/// An advisor's annual assessment (Art. 16).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub advisor_id: String,
    pub year: i32,
    /// JSON: the year's computed facts.
    pub facts: String,
    pub state: AssessmentState,
    pub preliminary_grade: Option<Grade>,
    pub preliminary_comment: Option<String>,
    pub final_grade: Option<Grade>,
    pub final_comment: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::store::stateful! { AssessmentState, "assessment", state = State, updated_at = UpdatedAt }
