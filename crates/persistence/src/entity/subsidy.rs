use guwen_domain::{funds::SubsidyState, office::Grade};
use sea_orm::entity::prelude::*;

/// An advisor's work subsidy for a year (Art. 14), in fen.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subsidies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub advisor_id: String,
    pub year: i32,
    /// The budget year the amount is committed against.
    pub fiscal_year: i32,
    pub assessment_id: String,
    pub grade: Grade,
    pub amount_fen: i64,
    pub special_contribution: Option<String>,
    pub comment: Option<String>,
    pub state: SubsidyState,
    pub proposed_by: String,
    pub proposed_at: DateTimeUtc,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_reason: Option<String>,
    pub paid_by: Option<String>,
    pub paid_at: Option<DateTimeUtc>,
    pub payment_ref: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::store::stateful! { SubsidyState, "subsidy", state = State, updated_at = UpdatedAt }
