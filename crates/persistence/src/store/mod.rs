//! The store: every query, insert and conditional update of Guwen, one module per chapter of
//! the regulation. Store functions take domain values (never request bodies) and return rows
//! or domain values; a function that changes state takes its audit [`Event`] and appends it in
//! the same transaction, so no change can be written without its event.
//!
//! The primitives every chapter shares live here: [`StoreError`], state transitions
//! ([`update_if_state`], built on the one compare-and-set [`compare_and_set`]), [`append`] for
//! events, scoped reads and keyset paging ([`page_of`]).

use guwen_domain::Labelled;
use sea_orm::{
    ActiveEnum, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, ExprTrait,
    IntoActiveModel, ModelTrait, PaginatorTrait, PrimaryKeyTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, UpdateMany, Value, sea_query::Expr,
};
use serde::{Serialize, de::DeserializeOwned};

pub use crate::audit::Event;
use crate::audit::{self, Context, truncate_to_micros};

pub mod assessment;
pub mod awaiting;
pub mod documents;
pub mod feed;
pub mod funds;
pub mod office;
pub mod participation;
pub mod pipeline;
pub mod tokens;
pub mod webhooks;
pub mod work;

/// Anything queries run on: the pool or a transaction.
pub use sea_orm::ConnectionTrait as Connection;

/// The writing transaction the API's write opener hands to chapter code.
pub type Tx = sea_orm::DatabaseTransaction;

/// Why a store function did not write.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row was not in the expected state: another change came first (or the object is
    /// gone).
    #[error("the {object} is no longer `{expected}`: another change came first")]
    Stale {
        object: &'static str,
        expected: String,
    },
    /// A unique constraint refused the write (a duplicate certificate, a second record).
    #[error("a unique constraint refused the write: {0}")]
    Duplicate(DbErr),
    /// Any other database failure.
    #[error(transparent)]
    Db(DbErr),
}

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        if crate::db::is_unique_violation(&e) {
            Self::Duplicate(e)
        } else {
            Self::Db(e)
        }
    }
}

/// A new public id (UUIDv7: sortable by creation time).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Appends one event to the audit chain inside the caller's transaction.
pub async fn append<C: ConnectionTrait>(tx: &C, ctx: &Context, event: Event) -> Result<(), DbErr> {
    audit::append(tx, ctx, event).await?;
    Ok(())
}

/// Inserts `row` as it is given (its instants stamped by the caller with [`Context::stamp`])
/// and appends `event` in the same transaction; returns the row as stored.
pub async fn insert_row<M, C>(tx: &C, ctx: &Context, row: M, event: Event) -> Result<M, StoreError>
where
    M: ModelTrait + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
    C: ConnectionTrait,
{
    M::Entity::insert(row.clone().into_active_model())
        .exec_without_returning(tx)
        .await?;
    append(tx, ctx, event).await?;
    Ok(row)
}

/// The rows of `E` whose `column` is one of `ids`, keyed by their id (no query when `ids` is
/// empty).
pub(crate) async fn rows_by_id<E, C, M>(
    db: &C,
    column: E::Column,
    ids: Vec<String>,
    id_of: impl Fn(&E::Model) -> String,
) -> Result<M, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
    M: Default + FromIterator<(String, E::Model)>,
{
    if ids.is_empty() {
        return Ok(M::default());
    }
    let rows = E::find().filter(column.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(|r| (id_of(&r), r)).collect())
}

/// An entity with a lifecycle: its id, state and (where it has them) version and
/// `updated_at` columns, so that [`update_if_state`] can move any of them.
pub trait Stateful: EntityTrait {
    /// The domain's state enum, stored as its code.
    type State: ActiveEnum + Labelled + std::fmt::Display;
    /// How problems and audit events name the object (`candidate`, `task`, …).
    const OBJECT: &'static str;
    fn id_column() -> Self::Column;
    /// A row's id.
    fn id_of(row: &Self::Model) -> String;
    fn state_column() -> Self::Column;
    fn version_column() -> Option<Self::Column> {
        None
    }
    fn updated_at_column() -> Option<Self::Column> {
        None
    }
}

/// Implements [`Stateful`] for the `Entity` of the entity module it stands in: the state
/// enum, the object's name, its state column and, where the table has them, its version and
/// `updated_at` columns (the id column is always `Id`).
macro_rules! stateful {
    ($state:ty, $object:literal, state = $state_col:ident
        $(, version = $version:ident)? $(, updated_at = $updated_at:ident)?) => {
        impl $crate::store::Stateful for Entity {
            type State = $state;
            const OBJECT: &'static str = $object;
            fn id_column() -> Column {
                Column::Id
            }
            fn id_of(row: &Model) -> String {
                row.id.clone()
            }
            fn state_column() -> Column {
                Column::$state_col
            }
            $(fn version_column() -> Option<Column> {
                Some(Column::$version)
            })?
            $(fn updated_at_column() -> Option<Column> {
                Some(Column::$updated_at)
            })?
        }
    };
}
pub(crate) use stateful;

/// A state transition: moves the object `id` from one of the `from` states to `to` with the
/// given changes, only if it is still in one of them (through [`compare_and_set`]), and appends
/// `event` in the same transaction. Of two racing requests exactly one wins; the other gets
/// [`StoreError::Stale`]. When the event names no before/after state, they are filled in
/// from the transition (before only when `from` is a single state).
pub async fn update_if_state<E: Stateful, C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    from: &[E::State],
    to: E::State,
    changes: E::ActiveModel,
    mut event: Event,
) -> Result<(), StoreError> {
    set_if_state::<E, C>(tx, ctx, id, (from, to), changes).await?;
    if event.before.is_none()
        && let [only] = from
    {
        event.before = Some(only.code().to_owned());
    }
    if event.after.is_none() {
        event.after = Some(to.code().to_owned());
    }
    append(tx, ctx, event).await?;
    Ok(())
}

/// The compare-and-set of [`update_if_state`] without its event: for the second row of one
/// change whose single event the same store function appends (a proposal decided together
/// with the advisor it moves). Only store functions call it, never without that event.
pub(crate) async fn set_if_state<E: Stateful, C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    (from, to): (&[E::State], E::State),
    changes: E::ActiveModel,
) -> Result<(), StoreError> {
    let mut update = E::update_many()
        .set(changes)
        .col_expr(E::state_column(), Expr::value(to.to_value()))
        .filter(E::id_column().eq(id))
        .filter(E::state_column().is_in(from.iter().map(ActiveEnum::to_value)));
    if let Some(version) = E::version_column() {
        update = update.col_expr(version, Expr::col(version).add(1));
    }
    if let Some(updated_at) = E::updated_at_column() {
        update = update.col_expr(updated_at, Expr::value(truncate_to_micros(ctx.now)));
    }
    compare_and_set(tx, update, E::OBJECT, || {
        let expected: Vec<&str> = from.iter().map(|s| s.code()).collect();
        expected.join("` or `")
    })
    .await
}

/// The one compare-and-set: runs `update`, already narrowed to one row and to what must still
/// hold of it (its state, a column still empty), and requires that it changed exactly that
/// row; otherwise another change came first: [`StoreError::Stale`] naming what was expected.
pub(crate) async fn compare_and_set<E: EntityTrait, C: ConnectionTrait>(
    tx: &C,
    update: UpdateMany<E>,
    object: &'static str,
    expected: impl FnOnce() -> String,
) -> Result<(), StoreError> {
    let result = update.exec(tx).await?;
    if result.rows_affected != 1 {
        return Err(StoreError::Stale {
            object,
            expected: expected(),
        });
    }
    Ok(())
}

/// Which way a list runs over its key (UUIDv7 ids sort by creation time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    NewestFirst,
    OldestFirst,
}

/// One page as the store sees it: how many rows, after which key, in which direction.
#[derive(Debug, Clone)]
pub struct PageRequest<K> {
    pub limit: u64,
    pub after: Option<K>,
    pub direction: Direction,
}

/// One page of rows and, when there are more, the key to continue after.
#[derive(Debug, Clone)]
pub struct PageOf<M, K> {
    pub rows: Vec<M>,
    pub next: Option<K>,
}

/// Whose objects a caller may read, where an advisor reads only their own: every advisor's,
/// one advisor's, or nobody's (an advisor token without its advisor id). Each table says what
/// that means for its rows ([`Scope`]), so the lists and the by-id loads filter alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdvisorScope {
    /// Every advisor's.
    All,
    /// One advisor's own.
    Advisor(String),
    /// Nobody's.
    Nobody,
}

impl AdvisorScope {
    /// The condition on a column holding the advisor's id.
    pub(crate) fn condition(&self, advisor_id: impl ColumnTrait) -> Condition {
        match self {
            Self::All => Condition::all(),
            Self::Advisor(id) => Condition::all().add(advisor_id.eq(id.clone())),
            Self::Nobody => Condition::all().add(Expr::value(1).eq(0)),
        }
    }
}

/// Which rows of `E` a caller may read: one definition, turned into the SQL condition of both
/// a list and a by-id load.
pub trait Scope<E: EntityTrait> {
    /// The condition on the rows of `E` the caller may read.
    fn readable(&self) -> Condition;
}

/// The filters of a list of `Entity`, whose rows are paged by their id.
pub trait ListFilter {
    type Entity: Stateful;
    /// The condition on the rows the filters keep.
    fn condition(&self) -> Condition;
}

/// The row of `E` with id `id`, if `scope` lets the caller read it.
pub(crate) async fn find_in_scope<E, C>(
    db: &C,
    id: &str,
    scope: &impl Scope<E>,
) -> Result<Option<E::Model>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<String>,
{
    E::find_by_id(id.to_owned())
        .filter(scope.readable())
        .one(db)
        .await
}

/// One page, by id, of the rows that `scope` lets a caller read and `filter` keeps.
pub async fn page_in_scope<F: ListFilter, C: ConnectionTrait>(
    db: &C,
    scope: &impl Scope<F::Entity>,
    filter: &F,
    page: PageRequest<String>,
) -> Result<PageOf<<F::Entity as EntityTrait>::Model, String>, DbErr> {
    let query = F::Entity::find()
        .filter(scope.readable())
        .filter(filter.condition());
    page_of(db, query, F::Entity::id_column(), page, F::Entity::id_of).await
}

/// How many rows `scope` lets a caller read and `filter` keeps: the length of the list
/// [`page_in_scope`] pages through.
pub async fn count_in_scope<F: ListFilter, C: ConnectionTrait>(
    db: &C,
    scope: &impl Scope<F::Entity>,
    filter: &F,
) -> Result<u64, DbErr>
where
    <F::Entity as EntityTrait>::Model: Sync,
{
    F::Entity::find()
        .filter(scope.readable())
        .filter(filter.condition())
        .count(db)
        .await
}

/// One page of `query` ordered by the unique key `column` (a text id, or a year), after the
/// request's key.
pub async fn page_of<E, C, K>(
    db: &C,
    mut query: Select<E>,
    column: E::Column,
    page: PageRequest<K>,
    key_of: impl Fn(&E::Model) -> K,
) -> Result<PageOf<E::Model, K>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
    K: Serialize + DeserializeOwned + Into<Value>,
{
    if let Some(after) = page.after {
        query = match page.direction {
            Direction::NewestFirst => query.filter(column.lt(after)),
            Direction::OldestFirst => query.filter(column.gt(after)),
        };
    }
    query = match page.direction {
        Direction::NewestFirst => query.order_by_desc(column),
        Direction::OldestFirst => query.order_by_asc(column),
    };
    let mut rows = query.limit(page.limit + 1).all(db).await?;
    let more = rows.len() as u64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    let next = if more { rows.last().map(key_of) } else { None };
    Ok(PageOf { rows, next })
}
