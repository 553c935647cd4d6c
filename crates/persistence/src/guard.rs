//! Shared guards that must hold across replicas: fixed-window rate limits and named locks,
//! both kept in the database rather than in one process's memory.

use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, DbErr, ExprTrait, StatementBuilder,
    sea_query::{Expr, OnConflict, Query},
};

/// The fixed window `now` falls in: its bucket name for `scope` and `client`, and when it ends.
pub fn rate_window(
    scope: &str,
    client: &str,
    window_secs: i64,
    now: DateTime<Utc>,
) -> (String, DateTime<Utc>) {
    let window_secs = Ord::max(window_secs, 1);
    let index = now.timestamp().div_euclid(window_secs);
    let window_ends_at =
        DateTime::<Utc>::from_timestamp((index + 1) * window_secs, 0).unwrap_or(now);
    (format!("{scope}:{client}:{index}"), window_ends_at)
}

/// Adds `hits` to a window's count (see [`rate_window`]) and returns the new count, shared by
/// every replica. The first hits of a window sweep the windows that ended.
pub async fn rate_limit_add<C: ConnectionTrait>(
    db: &C,
    bucket: &str,
    hits: i32,
    window_ends_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    let upsert = Query::insert()
        .into_table("rate_limits")
        .columns(["bucket", "hits", "window_ends_at"])
        .values_panic([bucket.into(), hits.into(), window_ends_at.into()])
        .on_conflict(
            OnConflict::column("bucket")
                .value("hits", Expr::col(("rate_limits", "hits")).add(hits))
                .to_owned(),
        )
        .returning_col("hits")
        .to_owned();
    let row = db
        .query_one_raw(StatementBuilder::build(&upsert, &backend))
        .await?;
    let total: i32 = match row {
        Some(r) => r.try_get("", "hits")?,
        None => hits,
    };
    if total == hits {
        // A new window began for this client: sweep the windows that ended (once per new
        // bucket, not on every hit).
        let cleanup = Query::delete()
            .from_table("rate_limits")
            .and_where(Expr::col("window_ends_at").lt(crate::audit::truncate_to_micros(now)))
            .to_owned();
        db.execute(&cleanup).await?;
    }
    Ok(i64::from(total))
}

/// Counts one hit in the current window of `scope` for `client`; `Err(seconds)` when the
/// limit is already reached, with the seconds until the window ends.
pub async fn rate_limit_hit<C: ConnectionTrait>(
    db: &C,
    scope: &str,
    client: &str,
    limit: u32,
    window_secs: i64,
    now: DateTime<Utc>,
) -> Result<Result<(), i64>, DbErr> {
    let (bucket, window_ends_at) = rate_window(scope, client, window_secs, now);
    let hits = rate_limit_add(db, &bucket, 1, window_ends_at, now).await?;
    if hits > i64::from(limit) {
        Ok(Err(Ord::max((window_ends_at - now).num_seconds(), 1)))
    } else {
        Ok(Ok(()))
    }
}

/// Takes the named lock for the rest of the transaction. On PostgreSQL this is a row lock
/// that concurrent transactions (on any replica) wait for; on SQLite the single writer
/// already serialises transactions.
pub async fn lock<C: ConnectionTrait>(tx: &C, name: &str) -> Result<(), DbErr> {
    let backend = tx.get_database_backend();
    let insert = Query::insert()
        .into_table("named_locks")
        .columns(["name", "generation"])
        .values_panic([name.into(), 0i64.into()])
        .on_conflict(OnConflict::column("name").do_nothing().to_owned())
        .to_owned();
    tx.execute_raw(StatementBuilder::build(&insert, &backend))
        .await?;
    let update = Query::update()
        .table("named_locks")
        .value("generation", Expr::col("generation").add(1))
        .and_where(Expr::col("name").eq(name))
        .to_owned();
    tx.execute_raw(StatementBuilder::build(&update, &backend))
        .await?;
    Ok(())
}
