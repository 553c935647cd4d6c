use guwen_domain::office::ProposalState;
use sea_orm::entity::prelude::*;

super::decided_entity! {
    /// HRSS's proposal to renew an advisor's term (Art. 3).
    table = "renewal_proposals",
    {
        pub advisor_id: String,
        pub years: i32,
        pub agreement_ref: String,
        pub certificate_no: String,
        pub state: ProposalState,
        pub proposed_by: String,
        pub proposed_at: DateTimeUtc,
    }
}

crate::store::stateful! { ProposalState, "renewal proposal", state = State }
