use guwen_domain::office::ResignationState;
use sea_orm::entity::prelude::*;

super::decided_entity! {
    /// An advisor's written resignation (Art. 13).
    table = "resignations",
    {
        pub advisor_id: String,
        pub letter: String,
        pub state: ResignationState,
        pub requested_at: DateTimeUtc,
        pub proposed_by: Option<String>,
        pub proposed_at: Option<DateTimeUtc>,
        pub proposal_note: Option<String>,
    }
    then {
        pub certificate_recovered: Option<bool>,
        pub certificate_note: Option<String>,
    }
}

crate::store::stateful! { ResignationState, "resignation", state = State }
