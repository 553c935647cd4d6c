//! Work subsidies (Art. 14, 16): reads, the proposal (committed at once when approved) and the
//! steps (the government's decision with its commitment, the payment).

use guwen_domain::{
    funds::{ExpenseCategory, SubsidyState},
    office::Grade,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
};

use super::{AdvisorScope, FundsError, Subsidy, commit, pay};
use crate::{
    audit::{Context, truncate_to_micros},
    entity::subsidy,
    store::{Event, ListFilter, Scope, append, find_in_scope, update_if_state},
};

impl Scope<subsidy::Entity> for AdvisorScope {
    /// The subsidies `scope` lets a caller read.
    fn readable(&self) -> Condition {
        self.condition(subsidy::Column::AdvisorId)
    }
}

/// One subsidy, if `scope` lets the caller read it.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: &str,
    scope: &AdvisorScope,
) -> Result<Option<Subsidy>, DbErr> {
    find_in_scope::<subsidy::Entity, C>(db, id, scope).await
}

/// Filters of the subsidy list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub advisor_id: Option<String>,
    pub year: Option<i32>,
    pub state: Option<SubsidyState>,
}

impl ListFilter for Filter {
    type Entity = subsidy::Entity;
    fn condition(&self) -> Condition {
        Condition::all()
            .add_option(
                self.advisor_id
                    .clone()
                    .map(|a| subsidy::Column::AdvisorId.eq(a)),
            )
            .add_option(self.year.map(|y| subsidy::Column::Year.eq(y)))
            .add_option(self.state.map(|s| subsidy::Column::State.eq(s)))
    }
}

/// One page of the subsidies `scope` lets a caller read, by id.
pub use crate::store::page_in_scope as page;

/// Whether the advisor has a live (not rejected) subsidy for the year.
pub async fn live_exists<C: ConnectionTrait>(
    db: &C,
    advisor_id: &str,
    year: i32,
) -> Result<bool, DbErr> {
    Ok(subsidy::Entity::find()
        .filter(subsidy::Column::AdvisorId.eq(advisor_id))
        .filter(subsidy::Column::Year.eq(year))
        .filter(subsidy::Column::State.ne(SubsidyState::Rejected))
        .one(db)
        .await?
        .is_some())
}

/// A proposed subsidy (its rules checked by the caller).
#[derive(Debug, Clone)]
pub struct NewSubsidy {
    pub advisor_id: String,
    pub year: i32,
    pub fiscal_year: i32,
    pub assessment_id: String,
    pub grade: Grade,
    pub amount_fen: i64,
    pub special_contribution: Option<String>,
    pub comment: Option<String>,
    /// `approved` (committed at once) or `pending_decision`.
    pub state: SubsidyState,
}

/// Records subsidy `id`, proposed by the context's actor; an approved one is committed
/// against the budget of its fiscal year (`commit`). A second live subsidy of the advisor
/// and year is [`crate::store::StoreError::Duplicate`]. Appends `event`.
pub async fn insert<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: String,
    new: NewSubsidy,
    event: Event,
) -> Result<Subsidy, FundsError> {
    let now = truncate_to_micros(ctx.now);
    let model = Subsidy {
        id,
        advisor_id: new.advisor_id,
        year: new.year,
        fiscal_year: new.fiscal_year,
        assessment_id: new.assessment_id,
        grade: new.grade,
        amount_fen: new.amount_fen,
        special_contribution: new.special_contribution,
        comment: new.comment,
        state: new.state,
        proposed_by: ctx.actor.sub.clone(),
        proposed_at: now,
        decided_by: None,
        decided_at: None,
        decision_reason: None,
        paid_by: None,
        paid_at: None,
        payment_ref: None,
        updated_at: now,
    };
    subsidy::Entity::insert(subsidy::ActiveModel::from(model.clone()))
        .exec_without_returning(tx)
        .await
        .map_err(crate::store::StoreError::from)?;
    if model.state == SubsidyState::Approved {
        commit(
            tx,
            model.fiscal_year,
            ExpenseCategory::WorkSubsidy,
            model.amount_fen,
        )
        .await?;
    }
    append(tx, ctx, event).await?;
    Ok(model)
}

/// What a step on a subsidy records besides its state.
#[derive(Debug, Clone)]
pub enum SubsidyChange {
    /// The government's decision, with its reason.
    Decision { reason: String },
    /// The payment, with its voucher or transfer reference.
    Payment { payment_ref: String },
}

/// Moves subsidy `s` from its state to `to` (by the context's actor), only if it is still in
/// that state, with its money movement: an approval commits the amount against the budget
/// (`commit`), a payment is recorded against it. Appends `event` in the same transaction.
pub async fn advance<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    s: &Subsidy,
    to: SubsidyState,
    change: SubsidyChange,
    event: Event,
) -> Result<(), FundsError> {
    let now = truncate_to_micros(ctx.now);
    let who = Set(Some(ctx.actor.sub.clone()));
    let changes = match change {
        SubsidyChange::Decision { reason } => subsidy::ActiveModel {
            decided_by: who,
            decided_at: Set(Some(now)),
            decision_reason: Set(Some(reason)),
            ..Default::default()
        },
        SubsidyChange::Payment { payment_ref } => subsidy::ActiveModel {
            paid_by: who,
            paid_at: Set(Some(now)),
            payment_ref: Set(Some(payment_ref)),
            ..Default::default()
        },
    };
    update_if_state::<subsidy::Entity, _>(tx, ctx, &s.id, &[s.state], to, changes, event).await?;
    match to {
        SubsidyState::Approved => {
            commit(
                tx,
                s.fiscal_year,
                ExpenseCategory::WorkSubsidy,
                s.amount_fen,
            )
            .await?
        }
        SubsidyState::Paid => pay(tx, s.fiscal_year, s.amount_fen).await?,
        SubsidyState::PendingDecision | SubsidyState::Rejected => {}
    }
    Ok(())
}
