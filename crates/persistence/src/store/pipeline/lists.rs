//! Recommendation lists (Art. 4.3), the executive meeting's decision and the report to the
//! party committee (Art. 4.4).

use chrono::NaiveDate;
use guwen_domain::nomination::{CandidateState, ListState};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, sea_query::Expr,
};

use std::collections::HashMap;

use super::{
    Candidate, CandidateStep, Field, RecommendationList, Surroundings, fields_by_code,
    move_candidate, surroundings,
};
use crate::{
    audit::{Context, truncate_to_micros},
    entity::{candidate, recommendation_list},
    store::{
        Event, PageOf, PageRequest, StoreError, append, compare_and_set, page_of, update_if_state,
    },
};

/// One candidate moved by a step on a list or a notice, with its event.
#[derive(Debug, Clone)]
pub struct Move {
    pub candidate_id: String,
    pub from: CandidateState,
    pub to: CandidateState,
    pub step: CandidateStep,
    pub event: Event,
}

async fn apply<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    moves: Vec<Move>,
) -> Result<(), StoreError> {
    for m in moves {
        move_candidate(tx, ctx, &m.candidate_id, m.from, m.to, m.step, m.event).await?;
    }
    Ok(())
}

/// A new recommendation list.
#[derive(Debug, Clone)]
pub struct NewList {
    pub id: String,
    pub title: String,
    pub created_by: String,
}

/// Inserts a `submitted` list, moves its candidates onto it (each with its event), then
/// appends the list's own event.
pub async fn submit_list<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    list: NewList,
    members: Vec<Move>,
    event: Event,
) -> Result<(), StoreError> {
    recommendation_list::Entity::insert(recommendation_list::ActiveModel {
        id: Set(list.id),
        state: Set(ListState::Submitted),
        title: Set(list.title),
        created_by: Set(list.created_by),
        submitted_at: Set(truncate_to_micros(ctx.now)),
        meeting_ref: Set(None),
        meeting_date: Set(None),
        decided_at: Set(None),
        decided_by: Set(None),
        party_committee_reported_on: Set(None),
        party_committee_ref: Set(None),
        party_committee_note: Set(None),
        party_committee_recorded_at: Set(None),
        version: Set(1),
    })
    .exec_without_returning(tx)
    .await?;
    apply(tx, ctx, members).await?;
    append(tx, ctx, event).await?;
    Ok(())
}

/// One page of lists, optionally in one state, newest first.
pub async fn lists_page<C: ConnectionTrait>(
    db: &C,
    state: Option<ListState>,
    page: PageRequest<String>,
) -> Result<PageOf<RecommendationList, String>, DbErr> {
    let mut query = recommendation_list::Entity::find();
    if let Some(s) = state {
        query = query.filter(recommendation_list::Column::State.eq(s));
    }
    page_of(db, query, recommendation_list::Column::Id, page, |l| {
        l.id.clone()
    })
    .await
}

/// The list `id`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<RecommendationList>, DbErr> {
    recommendation_list::Entity::find_by_id(id.to_owned())
        .one(db)
        .await
}

/// A list with what its view needs: its candidates with their surroundings, and the fields.
#[derive(Debug, Clone)]
pub struct ListRead {
    pub list: RecommendationList,
    pub members: Vec<(Candidate, Surroundings)>,
    pub fields: HashMap<String, Field>,
}

/// What the view of `list` needs.
pub async fn read_list<C: ConnectionTrait>(
    db: &C,
    list: RecommendationList,
) -> Result<ListRead, DbErr> {
    let mut reads = read_lists(db, vec![list]).await?;
    reads
        .pop()
        .ok_or_else(|| DbErr::RecordNotFound("recommendation_list".into()))
}

/// What the views of `lists` need, in three statements whatever their number.
pub async fn read_lists<C: ConnectionTrait>(
    db: &C,
    lists: Vec<RecommendationList>,
) -> Result<Vec<ListRead>, DbErr> {
    if lists.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = lists.iter().map(|l| l.id.clone()).collect();
    let rows = candidate::Entity::find()
        .filter(candidate::Column::ListId.is_in(ids))
        .order_by_asc(candidate::Column::Id)
        .all(db)
        .await?;
    let mut around = surroundings(db, &rows).await?;
    let fields = fields_by_code(db).await?;
    let mut members: HashMap<String, Vec<(Candidate, Surroundings)>> = HashMap::new();
    for c in rows {
        let s = around.remove(&c.id).unwrap_or_default();
        let list_id = c.list_id.clone().unwrap_or_default();
        members.entry(list_id).or_default().push((c, s));
    }
    Ok(lists
        .into_iter()
        .map(|list| ListRead {
            members: members.remove(&list.id).unwrap_or_default(),
            fields: fields.clone(),
            list,
        })
        .collect())
}

/// The executive meeting that decided a list.
#[derive(Debug, Clone)]
pub struct ListDecision {
    pub meeting_ref: String,
    pub meeting_date: NaiveDate,
    pub decided_by: String,
}

/// Records each candidate's decision (each with its event), then moves the list from
/// `submitted` to `decided` with its event; [`StoreError::Stale`] (object
/// `recommendation_list`) if it was decided meanwhile.
pub async fn decide_list<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    list_id: &str,
    decision: ListDecision,
    members: Vec<Move>,
    event: Event,
) -> Result<(), StoreError> {
    apply(tx, ctx, members).await?;
    let changes = recommendation_list::ActiveModel {
        meeting_ref: Set(Some(decision.meeting_ref)),
        meeting_date: Set(Some(decision.meeting_date)),
        decided_at: Set(Some(truncate_to_micros(ctx.now))),
        decided_by: Set(Some(decision.decided_by)),
        ..Default::default()
    };
    update_if_state::<recommendation_list::Entity, C>(
        tx,
        ctx,
        list_id,
        &[ListState::Submitted],
        ListState::Decided,
        changes,
        event,
    )
    .await
}

/// The report of a decided list to the party committee.
#[derive(Debug, Clone)]
pub struct PartyCommitteeReport {
    pub reported_on: NaiveDate,
    pub reference: String,
    pub note: Option<String>,
}

/// Puts the report to the party committee on record, once, with its event;
/// [`StoreError::Stale`] if a report is already on record.
pub async fn report_list<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    list_id: &str,
    report: PartyCommitteeReport,
    event: Event,
) -> Result<(), StoreError> {
    let update = recommendation_list::Entity::update_many()
        .set(recommendation_list::ActiveModel {
            party_committee_reported_on: Set(Some(report.reported_on)),
            party_committee_ref: Set(Some(report.reference)),
            party_committee_note: Set(report.note),
            party_committee_recorded_at: Set(Some(truncate_to_micros(ctx.now))),
            ..Default::default()
        })
        .col_expr(
            recommendation_list::Column::Version,
            Expr::col(recommendation_list::Column::Version).add(1),
        )
        .filter(recommendation_list::Column::Id.eq(list_id))
        .filter(recommendation_list::Column::PartyCommitteeReportedOn.is_null());
    compare_and_set(tx, update, "recommendation_list", || {
        "not yet reported".to_owned()
    })
    .await?;
    append(tx, ctx, event).await?;
    Ok(())
}
