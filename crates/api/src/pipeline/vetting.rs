//! The vetting steps on one candidate: the preliminary review (Art. 4.1, 5), the background
//! check (Art. 4.2) and the withdrawal.

use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use guwen_domain::{
    audit::AuditAction,
    nomination::{self, CandidateAction, CandidateState},
};
use guwen_persistence::store::{
    Event, Tx,
    pipeline::{self as store, CandidateRead, CandidateStep},
};

use super::{
    candidates::{candidate_step, read_visible, visible_view},
    views::{
        BackgroundCheckRequest, CandidateView, PreliminaryReviewRequest, StoredReview,
        WithdrawalRequest, domain_aspects, review_failures, shown_state,
    },
};
use crate::prelude::*;

/// Record the preliminary review
///
/// Records the preliminary review by the field's lead department (or HRSS): passing makes the
/// candidate `pre_reviewed`, a failed aspect `rejected` (Art. 4.1, 5).
///
/// Refused with `review_incomplete`, `attestation_missing`.
#[utoipa::path(
    operation_id = "recordPreliminaryReview",
    tag = "candidates",
    security(("bearer" = ["department", "hrss"])),
    params(("id" = String, Path, description = "Candidate id")),
    request_body = PreliminaryReviewRequest,
    responses((status = 200, description = "The candidate after the review", body = CandidateView))
)]
#[post("/candidates/{id}/preliminary-review")]
pub(super) async fn record_preliminary_review(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<PreliminaryReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let aspects = body.cleaned_aspects()?;
    let note = optional_text("note", body.note.as_deref(), 2000)?;
    let work = async |tx: &Tx, read: &CandidateRead, from: CandidateState, _: NaiveDate| {
        let c = &read.candidate;
        let outcome =
            nomination::preliminary_review(from, &domain_aspects(&aspects), &body.attestations)?;
        let review = StoredReview {
            passed: outcome.passed,
            aspects: aspects.clone(),
            attestations: body.attestations.clone(),
            note: note.clone(),
        };
        let reason = (!outcome.passed).then(|| review_failures(&aspects));
        let event = Event::new(
            if outcome.passed {
                AuditAction::CandidatePreReviewed
            } else {
                AuditAction::CandidateRejected
            },
            "candidate",
            &c.id,
        )
        .reason(reason.clone().or(note))
        .details(serde_json::json!({ "step": "preliminary_review", "passed": outcome.passed }));
        let step = CandidateStep::PreliminaryReview {
            review: serde_json::to_string(&review).map_err(ApiError::internal)?,
            reviewed_by: call.caller.sub().to_owned(),
            closing_reason: reason,
        };
        store::move_candidate(tx, &ctx, &c.id, from, outcome.next, step, event).await?;
        Ok(())
    };
    let action = CandidateAction::PreliminaryReview;
    candidate_step(&call, &id, &body.0, action, work).await
}

/// Record the background check
///
/// Records HRSS's background check: `background_checked`, or `rejected` when it fails (Art. 4.2).
#[utoipa::path(
    operation_id = "recordBackgroundCheck",
    tag = "candidates",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Candidate id")),
    request_body = BackgroundCheckRequest,
    responses((status = 200, description = "The candidate after the check", body = CandidateView))
)]
#[post("/candidates/{id}/background-check")]
pub(super) async fn record_background_check(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<BackgroundCheckRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let today = call.state.clock.today();
    let consulted = body.consulted()?;
    let findings = body.findings_text(&consulted)?;
    write_as(&call, &body.0, async |tx| {
        let read = read_visible(tx, &call.caller, &id).await?;
        let c = &read.candidate;
        let from = shown_state(c, &read.around, today);
        let to = nomination::transition(from, CandidateAction::BackgroundCheck, body.passed)?;
        let failed = (!body.passed).then(|| "background check failed".to_owned());
        let event = Event::new(
            if body.passed {
                AuditAction::CandidateBackgroundChecked
            } else {
                AuditAction::CandidateRejected
            },
            "candidate",
            &c.id,
        )
        // The findings are personal data: the trail records the outcome, not the content.
        .reason(failed.clone())
        .details(serde_json::json!({
            "step": "background_check",
            "passed": body.passed,
            "consulted": consulted,
        }));
        let step = CandidateStep::BackgroundCheck {
            passed: body.passed,
            findings,
            checked_by: call.caller.sub().to_owned(),
            closing_reason: failed,
        };
        store::move_candidate(tx, &ctx, &c.id, from, to, step, event).await?;
        Ok(Created::ok(
            visible_view(&call.state, tx, &call.caller, &c.id, today).await?,
        ))
    })
    .await
}

/// Withdraw a candidate
///
/// Withdraws a candidate from any state before appointment: the nominating department or HRSS.
#[utoipa::path(
    operation_id = "withdrawCandidate",
    tag = "candidates",
    security(("bearer" = ["department", "hrss"])),
    params(("id" = String, Path, description = "Candidate id")),
    request_body = WithdrawalRequest,
    responses((status = 200, description = "The withdrawn candidate", body = CandidateView))
)]
#[post("/candidates/{id}/withdrawal")]
pub(super) async fn withdraw(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<WithdrawalRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let reason = required_text("reason", &body.reason, 1000)?;
    let work = async |tx: &Tx, read: &CandidateRead, shown: CandidateState, _: NaiveDate| {
        let c = &read.candidate;
        let to = nomination::transition(shown, CandidateAction::Withdraw, true)?;
        let event = Event::new(AuditAction::CandidateWithdrawn, "candidate", &c.id)
            .before(shown)
            .reason(Some(reason.clone()));
        let step = CandidateStep::Close {
            reason: reason.clone(),
        };
        store::move_candidate(tx, &ctx, &c.id, c.state, to, step, event).await?;
        Ok(())
    };
    let action = CandidateAction::Withdraw;
    candidate_step(&call, &id, &body.0, action, work).await
}
