//! Recommendation lists (Art. 4.3), the executive meeting's decision (Art. 4.4) and the report
//! to the party committee (Art. 4.4, 上报市委).

use std::collections::HashSet;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    nomination::{self, CandidateAction, CandidateState},
    role::Role,
    time::to_cst,
};
use guwen_persistence::{
    audit::truncate_to_micros,
    entity::{candidate, recommendation_list},
    sea_orm::{
        ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter,
        QueryOrder, sea_query::Expr,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::{
    candidates::{effective_state, stored_state, surroundings, transition},
    common::{
        FieldRef, Transition, field_ref, fields_by_code, new_id, optional_text, record,
        required_text,
    },
};
use crate::{
    access::Caller,
    error::ApiError,
    extract::ApiJson,
    idempotency::{Created, IdempotencyKey},
    pagination::{Direction, Page, PageParams, page_of},
    state::AppState,
    write::audit_context,
};

/// Where a list stands.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ListState {
    /// Submitted to the government, awaiting the executive meeting.
    Submitted,
    /// Decided by the executive meeting.
    Decided,
}

/// A candidate on a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListCandidate {
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field: FieldRef,
    pub state: CandidateState,
    /// The executive meeting's decision, once taken.
    pub approved: Option<bool>,
}

/// The executive meeting's decision on the list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListDecision {
    pub meeting_ref: String,
    pub meeting_date: NaiveDate,
    pub decided_by: String,
    pub decided_at: DateTime<FixedOffset>,
}

/// The report of the approved list to the party committee.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartyCommitteeReport {
    pub reported_on: NaiveDate,
    pub reference: String,
    pub note: Option<String>,
    pub recorded_at: DateTime<FixedOffset>,
}

/// A list-level action the caller may take now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListAction {
    pub action: CandidateAction,
    #[schema(example = "Art. 4.4")]
    pub article: String,
    pub href: String,
}

/// A recommendation list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListView {
    pub id: String,
    pub title: String,
    pub state: ListState,
    pub submitted_by: String,
    pub submitted_at: DateTime<FixedOffset>,
    pub candidates: Vec<ListCandidate>,
    pub decision: Option<ListDecision>,
    pub party_committee_report: Option<PartyCommitteeReport>,
    pub allowed_actions: Vec<ListAction>,
}

async fn view<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    l: &recommendation_list::Model,
    today: NaiveDate,
) -> Result<ListView, ApiError> {
    let rows = candidate::Entity::find()
        .filter(candidate::Column::ListId.eq(l.id.clone()))
        .order_by_asc(candidate::Column::Id)
        .all(db)
        .await?;
    let around = surroundings(db, &rows).await?;
    let fields = fields_by_code(db).await?;
    let mut candidates = Vec::with_capacity(rows.len());
    for c in &rows {
        let s = around.get(&c.id).cloned().unwrap_or_default();
        candidates.push(ListCandidate {
            id: c.id.clone(),
            name: c.name.clone(),
            employer: c.employer.clone(),
            title: c.title.clone(),
            field: field_ref(&fields, &c.field_code),
            state: effective_state(c, &s, today)?,
            approved: c.approved,
        });
    }
    let state = if l.state == "decided" {
        ListState::Decided
    } else {
        ListState::Submitted
    };
    let decision = match (&l.meeting_ref, l.meeting_date, &l.decided_by, l.decided_at) {
        (Some(r), Some(d), Some(by), Some(at)) => Some(ListDecision {
            meeting_ref: r.clone(),
            meeting_date: d,
            decided_by: by.clone(),
            decided_at: to_cst(at),
        }),
        _ => None,
    };
    let party_committee_report = match (
        l.party_committee_reported_on,
        &l.party_committee_ref,
        l.party_committee_recorded_at,
    ) {
        (Some(on), Some(r), Some(at)) => Some(PartyCommitteeReport {
            reported_on: on,
            reference: r.clone(),
            note: l.party_committee_note.clone(),
            recorded_at: to_cst(at),
        }),
        _ => None,
    };
    let mut allowed_actions = Vec::new();
    if state == ListState::Submitted && caller.has(Role::Government) {
        allowed_actions.push(ListAction {
            action: CandidateAction::Decide,
            article: nomination::article_of(CandidateAction::Decide).into(),
            href: format!("/api/v1/recommendation-lists/{}/decision", l.id),
        });
    }
    if state == ListState::Decided
        && party_committee_report.is_none()
        && (caller.has(Role::Government) || caller.has(Role::Hrss))
    {
        allowed_actions.push(ListAction {
            action: CandidateAction::ReportToPartyCommittee,
            article: nomination::article_of(CandidateAction::ReportToPartyCommittee).into(),
            href: format!(
                "/api/v1/recommendation-lists/{}/party-committee-report",
                l.id
            ),
        });
    }
    Ok(ListView {
        id: l.id.clone(),
        title: l.title.clone(),
        state,
        submitted_by: l.created_by.clone(),
        submitted_at: to_cst(l.submitted_at),
        candidates,
        decision,
        party_committee_report,
        allowed_actions,
    })
}

async fn load<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<recommendation_list::Model, ApiError> {
    recommendation_list::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("recommendation list"))
}

/// A new recommendation list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateListRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "2026年第一批市政府顾问人选建议名单",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub title: String,
    /// Candidates whose background check has passed (Art. 4.3).
    #[validate(length(min = 1, max = 50))]
    #[schema(min_items = 1, max_items = 50)]
    pub candidate_ids: Vec<String>,
}

/// Submit a recommendation list
///
/// Gathers background-checked candidates into a recommendation list submitted to the
/// government (Art. 4.3); each becomes `submitted`.
#[utoipa::path(
    tag = "recommendation lists",
    security(("bearer" = ["hrss"])),
    request_body = CreateListRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key", pattern = "^[!-~]{1,200}$")),
    responses((status = 201, description = "The submitted list", body = ListView, headers(("Location" = String, description = "The list's URL"))))
)]
#[post("/recommendation-lists")]
async fn create_list(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: ApiJson<CreateListRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let title = required_text("title", &body.title, 200)?;
    let mut seen = HashSet::new();
    if let Some(dup) = body
        .candidate_ids
        .iter()
        .find(|id| !seen.insert(id.as_str()))
    {
        return Err(ApiError::invalid_field(
            "candidate_ids",
            format!("lists {dup} twice"),
        ));
    }
    crate::write::write(
        &state,
        &req,
        &caller.idempotency_scope(),
        &key,
        &body,
        async |tx| {
            let list_id = new_id();
            let now = truncate_to_micros(ctx.now);
            recommendation_list::Entity::insert(recommendation_list::ActiveModel {
                id: Set(list_id.clone()),
                state: Set("submitted".into()),
                title: Set(title.clone()),
                created_by: Set(caller.sub().to_owned()),
                submitted_at: Set(now),
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
            for id in &body.candidate_ids {
                let c = candidate::Entity::find_by_id(id.clone())
                    .one(tx)
                    .await?
                    .ok_or_else(|| {
                        ApiError::invalid_field("candidate_ids", format!("no candidate {id}"))
                    })?;
                let from = stored_state(&c)?;
                let to =
                    nomination::transition(from, CandidateAction::Submit, true).map_err(|v| {
                        ApiError::from(v).with_detail_prefix(&format!("candidate {id}: "))
                    })?;
                let changes = candidate::ActiveModel {
                    list_id: Set(Some(list_id.clone())),
                    ..Default::default()
                };
                transition(tx, id, from, to, changes, &ctx).await?;
                record(
                    tx,
                    &ctx,
                    Transition {
                        action: AuditAction::CandidateSubmitted,
                        object_type: "candidate",
                        object_id: id,
                        before: Some(from.code()),
                        after: Some(to.code()),
                        reason: None,
                        details: Some(serde_json::json!({ "list_id": list_id })),
                    },
                )
                .await?;
            }
            record(
                tx,
                &ctx,
                Transition {
                    action: AuditAction::RecommendationListSubmitted,
                    object_type: "recommendation_list",
                    object_id: &list_id,
                    before: None,
                    after: Some("submitted"),
                    reason: None,
                    details: Some(
                        serde_json::json!({ "title": title, "candidate_ids": body.candidate_ids }),
                    ),
                },
            )
            .await?;
            let l = load(tx, &list_id).await?;
            Ok(Created::at(
                format!("/api/v1/recommendation-lists/{list_id}"),
                view(tx, &caller, &l, today).await?,
            ))
        },
    )
    .await
}

/// Filters of the list of lists.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    pub state: Option<ListState>,
}

/// List recommendation lists
///
/// Recommendation lists, newest first.
#[utoipa::path(
    tag = "recommendation lists",
    security(("bearer" = ["hrss", "government", "auditor"])),
    params(ListFilter, PageParams),
    responses((status = 200, description = "A page of lists", body = Page<ListView>))
)]
#[get("/recommendation-lists")]
async fn list_lists(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<ListFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "lists";
    let mut query = recommendation_list::Entity::find();
    if let Some(s) = filter.state {
        query = query.filter(
            recommendation_list::Column::State.eq(if s == ListState::Decided {
                "decided"
            } else {
                "submitted"
            }),
        );
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        recommendation_list::Column::Id,
        &page,
        KIND,
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let today = state.clock.today();
    let mut items = Vec::with_capacity(rows.len());
    for l in &rows {
        items.push(view(&state.db, &caller, l, today).await?);
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// Get a recommendation list
///
/// One recommendation list with its candidates.
#[utoipa::path(
    tag = "recommendation lists",
    security(("bearer" = ["hrss", "government", "auditor"])),
    params(("id" = String, Path, description = "List id")),
    responses((status = 200, description = "The list", body = ListView))
)]
#[get("/recommendation-lists/{id}")]
async fn get_list(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state.db, &id).await?;
    Ok(HttpResponse::Ok().json(view(&state.db, &caller, &l, state.clock.today()).await?))
}

/// The meeting's decision on one candidate.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CandidateDecision {
    pub candidate_id: String,
    pub approved: bool,
    /// Required when not approved: the reason.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// An approved exception to the age limit of 70 (Art. 5.5), with its reason.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub age_exception_reason: Option<String>,
}

/// The executive meeting's decision on a list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct DecisionRequest {
    /// Meeting reference (e.g. 市政府第12次常务会议).
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "市政府2026年第12次常务会议",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub meeting_ref: String,
    pub meeting_date: NaiveDate,
    /// One decision for every candidate still `submitted` on the list.
    #[validate(length(min = 1, max = 50), nested)]
    pub decisions: Vec<CandidateDecision>,
}

/// Record the executive meeting's decision
///
/// Records the executive meeting's decision on each candidate of the list (Art. 4.4):
/// approved or rejected; an age exception (Art. 5.5) is approved here.
#[utoipa::path(
    tag = "recommendation lists",
    security(("bearer" = ["government"])),
    params(("id" = String, Path, description = "List id")),
    request_body = DecisionRequest,
    responses((status = 200, description = "The decided list", body = ListView))
)]
#[post("/recommendation-lists/{id}/decision")]
async fn decide(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let meeting_ref = required_text("meeting_ref", &body.meeting_ref, 200)?;
    if body.meeting_date > today {
        return Err(ApiError::invalid_field(
            "meeting_date",
            "must not be in the future",
        ));
    }
    let tx = guwen_persistence::audit::begin_write(&state.db).await?;
    let l = load(&tx, &id).await?;
    let now = truncate_to_micros(ctx.now);
    let updated = recommendation_list::Entity::update_many()
        .set(recommendation_list::ActiveModel {
            state: Set("decided".into()),
            meeting_ref: Set(Some(meeting_ref.clone())),
            meeting_date: Set(Some(body.meeting_date)),
            decided_at: Set(Some(now)),
            decided_by: Set(Some(caller.sub().to_owned())),
            ..Default::default()
        })
        .col_expr(
            recommendation_list::Column::Version,
            Expr::col(recommendation_list::Column::Version).add(1),
        )
        .filter(recommendation_list::Column::Id.eq(l.id.clone()))
        .filter(recommendation_list::Column::State.eq("submitted"))
        .exec(&tx)
        .await?;
    if updated.rows_affected != 1 {
        return Err(ApiError::conflict(
            "invalid_transition",
            "the list has already been decided",
        ));
    }
    let pending: Vec<candidate::Model> = candidate::Entity::find()
        .filter(candidate::Column::ListId.eq(l.id.clone()))
        .filter(candidate::Column::State.eq(CandidateState::Submitted.code()))
        .all(&tx)
        .await?;
    let pending_ids: HashSet<&str> = pending.iter().map(|c| c.id.as_str()).collect();
    let mut decided = HashSet::new();
    for d in &body.decisions {
        if !pending_ids.contains(d.candidate_id.as_str()) {
            return Err(ApiError::invalid_field(
                "decisions",
                format!(
                    "candidate {} is not awaiting a decision on this list",
                    d.candidate_id
                ),
            ));
        }
        if !decided.insert(d.candidate_id.as_str()) {
            return Err(ApiError::invalid_field(
                "decisions",
                format!("candidate {} is decided twice", d.candidate_id),
            ));
        }
        if !d.approved && d.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(ApiError::invalid_field(
                "decisions",
                "a rejection needs a note giving the reason",
            ));
        }
    }
    if let Some(missing) = pending.iter().find(|c| !decided.contains(c.id.as_str())) {
        return Err(ApiError::invalid_field(
            "decisions",
            format!("candidate {} on the list has no decision", missing.id),
        ));
    }
    for d in &body.decisions {
        let to = nomination::transition(
            CandidateState::Submitted,
            CandidateAction::Decide,
            d.approved,
        )?;
        let note = optional_text("note", d.note.as_deref(), 2000)?;
        let exception = optional_text(
            "age_exception_reason",
            d.age_exception_reason.as_deref(),
            2000,
        )?;
        let changes = candidate::ActiveModel {
            approved: Set(Some(d.approved)),
            decision_note: Set(note.clone()),
            age_exception_reason: Set(exception.clone()),
            age_exception_approved: Set(d.approved && exception.is_some()),
            closing_reason: Set((!d.approved).then(|| {
                format!(
                    "not approved by the executive meeting: {}",
                    note.clone().unwrap_or_default()
                )
            })),
            ..Default::default()
        };
        transition(
            &tx,
            &d.candidate_id,
            CandidateState::Submitted,
            to,
            changes,
            &ctx,
        )
        .await?;
        record(
            &tx,
            &ctx,
            Transition {
                action: if d.approved {
                    AuditAction::CandidateApproved
                } else {
                    AuditAction::CandidateRejected
                },
                object_type: "candidate",
                object_id: &d.candidate_id,
                before: Some(CandidateState::Submitted.code()),
                after: Some(to.code()),
                reason: note.as_deref(),
                details: Some(serde_json::json!({
                    "list_id": l.id,
                    "meeting_ref": meeting_ref,
                    "meeting_date": body.meeting_date,
                    "age_exception_reason": exception,
                })),
            },
        )
        .await?;
    }
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::RecommendationListDecided,
            object_type: "recommendation_list",
            object_id: &l.id,
            before: Some("submitted"),
            after: Some("decided"),
            reason: None,
            details: Some(serde_json::json!({ "meeting_ref": meeting_ref, "meeting_date": body.meeting_date })),
        },
    )
    .await?;
    let l = load(&tx, &l.id).await?;
    let v = view(&tx, &caller, &l, today).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(v))
}

/// The report of the approved list to the party committee (市委).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct PartyCommitteeReportRequest {
    pub reported_on: NaiveDate,
    /// Reference of the report document.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub reference: String,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Record the report to the party committee
///
/// Records that the decided list was reported to the party committee (Art. 4.4): required
/// before any of its candidates can go on public notice.
#[utoipa::path(
    tag = "recommendation lists",
    security(("bearer" = ["government", "hrss"])),
    params(("id" = String, Path, description = "List id")),
    request_body = PartyCommitteeReportRequest,
    responses((status = 200, description = "The list with the report on record", body = ListView))
)]
#[post("/recommendation-lists/{id}/party-committee-report")]
async fn report(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<PartyCommitteeReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let reference = required_text("reference", &body.reference, 200)?;
    let note = optional_text("note", body.note.as_deref(), 2000)?;
    if body.reported_on > today {
        return Err(ApiError::invalid_field(
            "reported_on",
            "must not be in the future",
        ));
    }
    let tx = guwen_persistence::audit::begin_write(&state.db).await?;
    let l = load(&tx, &id).await?;
    if l.state != "decided" {
        return Err(ApiError::conflict(
            "invalid_transition",
            "only a list decided by the executive meeting can be reported to the party committee",
        )
        .with_article("Art. 4.4"));
    }
    if l.meeting_date.is_some_and(|d| body.reported_on < d) {
        return Err(ApiError::invalid_field(
            "reported_on",
            "must not be before the meeting date",
        ));
    }
    let updated = recommendation_list::Entity::update_many()
        .set(recommendation_list::ActiveModel {
            party_committee_reported_on: Set(Some(body.reported_on)),
            party_committee_ref: Set(Some(reference.clone())),
            party_committee_note: Set(note.clone()),
            party_committee_recorded_at: Set(Some(truncate_to_micros(ctx.now))),
            ..Default::default()
        })
        .col_expr(
            recommendation_list::Column::Version,
            Expr::col(recommendation_list::Column::Version).add(1),
        )
        .filter(recommendation_list::Column::Id.eq(l.id.clone()))
        .filter(recommendation_list::Column::PartyCommitteeReportedOn.is_null())
        .exec(&tx)
        .await?;
    if updated.rows_affected != 1 {
        return Err(ApiError::conflict(
            "invalid_transition",
            "the report to the party committee is already on record",
        )
        .with_article("Art. 4.4"));
    }
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::PartyCommitteeReported,
            object_type: "recommendation_list",
            object_id: &l.id,
            before: Some("decided"),
            after: Some("reported"),
            reason: note.as_deref(),
            details: Some(
                serde_json::json!({ "reported_on": body.reported_on, "reference": reference }),
            ),
        },
    )
    .await?;
    let l = load(&tx, &l.id).await?;
    let v = view(&tx, &caller, &l, today).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(v))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_list)
        .service(list_lists)
        .service(get_list)
        .service(decide)
        .service(report);
}
