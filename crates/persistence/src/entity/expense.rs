use guwen_domain::funds::{ExpenseCategory, ExpenseState};
use sea_orm::entity::prelude::*;

/// An expense claim (Art. 14), in fen.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "expenses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
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

crate::store::stateful! { ExpenseState, "expense", state = State, updated_at = UpdatedAt }
