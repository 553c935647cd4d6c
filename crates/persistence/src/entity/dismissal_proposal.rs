use guwen_domain::office::{DismissalGround, ProposalState};
use sea_orm::entity::prelude::*;

/// HRSS's proposal to dismiss an advisor (Art. 12).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dismissal_proposals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub advisor_id: String,
    pub ground: DismissalGround,
    pub evidence: String,
    /// JSON: the computed inactivity evidence (Art. 12.3).
    pub inactivity_evidence: Option<String>,
    pub state: ProposalState,
    pub proposed_by: String,
    pub proposed_at: DateTimeUtc,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::store::stateful! { ProposalState, "dismissal proposal", state = State }
