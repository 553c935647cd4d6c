//! Resignation (Art. 13): the advisor's written request, HRSS's proposal and the government's
//! decision, with the recovery of the certificate.

use actix_web::{HttpResponse, get, post, web};
use guwen_domain::{
    audit::AuditAction,
    office::{self, AdvisorStatus, OfficeAction, ResignationState},
};
use guwen_persistence::store::{
    Event, Tx, new_id,
    office::{self as store, NewResignation, Resignation, Resignations},
};

use super::{
    policy,
    steps::{self, on_advisor, proposal},
    views::{
        ProposalFilter, ResignationDecisionBody, ResignationProposalBody, ResignationRequest,
        ResignationView, created,
    },
};
use crate::{documents::revoke_on_leaving, prelude::*, work::progress::release_on_leaving};

/// Request to resign
///
/// The advisor's own written resignation request to HRSS (Art. 13).
#[utoipa::path(
    operation_id = "requestResignation",
    tag = "advisors",
    security(("bearer" = ["advisor"])),
    params(("id" = String, Path, description = "Advisor id (the caller's own)"), IdempotencyKey),
    request_body = ResignationRequest,
    responses((status = 201, description = "The request", body = ResignationView))
)]
#[post("/advisors/{id}/resignation")]
async fn request_resignation(
    call: Creating,
    id: web::Path<String>,
    body: ApiJson<ResignationRequest>,
) -> Result<HttpResponse, ApiError> {
    let today = call.state.clock.today();
    if !policy::is_own_advisor(&call.caller, &id) {
        return Err(ApiError::not_found("advisor"));
    }
    let letter = required_text("letter", &body.letter, 10000)?;
    let target = (id.as_str(), today, OfficeAction::RequestResignation);
    on_advisor(&call, &*body, target, async |tx, ctx, a, status| {
        let new = NewResignation {
            id: new_id(),
            advisor_id: a.id.clone(),
            letter,
        };
        let event = Event::new(AuditAction::ResignationRequested, "advisor", &a.id)
            .before(status)
            .after(AdvisorStatus::ResignationRequested)
            .details(serde_json::json!({ "resignation_id": new.id }));
        let saved = store::request_resignation(tx, ctx, new, a.status, event).await?;
        Ok(created(ResignationView::from(saved)))
    })
    .await
}

/// The resignation `id` (404 otherwise), if it may take the step to `to` (Art. 13).
async fn resignation_for(tx: &Tx, id: &str, to: ResignationState) -> Result<Resignation, ApiError> {
    let r = proposal::<Resignations>(tx, id).await?;
    office::check_resignation_step(r.state, to)?;
    Ok(r)
}

/// Propose a resignation to the government
///
/// HRSS proposes the resignation to the government (Art. 13, 提出拟解聘意见).
#[utoipa::path(
    operation_id = "proposeResignation",
    tag = "advisors",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Resignation id")),
    request_body = ResignationProposalBody,
    responses((status = 200, description = "The proposed resignation", body = ResignationView))
)]
#[post("/resignations/{id}/proposal")]
async fn propose_resignation(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<ResignationProposalBody>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let note = required_text("note", &body.note, 2000)?;
    write_as(&call, &*body, async |tx| {
        let r = resignation_for(tx, &id, ResignationState::Proposed).await?;
        let event = Event::new(AuditAction::ResignationProposed, "advisor", &r.advisor_id)
            .before(AdvisorStatus::ResignationRequested)
            .after(AdvisorStatus::ResignationProposed)
            .reason(Some(note.clone()))
            .details(serde_json::json!({ "resignation_id": r.id }));
        let saved = store::propose_resignation(tx, &ctx, &r, note, event).await?;
        Ok(Created::ok(ResignationView::from(saved)))
    })
    .await
}

/// Decide a resignation
///
/// The government approves (the advisor has resigned, the certificate recovery is recorded) or
/// rejects (the advisor stays active) a proposed resignation (Art. 13).
#[utoipa::path(
    operation_id = "decideResignation",
    tag = "advisors",
    security(("bearer" = ["government"])),
    params(("id" = String, Path, description = "Resignation id")),
    request_body = ResignationDecisionBody,
    responses((status = 200, description = "The decided resignation", body = ResignationView))
)]
#[post("/resignations/{id}/decision")]
async fn decide_resignation(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<ResignationDecisionBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = call.audit();
    let decision = body.clone().into_command()?;
    write_as(&call, &body, async |tx| {
        let r = resignation_for(tx, &id, decision.to).await?;
        let to = office::after_resignation_decision(body.approved);
        let action = if body.approved {
            AuditAction::AdvisorResigned
        } else {
            AuditAction::ResignationRejected
        };
        let event = Event::new(action, "advisor", &r.advisor_id)
            .before(AdvisorStatus::ResignationProposed)
            .after(to)
            .reason(Some(decision.reason.clone()))
            .details(serde_json::json!({ "resignation_id": r.id, "certificate_recovered": body.certificate_recovered }));
        let saved = store::decide_resignation(tx, &ctx, &r, decision, to, event).await?;
        if to == AdvisorStatus::Resigned {
            release_on_leaving(tx, &ctx, &r.advisor_id, "the advisor resigned").await?;
            revoke_on_leaving(tx, &ctx, &r.advisor_id, "the advisor resigned").await?;
        }
        Ok(Created::ok(ResignationView::from(saved)))
    })
    .await
}

/// List resignations
///
/// Resignations, newest first (an advisor sees their own).
#[utoipa::path(
    operation_id = "listResignations",
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
    let scope = policy::resignation_scope(&caller);
    steps::list::<Resignations, _>(&state, "resignations", &scope, &f, &page, |r| {
        Ok(ResignationView::from(r))
    })
    .await
}
