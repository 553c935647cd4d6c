use guwen_domain::{funds::SubsidyState, office::Grade};
use sea_orm::entity::prelude::*;

super::decided_entity! {
    /// An advisor's work subsidy for a year (Art. 14), in fen.
    table = "subsidies",
    {
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
    }
    then {
        pub paid_by: Option<String>,
        pub paid_at: Option<DateTimeUtc>,
        pub payment_ref: Option<String>,
        pub updated_at: DateTimeUtc,
    }
}

crate::store::stateful! { SubsidyState, "subsidy", state = State, updated_at = UpdatedAt }
