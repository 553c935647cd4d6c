//! The change feed (DOMAIN.md §6): the audit trail read in sequence order, the rows its events
//! name, and the changes the calendar makes, recorded once each.
//!
//! Why the sequence has no gaps and is commit-ordered: every writer claims its sequence number
//! by updating the single `audit_head` row ([`crate::audit::append`]) and keeps that row's lock
//! until it commits or rolls back. The next writer's claim waits for the lock and then reads
//! the committed value, so sequence `N + 1` is claimed only after the transaction holding `N`
//! has finished: committed (then `N` is visible to every later snapshot) or rolled back (then
//! `N` is claimed again). A snapshot that sees an event therefore sees every event before it,
//! and reading `seq > after` in order never skips one that commits later.

use std::collections::HashMap;

use chrono::NaiveDate;
use guwen_domain::{Labelled, audit::AuditAction, office::AdvisorStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::{
    audit::{self, AuditEvent, Context, Event},
    entity::{
        advisor, assessment, assignment, audit_event, audit_head, calendar_change, candidate,
        meeting, notice, task,
    },
};

/// The newest committed sequence number (0 before the first event).
pub async fn head_seq<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    Ok(audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .map(|h| h.seq)
        .unwrap_or(0))
}

/// One scan of the trail: the events of `actions` after `after`, and how far the scan reached.
#[derive(Debug, Clone)]
pub struct Scan {
    pub events: Vec<AuditEvent>,
    /// Every event up to here was looked at: a reader may resume after it.
    pub scanned_to: i64,
}

/// Up to `limit` events of the given actions after the sequence number `after`, in order.
///
/// When fewer than `limit` come back, the scan covered everything committed when it began, so
/// `scanned_to` is at least the head read just before it: events of other actions up to there
/// are passed over and never need reading again.
pub async fn scan<C: ConnectionTrait>(
    db: &C,
    after: i64,
    actions: &[AuditAction],
    limit: u64,
) -> Result<Scan, DbErr> {
    let head = head_seq(db).await?;
    let codes: Vec<&str> = actions.iter().map(|a| a.code()).collect();
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Seq.gt(after))
        .filter(audit_event::Column::Action.is_in(codes))
        .order_by_asc(audit_event::Column::Seq)
        .limit(limit)
        .all(db)
        .await?;
    let last = events.last().map(|e| e.seq).unwrap_or(after);
    let scanned_to = if (events.len() as u64) < limit {
        last.max(head).max(after)
    } else {
        last
    };
    Ok(Scan { events, scanned_to })
}

/// Rows by id, for the feed's views: one query per kind of object on a page.
pub async fn advisors<C: ConnectionTrait>(
    db: &C,
    ids: Vec<String>,
) -> Result<HashMap<String, advisor::Model>, DbErr> {
    Ok(advisor::Entity::find()
        .filter(advisor::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect())
}

/// See [`advisors`].
pub async fn candidates<C: ConnectionTrait>(
    db: &C,
    ids: Vec<String>,
) -> Result<HashMap<String, candidate::Model>, DbErr> {
    Ok(candidate::Entity::find()
        .filter(candidate::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect())
}

/// See [`advisors`].
pub async fn tasks<C: ConnectionTrait>(
    db: &C,
    ids: Vec<String>,
) -> Result<HashMap<String, task::Model>, DbErr> {
    Ok(task::Entity::find()
        .filter(task::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect())
}

/// See [`advisors`].
pub async fn meetings<C: ConnectionTrait>(
    db: &C,
    ids: Vec<String>,
) -> Result<HashMap<String, meeting::Model>, DbErr> {
    Ok(meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect())
}

/// See [`advisors`].
pub async fn assignments<C: ConnectionTrait>(
    db: &C,
    ids: Vec<String>,
) -> Result<HashMap<String, assignment::Model>, DbErr> {
    Ok(assignment::Entity::find()
        .filter(assignment::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect())
}

/// See [`advisors`].
pub async fn assessments<C: ConnectionTrait>(
    db: &C,
    ids: Vec<String>,
) -> Result<HashMap<String, assessment::Model>, DbErr> {
    Ok(assessment::Entity::find()
        .filter(assessment::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect())
}

/// What kind of calendar change a row records.
pub const TERM_EXPIRED: &str = "term_expired";
/// See [`TERM_EXPIRED`].
pub const NOTICE_ENDED: &str = "notice_ended";

/// Advisors whose term ended before `today` and who did not leave otherwise (dismissed,
/// resigned): the candidates for a `term_expired` change.
pub async fn ended_terms<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
) -> Result<Vec<advisor::Model>, DbErr> {
    advisor::Entity::find()
        .filter(advisor::Column::TermEndsOn.lt(today))
        .filter(
            advisor::Column::Status.is_not_in([AdvisorStatus::Dismissed, AdvisorStatus::Resigned]),
        )
        .order_by_asc(advisor::Column::Id)
        .all(db)
        .await
}

/// Notices whose window ended on or before `last_day` (their last day inside the window).
pub async fn ended_notices<C: ConnectionTrait>(
    db: &C,
    last_day: NaiveDate,
) -> Result<Vec<notice::Model>, DbErr> {
    notice::Entity::find()
        .filter(notice::Column::EndsOn.lte(last_day))
        .order_by_asc(notice::Column::Id)
        .all(db)
        .await
}

/// The candidates of a notice (who it put on notice).
pub async fn notice_candidates<C: ConnectionTrait>(
    db: &C,
    notice_id: &str,
) -> Result<Vec<String>, DbErr> {
    Ok(candidate::Entity::find()
        .filter(candidate::Column::NoticeId.eq(notice_id))
        .order_by_asc(candidate::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

/// The calendar changes of `kind` already recorded for these objects: (object, date) pairs.
pub async fn recorded<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    ids: Vec<String>,
) -> Result<Vec<(String, NaiveDate)>, DbErr> {
    Ok(calendar_change::Entity::find()
        .filter(calendar_change::Column::Kind.eq(kind))
        .filter(calendar_change::Column::ObjectId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.object_id, r.on_date))
        .collect())
}

/// Records one calendar change and its audit event in the caller's writing transaction, unless
/// it is recorded already (by another replica that got the write lock first): `false` then.
/// The key (kind, object, date) is the table's primary key, so even a writer that skipped this
/// check could not record it twice.
pub async fn record_calendar_change<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    (kind, object_id, on_date): (&str, &str, NaiveDate),
    event: Event,
) -> Result<bool, DbErr> {
    let existing =
        calendar_change::Entity::find_by_id((kind.to_owned(), object_id.to_owned(), on_date))
            .one(tx)
            .await?;
    if existing.is_some() {
        return Ok(false);
    }
    let appended = audit::append(tx, ctx, event).await?;
    let row = calendar_change::Model {
        kind: kind.to_owned(),
        object_id: object_id.to_owned(),
        on_date,
        seq: appended.seq,
    };
    calendar_change::Entity::insert(row.into_active_model().reset_all())
        .exec_without_returning(tx)
        .await?;
    Ok(true)
}
