//! Work subsidies (Art. 14, 16): reads, the proposal (committed at once when approved) and the
//! steps (the government's decision with its commitment, the payment).

use guwen_domain::funds::{ExpenseCategory, SubsidyState};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
};

use super::{FundsError, Subsidy, commit, pay};
use crate::{
    audit::{Context, truncate_to_micros},
    entity::subsidy,
    store::{AdvisorScope, Event, ListFilter, Scope, find_in_scope, insert_row, update_if_state},
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

/// Records subsidy `row` (built and stamped by the caller with [`Context::stamp`]) and
/// appends `event`; an approved one is committed against the budget of its fiscal year
/// (`commit`). A second live subsidy of the advisor and year is
/// [`crate::store::StoreError::Duplicate`].
pub async fn insert<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    row: Subsidy,
    event: Event,
) -> Result<Subsidy, FundsError> {
    let row = insert_row(tx, ctx, row, event).await?;
    if row.state == SubsidyState::Approved {
        commit(
            tx,
            row.fiscal_year,
            ExpenseCategory::WorkSubsidy,
            row.amount_fen,
        )
        .await?;
    }
    Ok(row)
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
