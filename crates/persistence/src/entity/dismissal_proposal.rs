use guwen_domain::office::{DismissalGround, ProposalState};
use sea_orm::entity::prelude::*;

super::decided_entity! {
    /// HRSS's proposal to dismiss an advisor (Art. 12).
    table = "dismissal_proposals",
    {
        pub advisor_id: String,
        pub ground: DismissalGround,
        pub evidence: String,
        /// JSON: the computed inactivity evidence (Art. 12.3).
        pub inactivity_evidence: Option<String>,
        pub state: ProposalState,
        pub proposed_by: String,
        pub proposed_at: DateTimeUtc,
    }
}

crate::store::stateful! { ProposalState, "dismissal proposal", state = State }
