//! The annual assessment (Art. 16): HRSS drafts it with the service units from the year's
//! computed facts and proposes a preliminary grade; the government decides the final grade,
//! which sets the work-subsidy band (Art. 14). The advisor reads their own after the decision.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    office::{self, AssessmentState, Grade, OfficeAction},
    role::Role,
    time::{cst, to_cst},
    work::{AssignmentState, Attendance, Timeliness},
};
use guwen_persistence::{
    audit::{begin_write, truncate_to_micros},
    db::is_unique_violation,
    entity::{
        advisor, assessment, assessment_opinion, assignment, meeting, meeting_department,
        meeting_invitation, opinion, task,
    },
    sea_orm::{
        ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
        sea_query::Expr,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::common::{Transition, new_id, parse_stored, record, required_text};
use crate::{
    access::Caller,
    error::ApiError,
    extract::ApiJson,
    pagination::{Direction, Page, PageParams, page_of},
    state::AppState,
    write::audit_context,
};

/// The year's facts, computed from the work records (Art. 16).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AssessmentFacts {
    pub tasks_assigned: u32,
    pub tasks_delivered: u32,
    /// Delivered late, or still undelivered after the deadline.
    pub tasks_overdue: u32,
    /// Opinions by channel.
    pub opinions_by_channel: BTreeMap<String, u32>,
    pub meetings_invited: u32,
    pub meetings_attended: u32,
    pub meetings_excused: u32,
    pub meetings_absent: u32,
    /// The departments the advisor worked for this year (the service units, 服务单位).
    pub service_units: Vec<String>,
}

/// A service unit's opinion.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServiceUnitOpinion {
    pub org_id: String,
    pub opinion: String,
    pub suggested_grade: Option<Grade>,
    pub submitted_at: DateTime<FixedOffset>,
}

/// A subsidy band in fen.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BandView {
    pub min_fen: i64,
    pub max_fen: i64,
}

/// An annual assessment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentView {
    pub id: String,
    pub advisor_id: String,
    pub year: i32,
    pub state: AssessmentState,
    pub facts: AssessmentFacts,
    pub service_unit_opinions: Vec<ServiceUnitOpinion>,
    pub preliminary_grade: Option<Grade>,
    pub preliminary_comment: Option<String>,
    pub final_grade: Option<Grade>,
    pub final_comment: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    /// The work-subsidy band of the final grade (none for `incompetent`, Art. 14).
    pub subsidy_band: Option<BandView>,
    pub created_at: DateTime<FixedOffset>,
}

fn year_bounds(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let at = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| t.and_local_timezone(cst()).single())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    };
    (at(year), at(year + 1))
}

/// Computes the year's facts for an advisor (CST calendar year).
pub async fn facts<C: ConnectionTrait>(
    db: &C,
    advisor_id: &str,
    year: i32,
    today: NaiveDate,
) -> Result<AssessmentFacts, ApiError> {
    let (start, end) = year_bounds(year);
    let in_year = |t: DateTime<Utc>| t >= start && t < end;
    let mut f = AssessmentFacts::default();
    let mut units = BTreeSet::new();
    let assignments = assignment::Entity::find()
        .filter(assignment::Column::AdvisorId.eq(advisor_id))
        .all(db)
        .await?;
    let task_ids: Vec<String> = assignments.iter().map(|a| a.task_id.clone()).collect();
    let tasks: BTreeMap<String, task::Model> = if task_ids.is_empty() {
        BTreeMap::new()
    } else {
        task::Entity::find()
            .filter(task::Column::Id.is_in(task_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id.clone(), t))
            .collect()
    };
    for a in &assignments {
        let Some(t) = tasks.get(&a.task_id) else {
            continue;
        };
        if in_year(a.assigned_at) {
            f.tasks_assigned += 1;
            if let Some(org) = &t.requester_org_id {
                units.insert(org.clone());
            }
        }
        if a.delivered_at.is_some_and(in_year) {
            f.tasks_delivered += 1;
            if a.timeliness == Some(Timeliness::Overdue) {
                f.tasks_overdue += 1;
            }
        } else if a.state == AssignmentState::Active
            && t.deadline < today
            && t.deadline.format("%Y").to_string() == year.to_string()
        {
            f.tasks_overdue += 1;
        }
    }
    for o in opinion::Entity::find()
        .filter(opinion::Column::AdvisorId.eq(advisor_id))
        .all(db)
        .await?
    {
        if in_year(o.submitted_at) {
            *f.opinions_by_channel
                .entry(o.channel.code().to_owned())
                .or_default() += 1;
        }
    }
    let invitations = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::AdvisorId.eq(advisor_id))
        .all(db)
        .await?;
    if !invitations.is_empty() {
        let meetings: BTreeMap<String, meeting::Model> = meeting::Entity::find()
            .filter(
                meeting::Column::Id.is_in(
                    invitations
                        .iter()
                        .map(|i| i.meeting_id.clone())
                        .collect::<Vec<_>>(),
                ),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id.clone(), m))
            .collect();
        for i in &invitations {
            let Some(m) = meetings.get(&i.meeting_id).filter(|m| in_year(m.held_at)) else {
                continue;
            };
            f.meetings_invited += 1;
            match i.attendance.map(|a| a.code()) {
                Some(a) if a == Attendance::Attended.code() => f.meetings_attended += 1,
                Some(a) if a == Attendance::Excused.code() => f.meetings_excused += 1,
                Some(a) if a == Attendance::Absent.code() => f.meetings_absent += 1,
                _ => {}
            }
            if let Some(org) = &m.organizer_org_id {
                units.insert(org.clone());
            }
            for d in meeting_department::Entity::find()
                .filter(meeting_department::Column::MeetingId.eq(m.id.clone()))
                .all(db)
                .await?
            {
                units.insert(d.org_id);
            }
        }
    }
    f.service_units = units.into_iter().collect();
    Ok(f)
}

async fn view<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    a: assessment::Model,
) -> Result<AssessmentView, ApiError> {
    let opinions = assessment_opinion::Entity::find()
        .filter(assessment_opinion::Column::AssessmentId.eq(a.id.clone()))
        .order_by_asc(assessment_opinion::Column::OrgId)
        .all(db)
        .await?
        .into_iter()
        .map(|o| {
            Ok(ServiceUnitOpinion {
                suggested_grade: o
                    .suggested_grade
                    .as_deref()
                    .map(|g| parse_stored("grade", g))
                    .transpose()?,
                org_id: o.org_id,
                opinion: o.opinion,
                submitted_at: to_cst(o.submitted_at),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let final_grade: Option<Grade> = a
        .final_grade
        .as_deref()
        .map(|g| parse_stored("grade", g))
        .transpose()?;
    Ok(AssessmentView {
        state: parse_stored("assessment state", &a.state)?,
        facts: serde_json::from_str(&a.facts).map_err(ApiError::internal)?,
        preliminary_grade: a
            .preliminary_grade
            .as_deref()
            .map(|g| parse_stored("grade", g))
            .transpose()?,
        subsidy_band: final_grade
            .and_then(|g| state.config.subsidy_bands.band(g))
            .map(|b| BandView {
                min_fen: b.min_fen,
                max_fen: b.max_fen,
            }),
        final_grade,
        service_unit_opinions: opinions,
        id: a.id,
        advisor_id: a.advisor_id,
        year: a.year,
        preliminary_comment: a.preliminary_comment,
        final_comment: a.final_comment,
        decided_by: a.decided_by,
        decided_at: a.decided_at.map(to_cst),
        created_at: to_cst(a.created_at),
    })
}

/// Who may read an assessment: hrss, government, auditor; the advisor their own once decided.
fn can_read(caller: &Caller, a: &assessment::Model) -> bool {
    caller.has(Role::Hrss)
        || caller.has(Role::Government)
        || caller.has(Role::Auditor)
        || (caller.has(Role::Advisor)
            && caller.advisor_id() == Some(a.advisor_id.as_str())
            && a.state == AssessmentState::Decided.code())
}

async fn load<C: ConnectionTrait>(db: &C, id: &str) -> Result<assessment::Model, ApiError> {
    assessment::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("assessment"))
}

/// Opening an assessment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateAssessmentRequest {
    pub advisor_id: String,
    #[schema(example = 2026)]
    pub year: i32,
}

/// Opens the annual assessment of an advisor for a year, with the year's facts computed;
/// one per advisor and year (`assessment_exists`, Art. 16).
#[utoipa::path(
    tag = "assessments",
    security(("bearer" = ["hrss"])),
    request_body = CreateAssessmentRequest,
    responses((status = 201, description = "The draft assessment", body = AssessmentView))
)]
#[post("/assessments")]
async fn create_assessment(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<CreateAssessmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let tx = begin_write(&state.db).await?;
    let adv = advisor::Entity::find_by_id(body.advisor_id.clone())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::invalid_field("advisor_id", "no such advisor"))?;
    let status = super::advisors::status_on(&adv, today)?;
    office::check_office_action(status, OfficeAction::Assess)?;
    office::check_assessment_year(
        body.year,
        today,
        guwen_domain::time::cst_date(adv.appointed_at),
    )?;
    let f = facts(&tx, &adv.id, body.year, today).await?;
    let id = new_id();
    let now = truncate_to_micros(ctx.now);
    let inserted = assessment::Entity::insert(assessment::ActiveModel {
        id: Set(id.clone()),
        advisor_id: Set(adv.id.clone()),
        year: Set(body.year),
        facts: Set(serde_json::to_string(&f).map_err(ApiError::internal)?),
        state: Set(AssessmentState::Draft.code().to_owned()),
        preliminary_grade: Set(None),
        preliminary_comment: Set(None),
        final_grade: Set(None),
        final_comment: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        created_by: Set(ctx.actor.sub.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(&tx)
    .await;
    if let Err(e) = inserted {
        return Err(if is_unique_violation(&e) {
            ApiError::conflict(
                "assessment_exists",
                format!(
                    "advisor {} already has an assessment for {}",
                    adv.id, body.year
                ),
            )
            .with_article("Art. 16")
        } else {
            e.into()
        });
    }
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::AssessmentOpened,
            object_type: "assessment",
            object_id: &id,
            before: None,
            after: Some(AssessmentState::Draft.code()),
            reason: None,
            details: Some(serde_json::json!({ "advisor_id": adv.id, "year": body.year })),
        },
    )
    .await?;
    let v = view(&tx, &state, load(&tx, &id).await?).await?;
    tx.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/assessments/{id}"),
        ))
        .json(v))
}

/// A service unit's opinion.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct OpinionRequest {
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub opinion: String,
    pub suggested_grade: Option<Grade>,
}

/// A department the advisor worked for this year gives its opinion (Art. 16, 会同服务单位);
/// any other department is refused with `not_a_service_unit`.
#[utoipa::path(
    tag = "assessments",
    security(("bearer" = ["department"])),
    params(("id" = String, Path, description = "Assessment id")),
    request_body = OpinionRequest,
    responses((status = 200, description = "The assessment", body = AssessmentView))
)]
#[post("/assessments/{id}/service-unit-opinions")]
async fn service_unit_opinion(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<OpinionRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let org = caller
        .org_id()
        .ok_or_else(|| ApiError::forbidden("a department token needs an org_id claim"))?
        .to_owned();
    let text = required_text("opinion", &body.opinion, 10000)?;
    let tx = begin_write(&state.db).await?;
    let a = load(&tx, &id).await?;
    let f: AssessmentFacts = serde_json::from_str(&a.facts).map_err(ApiError::internal)?;
    if !f.service_units.contains(&org) {
        return Err(ApiError::conflict(
            "not_a_service_unit",
            "the advisor did not work for this department in the assessed year",
        )
        .with_article("Art. 16"));
    }
    if a.state == AssessmentState::Decided.code() {
        return Err(
            ApiError::conflict("invalid_transition", "the assessment is decided")
                .with_article("Art. 16"),
        );
    }
    assessment_opinion::Entity::delete_many()
        .filter(assessment_opinion::Column::AssessmentId.eq(a.id.clone()))
        .filter(assessment_opinion::Column::OrgId.eq(org.clone()))
        .exec(&tx)
        .await?;
    assessment_opinion::Entity::insert(assessment_opinion::ActiveModel {
        assessment_id: Set(a.id.clone()),
        org_id: Set(org.clone()),
        opinion: Set(text),
        suggested_grade: Set(body.suggested_grade.map(|g| g.code().to_owned())),
        submitted_by: Set(ctx.actor.sub.clone()),
        submitted_at: Set(truncate_to_micros(ctx.now)),
    })
    .exec_without_returning(&tx)
    .await?;
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::ServiceUnitOpinionGiven,
            object_type: "assessment",
            object_id: &a.id,
            before: None,
            after: None,
            reason: None,
            details: Some(
                serde_json::json!({ "org_id": org, "suggested_grade": body.suggested_grade }),
            ),
        },
    )
    .await?;
    let v = view(&tx, &state, load(&tx, &a.id).await?).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(v))
}

/// A grade and its comment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct GradeRequest {
    pub grade: Grade,
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub comment: String,
}

async fn grade(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
    body: &GradeRequest,
    to: AssessmentState,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(req, state);
    let comment = required_text("comment", &body.comment, 10000)?;
    let tx = begin_write(&state.db).await?;
    let a = load(&tx, id).await?;
    let from: AssessmentState = parse_stored("assessment state", &a.state)?;
    office::assessment_transition(from, to)?;
    let now = truncate_to_micros(ctx.now);
    let mut update = assessment::Entity::update_many()
        .col_expr(assessment::Column::State, Expr::value(to.code()))
        .col_expr(assessment::Column::UpdatedAt, Expr::value(now));
    update = if to == AssessmentState::Decided {
        update
            .col_expr(
                assessment::Column::FinalGrade,
                Expr::value(body.grade.code()),
            )
            .col_expr(
                assessment::Column::FinalComment,
                Expr::value(comment.clone()),
            )
            .col_expr(
                assessment::Column::DecidedBy,
                Expr::value(ctx.actor.sub.clone()),
            )
            .col_expr(assessment::Column::DecidedAt, Expr::value(now))
    } else {
        update
            .col_expr(
                assessment::Column::PreliminaryGrade,
                Expr::value(body.grade.code()),
            )
            .col_expr(
                assessment::Column::PreliminaryComment,
                Expr::value(comment.clone()),
            )
    };
    let res = update
        .filter(assessment::Column::Id.eq(a.id.clone()))
        .filter(assessment::Column::State.eq(from.code()))
        .exec(&tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::conflict(
            "invalid_transition",
            "the assessment changed meanwhile",
        ));
    }
    record(
        &tx,
        &ctx,
        Transition {
            action: if to == AssessmentState::Decided {
                AuditAction::AssessmentDecided
            } else {
                AuditAction::AssessmentPreliminary
            },
            object_type: "assessment",
            object_id: &a.id,
            before: Some(from.code()),
            after: Some(to.code()),
            reason: Some(&comment),
            details: Some(serde_json::json!({ "grade": body.grade.code() })),
        },
    )
    .await?;
    let v = view(&tx, state, load(&tx, &a.id).await?).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(v))
}

/// HRSS's preliminary grade and comment (Art. 16, 考核初评意见); may be revised until decided.
#[utoipa::path(
    tag = "assessments",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Assessment id")),
    request_body = GradeRequest,
    responses((status = 200, description = "The assessment", body = AssessmentView))
)]
#[post("/assessments/{id}/preliminary")]
async fn preliminary(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ApiJson<GradeRequest>,
) -> Result<HttpResponse, ApiError> {
    grade(&state, &req, &id, &body, AssessmentState::Preliminary).await
}

/// The government's final grade (Art. 16, 报市政府确定), which sets the subsidy band.
#[utoipa::path(
    tag = "assessments",
    security(("bearer" = ["government"])),
    params(("id" = String, Path, description = "Assessment id")),
    request_body = GradeRequest,
    responses((status = 200, description = "The decided assessment", body = AssessmentView))
)]
#[post("/assessments/{id}/decision")]
async fn decide(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ApiJson<GradeRequest>,
) -> Result<HttpResponse, ApiError> {
    grade(&state, &req, &id, &body, AssessmentState::Decided).await
}

/// Filters of the assessment list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssessmentFilter {
    pub advisor_id: Option<String>,
    pub year: Option<i32>,
}

/// Assessments the caller may read, newest first (an advisor: their own, decided ones).
#[utoipa::path(
    tag = "assessments",
    security(("bearer" = ["hrss", "government", "auditor", "advisor"])),
    params(AssessmentFilter, PageParams),
    responses((status = 200, description = "A page of assessments", body = Page<AssessmentView>))
)]
#[get("/assessments")]
async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<AssessmentFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "assessments";
    let mut query = assessment::Entity::find();
    if !(caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor)) {
        query = query
            .filter(assessment::Column::AdvisorId.eq(caller.advisor_id().unwrap_or("-")))
            .filter(assessment::Column::State.eq(AssessmentState::Decided.code()));
    }
    if let Some(a) = &filter.advisor_id {
        query = query.filter(assessment::Column::AdvisorId.eq(a.clone()));
    }
    if let Some(y) = filter.year {
        query = query.filter(assessment::Column::Year.eq(y));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        assessment::Column::Id,
        &page,
        KIND,
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for a in rows {
        items.push(view(&state.db, &state, a).await?);
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// One assessment (an advisor reads their own only after the government's decision).
#[utoipa::path(
    tag = "assessments",
    security(("bearer" = ["hrss", "government", "auditor", "advisor"])),
    params(("id" = String, Path, description = "Assessment id")),
    responses((status = 200, description = "The assessment", body = AssessmentView))
)]
#[get("/assessments/{id}")]
async fn get_one(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let a = load(&state.db, &id).await?;
    if !can_read(&caller, &a) {
        return Err(ApiError::not_found("assessment"));
    }
    Ok(HttpResponse::Ok().json(view(&state.db, &state, a).await?))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_assessment)
        .service(list)
        .service(get_one)
        .service(service_unit_opinion)
        .service(preliminary)
        .service(decide);
}
