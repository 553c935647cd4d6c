use guwen_domain::funds::{ExpenseCategory, ExpenseState};
use sea_orm::entity::prelude::*;

super::decided_entity! {
    /// An expense claim (Art. 14), in fen.
    table = "expenses",
    {
        pub advisor_id: String,
        pub fiscal_year: i32,
        pub category: ExpenseCategory,
        pub amount_fen: i64,
        pub incurred_on: Date,
        pub description: String,
        /// JSON: the receipts, `[{reference, amount_fen}]`.
        pub receipts: String,
        pub task_id: Option<String>,
        pub meeting_id: Option<String>,
        pub state: ExpenseState,
        pub submitted_by: String,
        pub submitted_at: DateTimeUtc,
        pub finance_reviewed_by: Option<String>,
        pub finance_reviewed_at: Option<DateTimeUtc>,
        pub finance_comment: Option<String>,
    }
    then {
        pub paid_by: Option<String>,
        pub paid_at: Option<DateTimeUtc>,
        pub payment_ref: Option<String>,
        pub updated_at: DateTimeUtc,
    }
}

crate::store::stateful! { ExpenseState, "expense", state = State, updated_at = UpdatedAt }
