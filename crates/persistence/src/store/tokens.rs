//! Token revocations: the list HRSS keeps, and the version every replica polls to know when
//! its copy is stale. Each change bumps the version in the transaction that makes it.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, QueryFilter, sea_query::Expr,
};

use crate::{
    audit::Context,
    entity::{token_revocation, token_revocation_version},
    store::{Event, PageOf, PageRequest, StoreError, append, insert_row, page_of},
};

pub use token_revocation::Model as TokenRevocation;

/// The version of the revocation list (0 before the first change).
pub async fn revocation_version<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    Ok(token_revocation_version::Entity::find_by_id(1)
        .one(db)
        .await?
        .map_or(0, |row| row.version))
}

/// Every revocation.
pub async fn all_revocations<C: ConnectionTrait>(db: &C) -> Result<Vec<TokenRevocation>, DbErr> {
    token_revocation::Entity::find().all(db).await
}

/// The revocation `id`.
pub async fn revocation<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<TokenRevocation>, DbErr> {
    token_revocation::Entity::find_by_id(id.to_owned())
        .one(db)
        .await
}

/// One page of revocations, newest first.
pub async fn revocations_page<C: ConnectionTrait>(
    db: &C,
    page: PageRequest<String>,
) -> Result<PageOf<TokenRevocation, String>, DbErr> {
    page_of(
        db,
        token_revocation::Entity::find(),
        token_revocation::Column::Id,
        page,
        |r| r.id.clone(),
    )
    .await
}

async fn bump_version<C: ConnectionTrait>(tx: &C) -> Result<(), DbErr> {
    token_revocation_version::Entity::update_many()
        .col_expr(
            token_revocation_version::Column::Version,
            Expr::col(token_revocation_version::Column::Version).add(1),
        )
        .filter(token_revocation_version::Column::Id.eq(1))
        .exec(tx)
        .await?;
    Ok(())
}

/// Records `revocation` (stamped by the caller with [`Context::stamp`]) with its event and
/// bumps the version.
pub async fn insert_revocation<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    revocation: TokenRevocation,
    event: Event,
) -> Result<TokenRevocation, StoreError> {
    let row = insert_row(tx, ctx, revocation, event).await?;
    bump_version(tx).await?;
    Ok(row)
}

/// Lifts the revocation `id` with its event and bumps the version; `Stale` when another change
/// lifted it first.
pub async fn delete_revocation<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    event: Event,
) -> Result<(), StoreError> {
    let deleted = token_revocation::Entity::delete_by_id(id.to_owned())
        .exec(tx)
        .await?;
    if deleted.rows_affected != 1 {
        return Err(StoreError::Stale {
            object: "token_revocation",
            expected: "in force".to_owned(),
        });
    }
    bump_version(tx).await?;
    append(tx, ctx, event).await?;
    Ok(())
}
