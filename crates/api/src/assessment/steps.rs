//! The steps of an annual assessment (Art. 16): the service units' opinions, HRSS's
//! preliminary grade and the government's final grade.

use actix_web::{HttpResponse, post, web};
use guwen_domain::{
    Labelled,
    assessment::{check_open_for_opinions, check_service_unit, check_service_units_heard},
    audit::AuditAction,
    office::{self, AssessmentState},
};
use guwen_persistence::store::{
    AdvisorScope, Event, Tx,
    assessment::{self, Assessment},
};

use serde::Serialize;

use super::{
    assessments::with_opinions,
    policy,
    views::{AssessmentView, GradeRequest, OpinionRequest, PreliminaryRequest},
};
use crate::prelude::*;

/// A step on the assessment `id` (404 when there is none): `work` changes it, and the answer
/// is the assessment as it stands after the step.
async fn step<R: Serialize>(
    call: &Signed,
    id: &str,
    request: &R,
    work: impl AsyncFnOnce(&Tx, Assessment) -> Result<(), ApiError>,
) -> Result<HttpResponse, ApiError> {
    let load = async |tx: &Tx| assessment::find(tx, id, &AdvisorScope::All).await;
    let view = async |tx: &Tx, a| with_opinions(&call.state, tx, a).await;
    write_step(call, request, "assessment", load, work, view).await
}

/// Give a service unit's opinion
///
/// A department the advisor worked for this year gives its opinion (Art. 16, 会同服务单位);
/// any other department is refused with `not_a_service_unit`.
#[utoipa::path(
    operation_id = "addServiceUnitOpinion",
    tag = "assessments",
    security(("bearer" = ["department"])),
    params(("id" = String, Path, description = "Assessment id")),
    request_body = OpinionRequest,
    responses((status = 200, description = "The assessment", body = AssessmentView))
)]
#[post("/assessments/{id}/service-unit-opinions")]
pub(super) async fn service_unit_opinion(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<OpinionRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = policy::service_unit(&call.caller)?;
    let text = body.checked_opinion()?;
    let ctx = call.audit();
    step(&call, &id, &body.0, async |tx, a| {
        let facts = assessment::facts_of(&a).map_err(ApiError::internal)?;
        check_service_unit(&facts, &org)?;
        check_open_for_opinions(a.state)?;
        let event = Event::new(AuditAction::ServiceUnitOpinionGiven, "assessment", &a.id).details(
            serde_json::json!({
                "org_id": org,
                "suggested_grade": body.suggested_grade,
            }),
        );
        let grade = body.suggested_grade;
        assessment::give_opinion(tx, &ctx, &a.id, &org, text, grade, event).await?;
        Ok(())
    })
    .await
}

/// Grades an assessment, moving it to `to` (`preliminary` or `decided`), only from the state
/// read (Art. 16).
async fn grade(
    call: &Signed,
    id: &str,
    (body, request): (&GradeRequest, &impl Serialize),
    (to, non_responding): (AssessmentState, Option<Vec<(String, String)>>),
) -> Result<HttpResponse, ApiError> {
    let comment = body.checked_comment()?;
    let ctx = call.audit();
    step(call, id, request, async |tx, a| {
        office::assessment_transition(a.state, to)?;
        let mut details = serde_json::json!({ "grade": body.grade.code() });
        if let Some(excused) = &non_responding {
            // Art. 16: the service units of the year are heard first, or noted as silent.
            let facts = assessment::facts_of(&a).map_err(ApiError::internal)?;
            let heard: Vec<String> = assessment::opinions(tx, &a.id)
                .await?
                .into_iter()
                .map(|o| o.org_id)
                .collect();
            let excused_ids: Vec<String> = excused.iter().map(|(o, _)| o.clone()).collect();
            check_service_units_heard(&facts, &heard, &excused_ids)?;
            if !excused.is_empty() {
                details["non_responding_units"] = excused
                    .iter()
                    .map(|(org_id, note)| serde_json::json!({ "org_id": org_id, "note": note }))
                    .collect();
            }
        }
        let action = if to == AssessmentState::Decided {
            AuditAction::AssessmentDecided
        } else {
            AuditAction::AssessmentPreliminary
        };
        let event = Event::new(action, "assessment", &a.id)
            .reason(Some(comment.clone()))
            .details(details);
        assessment::grade(tx, &ctx, &a, to, body.grade, comment, event).await?;
        Ok(())
    })
    .await
}

/// Record the preliminary grade
///
/// HRSS's preliminary grade and comment (Art. 16, 考核初评意见); may be revised until decided.
/// Every service unit of the year has given its opinion first, or is listed in
/// `non_responding_units` with HRSS's note (`service_unit_opinions_missing`).
#[utoipa::path(
    operation_id = "recordPreliminaryAssessment",
    tag = "assessments",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Assessment id")),
    request_body = PreliminaryRequest,
    responses((status = 200, description = "The assessment", body = AssessmentView))
)]
#[post("/assessments/{id}/preliminary")]
pub(super) async fn preliminary(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<PreliminaryRequest>,
) -> Result<HttpResponse, ApiError> {
    let non_responding = body.non_responding()?;
    let to = (AssessmentState::Preliminary, Some(non_responding));
    grade(&call, &id, (&body.grade(), &body.0), to).await
}

/// Decide the final grade
///
/// The government's final grade (Art. 16, 报市政府确定), which sets the subsidy band.
#[utoipa::path(
    operation_id = "decideAssessment",
    tag = "assessments",
    security(("bearer" = ["government"])),
    params(("id" = String, Path, description = "Assessment id")),
    request_body = GradeRequest,
    responses((status = 200, description = "The decided assessment", body = AssessmentView))
)]
#[post("/assessments/{id}/decision")]
pub(super) async fn decide(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<GradeRequest>,
) -> Result<HttpResponse, ApiError> {
    let to = (AssessmentState::Decided, None);
    grade(&call, &id, (&body, &body.0), to).await
}
