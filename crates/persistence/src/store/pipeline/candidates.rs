//! Candidates: who sees which, their surroundings, the nomination and every step that moves
//! one.

use std::collections::HashMap;

use chrono::NaiveDate;
use guwen_domain::{
    appointment::{AgeExceptionStatus, ObjectionStatus},
    nomination::{CandidateState, NominationChannel},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, ExprTrait,
    QueryFilter, Select, sea_query::Expr,
};

use super::{Candidate, Field, Notice, RecommendationList, fields_by_code};
use crate::{
    audit::{Context, truncate_to_micros},
    entity::{candidate, notice, objection, recommendation_list},
    store::{
        Event, PageOf, PageRequest, StoreError, insert_row, page_of, rows_by_id, update_if_state,
    },
};

/// Which candidates a caller may see: the one definition behind both the list and the load
/// by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CandidateScope {
    /// Every candidate.
    All,
    /// Those this organisation nominated and those of the fields it leads.
    Org(String),
    /// None at all.
    Nothing,
}

impl CandidateScope {
    fn apply(&self, query: Select<candidate::Entity>) -> Select<candidate::Entity> {
        match self {
            Self::All => query,
            Self::Org(org) => query.filter(
                Condition::any()
                    .add(candidate::Column::NominatingOrgId.eq(org.as_str()))
                    .add(candidate::Column::LeadOrgId.eq(org.as_str())),
            ),
            Self::Nothing => query.filter(Expr::val(1).eq(0)),
        }
    }
}

/// Facts about a candidate beyond its row: its notice, open objections and list.
#[derive(Debug, Clone, Default)]
pub struct Surroundings {
    pub notice: Option<Notice>,
    pub open_objections: u64,
    pub list: Option<RecommendationList>,
}

/// Filters of the candidate list, on stored values.
#[derive(Debug, Clone, Default)]
pub struct CandidateFilter {
    pub state: Option<CandidateState>,
    pub field: Option<String>,
    pub channel: Option<NominationChannel>,
    pub list_id: Option<String>,
    pub notice_id: Option<String>,
}

/// One page of the candidates in `scope` matching `filter`.
pub async fn candidates_page<C: ConnectionTrait>(
    db: &C,
    scope: &CandidateScope,
    filter: &CandidateFilter,
    page: PageRequest<String>,
) -> Result<PageOf<Candidate, String>, DbErr> {
    let mut query = scope.apply(candidate::Entity::find());
    if let Some(s) = filter.state {
        query = query.filter(candidate::Column::State.eq(s));
    }
    if let Some(f) = &filter.field {
        query = query.filter(candidate::Column::FieldCode.eq(f.as_str()));
    }
    if let Some(ch) = filter.channel {
        query = query.filter(candidate::Column::Channel.eq(ch));
    }
    if let Some(l) = &filter.list_id {
        query = query.filter(candidate::Column::ListId.eq(l.as_str()));
    }
    if let Some(n) = &filter.notice_id {
        query = query.filter(candidate::Column::NoticeId.eq(n.as_str()));
    }
    page_of(db, query, candidate::Column::Id, page, |c| c.id.clone()).await
}

/// The candidate `id` if it is in `scope`, with its surroundings.
pub async fn candidate_in_scope<C: ConnectionTrait>(
    db: &C,
    scope: &CandidateScope,
    id: &str,
) -> Result<Option<(Candidate, Surroundings)>, DbErr> {
    let Some(c) = scope
        .apply(candidate::Entity::find_by_id(id.to_owned()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let s = surroundings(db, std::slice::from_ref(&c))
        .await?
        .remove(&c.id)
        .unwrap_or_default();
    Ok(Some((c, s)))
}

/// A candidate with what its view needs: its surroundings and the fields of expertise.
#[derive(Debug, Clone)]
pub struct CandidateRead {
    pub candidate: Candidate,
    pub around: Surroundings,
    pub fields: HashMap<String, Field>,
}

/// The candidate `id` if it is in `scope`, with what its view needs.
pub async fn read_candidate<C: ConnectionTrait>(
    db: &C,
    scope: &CandidateScope,
    id: &str,
) -> Result<Option<CandidateRead>, DbErr> {
    let Some((candidate, around)) = candidate_in_scope(db, scope, id).await? else {
        return Ok(None);
    };
    Ok(Some(CandidateRead {
        candidate,
        around,
        fields: fields_by_code(db).await?,
    }))
}

/// The candidate `id`, whoever asks.
pub async fn candidate<C: ConnectionTrait>(db: &C, id: &str) -> Result<Option<Candidate>, DbErr> {
    candidate::Entity::find_by_id(id.to_owned()).one(db).await
}

/// The candidates of a list still awaiting the executive meeting's decision.
pub async fn submitted_on_list<C: ConnectionTrait>(
    db: &C,
    list_id: &str,
) -> Result<Vec<Candidate>, DbErr> {
    candidate::Entity::find()
        .filter(candidate::Column::ListId.eq(list_id))
        .filter(candidate::Column::State.eq(CandidateState::Submitted))
        .all(db)
        .await
}

/// The names of these candidates, by id.
pub async fn candidate_names<C: ConnectionTrait>(
    db: &C,
    ids: Vec<String>,
) -> Result<HashMap<String, String>, DbErr> {
    Ok(candidate::Entity::find()
        .filter(candidate::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}

/// The surroundings of several candidates, in three queries.
pub async fn surroundings<C: ConnectionTrait>(
    db: &C,
    rows: &[Candidate],
) -> Result<HashMap<String, Surroundings>, DbErr> {
    let notice_ids: Vec<String> = rows.iter().filter_map(|c| c.notice_id.clone()).collect();
    let list_ids: Vec<String> = rows.iter().filter_map(|c| c.list_id.clone()).collect();
    let ids: Vec<String> = rows.iter().map(|c| c.id.clone()).collect();
    let notices: HashMap<String, Notice> =
        rows_by_id::<notice::Entity, _, _>(db, notice::Column::Id, notice_ids, |n| n.id.clone())
            .await?;
    let lists: HashMap<String, RecommendationList> =
        rows_by_id::<recommendation_list::Entity, _, _>(
            db,
            recommendation_list::Column::Id,
            list_ids,
            |l| l.id.clone(),
        )
        .await?;
    let mut open: HashMap<String, u64> = HashMap::new();
    if !ids.is_empty() {
        for o in objection::Entity::find()
            .filter(objection::Column::CandidateId.is_in(ids))
            .filter(objection::Column::Status.eq(ObjectionStatus::Open))
            .all(db)
            .await?
        {
            *open.entry(o.candidate_id).or_default() += 1;
        }
    }
    Ok(rows
        .iter()
        .map(|c| {
            let s = Surroundings {
                notice: c.notice_id.as_ref().and_then(|id| notices.get(id).cloned()),
                open_objections: open.get(&c.id).copied().unwrap_or(0),
                list: c.list_id.as_ref().and_then(|id| lists.get(id).cloned()),
            };
            (c.id.clone(), s)
        })
        .collect())
}

/// A nominated candidate, as it will be stored.
#[derive(Debug, Clone)]
pub struct NewCandidate {
    pub id: String,
    pub channel: NominationChannel,
    pub field_code: String,
    /// The field's lead department, which does the preliminary review.
    pub lead_org_id: String,
    pub nominating_org_id: Option<String>,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub birth_date: NaiveDate,
    pub experience_years: i32,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub achievements: String,
    pub referrer: Option<String>,
}

/// Inserts a `nominated` candidate, created by the context's actor, and its event.
pub async fn insert_candidate<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    n: NewCandidate,
    event: Event,
) -> Result<(), StoreError> {
    let now = truncate_to_micros(ctx.now);
    let row = Candidate {
        id: n.id,
        state: CandidateState::Nominated,
        version: 1,
        channel: n.channel,
        field_code: n.field_code,
        nominating_org_id: n.nominating_org_id,
        lead_org_id: n.lead_org_id,
        created_by: ctx.actor.sub.clone(),
        name: n.name,
        employer: n.employer,
        title: n.title,
        birth_date: n.birth_date,
        experience_years: n.experience_years,
        id_number: n.id_number,
        phone: n.phone,
        email: n.email,
        address: n.address,
        achievements: n.achievements,
        referrer: n.referrer,
        review: None,
        reviewed_by: None,
        reviewed_at: None,
        background_passed: None,
        background_findings: None,
        background_checked_by: None,
        background_checked_at: None,
        list_id: None,
        approved: None,
        decision_note: None,
        age_exception_reason: None,
        age_exception_approved: false,
        age_exception_status: None,
        notice_id: None,
        proposed_term_years: None,
        advisor_id: None,
        closing_reason: None,
        created_at: now,
        updated_at: now,
    };
    insert_row(tx, ctx, row, event).await?;
    Ok(())
}

/// What a step of the procedure records on the candidate besides its new state.
#[derive(Debug, Clone)]
pub enum CandidateStep {
    /// The preliminary review (Art. 4.1), stored as JSON, by the context's time.
    PreliminaryReview {
        review: String,
        reviewed_by: String,
        closing_reason: Option<String>,
    },
    /// The background check (Art. 4.2).
    BackgroundCheck {
        passed: bool,
        findings: String,
        checked_by: String,
        closing_reason: Option<String>,
    },
    /// Put on a recommendation list (Art. 4.3).
    Submit { list_id: String },
    /// The executive meeting's decision (Art. 4.4, 5.5).
    Decide {
        approved: bool,
        note: Option<String>,
        age_exception_reason: Option<String>,
        age_exception_approved: bool,
        closing_reason: Option<String>,
    },
    /// Put on a public notice (Art. 4.5).
    PublishNotice {
        notice_id: String,
        proposed_term_years: i32,
    },
    /// The procedure ends (withdrawal, an upheld objection) for this reason.
    Close { reason: String },
    /// Appointed as this advisor (Art. 4.6).
    Appoint { advisor_id: String },
    /// HRSS asks the government for an exception to the age limit after the executive
    /// meeting, with this reason (Art. 5.5).
    RequestAgeException { reason: String },
    /// The government approves or refuses the requested exception (Art. 5.5).
    DecideAgeException { approved: bool },
}

impl CandidateStep {
    fn changes(self, ctx: &Context) -> candidate::ActiveModel {
        let now = truncate_to_micros(ctx.now);
        match self {
            Self::PreliminaryReview {
                review,
                reviewed_by,
                closing_reason,
            } => candidate::ActiveModel {
                review: Set(Some(review)),
                reviewed_by: Set(Some(reviewed_by)),
                reviewed_at: Set(Some(now)),
                closing_reason: Set(closing_reason),
                ..Default::default()
            },
            Self::BackgroundCheck {
                passed,
                findings,
                checked_by,
                closing_reason,
            } => candidate::ActiveModel {
                background_passed: Set(Some(passed)),
                background_findings: Set(Some(findings)),
                background_checked_by: Set(Some(checked_by)),
                background_checked_at: Set(Some(now)),
                closing_reason: Set(closing_reason),
                ..Default::default()
            },
            Self::Submit { list_id } => candidate::ActiveModel {
                list_id: Set(Some(list_id)),
                ..Default::default()
            },
            Self::Decide {
                approved,
                note,
                age_exception_reason,
                age_exception_approved,
                closing_reason,
            } => candidate::ActiveModel {
                approved: Set(Some(approved)),
                decision_note: Set(note),
                age_exception_reason: Set(age_exception_reason),
                age_exception_approved: Set(age_exception_approved),
                age_exception_status: Set(
                    age_exception_approved.then_some(AgeExceptionStatus::Approved)
                ),
                closing_reason: Set(closing_reason),
                ..Default::default()
            },
            Self::PublishNotice {
                notice_id,
                proposed_term_years,
            } => candidate::ActiveModel {
                notice_id: Set(Some(notice_id)),
                proposed_term_years: Set(Some(proposed_term_years)),
                ..Default::default()
            },
            Self::Close { reason } => candidate::ActiveModel {
                closing_reason: Set(Some(reason)),
                ..Default::default()
            },
            Self::Appoint { advisor_id } => candidate::ActiveModel {
                advisor_id: Set(Some(advisor_id)),
                ..Default::default()
            },
            Self::RequestAgeException { reason } => candidate::ActiveModel {
                age_exception_reason: Set(Some(reason)),
                age_exception_approved: Set(false),
                age_exception_status: Set(Some(AgeExceptionStatus::Requested)),
                ..Default::default()
            },
            Self::DecideAgeException { approved } => candidate::ActiveModel {
                age_exception_approved: Set(approved),
                age_exception_status: Set(Some(if approved {
                    AgeExceptionStatus::Approved
                } else {
                    AgeExceptionStatus::Refused
                })),
                ..Default::default()
            },
        }
    }
}

/// Moves the candidate `id` from the stored state `from` to `to`, recording `step`, and
/// appends `event`; [`StoreError::Stale`] if another change came first.
pub async fn move_candidate<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    from: CandidateState,
    to: CandidateState,
    step: CandidateStep,
    event: Event,
) -> Result<(), StoreError> {
    let changes = step.changes(ctx);
    update_if_state::<candidate::Entity, C>(tx, ctx, id, &[from], to, changes, event).await
}
