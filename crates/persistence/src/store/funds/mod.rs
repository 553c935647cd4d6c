//! Funds (Art. 14): yearly budgets and the ledger every commitment goes through, expense
//! claims and work subsidies.
//!
//! The cap holds across replicas because a commitment (`commit`) is one conditional `UPDATE`
//! per counter (`committed_fen + amount <= limit`) inside the caller's transaction: the
//! database decides, not a process's memory, and a refused commitment rolls back whatever the
//! transaction did. `commit` and `pay` are private to this module: only the steps that approve
//! or pay ([`expenses::advance`], [`subsidies::insert`], [`subsidies::advance`]) call them,
//! with the step's audit event, so no approval can be written without its commitment.

pub mod budgets;
pub mod expenses;
pub mod subsidies;

use guwen_domain::{
    funds::{self, ExpenseCategory},
    rule::RuleViolation,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, QueryFilter, sea_query::Expr,
};

use super::StoreError;
use crate::entity::{budget, sub_budget};

pub use crate::entity::budget::Model as Budget;
pub use crate::entity::expense::Model as Expense;
pub use crate::entity::sub_budget::Model as SubBudget;
pub use crate::entity::subsidy::Model as Subsidy;

/// A commitment the budget refused (Art. 14, 不得无预算或超预算执行).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub year: i32,
    pub amount_fen: i64,
    /// The category whose sub-budget refused it; `None` when the total did.
    pub sub_budget: Option<ExpenseCategory>,
    /// What remains of the budget that refused it; `None` when the year has no budget.
    pub remaining_fen: Option<i64>,
}

impl Refused {
    /// The rule's refusal (`budget_exceeded`).
    pub fn violation(&self) -> RuleViolation {
        let what = match self.sub_budget {
            None => "budget".to_owned(),
            Some(c) => format!("`{c}` sub-budget"),
        };
        funds::budget_exceeded(&what, self.year, self.amount_fen, self.remaining_fen)
    }

    /// What remains, as a client is told it: never negative, 0 without a budget.
    pub fn stated_remaining_fen(&self) -> i64 {
        Ord::max(self.remaining_fen.unwrap_or(0), 0)
    }
}

/// Why a step that moves money did not write.
#[derive(Debug, thiserror::Error)]
pub enum FundsError {
    /// The commitment does not fit in the budget (or there is none).
    #[error("{}", .0.violation())]
    BudgetExceeded(Refused),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<DbErr> for FundsError {
    fn from(e: DbErr) -> Self {
        Self::Store(e.into())
    }
}

/// Commits `amount_fen` of `category` against the budget of `year`, inside `tx`.
///
/// Art. 14 (不得无预算或超预算执行): refused ([`FundsError::BudgetExceeded`], stating what
/// remains) when the year has no budget, when the total would be crossed, or when the
/// category's sub-budget would be. Each check is a conditional update, so two concurrent
/// commitments, on any replica, can never both slip under a limit.
async fn commit<C: ConnectionTrait>(
    tx: &C,
    year: i32,
    category: ExpenseCategory,
    amount_fen: i64,
) -> Result<(), FundsError> {
    let committed = budget::Entity::update_many()
        .col_expr(
            budget::Column::CommittedFen,
            Expr::col(budget::Column::CommittedFen).add(amount_fen),
        )
        .filter(budget::Column::Year.eq(year))
        .filter(
            Expr::col(budget::Column::CommittedFen)
                .add(amount_fen)
                .lte(Expr::col(budget::Column::TotalFen)),
        )
        .exec(tx)
        .await?;
    if committed.rows_affected != 1 {
        let remaining_fen = budget::Entity::find_by_id(year)
            .one(tx)
            .await?
            .map(|b| b.total_fen - b.committed_fen);
        return Err(FundsError::BudgetExceeded(Refused {
            year,
            amount_fen,
            sub_budget: None,
            remaining_fen,
        }));
    }
    if !category.is_strictly_controlled() {
        return Ok(());
    }
    let within = sub_budget::Entity::update_many()
        .col_expr(
            sub_budget::Column::CommittedFen,
            Expr::col(sub_budget::Column::CommittedFen).add(amount_fen),
        )
        .filter(sub_budget::Column::Year.eq(year))
        .filter(sub_budget::Column::Category.eq(category))
        .filter(
            Expr::col(sub_budget::Column::CommittedFen)
                .add(amount_fen)
                .lte(Expr::col(sub_budget::Column::LimitFen)),
        )
        .exec(tx)
        .await?;
    if within.rows_affected == 1 {
        return Ok(());
    }
    match sub_budget::Entity::find_by_id((year, category))
        .one(tx)
        .await?
    {
        // No sub-budget for the category: only the total limits it.
        None => Ok(()),
        Some(s) => Err(FundsError::BudgetExceeded(Refused {
            year,
            amount_fen,
            sub_budget: Some(category),
            remaining_fen: Some(s.limit_fen - s.committed_fen),
        })),
    }
}

/// Records the payment of a committed amount against the budget of `year`.
async fn pay<C: ConnectionTrait>(tx: &C, year: i32, amount_fen: i64) -> Result<(), StoreError> {
    let res = budget::Entity::update_many()
        .col_expr(
            budget::Column::PaidFen,
            Expr::col(budget::Column::PaidFen).add(amount_fen),
        )
        .filter(budget::Column::Year.eq(year))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(StoreError::Db(DbErr::Custom(format!(
            "a committed amount has no budget row for {year}"
        ))));
    }
    Ok(())
}
