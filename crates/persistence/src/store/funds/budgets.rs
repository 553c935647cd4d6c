//! Yearly budgets and their sub-budgets (Art. 14): reads, the figures per category, and the
//! setting of a year's budget.

use std::collections::BTreeMap;

use guwen_domain::funds::{ExpenseCategory, ExpenseState, SubBudgetLine, SubsidyState};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    sea_query::Expr,
};

use super::{Budget, SubBudget};
use crate::{
    audit::{Context, truncate_to_micros},
    entity::{budget, expense, sub_budget, subsidy},
    store::{Event, PageOf, PageRequest, StoreError, append, page_of},
};

/// The budget of a year, if one is set.
pub async fn find<C: ConnectionTrait>(db: &C, year: i32) -> Result<Option<Budget>, DbErr> {
    budget::Entity::find_by_id(year).one(db).await
}

/// One page of the years that have a budget, by year.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    page: PageRequest<i32>,
) -> Result<PageOf<Budget, i32>, DbErr> {
    page_of(
        db,
        budget::Entity::find(),
        budget::Column::Year,
        page,
        |b| b.year,
    )
    .await
}

/// The sub-budgets of a year, by category.
pub async fn sub_budgets<C: ConnectionTrait>(
    db: &C,
    year: i32,
) -> Result<BTreeMap<ExpenseCategory, SubBudget>, DbErr> {
    Ok(sub_budget::Entity::find()
        .filter(sub_budget::Column::Year.eq(year))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.category, s))
        .collect())
}

/// What a category has committed (approved, paid or not) and paid in a year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CategorySums {
    pub committed_fen: i64,
    pub paid_fen: i64,
}

/// Committed and paid sums per category of a year, from the expenses and subsidies.
pub async fn sums_by_category<C: ConnectionTrait>(
    db: &C,
    year: i32,
) -> Result<BTreeMap<ExpenseCategory, CategorySums>, DbErr> {
    let total = || Expr::cust("CAST(SUM(amount_fen) AS BIGINT)");
    let expenses: Vec<(ExpenseCategory, ExpenseState, i64)> = expense::Entity::find()
        .select_only()
        .column(expense::Column::Category)
        .column(expense::Column::State)
        .column_as(total(), "total")
        .filter(expense::Column::FiscalYear.eq(year))
        .filter(expense::Column::State.is_in([ExpenseState::Approved, ExpenseState::Paid]))
        .group_by(expense::Column::Category)
        .group_by(expense::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    let subsidies: Vec<(SubsidyState, i64)> = subsidy::Entity::find()
        .select_only()
        .column(subsidy::Column::State)
        .column_as(total(), "total")
        .filter(subsidy::Column::FiscalYear.eq(year))
        .filter(subsidy::Column::State.is_in([SubsidyState::Approved, SubsidyState::Paid]))
        .group_by(subsidy::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    let mut sums: BTreeMap<ExpenseCategory, CategorySums> = BTreeMap::new();
    let expense_rows = expenses
        .into_iter()
        .map(|(category, state, sum)| (category, state == ExpenseState::Paid, sum));
    let subsidy_rows = subsidies.into_iter().map(|(state, sum)| {
        (
            ExpenseCategory::WorkSubsidy,
            state == SubsidyState::Paid,
            sum,
        )
    });
    for (category, paid, sum) in expense_rows.chain(subsidy_rows) {
        let entry = sums.entry(category).or_default();
        entry.committed_fen += sum;
        if paid {
            entry.paid_fen += sum;
        }
    }
    Ok(sums)
}

/// A budget with what its view shows per category.
#[derive(Debug, Clone)]
pub struct BudgetFigures {
    pub budget: Budget,
    pub sub_budgets: BTreeMap<ExpenseCategory, SubBudget>,
    pub sums: BTreeMap<ExpenseCategory, CategorySums>,
}

/// The sub-budgets and per-category sums of a budget.
pub async fn figures<C: ConnectionTrait>(db: &C, budget: Budget) -> Result<BudgetFigures, DbErr> {
    Ok(BudgetFigures {
        sub_budgets: sub_budgets(db, budget.year).await?,
        sums: sums_by_category(db, budget.year).await?,
        budget,
    })
}

/// A year's budget as it is being set (its rules checked by the caller).
#[derive(Debug, Clone)]
pub struct BudgetSetting {
    pub year: i32,
    pub total_fen: i64,
    pub note: Option<String>,
    /// The complete set of sub-budgets; a sub-budget new to the year starts from its
    /// `committed_fen`, an existing one keeps its own counter.
    pub sub_budgets: Vec<SubBudgetLine>,
}

/// Creates or replaces the budget of a year with its sub-budgets (those left out are removed),
/// set by the context's actor, and appends `event`.
pub async fn set<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    setting: &BudgetSetting,
    event: Event,
) -> Result<(), StoreError> {
    let now = truncate_to_micros(ctx.now);
    let year = setting.year;
    let replaced = budget::Entity::update_many()
        .col_expr(budget::Column::TotalFen, Expr::value(setting.total_fen))
        .col_expr(budget::Column::Note, Expr::value(setting.note.clone()))
        .col_expr(budget::Column::SetBy, Expr::value(ctx.actor.sub.clone()))
        .col_expr(budget::Column::UpdatedAt, Expr::value(now))
        .filter(budget::Column::Year.eq(year))
        .exec(tx)
        .await?;
    if replaced.rows_affected == 0 {
        budget::Entity::insert(budget::ActiveModel {
            year: Set(year),
            total_fen: Set(setting.total_fen),
            committed_fen: Set(0),
            paid_fen: Set(0),
            note: Set(setting.note.clone()),
            set_by: Set(ctx.actor.sub.clone()),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec_without_returning(tx)
        .await?;
    }
    for line in &setting.sub_budgets {
        let kept = sub_budget::Entity::update_many()
            .col_expr(sub_budget::Column::LimitFen, Expr::value(line.limit_fen))
            .filter(sub_budget::Column::Year.eq(year))
            .filter(sub_budget::Column::Category.eq(line.category))
            .exec(tx)
            .await?;
        if kept.rows_affected == 0 {
            sub_budget::Entity::insert(sub_budget::ActiveModel {
                year: Set(year),
                category: Set(line.category),
                limit_fen: Set(line.limit_fen),
                committed_fen: Set(line.committed_fen),
            })
            .exec_without_returning(tx)
            .await?;
        }
    }
    sub_budget::Entity::delete_many()
        .filter(sub_budget::Column::Year.eq(year))
        .filter(
            sub_budget::Column::Category.is_not_in(setting.sub_budgets.iter().map(|l| l.category)),
        )
        .exec(tx)
        .await?;
    append(tx, ctx, event).await?;
    Ok(())
}
