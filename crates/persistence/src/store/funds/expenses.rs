//! Expense claims (Art. 14): reads, the facts a claim is checked against, the claim with its
//! receipts, and the steps (review, approval with its commitment, payment).

use chrono::NaiveDate;
use guwen_domain::{
    Labelled,
    funds::{ExpenseCategory, ExpenseState},
    office::{AdvisorStatus, ProposalState, ResignationState},
    time::cst_date,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};

use super::{Expense, FundsError, commit, pay};
use crate::{
    audit::{Context, truncate_to_micros},
    entity::{
        advisor, advisor_term, dismissal_proposal, expense, expense_receipt, meeting, resignation,
        task,
    },
    store::{
        AdvisorScope, Event, ListFilter, Scope, StoreError, find_in_scope, insert_row,
        update_if_state,
    },
};

/// A receipt behind a claim, as stored in the claim's `receipts` JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub reference: String,
    pub amount_fen: i64,
}

/// The receipts of a claim.
pub fn receipts_of(e: &Expense) -> Result<Vec<Receipt>, serde_json::Error> {
    serde_json::from_str(&e.receipts)
}

impl Scope<expense::Entity> for AdvisorScope {
    /// The claims `scope` lets a caller read.
    fn readable(&self) -> Condition {
        self.condition(expense::Column::AdvisorId)
    }
}

/// One claim, if `scope` lets the caller read it.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: &str,
    scope: &AdvisorScope,
) -> Result<Option<Expense>, DbErr> {
    find_in_scope::<expense::Entity, C>(db, id, scope).await
}

/// Filters of the claim list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub advisor_id: Option<String>,
    pub fiscal_year: Option<i32>,
    pub category: Option<ExpenseCategory>,
    pub state: Option<ExpenseState>,
    /// Only strictly controlled categories, or only the others.
    pub strictly_controlled: Option<bool>,
}

impl ListFilter for Filter {
    type Entity = expense::Entity;
    fn condition(&self) -> Condition {
        let controlled = self.strictly_controlled.map(|controlled| {
            let categories = ExpenseCategory::all()
                .iter()
                .copied()
                .filter(|c| c.is_strictly_controlled() == controlled);
            expense::Column::Category.is_in(categories)
        });
        Condition::all()
            .add_option(
                self.advisor_id
                    .clone()
                    .map(|a| expense::Column::AdvisorId.eq(a)),
            )
            .add_option(self.fiscal_year.map(|y| expense::Column::FiscalYear.eq(y)))
            .add_option(self.category.map(|c| expense::Column::Category.eq(c)))
            .add_option(self.state.map(|s| expense::Column::State.eq(s)))
            .add_option(controlled)
    }
}

/// One page of the claims `scope` lets a caller read, by id.
pub use crate::store::page_in_scope as page;

/// The days an advisor served: from the first term's start to the last term's end, or to the
/// day the government approved the dismissal or resignation. `None`: no such advisor.
pub async fn service_window<C: ConnectionTrait>(
    db: &C,
    advisor_id: &str,
) -> Result<Option<(NaiveDate, NaiveDate)>, DbErr> {
    let Some(adv) = advisor::Entity::find_by_id(advisor_id).one(db).await? else {
        return Ok(None);
    };
    let first_day = advisor_term::Entity::find()
        .filter(advisor_term::Column::AdvisorId.eq(adv.id.clone()))
        .order_by_asc(advisor_term::Column::Number)
        .one(db)
        .await?
        .map_or(adv.term_starts_on, |t| t.starts_on);
    let left_at = if adv.status == AdvisorStatus::Dismissed {
        dismissal_proposal::Entity::find()
            .filter(dismissal_proposal::Column::AdvisorId.eq(adv.id.clone()))
            .filter(dismissal_proposal::Column::State.eq(ProposalState::Approved.code()))
            .one(db)
            .await?
            .and_then(|d| d.decided_at)
    } else if adv.status == AdvisorStatus::Resigned {
        resignation::Entity::find()
            .filter(resignation::Column::AdvisorId.eq(adv.id.clone()))
            .filter(resignation::Column::State.eq(ResignationState::Approved.code()))
            .one(db)
            .await?
            .and_then(|r| r.decided_at)
    } else {
        None
    };
    let last_day = left_at
        .map(cst_date)
        .map_or(adv.office_ends_on, |left| left.min(adv.office_ends_on));
    Ok(Some((first_day, last_day)))
}

/// Whether a task exists.
pub async fn task_exists<C: ConnectionTrait>(db: &C, id: &str) -> Result<bool, DbErr> {
    Ok(task::Entity::find_by_id(id).one(db).await?.is_some())
}

/// Whether a meeting exists.
pub async fn meeting_exists<C: ConnectionTrait>(db: &C, id: &str) -> Result<bool, DbErr> {
    Ok(meeting::Entity::find_by_id(id).one(db).await?.is_some())
}

/// A receipt of `claim` that a live claim already lists, if any.
pub async fn claimed_receipt<C: ConnectionTrait>(
    db: &C,
    claim: &Expense,
) -> Result<Option<String>, DbErr> {
    let receipts = receipts_of(claim).map_err(|e| DbErr::Json(e.to_string()))?;
    if receipts.is_empty() {
        return Ok(None);
    }
    let references = receipts.into_iter().map(|r| r.reference);
    Ok(expense_receipt::Entity::find()
        .filter(expense_receipt::Column::Reference.is_in(references))
        .one(db)
        .await?
        .map(|r| r.reference))
}

/// Records submitted claim `row` (built and stamped by the caller with [`Context::stamp`]) and
/// appends `event`, with its receipts each held once: a receipt a live claim lists is
/// [`StoreError::Duplicate`].
pub async fn insert<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    row: Expense,
    event: Event,
) -> Result<Expense, StoreError> {
    let receipts = receipts_of(&row).map_err(|e| DbErr::Json(e.to_string()))?;
    let row = insert_row(tx, ctx, row, event).await?;
    if !receipts.is_empty() {
        expense_receipt::Entity::insert_many(receipts.into_iter().map(|r| {
            expense_receipt::ActiveModel {
                reference: Set(r.reference),
                expense_id: Set(row.id.clone()),
            }
        }))
        .exec_without_returning(tx)
        .await?;
    }
    Ok(row)
}

/// What a step on a claim records besides its state.
#[derive(Debug, Clone)]
pub enum ExpenseChange {
    /// The Finance Bureau's review, with its comment.
    FinanceReview { comment: Option<String> },
    /// HRSS's decision, with its reason.
    Decision { reason: Option<String> },
    /// The payment, with its voucher or transfer reference.
    Payment { payment_ref: String },
}

/// Moves claim `e` from its state to `to` (by the context's actor), only if it is still in
/// that state, with its money movement: an approval commits the amount against the budget
/// (`commit`), a payment is recorded against it, a rejection releases the receipts for a
/// corrected claim. Appends `event` in the same transaction.
pub async fn advance<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    e: &Expense,
    to: ExpenseState,
    change: ExpenseChange,
    event: Event,
) -> Result<(), FundsError> {
    let now = truncate_to_micros(ctx.now);
    let who = Set(Some(ctx.actor.sub.clone()));
    let changes = match change {
        ExpenseChange::FinanceReview { comment } => expense::ActiveModel {
            finance_reviewed_by: who,
            finance_reviewed_at: Set(Some(now)),
            finance_comment: Set(comment),
            ..Default::default()
        },
        ExpenseChange::Decision { reason } => expense::ActiveModel {
            decided_by: who,
            decided_at: Set(Some(now)),
            decision_reason: Set(reason),
            ..Default::default()
        },
        ExpenseChange::Payment { payment_ref } => expense::ActiveModel {
            paid_by: who,
            paid_at: Set(Some(now)),
            payment_ref: Set(Some(payment_ref)),
            ..Default::default()
        },
    };
    update_if_state::<expense::Entity, _>(tx, ctx, &e.id, &[e.state], to, changes, event).await?;
    match to {
        ExpenseState::Approved => commit(tx, e.fiscal_year, e.category, e.amount_fen).await?,
        ExpenseState::Paid => pay(tx, e.fiscal_year, e.amount_fen).await?,
        ExpenseState::Rejected => {
            expense_receipt::Entity::delete_many()
                .filter(expense_receipt::Column::ExpenseId.eq(e.id.clone()))
                .exec(tx)
                .await?;
        }
        ExpenseState::Submitted | ExpenseState::FinanceReviewed => {}
    }
    Ok(())
}
