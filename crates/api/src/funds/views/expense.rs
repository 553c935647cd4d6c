//! Expense claims (Art. 14): the claim as shown, the claim, review and payment requests, and
//! the list's filters.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use guwen_domain::{
    funds::{self, ExpenseAction, ExpenseCategory, ExpenseState},
    time::to_cst,
};
use guwen_persistence::store::funds::{
    Expense,
    expenses::{self, Filter},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::budget::check_year;
use crate::prelude::*;

/// A receipt behind a claim.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate, PartialEq, Eq)]
pub struct Receipt {
    /// The invoice or ticket number.
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "铁路电子客票 E123456789",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub reference: String,
    #[validate(range(min = 1, max = 50_000_000))]
    #[schema(example = 45600, minimum = 1, maximum = 50000000)]
    pub amount_fen: i64,
}

/// An expense claim.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExpenseView {
    pub id: String,
    pub advisor_id: String,
    /// The budget year: the year (CST) the expense was incurred.
    pub fiscal_year: i32,
    pub category: ExpenseCategory,
    /// Needs the Finance Bureau's review before approval (Art. 14).
    pub strictly_controlled: bool,
    pub amount_fen: i64,
    pub incurred_on: NaiveDate,
    pub description: String,
    pub receipts: Vec<Receipt>,
    pub task_id: Option<String>,
    pub meeting_id: Option<String>,
    pub state: ExpenseState,
    /// The steps the expense can take now.
    pub allowed_actions: Vec<ExpenseAction>,
    pub submitted_by: String,
    pub submitted_at: DateTime<FixedOffset>,
    pub finance_reviewed_by: Option<String>,
    pub finance_reviewed_at: Option<DateTime<FixedOffset>>,
    pub finance_comment: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
    pub paid_by: Option<String>,
    pub paid_at: Option<DateTime<FixedOffset>>,
    pub payment_ref: Option<String>,
    pub updated_at: DateTime<FixedOffset>,
}

/// A claim as shown to callers.
pub fn expense_view(e: Expense) -> Result<ExpenseView, ApiError> {
    let receipts = expenses::receipts_of(&e)
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|r| Receipt {
            reference: r.reference,
            amount_fen: r.amount_fen,
        })
        .collect();
    Ok(ExpenseView {
        strictly_controlled: e.category.is_strictly_controlled(),
        allowed_actions: funds::expense_allowed(e.category, e.state),
        receipts,
        category: e.category,
        state: e.state,
        id: e.id,
        advisor_id: e.advisor_id,
        fiscal_year: e.fiscal_year,
        amount_fen: e.amount_fen,
        incurred_on: e.incurred_on,
        description: e.description,
        task_id: e.task_id,
        meeting_id: e.meeting_id,
        submitted_by: e.submitted_by,
        submitted_at: to_cst(e.submitted_at),
        finance_reviewed_by: e.finance_reviewed_by,
        finance_reviewed_at: e.finance_reviewed_at.map(to_cst),
        finance_comment: e.finance_comment,
        decided_by: e.decided_by,
        decided_at: e.decided_at.map(to_cst),
        decision_reason: e.decision_reason,
        paid_by: e.paid_by,
        paid_at: e.paid_at.map(to_cst),
        payment_ref: e.payment_ref,
        updated_at: to_cst(e.updated_at),
    })
}

/// A new expense claim.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateExpenseRequest {
    /// Whose expense: an advisor's token claims for itself (omit it or give its own id);
    /// HRSS names the advisor.
    #[validate(length(max = crate::http::text::ID_LEN))]
    #[schema(max_length = 36)]
    pub advisor_id: Option<String>,
    pub category: ExpenseCategory,
    /// The amount claimed; for transport exactly the sum of the receipts (实报实销).
    #[validate(range(min = 1, max = 50_000_000))]
    #[schema(example = 91200, minimum = 1, maximum = 50000000)]
    pub amount_fen: i64,
    /// When the expense was incurred (CST); its year is the budget year.
    pub incurred_on: NaiveDate,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub description: String,
    /// Receipts; required for transport.
    #[serde(default)]
    #[validate(nested, length(max = 100))]
    #[schema(max_items = 100)]
    pub receipts: Vec<Receipt>,
    /// The task the expense served, if any.
    #[validate(length(max = crate::http::text::ID_LEN))]
    #[schema(max_length = 36)]
    pub task_id: Option<String>,
    /// The meeting the expense served, if any.
    #[validate(length(max = crate::http::text::ID_LEN))]
    #[schema(max_length = 36)]
    pub meeting_id: Option<String>,
}

impl CreateExpenseRequest {
    /// Claim `id` of `advisor_id` as the store records it, submitted by `submitted_by` at
    /// `now`. In order: the description, a date not after `today` in a budget year, the
    /// category and receipts rules of Art. 14 (`use_subsidy_procedure`, `receipts_required`,
    /// `amount_not_actual`), then each receipt reference once.
    pub fn to_row(
        &self,
        id: String,
        advisor_id: String,
        (submitted_by, now): (&str, DateTime<Utc>),
        today: NaiveDate,
    ) -> Result<Expense, ApiError> {
        let description = required_text("description", &self.description, 2000)?;
        optional_identifier("task_id", self.task_id.as_deref(), ID_MAX)?;
        optional_identifier("meeting_id", self.meeting_id.as_deref(), ID_MAX)?;
        if self.incurred_on > today {
            return Err(ApiError::invalid_field(
                "incurred_on",
                "must not be in the future (China Standard Time)",
            ));
        }
        check_year("incurred_on", self.incurred_on.year())?;
        funds::check_claimable(self.category)?;
        let amounts: Vec<i64> = self.receipts.iter().map(|r| r.amount_fen).collect();
        funds::check_receipts(self.category, self.amount_fen, &amounts)?;
        let mut receipts: Vec<expenses::Receipt> = Vec::with_capacity(self.receipts.len());
        for (i, r) in self.receipts.iter().enumerate() {
            let field = format!("receipts[{i}].reference");
            let reference = required_line(&field, &r.reference, 200)?;
            if receipts.iter().any(|seen| seen.reference == reference) {
                return Err(ApiError::invalid_field(&field, "appears twice"));
            }
            receipts.push(expenses::Receipt {
                reference,
                amount_fen: r.amount_fen,
            });
        }
        Ok(Expense {
            id,
            advisor_id,
            fiscal_year: self.incurred_on.year(),
            category: self.category,
            amount_fen: self.amount_fen,
            incurred_on: self.incurred_on,
            description,
            receipts: serde_json::to_string(&receipts).map_err(ApiError::internal)?,
            task_id: self.task_id.clone(),
            meeting_id: self.meeting_id.clone(),
            state: ExpenseState::Submitted,
            submitted_by: submitted_by.to_owned(),
            submitted_at: now,
            finance_reviewed_by: None,
            finance_reviewed_at: None,
            finance_comment: None,
            decided_by: None,
            decided_at: None,
            decision_reason: None,
            paid_by: None,
            paid_at: None,
            payment_ref: None,
            updated_at: now,
        })
    }
}

/// A review or approval: approve, or reject with a reason.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ReviewRequest {
    pub approved: bool,
    /// Required when rejecting.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

impl ReviewRequest {
    /// The reason, required when rejecting.
    pub fn checked_reason(&self) -> Result<Option<String>, ApiError> {
        let reason = optional_text("reason", self.reason.as_deref(), 2000)?;
        if !self.approved && reason.is_none() {
            return Err(ApiError::invalid_field(
                "reason",
                "a rejection must give its reason",
            ));
        }
        Ok(reason)
    }
}

/// A payment record.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct PaymentRequest {
    /// The payment voucher or transfer reference.
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "人社专户 2026-0412",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub payment_ref: String,
}

impl PaymentRequest {
    /// The reference, trimmed and not blank.
    pub fn checked_ref(&self) -> Result<String, ApiError> {
        required_line("payment_ref", &self.payment_ref, 200)
    }
}

/// Filters of the expense list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExpenseFilter {
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 36>")]
    #[param(max_length = 36)]
    pub advisor_id: Option<String>,
    #[serde(default, deserialize_with = "crate::http::text::query_year")]
    #[param(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    pub fiscal_year: Option<i32>,
    pub category: Option<ExpenseCategory>,
    pub state: Option<ExpenseState>,
    /// Only strictly controlled categories (`true`: what the Finance Bureau reviews) or only
    /// the others (`false`).
    pub strictly_controlled: Option<bool>,
}

impl ExpenseFilter {
    /// The store's filter.
    pub fn to_filter(&self) -> Filter {
        Filter {
            advisor_id: self.advisor_id.clone(),
            fiscal_year: self.fiscal_year,
            category: self.category,
            state: self.state,
            strictly_controlled: self.strictly_controlled,
        }
    }
}
