//! Answers to invitations (Art. 8): a department meeting is attended on invitation
//! (可应邀参加) and may be declined; a government meeting is attended as required
//! (应当按要求参加), so declining it is a request to be excused that HRSS decides.

use actix_web::{HttpResponse, post, web};
use guwen_domain::{
    audit::AuditAction,
    participation::{self, ExcuseDecision, InvitationFacts},
    time::cst_date,
};
use guwen_persistence::store::{
    Event, StoreError, Tx,
    work::{self as work_store, ExcuseRecord, InvitationAnswer, Meeting},
};

use super::{
    meetings::meeting_view,
    policy,
    views::{ExcuseDecisionRequest, InvitationAnswerRequest, MeetingView},
};
use crate::{office::standing::acting_advisor, prelude::*};

/// The meeting as it stands after a change.
async fn reloaded(tx: &Tx, caller: &Caller, m: Meeting) -> Result<MeetingView, ApiError> {
    let mut details = work_store::meeting_details(tx, std::slice::from_ref(&m)).await?;
    let records = details.take(&m.id);
    meeting_view(caller, m, records, &details)
}

/// An answer that lost a race: already answered, recorded or withdrawn meanwhile.
fn answered_meanwhile(e: StoreError) -> ApiError {
    match e {
        StoreError::Stale { .. } => ApiError::new(
            ProblemCode::InvitationAnswered,
            "the invitation was answered, recorded or withdrawn meanwhile",
        )
        .with_article("Art. 8"),
        e => e.into(),
    }
}

/// Answer an invitation
///
/// The invited advisor accepts or declines (with a reason) an invitation to a meeting, once,
/// before the meeting's day is over and before attendance is recorded (Art. 8). Declining a
/// department's meeting records an excused absence; declining a government meeting is an
/// excuse request that HRSS decides.
///
/// Refused with `invitation_answered`, `excuse_reason_missing`, `invalid_transition`,
/// `advisor_not_in_office`.
#[utoipa::path(
    operation_id = "answerInvitation",
    tag = "meetings",
    security(("bearer" = ["advisor"])),
    params(("id" = String, Path, description = "Meeting id")),
    request_body = InvitationAnswerRequest,
    responses((status = 200, description = "The meeting with the answer", body = MeetingView))
)]
#[post("/meetings/{id}/invitation-response")]
pub async fn answer_invitation(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<InvitationAnswerRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let today = call.state.clock.today();
    let reason = optional_text("reason", body.reason.as_deref(), 2000)?;
    write_as(&call, &body.0, async |tx| {
        let me = acting_advisor(tx, &call.caller, today).await?;
        let m = work_store::meeting_in_scope(tx, &policy::meeting_scope(&call.caller), &id)
            .await?
            .ok_or_else(|| ApiError::not_found("meeting"))?;
        let i = work_store::invitation(tx, &m.id, &me)
            .await?
            .ok_or_else(|| ApiError::not_found("invitation"))?;
        let facts = InvitationFacts {
            organizer: m.organizer,
            response: i.response,
            attendance: i.attendance,
            withdrawn: i.withdrawn_at.is_some(),
            held_on: cst_date(m.held_at),
        };
        let answer =
            participation::answer_invitation(&facts, body.response, reason.as_deref(), today)?;
        let event = Event::new(AuditAction::InvitationAnswered, "meeting", &m.id)
            .reason(reason.clone())
            .details(serde_json::json!({
                "advisor_id": me,
                "response": answer.response,
                "organizer": m.organizer,
                "excuse_status": answer.excuse,
                "attendance": answer.attendance,
            }));
        let record = InvitationAnswer {
            response: answer.response,
            reason,
            attendance: answer.attendance,
            excuse: answer.excuse,
        };
        work_store::answer_invitation(tx, &ctx, (&m.id, &me), record, event)
            .await
            .map_err(answered_meanwhile)?;
        Ok(Created::ok(reloaded(tx, &call.caller, m).await?))
    })
    .await
}

/// Decide an excuse request
///
/// HRSS grants or refuses (with a note) the request of an advisor who declined a government
/// meeting (Art. 8 ¶1): granted, the attendance becomes `excused` with the advisor's reason;
/// refused, attendance stays required and an absence counts as unexcused (Art. 12.3).
///
/// Refused with `invalid_transition` when no request is pending.
#[utoipa::path(
    operation_id = "decideExcuse",
    tag = "meetings",
    security(("bearer" = ["hrss"])),
    params(
        ("id" = String, Path, description = "Meeting id"),
        ("advisor_id" = String, Path, description = "The invited advisor"),
    ),
    request_body = ExcuseDecisionRequest,
    responses((status = 200, description = "The meeting with the decision", body = MeetingView))
)]
#[post("/meetings/{id}/invitations/{advisor_id}/excuse-decision")]
pub async fn decide_excuse(
    call: Signed,
    path: web::Path<(String, String)>,
    body: ApiJson<ExcuseDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let (id, advisor_id) = path.into_inner();
    identifier("advisor_id", &advisor_id, ID_MAX)?;
    let note = optional_text("note", body.note.as_deref(), 2000)?;
    write_as(&call, &body.0, async |tx| {
        let m = work_store::meeting_in_scope(tx, &policy::meeting_scope(&call.caller), &id)
            .await?
            .ok_or_else(|| ApiError::not_found("meeting"))?;
        let i = work_store::invitation(tx, &m.id, &advisor_id)
            .await?
            .ok_or_else(|| ApiError::not_found("invitation"))?;
        let (status, attendance) = participation::decide_excuse(
            i.excuse_status,
            i.attendance,
            body.decision,
            note.as_deref(),
        )?;
        let event = Event::new(AuditAction::ExcuseDecided, "meeting", &m.id)
            .reason(note.clone())
            .details(serde_json::json!({
                "advisor_id": advisor_id,
                "decision": body.decision,
                "attendance": attendance,
            }));
        let record = ExcuseRecord {
            status,
            attendance,
            excuse_reason: (body.decision == ExcuseDecision::Granted)
                .then(|| i.response_reason.clone())
                .flatten(),
            note,
            decided_by: call.caller.sub().to_owned(),
        };
        work_store::decide_excuse(tx, &ctx, (&m.id, &advisor_id), record, event)
            .await
            .map_err(|e| match e {
                StoreError::Stale { .. } => ApiError::new(
                    ProblemCode::InvalidTransition,
                    "the excuse request was decided or the attendance recorded meanwhile",
                ),
                e => e.into(),
            })?;
        Ok(Created::ok(reloaded(tx, &call.caller, m).await?))
    })
    .await
}
