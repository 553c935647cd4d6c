//! Opening an annual assessment (Art. 16) with the year's facts, and reading assessments.

use actix_web::{HttpResponse, get, post, web};
use guwen_domain::{
    assessment::assessment_exists,
    audit::AuditAction,
    office::{self, AssessmentState, OfficeAction},
    time::cst_date,
};
use guwen_persistence::store::Connection;
use guwen_persistence::store::{
    AdvisorScope, Event,
    assessment::{self, Assessment},
    new_id,
};

use super::{
    policy,
    views::{AssessmentFilter, AssessmentView, CreateAssessmentRequest, assessment_view},
};
use crate::audit::{Sensitive, record_sensitive_read};
use crate::http::pagination::encode_cursor;
use crate::prelude::*;

/// The view of the assessment `a` with its service units' opinions.
pub(super) async fn with_opinions<C: Connection>(
    state: &AppState,
    db: &C,
    a: Assessment,
) -> Result<AssessmentView, ApiError> {
    let opinions = assessment::opinions(db, &a.id).await?;
    assessment_view(a, opinions, &state.config.subsidy_bands)
}

/// Open an annual assessment
///
/// Opens the annual assessment of an advisor for a year, with the year's facts computed;
/// one per advisor and year (`assessment_exists`, Art. 16).
///
/// Refused with `invalid_assessment_year`.
#[utoipa::path(
    operation_id = "createAssessment",
    tag = "assessments",
    security(("bearer" = ["hrss"])),
    params(IdempotencyKey),
    request_body = CreateAssessmentRequest,
    responses((status = 201, description = "The draft assessment", body = AssessmentView))
)]
#[post("/assessments")]
pub(super) async fn create_assessment(
    call: Creating,
    body: ApiJson<CreateAssessmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let today = call.state.clock.today();
    let year = body.year;
    identifier("advisor_id", &body.advisor_id, ID_MAX)?;
    write_as(&call, &body.0, async |tx| {
        let adv = assessment::advisor(tx, &body.advisor_id)
            .await?
            .ok_or_else(|| ApiError::invalid_field("advisor_id", "no such advisor"))?;
        office::check_office_action(adv.status_on(today), OfficeAction::Assess)?;
        office::check_assessment_year(year, today, cst_date(adv.appointed_at))?;
        let facts = assessment::year_facts(tx, &adv.id, year, today).await?;
        let id = new_id();
        let event = Event::new(AuditAction::AssessmentOpened, "assessment", &id)
            .after(AssessmentState::Draft)
            .details(serde_json::json!({ "advisor_id": adv.id, "year": year }));
        assessment::insert(tx, &ctx, id.clone(), &adv.id, year, &facts, event)
            .await
            .map_err(ApiError::on_duplicate(|| assessment_exists(&adv.id, year)))?;
        let a = assessment::find(tx, &id, &AdvisorScope::All)
            .await?
            .ok_or_else(|| ApiError::internal("the assessment just opened is gone"))?;
        let view = with_opinions(&call.state, tx, a).await?;
        Ok(Created::at(format!("/api/v1/assessments/{id}"), view))
    })
    .await
}

/// List assessments
///
/// Assessments the caller may read, newest first (an advisor: their own, decided ones).
#[utoipa::path(
    operation_id = "listAssessments",
    tag = "assessments",
    security(("bearer" = ["hrss", "government", "auditor", "advisor"])),
    params(AssessmentFilter, PageParams),
    responses((status = 200, description = "A page of assessments", body = Page<AssessmentView>))
)]
#[get("/assessments")]
pub(super) async fn list(
    call: Signed,
    filter: web::Query<AssessmentFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "assessments";
    let scope = policy::read_scope(&call.state, &call.caller);
    let request = page.request(KIND, Direction::NewestFirst)?;
    let page = assessment::page(&call.state.db, &scope, &filter.to_filter(), request).await?;
    let mut items = Vec::with_capacity(page.rows.len());
    for a in page.rows {
        items.push(with_opinions(&call.state, &call.state.db, a).await?);
    }
    let next_cursor = page.next.map(|id| encode_cursor(KIND, &id));
    let graded = items
        .iter()
        .filter(|a| shows_grade(a))
        .map(|a| a.id.clone());
    record_sensitive_read(
        &call.state,
        &call.http,
        Sensitive::AssessmentGrade,
        "assessment",
        graded.collect(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// Get an assessment
///
/// One assessment (an advisor reads their own only after the government's decision).
#[utoipa::path(
    operation_id = "getAssessment",
    tag = "assessments",
    security(("bearer" = ["hrss", "government", "auditor", "advisor"])),
    params(("id" = String, Path, description = "Assessment id")),
    responses((status = 200, description = "The assessment", body = AssessmentView))
)]
#[get("/assessments/{id}")]
pub(super) async fn get_one(call: Signed, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let scope = policy::read_scope(&call.state, &call.caller);
    let a = assessment::find(&call.state.db, &id, &scope)
        .await?
        .ok_or_else(|| ApiError::not_found("assessment"))?;
    let view = with_opinions(&call.state, &call.state.db, a).await?;
    if shows_grade(&view) {
        record_sensitive_read(
            &call.state,
            &call.http,
            Sensitive::AssessmentGrade,
            "assessment",
            vec![view.id.clone()],
        )
        .await?;
    }
    Ok(HttpResponse::Ok().json(view))
}

/// Whether an assessment as shown carries a grade (suggested, preliminary or final): reading
/// it is recorded in the audit trail.
fn shows_grade(a: &AssessmentView) -> bool {
    a.final_grade.is_some()
        || a.preliminary_grade.is_some()
        || a.service_unit_opinions
            .iter()
            .any(|o| o.suggested_grade.is_some())
}
