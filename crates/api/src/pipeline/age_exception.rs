//! An exception to the age limit after the executive meeting (Art. 5.5, 特殊情况可适当放宽):
//! HRSS asks, the government decides, and the appointment then goes ahead without withdrawing
//! and nominating the candidate again.

use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use guwen_domain::{
    appointment::{self, NoticeWindow},
    audit::AuditAction,
    nomination::{CandidateAction, CandidateState},
};
use guwen_persistence::store::{
    Event, Tx,
    pipeline::{self as store, CandidateRead, CandidateStep},
};

use super::{
    candidates::candidate_step,
    views::{AgeExceptionDecisionRequest, AgeExceptionRequest, CandidateView},
};
use crate::prelude::*;

/// Request an age exception
///
/// HRSS asks the government to relax the age limit (Art. 5.5) for a candidate the executive
/// meeting approved who will be 70 or more on the earliest day a term could start
/// (`age_limit_reached_at`); the candidate stays where they are in the procedure.
///
/// Refused with `age_exception_not_needed`, `age_exception_pending`, `invalid_transition`.
#[utoipa::path(
    operation_id = "requestAgeException",
    tag = "candidates",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Candidate id")),
    request_body = AgeExceptionRequest,
    responses((status = 200, description = "The candidate with the request", body = CandidateView))
)]
#[post("/candidates/{id}/age-exception-request")]
pub(super) async fn request_age_exception(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<AgeExceptionRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let reason = required_text("reason", &body.reason, 2000)?;
    let work = async |tx: &Tx, read: &CandidateRead, shown: CandidateState, today: NaiveDate| {
        let (c, s) = (&read.candidate, &read.around);
        let window = s
            .notice
            .as_ref()
            .map(|n| NoticeWindow::from_start(n.starts_on));
        let age = appointment::age_on_earliest_start(c.birth_date, window.as_ref(), today);
        appointment::check_age_exception_request(shown, age, c.age_exception_status)?;
        let event = Event::new(AuditAction::AgeExceptionRequested, "candidate", &c.id)
            .before(shown)
            .after(shown)
            .reason(Some(reason.clone()))
            .details(serde_json::json!({ "age_on_earliest_start": age }));
        let step = CandidateStep::RequestAgeException { reason };
        store::move_candidate(tx, &ctx, &c.id, c.state, c.state, step, event).await?;
        Ok(())
    };
    let action = CandidateAction::RequestAgeException;
    candidate_step(&call, &id, &body.0, action, work).await
}

/// Decide an age exception
///
/// The government approves or refuses the exception HRSS requested (Art. 5.5), with the
/// reference of its decision; a refusal needs a note. Once approved, the appointment is no
/// longer refused for the age.
///
/// Refused with `invalid_transition` when no request awaits a decision.
#[utoipa::path(
    operation_id = "decideAgeException",
    tag = "candidates",
    security(("bearer" = ["government"])),
    params(("id" = String, Path, description = "Candidate id")),
    request_body = AgeExceptionDecisionRequest,
    responses((status = 200, description = "The candidate with the decision", body = CandidateView))
)]
#[post("/candidates/{id}/age-exception-decision")]
pub(super) async fn decide_age_exception(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<AgeExceptionDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let decision_ref = required_line("decision_ref", &body.decision_ref, 200)?;
    let note = optional_text("note", body.note.as_deref(), 2000)?;
    if !body.approved && note.is_none() {
        return Err(ApiError::invalid_field(
            "note",
            "a refused exception needs a note giving the reason",
        ));
    }
    let work = async |tx: &Tx, read: &CandidateRead, shown: CandidateState, _: NaiveDate| {
        let c = &read.candidate;
        appointment::check_age_exception_decision(shown, c.age_exception_status)?;
        let event = Event::new(AuditAction::AgeExceptionDecided, "candidate", &c.id)
            .before(shown)
            .after(shown)
            .reason(note.clone())
            .details(serde_json::json!({
                "approved": body.approved,
                "decision_ref": decision_ref,
                "age_exception_reason": c.age_exception_reason,
            }));
        let step = CandidateStep::DecideAgeException {
            approved: body.approved,
        };
        store::move_candidate(tx, &ctx, &c.id, c.state, c.state, step, event).await?;
        Ok(())
    };
    let action = CandidateAction::DecideAgeException;
    candidate_step(&call, &id, &body.0, action, work).await
}
