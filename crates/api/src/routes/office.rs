//! Advisors in office (Art. 3, 12, 13): inactivity evidence, dismissal, resignation and
//! renewal. Every proposal is decided by the government; nothing is ever deleted.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Days, FixedOffset, NaiveDate, Utc};
use guwen_domain::{
    Labelled, appointment,
    audit::AuditAction,
    office::{self, AdvisorStatus, DismissalGround, OfficeAction, ProposalState, ResignationState},
    role::Role,
    time::{cst, to_cst},
    work::{AssignmentState, Attendance, Timeliness},
};
use guwen_persistence::{
    audit::{Context, begin_write, truncate_to_micros},
    db::is_unique_violation,
    entity::{
        advisor, advisor_term, assignment, dismissal_proposal, meeting, meeting_invitation,
        renewal_proposal, resignation, task,
    },
    sea_orm::{
        ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter,
        sea_query::Expr,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::common::{Transition, new_id, optional_text, parse_stored, record, required_text};
use crate::{
    access::Caller,
    error::ApiError,
    extract::ApiJson,
    pagination::{Direction, Page, PageParams, page_of},
    state::AppState,
    write::audit_context,
};

/// An action the caller may take on an advisor now, with its article.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfficeActionLink {
    pub action: OfficeAction,
    #[schema(example = "Art. 12")]
    pub article: String,
    pub href: String,
}

/// The actions a caller may take on an advisor in the shown status.
pub fn allowed_actions(
    caller: &Caller,
    a: &advisor::Model,
    status: AdvisorStatus,
    pending_renewal: bool,
) -> Vec<OfficeActionLink> {
    // A pending renewal does not change the status; the government decides it while the
    // renewal itself is still legal (Art. 3).
    let renewal_decision = (pending_renewal
        && office::check_office_action(status, OfficeAction::ProposeRenewal).is_ok())
    .then_some(&OfficeAction::DecideRenewal);
    office::office_allowed_from(status)
        .iter()
        .chain(renewal_decision)
        .filter(|action| match action {
            OfficeAction::ProposeDismissal
            | OfficeAction::ProposeResignation
            | OfficeAction::ProposeRenewal
            | OfficeAction::Assess => caller.has(Role::Hrss),
            OfficeAction::DecideDismissal
            | OfficeAction::DecideResignation
            | OfficeAction::DecideRenewal => caller.has(Role::Government),
            OfficeAction::RequestResignation => {
                caller.has(Role::Advisor) && caller.advisor_id() == Some(a.id.as_str())
            }
        })
        .map(|action| OfficeActionLink {
            action: *action,
            article: office::article_of_office(*action).to_owned(),
            href: match action {
                OfficeAction::ProposeDismissal => {
                    format!("/api/v1/advisors/{}/dismissal-proposals", a.id)
                }
                OfficeAction::DecideDismissal => {
                    format!(
                        "/api/v1/dismissal-proposals?advisor_id={}&state=pending",
                        a.id
                    )
                }
                OfficeAction::RequestResignation => {
                    format!("/api/v1/advisors/{}/resignation", a.id)
                }
                OfficeAction::ProposeResignation | OfficeAction::DecideResignation => {
                    format!("/api/v1/resignations?advisor_id={}", a.id)
                }
                OfficeAction::ProposeRenewal => {
                    format!("/api/v1/advisors/{}/renewal-proposals", a.id)
                }
                OfficeAction::DecideRenewal => {
                    format!(
                        "/api/v1/renewal-proposals?advisor_id={}&state=pending",
                        a.id
                    )
                }
                OfficeAction::Assess => "/api/v1/assessments".to_owned(),
            },
        })
        .collect()
}

async fn load_advisor<C: ConnectionTrait>(db: &C, id: &str) -> Result<advisor::Model, ApiError> {
    advisor::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("advisor"))
}

/// Moves an advisor's stored status from `from` to `to`, only if it is still `from`.
async fn set_status<C: ConnectionTrait>(
    tx: &C,
    a: &advisor::Model,
    from: &str,
    to: AdvisorStatus,
    ctx: &Context,
) -> Result<(), ApiError> {
    let res = advisor::Entity::update_many()
        .col_expr(advisor::Column::Status, Expr::value(to.code()))
        .col_expr(
            advisor::Column::UpdatedAt,
            Expr::value(truncate_to_micros(ctx.now)),
        )
        .col_expr(
            advisor::Column::Version,
            Expr::col(advisor::Column::Version).add(1),
        )
        .filter(advisor::Column::Id.eq(a.id.clone()))
        .filter(advisor::Column::Status.eq(from))
        .exec(tx)
        .await?;
    if res.rows_affected == 1 {
        Ok(())
    } else {
        Err(ApiError::conflict(
            "invalid_transition",
            "the advisor's status changed meanwhile",
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Inactivity evidence (Art. 12.3)
// ---------------------------------------------------------------------------------------------

/// What kind of inactivity an item shows.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum InactivityKind {
    /// Absent without a valid reason from a government meeting (无正当理由不参加顾问会议).
    UnexcusedAbsence,
    /// Delivered after the deadline (不按期提供书面意见).
    OverdueDelivery,
    /// Still not delivered after the deadline.
    Undelivered,
}

/// One item of inactivity evidence.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InactivityItem {
    pub kind: InactivityKind,
    /// The meeting or task.
    pub object_id: String,
    pub title: String,
    /// The meeting day or the task deadline (China Standard Time).
    pub date: NaiveDate,
}

/// The computed evidence for a period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InactivityEvidence {
    pub advisor_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub unexcused_absences: u32,
    pub overdue_deliveries: u32,
    pub undelivered: u32,
    pub items: Vec<InactivityItem>,
}

/// The start of a CST day as an instant.
fn day_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(cst()).single())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// Computes the inactivity evidence of an advisor between two CST dates (inclusive).
pub async fn inactivity<C: ConnectionTrait>(
    db: &C,
    advisor_id: &str,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<InactivityEvidence, ApiError> {
    let (start, end) = (day_start(from), day_start(to + Days::new(1)));
    let mut items = Vec::new();
    let absences = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::AdvisorId.eq(advisor_id))
        .filter(meeting_invitation::Column::Attendance.eq(Attendance::Absent.code()))
        .all(db)
        .await?;
    if !absences.is_empty() {
        for m in meeting::Entity::find()
            .filter(
                meeting::Column::Id.is_in(
                    absences
                        .iter()
                        .map(|i| i.meeting_id.clone())
                        .collect::<Vec<_>>(),
                ),
            )
            .filter(meeting::Column::Organizer.eq("government"))
            .filter(meeting::Column::HeldAt.gte(start))
            .filter(meeting::Column::HeldAt.lt(end))
            .all(db)
            .await?
        {
            items.push(InactivityItem {
                kind: InactivityKind::UnexcusedAbsence,
                date: guwen_domain::time::cst_date(m.held_at),
                object_id: m.id,
                title: m.title,
            });
        }
    }
    let assignments = assignment::Entity::find()
        .filter(assignment::Column::AdvisorId.eq(advisor_id))
        .all(db)
        .await?;
    if !assignments.is_empty() {
        let tasks: std::collections::HashMap<String, task::Model> = task::Entity::find()
            .filter(
                task::Column::Id.is_in(
                    assignments
                        .iter()
                        .map(|a| a.task_id.clone())
                        .collect::<Vec<_>>(),
                ),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id.clone(), t))
            .collect();
        for a in &assignments {
            let Some(t) = tasks.get(&a.task_id) else {
                continue;
            };
            if t.deadline < from || t.deadline > to {
                continue;
            }
            let kind = if a.state == AssignmentState::Delivered
                && a.timeliness == Some(Timeliness::Overdue)
            {
                InactivityKind::OverdueDelivery
            } else if a.state == AssignmentState::Active && t.deadline < today {
                InactivityKind::Undelivered
            } else {
                continue;
            };
            items.push(InactivityItem {
                kind,
                object_id: t.id.clone(),
                title: t.title.clone(),
                date: t.deadline,
            });
        }
    }
    items.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.object_id.cmp(&b.object_id))
    });
    let count = |k: InactivityKind| {
        u32::try_from(items.iter().filter(|i| i.kind == k).count()).unwrap_or(u32::MAX)
    };
    Ok(InactivityEvidence {
        advisor_id: advisor_id.to_owned(),
        from,
        to,
        unexcused_absences: count(InactivityKind::UnexcusedAbsence),
        overdue_deliveries: count(InactivityKind::OverdueDelivery),
        undelivered: count(InactivityKind::Undelivered),
        items,
    })
}

/// The period of the evidence.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First day (CST); default one year before `to`.
    pub from: Option<NaiveDate>,
    /// Last day (CST); default today.
    pub to: Option<NaiveDate>,
}

fn period(p: &Period, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let to = p.to.unwrap_or(today);
    let from = p.from.unwrap_or_else(|| to - Days::new(365));
    if from > to {
        return Err(ApiError::invalid_field("from", "must not be after `to`"));
    }
    Ok((from, to))
}

/// The advisor's inactivity evidence (Art. 12.3): unexcused absences from government meetings
/// and overdue or undelivered assignments in the period, item by item.
#[utoipa::path(
    tag = "advisors",
    security(("bearer" = ["hrss", "government", "auditor"])),
    params(("id" = String, Path, description = "Advisor id"), Period),
    responses((status = 200, description = "The evidence", body = InactivityEvidence))
)]
#[get("/advisors/{id}/inactivity")]
async fn get_inactivity(
    state: web::Data<AppState>,
    id: web::Path<String>,
    p: web::Query<Period>,
) -> Result<HttpResponse, ApiError> {
    let today = state.clock.today();
    let a = load_advisor(&state.db, &id).await?;
    let (from, to) = period(&p, today)?;
    Ok(HttpResponse::Ok().json(inactivity(&state.db, &a.id, from, to, today).await?))
}

// ---------------------------------------------------------------------------------------------
// Dismissal (Art. 12)
// ---------------------------------------------------------------------------------------------

/// A dismissal proposal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DismissalView {
    pub id: String,
    pub advisor_id: String,
    pub ground: DismissalGround,
    pub evidence: String,
    /// For `inactive`: the computed evidence attached when proposed.
    pub inactivity_evidence: Option<InactivityEvidence>,
    pub state: ProposalState,
    pub proposed_by: String,
    pub proposed_at: DateTime<FixedOffset>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
}

fn dismissal_view(d: dismissal_proposal::Model) -> Result<DismissalView, ApiError> {
    Ok(DismissalView {
        ground: parse_stored("ground", &d.ground)?,
        state: parse_stored("proposal state", &d.state)?,
        inactivity_evidence: d
            .inactivity_evidence
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(ApiError::internal)?,
        id: d.id,
        advisor_id: d.advisor_id,
        evidence: d.evidence,
        proposed_by: d.proposed_by,
        proposed_at: to_cst(d.proposed_at),
        decided_by: d.decided_by,
        decided_at: d.decided_at.map(to_cst),
        decision_reason: d.decision_reason,
    })
}

/// HRSS's proposal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct DismissalRequest {
    pub ground: DismissalGround,
    /// The evidence (for `inactive`, the computed items are attached as well).
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub evidence: String,
    /// For `inactive`: the period of the evidence (default: the last year).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Proposes to dismiss an advisor on one of the six grounds of Art. 12, with evidence; for
/// `inactive` the computed inactivity evidence is attached and must not be empty.
#[utoipa::path(
    tag = "advisors",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Advisor id")),
    request_body = DismissalRequest,
    responses((status = 201, description = "The proposal", body = DismissalView))
)]
#[post("/advisors/{id}/dismissal-proposals")]
async fn propose_dismissal(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ApiJson<DismissalRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let (from, to) = period(
        &Period {
            from: body.from,
            to: body.to,
        },
        today,
    )?;
    let tx = begin_write(&state.db).await?;
    let a = load_advisor(&tx, &id).await?;
    let status = super::advisors::status_on(&a, today)?;
    office::check_office_action(status, OfficeAction::ProposeDismissal)?;
    let evidence = (body.ground == DismissalGround::Inactive)
        .then_some(inactivity(&tx, &a.id, from, to, today).await?);
    office::check_dismissal_evidence(
        body.ground,
        &body.evidence,
        evidence.as_ref().map_or(0, |e| e.items.len()),
    )?;
    let pid = new_id();
    dismissal_proposal::Entity::insert(dismissal_proposal::ActiveModel {
        id: Set(pid.clone()),
        advisor_id: Set(a.id.clone()),
        ground: Set(body.ground.code().to_owned()),
        evidence: Set(body.evidence.trim().to_owned()),
        inactivity_evidence: Set(evidence
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(ApiError::internal)?),
        state: Set(ProposalState::Pending.code().to_owned()),
        proposed_by: Set(ctx.actor.sub.clone()),
        proposed_at: Set(truncate_to_micros(ctx.now)),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_reason: Set(None),
    })
    .exec_without_returning(&tx)
    .await?;
    set_status(&tx, &a, &a.status, AdvisorStatus::DismissalProposed, &ctx).await?;
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::DismissalProposed,
            object_type: "advisor",
            object_id: &a.id,
            before: Some(status.code()),
            after: Some(AdvisorStatus::DismissalProposed.code()),
            reason: Some(body.evidence.trim()),
            details: Some(serde_json::json!({ "proposal_id": pid, "ground": body.ground.code() })),
        },
    )
    .await?;
    let saved = dismissal_proposal::Entity::find_by_id(pid.clone())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("proposal vanished"))?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(dismissal_view(saved)?))
}

/// The government's decision.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct DecisionBody {
    pub approved: bool,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
}

/// The government approves (the advisor is dismissed and leaves the roster) or rejects (the
/// advisor returns to active) a dismissal proposal (Art. 12).
#[utoipa::path(
    tag = "advisors",
    security(("bearer" = ["government"])),
    params(("id" = String, Path, description = "Dismissal proposal id")),
    request_body = DecisionBody,
    responses((status = 200, description = "The decided proposal", body = DismissalView))
)]
#[post("/dismissal-proposals/{id}/decision")]
async fn decide_dismissal(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ApiJson<DecisionBody>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let reason = required_text("reason", &body.reason, 2000)?;
    let tx = begin_write(&state.db).await?;
    let d = dismissal_proposal::Entity::find_by_id(id.into_inner())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::not_found("dismissal proposal"))?;
    let next = if body.approved {
        ProposalState::Approved
    } else {
        ProposalState::Rejected
    };
    decide_proposal::<dismissal_proposal::Entity, _>(
        &tx,
        &d.id,
        &d.state,
        next,
        &reason,
        &ctx,
        dismissal_proposal::Column::Id,
        dismissal_proposal::Column::State,
        dismissal_proposal::Column::DecidedBy,
        dismissal_proposal::Column::DecidedAt,
        dismissal_proposal::Column::DecisionReason,
    )
    .await?;
    let a = load_advisor(&tx, &d.advisor_id).await?;
    let to = if body.approved {
        AdvisorStatus::Dismissed
    } else {
        AdvisorStatus::Active
    };
    set_status(&tx, &a, AdvisorStatus::DismissalProposed.code(), to, &ctx).await?;
    record(
        &tx,
        &ctx,
        Transition {
            action: if body.approved {
                AuditAction::AdvisorDismissed
            } else {
                AuditAction::DismissalRejected
            },
            object_type: "advisor",
            object_id: &a.id,
            before: Some(AdvisorStatus::DismissalProposed.code()),
            after: Some(to.code()),
            reason: Some(&reason),
            details: Some(serde_json::json!({ "proposal_id": d.id })),
        },
    )
    .await?;
    let saved = dismissal_proposal::Entity::find_by_id(d.id.clone())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("proposal vanished"))?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(dismissal_view(saved)?))
}

/// Decides a pending proposal, only if still pending.
#[allow(clippy::too_many_arguments)]
async fn decide_proposal<E, C>(
    tx: &C,
    id: &str,
    current: &str,
    next: ProposalState,
    reason: &str,
    ctx: &Context,
    id_col: E::Column,
    state_col: E::Column,
    by_col: E::Column,
    at_col: E::Column,
    reason_col: E::Column,
) -> Result<(), ApiError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    if current != ProposalState::Pending.code() {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the proposal is already `{current}`"),
        ));
    }
    let res = E::update_many()
        .col_expr(state_col, Expr::value(next.code()))
        .col_expr(by_col, Expr::value(ctx.actor.sub.clone()))
        .col_expr(at_col, Expr::value(truncate_to_micros(ctx.now)))
        .col_expr(reason_col, Expr::value(reason.to_owned()))
        .filter(id_col.eq(id))
        .filter(state_col.eq(ProposalState::Pending.code()))
        .exec(tx)
        .await?;
    if res.rows_affected == 1 {
        Ok(())
    } else {
        Err(ApiError::conflict(
            "invalid_transition",
            "the proposal was decided by another request",
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Resignation (Art. 13)
// ---------------------------------------------------------------------------------------------

/// A resignation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResignationView {
    pub id: String,
    pub advisor_id: String,
    /// The written request (书面形式).
    pub letter: String,
    pub state: ResignationState,
    pub requested_at: DateTime<FixedOffset>,
    pub proposed_by: Option<String>,
    pub proposed_at: Option<DateTime<FixedOffset>>,
    pub proposal_note: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
    /// Whether the certificate (聘书) was recovered (收回聘书).
    pub certificate_recovered: Option<bool>,
    pub certificate_note: Option<String>,
}

fn resignation_view(r: resignation::Model) -> Result<ResignationView, ApiError> {
    Ok(ResignationView {
        state: parse_stored("resignation state", &r.state)?,
        id: r.id,
        advisor_id: r.advisor_id,
        letter: r.letter,
        requested_at: to_cst(r.requested_at),
        proposed_by: r.proposed_by,
        proposed_at: r.proposed_at.map(to_cst),
        proposal_note: r.proposal_note,
        decided_by: r.decided_by,
        decided_at: r.decided_at.map(to_cst),
        decision_reason: r.decision_reason,
        certificate_recovered: r.certificate_recovered,
        certificate_note: r.certificate_note,
    })
}

/// The advisor's written request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ResignationRequest {
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub letter: String,
}

/// The advisor's own written resignation request to HRSS (Art. 13).
#[utoipa::path(
    tag = "advisors",
    security(("bearer" = ["advisor"])),
    params(("id" = String, Path, description = "Advisor id (the caller's own)")),
    request_body = ResignationRequest,
    responses((status = 201, description = "The request", body = ResignationView))
)]
#[post("/advisors/{id}/resignation")]
async fn request_resignation(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<ResignationRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    if caller.advisor_id() != Some(id.as_str()) {
        return Err(ApiError::not_found("advisor"));
    }
    let letter = required_text("letter", &body.letter, 10000)?;
    let tx = begin_write(&state.db).await?;
    let a = load_advisor(&tx, &id).await?;
    let status = super::advisors::status_on(&a, today)?;
    office::check_office_action(status, OfficeAction::RequestResignation)?;
    let rid = new_id();
    resignation::Entity::insert(resignation::ActiveModel {
        id: Set(rid.clone()),
        advisor_id: Set(a.id.clone()),
        letter: Set(letter.clone()),
        state: Set(ResignationState::Requested.code().to_owned()),
        requested_at: Set(truncate_to_micros(ctx.now)),
        proposed_by: Set(None),
        proposed_at: Set(None),
        proposal_note: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_reason: Set(None),
        certificate_recovered: Set(None),
        certificate_note: Set(None),
    })
    .exec_without_returning(&tx)
    .await?;
    set_status(
        &tx,
        &a,
        &a.status,
        AdvisorStatus::ResignationRequested,
        &ctx,
    )
    .await?;
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::ResignationRequested,
            object_type: "advisor",
            object_id: &a.id,
            before: Some(status.code()),
            after: Some(AdvisorStatus::ResignationRequested.code()),
            reason: None,
            details: Some(serde_json::json!({ "resignation_id": rid })),
        },
    )
    .await?;
    let saved = resignation::Entity::find_by_id(rid)
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("resignation vanished"))?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(resignation_view(saved)?))
}

/// HRSS's proposal on a resignation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ResignationProposalBody {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub note: String,
}

/// HRSS proposes the resignation to the government (Art. 13, 提出拟解聘意见).
#[utoipa::path(
    tag = "advisors",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Resignation id")),
    request_body = ResignationProposalBody,
    responses((status = 200, description = "The proposed resignation", body = ResignationView))
)]
#[post("/resignations/{id}/proposal")]
async fn propose_resignation(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ApiJson<ResignationProposalBody>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let note = required_text("note", &body.note, 2000)?;
    let tx = begin_write(&state.db).await?;
    let r = resignation::Entity::find_by_id(id.into_inner())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::not_found("resignation"))?;
    let res = resignation::Entity::update_many()
        .col_expr(
            resignation::Column::State,
            Expr::value(ResignationState::Proposed.code()),
        )
        .col_expr(
            resignation::Column::ProposedBy,
            Expr::value(ctx.actor.sub.clone()),
        )
        .col_expr(
            resignation::Column::ProposedAt,
            Expr::value(truncate_to_micros(ctx.now)),
        )
        .col_expr(resignation::Column::ProposalNote, Expr::value(note.clone()))
        .filter(resignation::Column::Id.eq(r.id.clone()))
        .filter(resignation::Column::State.eq(ResignationState::Requested.code()))
        .exec(&tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the resignation is `{}`, not requested", r.state),
        )
        .with_article("Art. 13"));
    }
    let a = load_advisor(&tx, &r.advisor_id).await?;
    set_status(
        &tx,
        &a,
        AdvisorStatus::ResignationRequested.code(),
        AdvisorStatus::ResignationProposed,
        &ctx,
    )
    .await?;
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::ResignationProposed,
            object_type: "advisor",
            object_id: &a.id,
            before: Some(AdvisorStatus::ResignationRequested.code()),
            after: Some(AdvisorStatus::ResignationProposed.code()),
            reason: Some(&note),
            details: Some(serde_json::json!({ "resignation_id": r.id })),
        },
    )
    .await?;
    let saved = resignation::Entity::find_by_id(r.id)
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("resignation vanished"))?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(resignation_view(saved)?))
}

/// The government's decision on a resignation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ResignationDecisionBody {
    pub approved: bool,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
    /// Whether the certificate was recovered (required when approved, Art. 13 收回聘书).
    pub certificate_recovered: Option<bool>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub certificate_note: Option<String>,
}

/// The government approves (the advisor has resigned, the certificate recovery is recorded) or
/// rejects (the advisor stays active) a proposed resignation (Art. 13).
#[utoipa::path(
    tag = "advisors",
    security(("bearer" = ["government"])),
    params(("id" = String, Path, description = "Resignation id")),
    request_body = ResignationDecisionBody,
    responses((status = 200, description = "The decided resignation", body = ResignationView))
)]
#[post("/resignations/{id}/decision")]
async fn decide_resignation(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ApiJson<ResignationDecisionBody>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let reason = required_text("reason", &body.reason, 2000)?;
    let note = optional_text("certificate_note", body.certificate_note.as_deref(), 2000)?;
    if body.approved && body.certificate_recovered.is_none() {
        return Err(ApiError::invalid_field(
            "certificate_recovered",
            "must be recorded when the resignation is approved",
        ));
    }
    let tx = begin_write(&state.db).await?;
    let r = resignation::Entity::find_by_id(id.into_inner())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::not_found("resignation"))?;
    let next = if body.approved {
        ResignationState::Approved
    } else {
        ResignationState::Rejected
    };
    let res = resignation::Entity::update_many()
        .col_expr(resignation::Column::State, Expr::value(next.code()))
        .col_expr(
            resignation::Column::DecidedBy,
            Expr::value(ctx.actor.sub.clone()),
        )
        .col_expr(
            resignation::Column::DecidedAt,
            Expr::value(truncate_to_micros(ctx.now)),
        )
        .col_expr(
            resignation::Column::DecisionReason,
            Expr::value(reason.clone()),
        )
        .col_expr(
            resignation::Column::CertificateRecovered,
            Expr::value(body.certificate_recovered),
        )
        .col_expr(
            resignation::Column::CertificateNote,
            Expr::value(note.clone()),
        )
        .filter(resignation::Column::Id.eq(r.id.clone()))
        .filter(resignation::Column::State.eq(ResignationState::Proposed.code()))
        .exec(&tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the resignation is `{}`, not proposed by HRSS", r.state),
        )
        .with_article("Art. 13"));
    }
    let a = load_advisor(&tx, &r.advisor_id).await?;
    let to = if body.approved {
        AdvisorStatus::Resigned
    } else {
        AdvisorStatus::Active
    };
    set_status(&tx, &a, AdvisorStatus::ResignationProposed.code(), to, &ctx).await?;
    record(&tx, &ctx, Transition {
        action: if body.approved { AuditAction::AdvisorResigned } else { AuditAction::ResignationRejected },
        object_type: "advisor",
        object_id: &a.id,
        before: Some(AdvisorStatus::ResignationProposed.code()),
        after: Some(to.code()),
        reason: Some(&reason),
        details: Some(serde_json::json!({ "resignation_id": r.id, "certificate_recovered": body.certificate_recovered })),
    })
    .await?;
    let saved = resignation::Entity::find_by_id(r.id)
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("resignation vanished"))?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(resignation_view(saved)?))
}

// ---------------------------------------------------------------------------------------------
// Renewal (Art. 3)
// ---------------------------------------------------------------------------------------------

/// A renewal proposal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RenewalView {
    pub id: String,
    pub advisor_id: String,
    pub years: i32,
    pub agreement_ref: String,
    pub certificate_no: String,
    pub state: ProposalState,
    pub proposed_by: String,
    pub proposed_at: DateTime<FixedOffset>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
}

fn renewal_view(r: renewal_proposal::Model) -> Result<RenewalView, ApiError> {
    Ok(RenewalView {
        state: parse_stored("proposal state", &r.state)?,
        id: r.id,
        advisor_id: r.advisor_id,
        years: r.years,
        agreement_ref: r.agreement_ref,
        certificate_no: r.certificate_no,
        proposed_by: r.proposed_by,
        proposed_at: to_cst(r.proposed_at),
        decided_by: r.decided_by,
        decided_at: r.decided_at.map(to_cst),
        decision_reason: r.decision_reason,
    })
}

/// HRSS's renewal proposal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct RenewalRequest {
    /// 1 to 3 whole years (Art. 3).
    pub years: u32,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub agreement_ref: String,
    /// The new certificate number (trimmed and upper-cased).
    #[schema(pattern = r"^\s*[A-Za-z0-9/-]{3,40}\s*$")]
    pub certificate_no: String,
}

/// Proposes to renew an advisor in office or whose term has ended, for 1 to 3 years (Art. 3).
#[utoipa::path(
    tag = "advisors",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Advisor id")),
    request_body = RenewalRequest,
    responses((status = 201, description = "The proposal", body = RenewalView))
)]
#[post("/advisors/{id}/renewal-proposals")]
async fn propose_renewal(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ApiJson<RenewalRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let agreement_ref = required_text("agreement_ref", &body.agreement_ref, 200)?;
    let certificate_no = appointment::normalize_certificate_no(&body.certificate_no)
        .map_err(|v| ApiError::invalid_field("certificate_no", v.message))?;
    let tx = begin_write(&state.db).await?;
    let a = load_advisor(&tx, &id).await?;
    let status = super::advisors::status_on(&a, today)?;
    office::check_office_action(status, OfficeAction::ProposeRenewal)?;
    office::renewal_term(a.term_ends_on, today, body.years)?;
    let pending = renewal_proposal::Entity::find()
        .filter(renewal_proposal::Column::AdvisorId.eq(a.id.clone()))
        .filter(renewal_proposal::Column::State.eq(ProposalState::Pending.code()))
        .one(&tx)
        .await?;
    if pending.is_some() {
        return Err(ApiError::conflict(
            "renewal_pending",
            "a renewal proposal for this advisor awaits the government",
        )
        .with_article("Art. 3"));
    }
    let pid = new_id();
    renewal_proposal::Entity::insert(renewal_proposal::ActiveModel {
        id: Set(pid.clone()),
        advisor_id: Set(a.id.clone()),
        years: Set(i32::try_from(body.years).unwrap_or(0)),
        agreement_ref: Set(agreement_ref),
        certificate_no: Set(certificate_no),
        state: Set(ProposalState::Pending.code().to_owned()),
        proposed_by: Set(ctx.actor.sub.clone()),
        proposed_at: Set(truncate_to_micros(ctx.now)),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_reason: Set(None),
    })
    .exec_without_returning(&tx)
    .await?;
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::RenewalProposed,
            object_type: "advisor",
            object_id: &a.id,
            before: Some(status.code()),
            after: Some(status.code()),
            reason: None,
            details: Some(serde_json::json!({ "proposal_id": pid, "years": body.years })),
        },
    )
    .await?;
    let saved = renewal_proposal::Entity::find_by_id(pid)
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("proposal vanished"))?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(renewal_view(saved)?))
}

/// The government approves (a new term follows the current one, or starts today if it has
/// ended; every term stays in the history) or rejects a renewal (Art. 3).
#[utoipa::path(
    tag = "advisors",
    security(("bearer" = ["government"])),
    params(("id" = String, Path, description = "Renewal proposal id")),
    request_body = DecisionBody,
    responses((status = 200, description = "The decided proposal", body = RenewalView))
)]
#[post("/renewal-proposals/{id}/decision")]
async fn decide_renewal(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ApiJson<DecisionBody>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let reason = required_text("reason", &body.reason, 2000)?;
    let tx = begin_write(&state.db).await?;
    let r = renewal_proposal::Entity::find_by_id(id.into_inner())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::not_found("renewal proposal"))?;
    let next = if body.approved {
        ProposalState::Approved
    } else {
        ProposalState::Rejected
    };
    decide_proposal::<renewal_proposal::Entity, _>(
        &tx,
        &r.id,
        &r.state,
        next,
        &reason,
        &ctx,
        renewal_proposal::Column::Id,
        renewal_proposal::Column::State,
        renewal_proposal::Column::DecidedBy,
        renewal_proposal::Column::DecidedAt,
        renewal_proposal::Column::DecisionReason,
    )
    .await?;
    if body.approved {
        let a = load_advisor(&tx, &r.advisor_id).await?;
        let status = super::advisors::status_on(&a, today)?;
        // The renewal must still be legal: the advisor has not left meanwhile.
        office::check_office_action(status, OfficeAction::ProposeRenewal)?;
        let term =
            office::renewal_term(a.term_ends_on, today, u32::try_from(r.years).unwrap_or(0))?;
        let number = advisor_term::Entity::find()
            .filter(advisor_term::Column::AdvisorId.eq(a.id.clone()))
            .all(&tx)
            .await?
            .len();
        let inserted = advisor_term::Entity::insert(advisor_term::ActiveModel {
            id: Set(new_id()),
            advisor_id: Set(a.id.clone()),
            number: Set(i32::try_from(number + 1).unwrap_or(i32::MAX)),
            starts_on: Set(term.starts_on),
            ends_on: Set(term.ends_on),
            years: Set(r.years),
            agreement_ref: Set(r.agreement_ref.clone()),
            certificate_no: Set(r.certificate_no.clone()),
            recorded_at: Set(truncate_to_micros(ctx.now)),
        })
        .exec_without_returning(&tx)
        .await;
        if let Err(e) = inserted {
            return Err(if is_unique_violation(&e) {
                ApiError::conflict(
                    "duplicate_certificate_no",
                    format!("certificate number {} is already issued", r.certificate_no),
                )
            } else {
                e.into()
            });
        }
        let res = advisor::Entity::update_many()
            .col_expr(
                advisor::Column::Status,
                Expr::value(AdvisorStatus::Active.code()),
            )
            .col_expr(advisor::Column::TermStartsOn, Expr::value(term.starts_on))
            .col_expr(advisor::Column::TermEndsOn, Expr::value(term.ends_on))
            .col_expr(advisor::Column::TermYears, Expr::value(r.years))
            .col_expr(
                advisor::Column::AgreementRef,
                Expr::value(r.agreement_ref.clone()),
            )
            .col_expr(
                advisor::Column::CertificateNo,
                Expr::value(r.certificate_no.clone()),
            )
            .col_expr(
                advisor::Column::UpdatedAt,
                Expr::value(truncate_to_micros(ctx.now)),
            )
            .col_expr(
                advisor::Column::Version,
                Expr::col(advisor::Column::Version).add(1),
            )
            .filter(advisor::Column::Id.eq(a.id.clone()))
            .filter(advisor::Column::Version.eq(a.version))
            .exec(&tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(ApiError::conflict(
                "invalid_transition",
                "the advisor changed meanwhile",
            ));
        }
        record(&tx, &ctx, Transition {
            action: AuditAction::AdvisorRenewed,
            object_type: "advisor",
            object_id: &a.id,
            before: Some(status.code()),
            after: Some(AdvisorStatus::Active.code()),
            reason: Some(&reason),
            details: Some(serde_json::json!({ "proposal_id": r.id, "term_starts_on": term.starts_on, "term_ends_on": term.ends_on, "years": r.years })),
        })
        .await?;
    } else {
        record(
            &tx,
            &ctx,
            Transition {
                action: AuditAction::RenewalRejected,
                object_type: "advisor",
                object_id: &r.advisor_id,
                before: None,
                after: None,
                reason: Some(&reason),
                details: Some(serde_json::json!({ "proposal_id": r.id })),
            },
        )
        .await?;
    }
    let saved = renewal_proposal::Entity::find_by_id(r.id)
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("proposal vanished"))?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(renewal_view(saved)?))
}

// ---------------------------------------------------------------------------------------------
// Reading proposals
// ---------------------------------------------------------------------------------------------

/// Filters of proposal lists.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposalFilter {
    pub advisor_id: Option<String>,
    /// `pending`, `approved` or `rejected` (for resignations: `requested`, `proposed`, `approved`, `rejected`).
    pub state: Option<String>,
}

/// Dismissal proposals, newest first.
#[utoipa::path(
    tag = "advisors",
    security(("bearer" = ["hrss", "government", "auditor"])),
    params(ProposalFilter, PageParams),
    responses((status = 200, description = "A page of dismissal proposals", body = Page<DismissalView>))
)]
#[get("/dismissal-proposals")]
async fn list_dismissals(
    state: web::Data<AppState>,
    f: web::Query<ProposalFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let mut query = dismissal_proposal::Entity::find();
    if let Some(a) = &f.advisor_id {
        query = query.filter(dismissal_proposal::Column::AdvisorId.eq(a.clone()));
    }
    if let Some(s) = &f.state {
        query = query.filter(dismissal_proposal::Column::State.eq(s.clone()));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        dismissal_proposal::Column::Id,
        &page,
        "dismissals",
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let items = rows
        .into_iter()
        .map(dismissal_view)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// Resignations, newest first (an advisor sees their own).
#[utoipa::path(
    tag = "advisors",
    security(("bearer" = ["hrss", "government", "auditor", "advisor"])),
    params(ProposalFilter, PageParams),
    responses((status = 200, description = "A page of resignations", body = Page<ResignationView>))
)]
#[get("/resignations")]
async fn list_resignations(
    state: web::Data<AppState>,
    caller: Caller,
    f: web::Query<ProposalFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let mut query = resignation::Entity::find();
    if !(caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor)) {
        query = query.filter(resignation::Column::AdvisorId.eq(caller.advisor_id().unwrap_or("-")));
    }
    if let Some(a) = &f.advisor_id {
        query = query.filter(resignation::Column::AdvisorId.eq(a.clone()));
    }
    if let Some(s) = &f.state {
        query = query.filter(resignation::Column::State.eq(s.clone()));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        resignation::Column::Id,
        &page,
        "resignations",
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let items = rows
        .into_iter()
        .map(resignation_view)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// Renewal proposals, newest first.
#[utoipa::path(
    tag = "advisors",
    security(("bearer" = ["hrss", "government", "auditor"])),
    params(ProposalFilter, PageParams),
    responses((status = 200, description = "A page of renewal proposals", body = Page<RenewalView>))
)]
#[get("/renewal-proposals")]
async fn list_renewals(
    state: web::Data<AppState>,
    f: web::Query<ProposalFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let mut query = renewal_proposal::Entity::find();
    if let Some(a) = &f.advisor_id {
        query = query.filter(renewal_proposal::Column::AdvisorId.eq(a.clone()));
    }
    if let Some(s) = &f.state {
        query = query.filter(renewal_proposal::Column::State.eq(s.clone()));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        renewal_proposal::Column::Id,
        &page,
        "renewals",
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let items = rows
        .into_iter()
        .map(renewal_view)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_inactivity)
        .service(list_dismissals)
        .service(list_resignations)
        .service(list_renewals)
        .service(propose_dismissal)
        .service(decide_dismissal)
        .service(request_resignation)
        .service(propose_resignation)
        .service(decide_resignation)
        .service(propose_renewal)
        .service(decide_renewal);
}

/// Advisors (of `ids`) with a renewal proposal awaiting the government.
pub async fn pending_renewals<C: ConnectionTrait>(
    db: &C,
    ids: Vec<String>,
) -> Result<std::collections::HashSet<String>, ApiError> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(renewal_proposal::Entity::find()
        .filter(renewal_proposal::Column::AdvisorId.is_in(ids))
        .filter(renewal_proposal::Column::State.eq(ProposalState::Pending.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.advisor_id)
        .collect())
}
