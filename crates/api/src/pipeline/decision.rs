//! The executive meeting's decision on a recommendation list (Art. 4.4, 5.5).

use std::collections::HashSet;

use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use guwen_domain::{
    audit::AuditAction,
    nomination::{self, CandidateAction, CandidateState, ListState},
};
use guwen_persistence::store::{
    Event, StoreError,
    pipeline::{self as store, Candidate, CandidateStep, ListDecision, Move},
};

use super::{
    lists::{list_view, not_found},
    views::{CandidateDecision, DecisionRequest, ListView},
};
use crate::prelude::*;

/// A list is decided once.
fn already_decided() -> ApiError {
    ApiError::new(
        ProblemCode::InvalidTransition,
        "the list has already been decided",
    )
}

/// One decision for every candidate still awaiting one on the list, none twice, and a reason
/// for each rejection (422 otherwise).
fn check_complete(decisions: &[CandidateDecision], pending: &[Candidate]) -> Result<(), ApiError> {
    let pending_ids: HashSet<&str> = pending.iter().map(|c| c.id.as_str()).collect();
    let mut decided = HashSet::new();
    for d in decisions {
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
        if !d.approved && d.note.as_deref().is_none_or(guwen_domain::text::is_blank) {
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
    Ok(())
}

/// The move of one `submitted` candidate by the meeting's decision, with its event.
fn decision_move(
    d: &CandidateDecision,
    list_id: &str,
    meeting_ref: &str,
    meeting_date: NaiveDate,
) -> Result<Move, ApiError> {
    let from = CandidateState::Submitted;
    let to = nomination::transition(from, CandidateAction::Decide, d.approved)?;
    let note = optional_text("note", d.note.as_deref(), 2000)?;
    let exception = optional_text(
        "age_exception_reason",
        d.age_exception_reason.as_deref(),
        2000,
    )?;
    let action = if d.approved {
        AuditAction::CandidateApproved
    } else {
        AuditAction::CandidateRejected
    };
    let event = Event::new(action, "candidate", &d.candidate_id)
        .reason(note.clone())
        .details(serde_json::json!({
            "list_id": list_id,
            "meeting_ref": meeting_ref,
            "meeting_date": meeting_date,
            "age_exception_reason": exception,
        }));
    let closing_reason = (!d.approved).then(|| {
        format!(
            "not approved by the executive meeting: {}",
            note.clone().unwrap_or_default()
        )
    });
    Ok(Move {
        candidate_id: d.candidate_id.clone(),
        from,
        to,
        step: CandidateStep::Decide {
            approved: d.approved,
            note,
            age_exception_approved: d.approved && exception.is_some(),
            age_exception_reason: exception,
            closing_reason,
        },
        event,
    })
}

/// Record the executive meeting's decision
///
/// Records the executive meeting's decision on each candidate of the list (Art. 4.4):
/// approved or rejected; an age exception (Art. 5.5) is approved here.
#[utoipa::path(
    operation_id = "decideRecommendationList",
    tag = "recommendation lists",
    security(("bearer" = ["government"])),
    params(("id" = String, Path, description = "List id")),
    request_body = DecisionRequest,
    responses((status = 200, description = "The decided list", body = ListView))
)]
#[post("/recommendation-lists/{id}/decision")]
pub(super) async fn decide(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let today = call.state.clock.today();
    let meeting_ref = required_line("meeting_ref", &body.meeting_ref, 200)?;
    for (i, d) in body.decisions.iter().enumerate() {
        identifier(
            &format!("decisions[{i}].candidate_id"),
            &d.candidate_id,
            ID_MAX,
        )?;
    }
    if body.meeting_date > today {
        return Err(ApiError::invalid_field(
            "meeting_date",
            "must not be in the future",
        ));
    }
    write_as(&call, &body.0, async |tx| {
        let l = store::list(tx, &id).await?.ok_or_else(not_found)?;
        if l.state != ListState::Submitted {
            return Err(already_decided());
        }
        let pending = store::submitted_on_list(tx, &l.id).await?;
        check_complete(&body.decisions, &pending)?;
        let members = body
            .decisions
            .iter()
            .map(|d| decision_move(d, &l.id, &meeting_ref, body.meeting_date))
            .collect::<Result<Vec<_>, _>>()?;
        let event = Event::new(
            AuditAction::RecommendationListDecided,
            "recommendation_list",
            &l.id,
        )
        .details(serde_json::json!({
            "meeting_ref": meeting_ref,
            "meeting_date": body.meeting_date,
        }));
        let decision = ListDecision {
            meeting_ref: meeting_ref.clone(),
            meeting_date: body.meeting_date,
            decided_by: call.caller.sub().to_owned(),
        };
        store::decide_list(tx, &ctx, &l.id, decision, members, event)
            .await
            .map_err(|e| match e {
                StoreError::Stale {
                    object: "recommendation_list",
                    ..
                } => already_decided(),
                e => e.into(),
            })?;
        Ok(Created::ok(
            list_view(&call.state, tx, &call.caller, &l.id, today).await?,
        ))
    })
    .await
}
