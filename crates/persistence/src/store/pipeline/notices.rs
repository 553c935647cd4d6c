//! Public notices (Art. 4.5) and the objections filed against them.

use chrono::Utc;
use guwen_domain::appointment::{NoticeWindow, ObjectionStatus};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use std::collections::HashMap;

use super::{Candidate, Field, Move, Notice, Objection, fields_by_code};
use crate::{
    audit::{Context, truncate_to_micros},
    entity::{candidate, notice, objection},
    store::{Event, PageOf, PageRequest, StoreError, page_of, update_if_state},
};

/// A new public notice.
#[derive(Debug, Clone)]
pub struct NewNotice {
    pub id: String,
    pub title: String,
    pub window: NoticeWindow,
    pub published_by: String,
}

/// Inserts a notice and moves its candidates onto it, each with its event (the notice has no
/// event of its own: each candidate's records the publication).
pub async fn publish_notice<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    n: NewNotice,
    members: Vec<Move>,
) -> Result<(), StoreError> {
    notice::Entity::insert(notice::ActiveModel {
        id: Set(n.id),
        title: Set(n.title),
        starts_on: Set(n.window.starts_on),
        ends_on: Set(n.window.ends_on),
        closes_at: Set(n.window.closes_at().with_timezone(&Utc)),
        published_by: Set(n.published_by),
        published_at: Set(truncate_to_micros(ctx.now)),
    })
    .exec_without_returning(tx)
    .await?;
    for m in members {
        super::move_candidate(tx, ctx, &m.candidate_id, m.from, m.to, m.step, m.event).await?;
    }
    Ok(())
}

/// One page of notices, newest first.
pub async fn notices_page<C: ConnectionTrait>(
    db: &C,
    page: PageRequest<String>,
) -> Result<PageOf<Notice, String>, DbErr> {
    page_of(db, notice::Entity::find(), notice::Column::Id, page, |n| {
        n.id.clone()
    })
    .await
}

/// The notice `id`.
pub async fn notice<C: ConnectionTrait>(db: &C, id: &str) -> Result<Option<Notice>, DbErr> {
    notice::Entity::find_by_id(id.to_owned()).one(db).await
}

/// A notice with what its public view needs: its candidates and the fields.
#[derive(Debug, Clone)]
pub struct NoticeRead {
    pub notice: Notice,
    pub candidates: Vec<Candidate>,
    pub fields: HashMap<String, Field>,
}

/// What the public view of `notice` needs.
pub async fn read_notice<C: ConnectionTrait>(db: &C, notice: Notice) -> Result<NoticeRead, DbErr> {
    let mut reads = read_notices(db, vec![notice]).await?;
    reads
        .pop()
        .ok_or_else(|| DbErr::RecordNotFound("notice".into()))
}

/// What the public views of `notices` need, in two statements whatever their number.
pub async fn read_notices<C: ConnectionTrait>(
    db: &C,
    notices: Vec<Notice>,
) -> Result<Vec<NoticeRead>, DbErr> {
    if notices.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = notices.iter().map(|n| n.id.clone()).collect();
    let mut listed: HashMap<String, Vec<Candidate>> = HashMap::new();
    for c in candidate::Entity::find()
        .filter(candidate::Column::NoticeId.is_in(ids))
        .order_by_asc(candidate::Column::Id)
        .all(db)
        .await?
    {
        listed
            .entry(c.notice_id.clone().unwrap_or_default())
            .or_default()
            .push(c);
    }
    let fields = fields_by_code(db).await?;
    Ok(notices
        .into_iter()
        .map(|notice| NoticeRead {
            candidates: listed.remove(&notice.id).unwrap_or_default(),
            fields: fields.clone(),
            notice,
        })
        .collect())
}

/// Filters of the objection list.
#[derive(Debug, Clone, Default)]
pub struct ObjectionFilter {
    pub status: Option<ObjectionStatus>,
    pub notice_id: Option<String>,
    pub candidate_id: Option<String>,
}

/// One page of objections, newest first.
pub async fn objections_page<C: ConnectionTrait>(
    db: &C,
    filter: &ObjectionFilter,
    page: PageRequest<String>,
) -> Result<PageOf<Objection, String>, DbErr> {
    let mut query = objection::Entity::find();
    if let Some(s) = filter.status {
        query = query.filter(objection::Column::Status.eq(s));
    }
    if let Some(n) = &filter.notice_id {
        query = query.filter(objection::Column::NoticeId.eq(n.as_str()));
    }
    if let Some(c) = &filter.candidate_id {
        query = query.filter(objection::Column::CandidateId.eq(c.as_str()));
    }
    page_of(db, query, objection::Column::Id, page, |o| o.id.clone()).await
}

/// The objection `id`.
pub async fn objection<C: ConnectionTrait>(db: &C, id: &str) -> Result<Option<Objection>, DbErr> {
    objection::Entity::find_by_id(id.to_owned()).one(db).await
}

/// HRSS's resolution of an objection.
#[derive(Debug, Clone)]
pub struct Resolution {
    pub status: ObjectionStatus,
    pub resolved_by: String,
    pub reason: String,
}

/// Moves an `open` objection to its resolution with its event; [`StoreError::Stale`] if it
/// was resolved meanwhile.
pub async fn resolve_objection<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    r: Resolution,
    event: Event,
) -> Result<(), StoreError> {
    let changes = objection::ActiveModel {
        resolved_by: Set(Some(r.resolved_by)),
        resolved_at: Set(Some(truncate_to_micros(ctx.now))),
        resolution_reason: Set(Some(r.reason)),
        ..Default::default()
    };
    update_if_state::<objection::Entity, C>(
        tx,
        ctx,
        id,
        &[ObjectionStatus::Open],
        r.status,
        changes,
        event,
    )
    .await
}
