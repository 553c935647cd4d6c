//! Budgets (Art. 14): the year's figures as shown, the budget setting request, the fiscal
//! years a budget may be set for, and how a refused commitment is answered.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use guwen_domain::{Labelled, funds::ExpenseCategory, time::to_cst};
use guwen_persistence::store::funds::{FundsError, budgets::BudgetFigures};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::prelude::*;

/// The fiscal years a budget may be set for.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Refuses a year outside [`YEARS`] (422 on the field or path parameter).
pub fn check_year(field: &str, year: i32) -> Result<(), ApiError> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            field,
            format!("must be a year from {} to {}", YEARS.start(), YEARS.end()),
        ))
    }
}

/// A commitment the budget refused is `409 budget_exceeded` stating what remains (Art. 14).
impl From<FundsError> for ApiError {
    fn from(e: FundsError) -> Self {
        match e {
            FundsError::BudgetExceeded(refused) => ApiError::from(refused.violation())
                .with_remaining_fen(refused.stated_remaining_fen()),
            FundsError::Store(e) => e.into(),
        }
    }
}

/// The figures of one category in a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BudgetLineView {
    pub category: ExpenseCategory,
    /// Strictly controlled (严控): the Finance Bureau reviews it and it may have a sub-budget.
    pub strictly_controlled: bool,
    /// The category's own sub-budget, if one is set.
    pub sub_budget_fen: Option<i64>,
    /// Approved amounts, paid or not.
    pub committed_fen: i64,
    pub paid_fen: i64,
    /// What the category can still commit: what remains of the total, or of its sub-budget
    /// when that is less.
    pub remaining_fen: i64,
}

/// A fiscal year's advisor budget (Art. 14), in fen. `committed` includes what is paid;
/// `remaining = total - committed`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BudgetView {
    #[schema(example = 2026)]
    pub year: i32,
    #[schema(example = 50000000)]
    pub total_fen: i64,
    pub committed_fen: i64,
    pub paid_fen: i64,
    pub remaining_fen: i64,
    /// Every category, with its sub-budget where one is set.
    pub categories: Vec<BudgetLineView>,
    pub note: Option<String>,
    pub set_by: String,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

/// The budget of a year as shown to callers.
pub fn budget_view(f: BudgetFigures) -> BudgetView {
    let b = f.budget;
    let overall_remaining = b.total_fen - b.committed_fen;
    let categories = ExpenseCategory::all()
        .iter()
        .map(|c| {
            let sums = f.sums.get(c).copied().unwrap_or_default();
            let sub = f.sub_budgets.get(c);
            BudgetLineView {
                category: *c,
                strictly_controlled: c.is_strictly_controlled(),
                sub_budget_fen: sub.map(|s| s.limit_fen),
                committed_fen: sums.committed_fen,
                paid_fen: sums.paid_fen,
                remaining_fen: sub.map_or(overall_remaining, |s| {
                    Ord::min(s.limit_fen - s.committed_fen, overall_remaining)
                }),
            }
        })
        .collect();
    BudgetView {
        year: b.year,
        total_fen: b.total_fen,
        committed_fen: b.committed_fen,
        paid_fen: b.paid_fen,
        remaining_fen: overall_remaining,
        categories,
        note: b.note,
        set_by: b.set_by,
        created_at: to_cst(b.created_at),
        updated_at: to_cst(b.updated_at),
    }
}

/// The sub-budget of a strictly controlled category.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct SubBudgetInput {
    pub category: ExpenseCategory,
    #[validate(range(min = 1, max = 50_000_000))]
    #[schema(example = 2000000, minimum = 1, maximum = 50000000)]
    pub amount_fen: i64,
}

/// A year's budget: the total and, optionally, the sub-budgets of strictly controlled
/// categories.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct SetBudgetRequest {
    /// At most 50,000,000 fen (500,000 CNY, Art. 14); more is refused (409 `annual_cap_exceeded`).
    #[validate(range(min = 1))]
    #[schema(example = 50000000, minimum = 1, maximum = 50000000)]
    pub total_fen: i64,
    /// The complete set of sub-budgets: a category left out loses its sub-budget, `[]` removes
    /// them all. Omitted, the year's sub-budgets stay as they are.
    #[validate(nested, length(max = 20))]
    #[schema(max_items = 20)]
    pub sub_budgets: Option<Vec<SubBudgetInput>>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Sub-budget limits by category, ordered by the category's code.
pub type Limits = BTreeMap<&'static str, (ExpenseCategory, i64)>;

/// A budget setting as read from its request.
pub struct BudgetRequest {
    pub note: Option<String>,
    /// The sub-budgets asked for; `None` keeps the year's.
    pub sub_budgets: Option<Limits>,
}

impl SetBudgetRequest {
    /// The note and the sub-budgets, each category at most once (422 otherwise).
    pub fn parse(&self) -> Result<BudgetRequest, ApiError> {
        let note = optional_text("note", self.note.as_deref(), 2000)?;
        let mut given: Option<Limits> = None;
        if let Some(subs) = &self.sub_budgets {
            let wanted = given.get_or_insert_default();
            for (i, s) in subs.iter().enumerate() {
                if wanted
                    .insert(s.category.code(), (s.category, s.amount_fen))
                    .is_some()
                {
                    return Err(ApiError::invalid_field(
                        &format!("sub_budgets[{i}].category"),
                        "appears twice",
                    ));
                }
            }
        }
        Ok(BudgetRequest {
            note,
            sub_budgets: given,
        })
    }
}
