use guwen_domain::office::ResignationState;
use sea_orm::entity::prelude::*;

/// An advisor's written resignation (Art. 13).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "resignations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub advisor_id: String,
    pub letter: String,
    pub state: ResignationState,
    pub requested_at: DateTimeUtc,
    pub proposed_by: Option<String>,
    pub proposed_at: Option<DateTimeUtc>,
    pub proposal_note: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_reason: Option<String>,
    pub certificate_recovered: Option<bool>,
    pub certificate_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::store::stateful! { ResignationState, "resignation", state = State }
