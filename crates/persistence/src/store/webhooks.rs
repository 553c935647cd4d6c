//! Webhook subscriptions and their delivery state (DOMAIN.md §6, "signed webhooks").
//!
//! Delivery state lives in the subscription's row so that any replica can deliver: `cursor` is
//! the last audit sequence number delivered (or passed over), `attempts`, `next_attempt_ms` and
//! `failing_since_ms` the retry state of the next event, and `lease_owner`/`lease_until_ms` the
//! lease of the one delivery run under way. A run claims the lease with a conditional update,
//! and every step it records names its lease token and the cursor it started from: a run whose
//! lease expired (its replica was killed or stalled) or whose subscription was replayed meanwhile
//! changes nothing, and the next run starts again from the cursor in the row.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, UpdateMany, sea_query::Expr,
};

use super::{Event, PageOf, PageRequest, StoreError, append, page_of};
use crate::audit::Context;
use crate::entity::webhook_subscription::{self, Column, Entity, Model};

pub use webhook_subscription::Model as Subscription;

/// Delivering.
pub const ACTIVE: &str = "active";
/// Retries ran out; replay to resume.
pub const FAILED: &str = "failed";

/// Creates a subscription and appends its event.
pub async fn insert<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    row: Model,
    event: Event,
) -> Result<Model, StoreError> {
    Entity::insert(row.clone().into_active_model().reset_all())
        .exec_without_returning(tx)
        .await?;
    append(tx, ctx, event).await?;
    Ok(row)
}

/// One subscription.
pub async fn find<C: ConnectionTrait>(db: &C, id: &str) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id.to_owned()).one(db).await
}

/// One page of subscriptions, oldest first.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    page: PageRequest<String>,
) -> Result<PageOf<Model, String>, DbErr> {
    page_of(db, Entity::find(), Column::Id, page, |m| m.id.clone()).await
}

/// Deletes a subscription and appends its event; `false` when there was none.
pub async fn delete<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    event: Event,
) -> Result<bool, StoreError> {
    let gone = Entity::delete_by_id(id.to_owned()).exec(tx).await?;
    appended_if_changed(tx, ctx, gone.rows_affected, event).await
}

/// Appends `event` when a change touched a subscription; whether it did.
async fn appended_if_changed<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    rows_affected: u64,
    event: Event,
) -> Result<bool, StoreError> {
    if rows_affected == 0 {
        return Ok(false);
    }
    append(tx, ctx, event).await?;
    Ok(true)
}

/// Restarts delivery after the sequence number `after` (a replay, or the resumption of a
/// failed subscription): active, no retry pending, no lease (a run under way loses it and
/// records nothing more). `false` when there is no such subscription.
pub async fn replay<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    after: i64,
    now: chrono::DateTime<chrono::Utc>,
    event: Event,
) -> Result<bool, StoreError> {
    let done = Entity::update_many()
        .col_expr(Column::Cursor, Expr::value(after))
        .col_expr(Column::State, Expr::value(ACTIVE))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::NextAttemptMs, Expr::value(0i64))
        .col_expr(Column::FailingSinceMs, Expr::value(Option::<i64>::None))
        .col_expr(Column::LastError, Expr::value(Option::<String>::None))
        .col_expr(Column::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(Column::LeaseUntilMs, Expr::value(0i64))
        .col_expr(
            Column::UpdatedAt,
            Expr::value(crate::audit::truncate_to_micros(now)),
        )
        .filter(Column::Id.eq(id))
        .exec(tx)
        .await?;
    appended_if_changed(tx, ctx, done.rows_affected, event).await
}

/// Active subscriptions with something to deliver (`cursor < head`), whose retry is due and
/// which no live lease holds, the most overdue first.
pub async fn due<C: ConnectionTrait>(
    db: &C,
    head: i64,
    now_ms: i64,
    limit: u64,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::State.eq(ACTIVE))
        .filter(Column::Cursor.lt(head))
        .filter(Column::NextAttemptMs.lte(now_ms))
        .filter(Column::LeaseUntilMs.lt(now_ms))
        .order_by_asc(Column::NextAttemptMs)
        .limit(limit)
        .all(db)
        .await
}

/// Takes the lease of a due subscription for `token` until `until_ms`; the row as claimed, or
/// `None` when another replica took it first (or it is no longer due).
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    id: &str,
    token: &str,
    now_ms: i64,
    until_ms: i64,
) -> Result<Option<Model>, DbErr> {
    let done = Entity::update_many()
        .col_expr(Column::LeaseOwner, Expr::value(token))
        .col_expr(Column::LeaseUntilMs, Expr::value(until_ms))
        .filter(Column::Id.eq(id))
        .filter(Column::State.eq(ACTIVE))
        .filter(Column::NextAttemptMs.lte(now_ms))
        .filter(Column::LeaseUntilMs.lt(now_ms))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Ok(None);
    }
    Ok(find(db, id)
        .await?
        .filter(|m| m.lease_owner.as_deref() == Some(token)))
}

/// The lease a run holds and the cursor it read: every step below changes the row only while
/// both are still the row's.
#[derive(Debug, Clone)]
pub struct Lease<'a> {
    pub id: &'a str,
    pub token: &'a str,
    pub cursor: i64,
}

impl Lease<'_> {
    /// Runs `update` on the leased row only while the lease and the cursor are still the row's;
    /// whether it changed it.
    async fn apply<C: ConnectionTrait>(
        &self,
        db: &C,
        update: UpdateMany<Entity>,
    ) -> Result<bool, DbErr> {
        let done = update
            .filter(Column::Id.eq(self.id))
            .filter(Column::LeaseOwner.eq(self.token))
            .filter(Column::Cursor.eq(self.cursor))
            .exec(db)
            .await?;
        Ok(done.rows_affected == 1)
    }
}

/// Moves the cursor to `to` (delivered, or passed over), clears the retry state and extends the
/// lease to `until_ms`. `false` when the lease or the cursor changed meanwhile.
pub async fn advance<C: ConnectionTrait>(
    db: &C,
    lease: &Lease<'_>,
    to: i64,
    delivered: bool,
    now_ms: i64,
    until_ms: i64,
) -> Result<bool, DbErr> {
    let mut update = Entity::update_many()
        .col_expr(Column::Cursor, Expr::value(to))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::FailingSinceMs, Expr::value(Option::<i64>::None))
        .col_expr(Column::LastError, Expr::value(Option::<String>::None))
        .col_expr(Column::LeaseUntilMs, Expr::value(until_ms));
    if delivered {
        update = update
            .col_expr(Column::Delivered, Expr::col(Column::Delivered).add(1))
            .col_expr(Column::LastDeliveredMs, Expr::value(now_ms))
            .col_expr(Column::LastAttemptMs, Expr::value(now_ms));
    }
    lease.apply(db, update).await
}

/// A failed attempt at the event after the lease's cursor.
#[derive(Debug, Clone)]
pub struct Failure {
    pub error: String,
    pub now_ms: i64,
    /// When to try again.
    pub next_attempt_ms: i64,
    /// Retries ran out: the subscription becomes `failed`.
    pub give_up: bool,
}

/// Records a failed attempt and gives the lease back; `false` when the lease or cursor changed
/// meanwhile.
pub async fn fail<C: ConnectionTrait>(
    db: &C,
    lease: &Lease<'_>,
    failure: Failure,
) -> Result<bool, DbErr> {
    let mut update = Entity::update_many()
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .col_expr(
            Column::FailingSinceMs,
            Expr::col(Column::FailingSinceMs).if_null(failure.now_ms),
        )
        .col_expr(Column::LastError, Expr::value(failure.error))
        .col_expr(Column::LastAttemptMs, Expr::value(failure.now_ms))
        .col_expr(Column::NextAttemptMs, Expr::value(failure.next_attempt_ms))
        .col_expr(Column::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(Column::LeaseUntilMs, Expr::value(0i64));
    if failure.give_up {
        update = update.col_expr(Column::State, Expr::value(FAILED));
    }
    lease.apply(db, update).await
}

/// Gives a lease back when the run ends with nothing left to deliver.
pub async fn release<C: ConnectionTrait>(db: &C, id: &str, token: &str) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(Column::LeaseUntilMs, Expr::value(0i64))
        .filter(Column::Id.eq(id))
        .filter(Column::LeaseOwner.eq(token))
        .exec(db)
        .await?;
    Ok(())
}
