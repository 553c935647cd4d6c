//! Meetings (Art. 8, 11): organised by the government (invited advisors must attend) or a
//! department (attendance optional); attendance; minutes holding every attending advisor's and
//! every participating department's opinion, immutable once finalised and forwarded to the
//! government.

use std::collections::{BTreeMap, HashSet};

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, FixedOffset, Utc};
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    role::Role,
    time::to_cst,
    work::{self, Attendance, Confidentiality, MeetingOrganizer, MinutesCompleteness},
};
use guwen_persistence::{
    audit::{begin_write, truncate_to_micros},
    entity::{advisor, meeting, meeting_department, meeting_invitation, minutes},
    sea_orm::{
        ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait,
        QueryFilter, QueryOrder, sea_query::Expr,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::{
    common::{Transition, new_id, optional_text, parse_stored, record, required_text},
    tasks::parse_confidentiality,
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

/// An invited advisor and their attendance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvitationView {
    pub advisor_id: String,
    pub advisor_name: String,
    /// Not yet recorded when absent from the response.
    pub attendance: Option<Attendance>,
    pub excuse_reason: Option<String>,
    /// True when the absence is unexcused at a government meeting (evidence under Art. 12.3).
    pub unexcused_absence: bool,
}

/// One opinion in the minutes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AdvisorOpinionEntry {
    pub advisor_id: String,
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub opinion: String,
}

/// One department's opinion in the minutes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct DepartmentOpinionEntry {
    pub org_id: String,
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub opinion: String,
}

/// The minutes (会议纪要, Art. 11).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MinutesView {
    pub summary: String,
    pub advisor_opinions: Vec<AdvisorOpinionEntry>,
    pub department_opinions: Vec<DepartmentOpinionEntry>,
    pub updated_by: String,
    pub updated_at: DateTime<FixedOffset>,
    /// Set once finalised: the minutes are then immutable.
    pub finalized_at: Option<DateTime<FixedOffset>>,
    /// When the finalised minutes were forwarded to the government.
    pub forwarded_at: Option<DateTime<FixedOffset>>,
}

/// A meeting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingView {
    pub id: String,
    pub organizer: MeetingOrganizer,
    /// The organising department (for department meetings).
    pub organizer_org_id: Option<String>,
    pub title: String,
    pub agenda: String,
    pub held_at: DateTime<FixedOffset>,
    pub location: Option<String>,
    pub confidentiality: Confidentiality,
    /// The task the meeting serves, if any.
    pub task_id: Option<String>,
    /// Attendance is required for invited advisors at government meetings (Art. 8 ¶1) and
    /// optional at department meetings (Art. 8 ¶2).
    pub attendance_required: bool,
    /// Invitations (an advisor sees only their own).
    pub invitations: Vec<InvitationView>,
    pub participating_org_ids: Vec<String>,
    pub minutes: Option<MinutesView>,
    pub created_at: DateTime<FixedOffset>,
}

fn is_organiser(caller: &Caller, m: &meeting::Model) -> bool {
    match m.organizer.as_str() {
        "government" => caller.has(Role::Government) || caller.has(Role::Hrss),
        _ => {
            caller.has(Role::Hrss)
                || (caller.has(Role::Department)
                    && caller.org_id().is_some()
                    && caller.org_id() == m.organizer_org_id.as_deref())
        }
    }
}

struct Loaded {
    meeting: meeting::Model,
    invitations: Vec<meeting_invitation::Model>,
    departments: Vec<String>,
    minutes: Option<minutes::Model>,
}

async fn load<C: ConnectionTrait>(db: &C, caller: &Caller, id: &str) -> Result<Loaded, ApiError> {
    let m = meeting::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("meeting"))?;
    let invitations = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::MeetingId.eq(m.id.clone()))
        .order_by_asc(meeting_invitation::Column::AdvisorId)
        .all(db)
        .await?;
    let departments: Vec<String> = meeting_department::Entity::find()
        .filter(meeting_department::Column::MeetingId.eq(m.id.clone()))
        .order_by_asc(meeting_department::Column::OrgId)
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.org_id)
        .collect();
    let staff = caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor);
    let dept = caller.has(Role::Department)
        && caller.org_id().is_some_and(|org| {
            m.organizer_org_id.as_deref() == Some(org) || departments.iter().any(|d| d == org)
        });
    let invited = caller.has(Role::Advisor)
        && caller
            .advisor_id()
            .is_some_and(|me| invitations.iter().any(|i| i.advisor_id == me));
    if !(staff || dept || invited) {
        return Err(ApiError::not_found("meeting"));
    }
    let minutes = minutes::Entity::find_by_id(m.id.clone()).one(db).await?;
    Ok(Loaded {
        meeting: m,
        invitations,
        departments,
        minutes,
    })
}

async fn render<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    l: Loaded,
) -> Result<MeetingView, ApiError> {
    let organizer: MeetingOrganizer = parse_stored("organizer", &l.meeting.organizer)?;
    let names: std::collections::HashMap<String, String> = advisor::Entity::find()
        .filter(
            advisor::Column::Id.is_in(
                l.invitations
                    .iter()
                    .map(|i| i.advisor_id.clone())
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let staff = caller.has(Role::Hrss)
        || caller.has(Role::Government)
        || caller.has(Role::Auditor)
        || caller.has(Role::Department);
    let mut invitations = Vec::new();
    for i in &l.invitations {
        if !staff && caller.advisor_id() != Some(i.advisor_id.as_str()) {
            continue;
        }
        let attendance: Option<Attendance> = i
            .attendance
            .as_deref()
            .map(|a| parse_stored("attendance", a))
            .transpose()?;
        invitations.push(InvitationView {
            advisor_id: i.advisor_id.clone(),
            advisor_name: names.get(&i.advisor_id).cloned().unwrap_or_default(),
            attendance,
            excuse_reason: i.excuse_reason.clone(),
            unexcused_absence: attendance.is_some_and(|a| work::is_unexcused_absence(organizer, a)),
        });
    }
    let minutes = match l.minutes {
        Some(m) => {
            let advisor_opinions: BTreeMap<String, String> =
                serde_json::from_str(&m.advisor_opinions).map_err(ApiError::internal)?;
            let department_opinions: BTreeMap<String, String> =
                serde_json::from_str(&m.department_opinions).map_err(ApiError::internal)?;
            Some(MinutesView {
                summary: m.summary,
                advisor_opinions: advisor_opinions
                    .into_iter()
                    .map(|(advisor_id, opinion)| AdvisorOpinionEntry {
                        advisor_id,
                        opinion,
                    })
                    .collect(),
                department_opinions: department_opinions
                    .into_iter()
                    .map(|(org_id, opinion)| DepartmentOpinionEntry { org_id, opinion })
                    .collect(),
                updated_by: m.updated_by,
                updated_at: to_cst(m.updated_at),
                finalized_at: m.finalized_at.map(to_cst),
                forwarded_at: m.forwarded_at.map(to_cst),
            })
        }
        None => None,
    };
    Ok(MeetingView {
        id: l.meeting.id,
        organizer,
        organizer_org_id: l.meeting.organizer_org_id,
        title: l.meeting.title,
        agenda: l.meeting.agenda,
        held_at: to_cst(l.meeting.held_at),
        location: l.meeting.location,
        confidentiality: parse_stored("confidentiality", &l.meeting.confidentiality)?,
        task_id: l.meeting.task_id,
        attendance_required: work::attendance_required(organizer),
        invitations,
        participating_org_ids: l.departments,
        minutes,
        created_at: to_cst(l.meeting.created_at),
    })
}

/// A new meeting.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateMeetingRequest {
    /// HRSS only: `government` (default) or `department` (with `organizer_org_id`). The
    /// government's meetings are `government`; a department's are its own.
    pub organizer: Option<MeetingOrganizer>,
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub organizer_org_id: Option<String>,
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "口岸高质量发展专题研讨会",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub title: String,
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub agenda: String,
    pub held_at: DateTime<FixedOffset>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub location: Option<String>,
    /// `internal` (default), `work_secret` or `commercial_secret` (Art. 7.1).
    pub confidentiality: Option<String>,
    /// The advisors invited (in office).
    #[validate(length(min = 1, max = 100))]
    #[schema(min_items = 1, max_items = 100)]
    pub invited_advisor_ids: Vec<String>,
    /// The departments taking part, whose opinions the minutes must record (Art. 11).
    #[serde(default)]
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    pub participating_org_ids: Vec<String>,
    /// The task the meeting serves.
    pub task_id: Option<String>,
}

/// Convenes a meeting and invites advisors (Art. 8, 11).
#[utoipa::path(
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss"])),
    request_body = CreateMeetingRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key", pattern = "^[!-~]{1,200}$")),
    responses((status = 201, description = "The meeting", body = MeetingView, headers(("Location" = String, description = "The meeting's URL"))))
)]
#[post("/meetings")]
async fn create_meeting(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: ApiJson<CreateMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let (organizer, org) = if caller.has(Role::Hrss) {
        match body.organizer.unwrap_or(MeetingOrganizer::Government) {
            MeetingOrganizer::Government => (MeetingOrganizer::Government, None),
            MeetingOrganizer::Department => (
                MeetingOrganizer::Department,
                Some(
                    optional_text("organizer_org_id", body.organizer_org_id.as_deref(), 100)?
                        .ok_or_else(|| {
                            ApiError::invalid_field(
                                "organizer_org_id",
                                "is required for a department meeting",
                            )
                        })?,
                ),
            ),
        }
    } else if caller.has(Role::Government) {
        (MeetingOrganizer::Government, None)
    } else {
        let org = caller
            .org_id()
            .ok_or_else(|| ApiError::forbidden("a department token needs an org_id claim"))?;
        (MeetingOrganizer::Department, Some(org.to_owned()))
    };
    let confidentiality = match body.confidentiality.as_deref() {
        Some(raw) => parse_confidentiality(raw)?,
        None => Confidentiality::Internal,
    };
    let title = required_text("title", &body.title, 200)?;
    let agenda = required_text("agenda", &body.agenda, 10000)?;
    let location = optional_text("location", body.location.as_deref(), 200)?;
    let invited: Vec<String> = body
        .invited_advisor_ids
        .iter()
        .cloned()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let departments: HashSet<String> = body
        .participating_org_ids
        .iter()
        .map(|o| o.trim().to_owned())
        .filter(|o| !o.is_empty())
        .collect();
    crate::write::write(&state, &req, &caller.idempotency_scope(), &key, &body, async |tx| {
        let found = advisor::Entity::find()
            .filter(advisor::Column::Id.is_in(invited.clone()))
            .filter(super::advisors::in_office_on(today))
            .all(tx)
            .await?;
        if found.len() != invited.len() {
            return Err(ApiError::invalid_field("invited_advisor_ids", "every invited advisor must be in office"));
        }
        if let Some(t) = &body.task_id {
            super::tasks::load_task(tx, &caller, t).await.map_err(|_| ApiError::invalid_field("task_id", "no such task"))?;
        }
        let id = new_id();
        let now = truncate_to_micros(ctx.now);
        meeting::Entity::insert(meeting::ActiveModel {
            id: Set(id.clone()),
            organizer: Set(organizer.code().to_owned()),
            organizer_org_id: Set(org.clone()),
            created_by: Set(caller.sub().to_owned()),
            title: Set(title.clone()),
            agenda: Set(agenda.clone()),
            held_at: Set(truncate_to_micros(body.held_at.with_timezone(&Utc))),
            location: Set(location.clone()),
            confidentiality: Set(confidentiality.code().to_owned()),
            task_id: Set(body.task_id.clone()),
            created_at: Set(now),
        })
        .exec_without_returning(tx)
        .await?;
        for advisor_id in &invited {
            meeting_invitation::Entity::insert(meeting_invitation::ActiveModel {
                meeting_id: Set(id.clone()),
                advisor_id: Set(advisor_id.clone()),
                attendance: Set(None),
                excuse_reason: Set(None),
                recorded_at: Set(None),
            })
            .exec_without_returning(tx)
            .await?;
        }
        for org_id in &departments {
            meeting_department::Entity::insert(meeting_department::ActiveModel {
                meeting_id: Set(id.clone()),
                org_id: Set(org_id.clone()),
            })
            .exec_without_returning(tx)
            .await?;
        }
        record(
            tx,
            &ctx,
            Transition {
                action: AuditAction::MeetingConvened,
                object_type: "meeting",
                object_id: &id,
                before: None,
                after: None,
                reason: None,
                details: Some(serde_json::json!({ "organizer": organizer.code(), "organizer_org_id": org, "invited": invited, "departments": departments })),
            },
        )
        .await?;
        let l = load(tx, &caller, &id).await?;
        Ok(Created::at(format!("/api/v1/meetings/{id}"), render(tx, &caller, l).await?))
    })
    .await
}

/// Filters of the meeting list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingFilter {
    pub organizer: Option<MeetingOrganizer>,
}

/// Meetings the caller may see, newest first: all for hrss, government and auditor; those it
/// organises or takes part in for a department; those they are invited to for an advisor.
#[utoipa::path(
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss", "auditor", "advisor"])),
    params(MeetingFilter, PageParams),
    responses((status = 200, description = "A page of meetings", body = Page<MeetingView>))
)]
#[get("/meetings")]
async fn list_meetings(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<MeetingFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "meetings";
    let mut query = meeting::Entity::find();
    if !(caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor)) {
        let mut ids: Vec<String> = Vec::new();
        let mut scope = Condition::any().add(meeting::Column::Id.eq("-"));
        if caller.has(Role::Department)
            && let Some(org) = caller.org_id()
        {
            scope = scope.add(meeting::Column::OrganizerOrgId.eq(org));
            ids.extend(
                meeting_department::Entity::find()
                    .filter(meeting_department::Column::OrgId.eq(org))
                    .all(&state.db)
                    .await?
                    .into_iter()
                    .map(|d| d.meeting_id),
            );
        }
        if caller.has(Role::Advisor)
            && let Some(me) = caller.advisor_id()
        {
            ids.extend(
                meeting_invitation::Entity::find()
                    .filter(meeting_invitation::Column::AdvisorId.eq(me))
                    .all(&state.db)
                    .await?
                    .into_iter()
                    .map(|i| i.meeting_id),
            );
        }
        if !ids.is_empty() {
            scope = scope.add(meeting::Column::Id.is_in(ids));
        }
        query = query.filter(scope);
    }
    if let Some(o) = filter.organizer {
        query = query.filter(meeting::Column::Organizer.eq(o.code()));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        meeting::Column::Id,
        &page,
        KIND,
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for m in rows {
        let l = load(&state.db, &caller, &m.id).await?;
        items.push(render(&state.db, &caller, l).await?);
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// One meeting with its attendance and minutes.
#[utoipa::path(
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss", "auditor", "advisor"])),
    params(("id" = String, Path, description = "Meeting id")),
    responses((status = 200, description = "The meeting", body = MeetingView))
)]
#[get("/meetings/{id}")]
async fn get_meeting(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state.db, &caller, &id).await?;
    Ok(HttpResponse::Ok().json(render(&state.db, &caller, l).await?))
}

/// One advisor's attendance.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AttendanceEntry {
    pub advisor_id: String,
    pub attendance: Attendance,
    /// Required for `excused`.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub excuse_reason: Option<String>,
}

/// Attendance of invited advisors.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AttendanceRequest {
    #[validate(length(min = 1, max = 100), nested)]
    pub entries: Vec<AttendanceEntry>,
}

fn require_organiser(caller: &Caller, m: &meeting::Model) -> Result<(), ApiError> {
    if is_organiser(caller, m) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "only the organiser or HRSS may change this meeting's records",
        ))
    }
}

fn check_not_finalized(l: &Loaded) -> Result<(), ApiError> {
    work::check_minutes_editable(l.minutes.as_ref().is_some_and(|m| m.finalized_at.is_some()))?;
    Ok(())
}

/// Records attendance of invited advisors: attended, excused (with a reason) or absent (Art. 8).
/// Unexcused absence from a government meeting is evidence under Art. 12.3.
#[utoipa::path(
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss"])),
    params(("id" = String, Path, description = "Meeting id")),
    request_body = AttendanceRequest,
    responses((status = 200, description = "The meeting", body = MeetingView))
)]
#[put("/meetings/{id}/attendance")]
async fn put_attendance(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<AttendanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let tx = begin_write(&state.db).await?;
    let l = load(&tx, &caller, &id).await?;
    require_organiser(&caller, &l.meeting)?;
    check_not_finalized(&l)?;
    let invited: HashSet<&str> = l
        .invitations
        .iter()
        .map(|i| i.advisor_id.as_str())
        .collect();
    for e in &body.entries {
        if !invited.contains(e.advisor_id.as_str()) {
            return Err(ApiError::invalid_field(
                "entries",
                format!("advisor {} is not invited to this meeting", e.advisor_id),
            ));
        }
        let reason = optional_text("excuse_reason", e.excuse_reason.as_deref(), 2000)?;
        work::check_attendance(e.attendance, reason.as_deref())?;
        meeting_invitation::Entity::update_many()
            .set(meeting_invitation::ActiveModel {
                attendance: Set(Some(e.attendance.code().to_owned())),
                excuse_reason: Set(reason.filter(|_| e.attendance == Attendance::Excused)),
                recorded_at: Set(Some(truncate_to_micros(ctx.now))),
                ..Default::default()
            })
            .filter(meeting_invitation::Column::MeetingId.eq(l.meeting.id.clone()))
            .filter(meeting_invitation::Column::AdvisorId.eq(e.advisor_id.clone()))
            .exec(&tx)
            .await?;
    }
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::AttendanceRecorded,
            object_type: "meeting",
            object_id: &l.meeting.id,
            before: None,
            after: None,
            reason: None,
            details: Some(serde_json::to_value(&body.entries).map_err(ApiError::internal)?),
        },
    )
    .await?;
    let l = load(&tx, &caller, &id).await?;
    let v = render(&tx, &caller, l).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(v))
}

/// The minutes' content.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct MinutesRequest {
    #[validate(length(min = 1, max = 50000))]
    #[schema(min_length = 1, max_length = 50000, pattern = r"\S")]
    pub summary: String,
    #[serde(default)]
    #[validate(length(max = 100), nested)]
    pub advisor_opinions: Vec<AdvisorOpinionEntry>,
    #[serde(default)]
    #[validate(length(max = 50), nested)]
    pub department_opinions: Vec<DepartmentOpinionEntry>,
}

/// Writes or rewrites the minutes (Art. 11); refused once finalised (`minutes_finalized`).
#[utoipa::path(
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss"])),
    params(("id" = String, Path, description = "Meeting id")),
    request_body = MinutesRequest,
    responses((status = 200, description = "The meeting", body = MeetingView))
)]
#[put("/meetings/{id}/minutes")]
async fn put_minutes(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<MinutesRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let summary = required_text("summary", &body.summary, 50000)?;
    let tx = begin_write(&state.db).await?;
    let l = load(&tx, &caller, &id).await?;
    require_organiser(&caller, &l.meeting)?;
    check_not_finalized(&l)?;
    let invited: HashSet<&str> = l
        .invitations
        .iter()
        .map(|i| i.advisor_id.as_str())
        .collect();
    let mut advisor_opinions = BTreeMap::new();
    for e in &body.advisor_opinions {
        if !invited.contains(e.advisor_id.as_str()) {
            return Err(ApiError::invalid_field(
                "advisor_opinions",
                format!("advisor {} is not invited to this meeting", e.advisor_id),
            ));
        }
        advisor_opinions.insert(
            e.advisor_id.clone(),
            required_text("advisor_opinions", &e.opinion, 20000)?,
        );
    }
    let participating: HashSet<&str> = l.departments.iter().map(String::as_str).collect();
    let mut department_opinions = BTreeMap::new();
    for e in &body.department_opinions {
        if !participating.contains(e.org_id.as_str()) {
            return Err(ApiError::invalid_field(
                "department_opinions",
                format!("department {} does not take part in this meeting", e.org_id),
            ));
        }
        department_opinions.insert(
            e.org_id.clone(),
            required_text("department_opinions", &e.opinion, 20000)?,
        );
    }
    let now = truncate_to_micros(ctx.now);
    let advisor_json = serde_json::to_string(&advisor_opinions).map_err(ApiError::internal)?;
    let department_json =
        serde_json::to_string(&department_opinions).map_err(ApiError::internal)?;
    match &l.minutes {
        None => {
            minutes::Entity::insert(minutes::ActiveModel {
                meeting_id: Set(l.meeting.id.clone()),
                summary: Set(summary.clone()),
                advisor_opinions: Set(advisor_json),
                department_opinions: Set(department_json),
                version: Set(1),
                updated_by: Set(caller.sub().to_owned()),
                updated_at: Set(now),
                finalized_at: Set(None),
                finalized_by: Set(None),
                forwarded_at: Set(None),
            })
            .exec_without_returning(&tx)
            .await?;
        }
        Some(_) => {
            let res = minutes::Entity::update_many()
                .set(minutes::ActiveModel {
                    summary: Set(summary.clone()),
                    advisor_opinions: Set(advisor_json),
                    department_opinions: Set(department_json),
                    updated_by: Set(caller.sub().to_owned()),
                    updated_at: Set(now),
                    ..Default::default()
                })
                .col_expr(
                    minutes::Column::Version,
                    Expr::col(minutes::Column::Version).add(1),
                )
                .filter(minutes::Column::MeetingId.eq(l.meeting.id.clone()))
                .filter(minutes::Column::FinalizedAt.is_null())
                .exec(&tx)
                .await?;
            if res.rows_affected != 1 {
                return Err(ApiError::conflict(
                    "minutes_finalized",
                    "the minutes were finalised meanwhile",
                )
                .with_article("Art. 11"));
            }
        }
    }
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::MinutesWritten,
            object_type: "meeting",
            object_id: &l.meeting.id,
            before: None,
            after: None,
            reason: None,
            details: None,
        },
    )
    .await?;
    let l = load(&tx, &caller, &id).await?;
    let v = render(&tx, &caller, l).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Finalises the minutes and forwards them to the government (Art. 11): refused until every
/// attending advisor's and every participating department's opinion is recorded
/// (`minutes_incomplete`); afterwards they are immutable.
#[utoipa::path(
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss"])),
    params(("id" = String, Path, description = "Meeting id")),
    responses((status = 200, description = "The meeting with finalised minutes", body = MeetingView))
)]
#[post("/meetings/{id}/minutes/finalization")]
async fn finalize_minutes(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let tx = begin_write(&state.db).await?;
    let l = load(&tx, &caller, &id).await?;
    require_organiser(&caller, &l.meeting)?;
    check_not_finalized(&l)?;
    let Some(m) = &l.minutes else {
        return Err(
            ApiError::conflict("minutes_incomplete", "no minutes have been written")
                .with_article("Art. 11"),
        );
    };
    let advisor_opinions: BTreeMap<String, String> =
        serde_json::from_str(&m.advisor_opinions).map_err(ApiError::internal)?;
    let department_opinions: BTreeMap<String, String> =
        serde_json::from_str(&m.department_opinions).map_err(ApiError::internal)?;
    let attending: Vec<String> = l
        .invitations
        .iter()
        .filter(|i| i.attendance.as_deref() == Some(Attendance::Attended.code()))
        .map(|i| i.advisor_id.clone())
        .collect();
    let with_advisor_opinion: Vec<String> = advisor_opinions.keys().cloned().collect();
    let with_department_opinion: Vec<String> = department_opinions.keys().cloned().collect();
    work::check_minutes_complete(&MinutesCompleteness {
        attending_advisors: &attending,
        advisor_opinions: &with_advisor_opinion,
        participating_departments: &l.departments,
        department_opinions: &with_department_opinion,
    })?;
    let now = truncate_to_micros(ctx.now);
    let res = minutes::Entity::update_many()
        .set(minutes::ActiveModel {
            finalized_at: Set(Some(now)),
            finalized_by: Set(Some(caller.sub().to_owned())),
            forwarded_at: Set(Some(now)),
            ..Default::default()
        })
        .filter(minutes::Column::MeetingId.eq(l.meeting.id.clone()))
        .filter(minutes::Column::FinalizedAt.is_null())
        .exec(&tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(
            ApiError::conflict("minutes_finalized", "the minutes are already final")
                .with_article("Art. 11"),
        );
    }
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::MinutesFinalized,
            object_type: "meeting",
            object_id: &l.meeting.id,
            before: Some("draft"),
            after: Some("finalized"),
            reason: None,
            details: Some(
                serde_json::json!({ "forwarded_to": "government", "forwarded_at": to_cst(now) }),
            ),
        },
    )
    .await?;
    let l = load(&tx, &caller, &id).await?;
    let v = render(&tx, &caller, l).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(v))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_meeting)
        .service(list_meetings)
        .service(get_meeting)
        .service(put_attendance)
        .service(put_minutes)
        .service(finalize_minutes);
}
