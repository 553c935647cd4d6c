//! The records of a meeting (Art. 8, 11): attendance, and minutes holding every attending
//! advisor's and every participating department's opinion, immutable once finalised and
//! forwarded to the government.

use actix_web::{HttpResponse, http::Method, post, put, web};
use guwen_domain::{audit::AuditAction, time::to_cst, work};
use guwen_persistence::{
    audit::{Context, truncate_to_micros},
    store::{
        Event, StoreError, Tx,
        work::{self as work_store, Meeting, MeetingRecords},
    },
};
use serde::Serialize;

use super::{
    meetings::meeting_view,
    policy,
    views::{AttendanceRequest, MeetingView, MinutesRequest},
};
use crate::prelude::*;

/// Loads a meeting the caller may see (404) and keeps (403), with its records, refusing
/// finalised minutes (`minutes_finalized`, Art. 11).
async fn open_records(
    tx: &Tx,
    state: &AppState,
    caller: &Caller,
    id: &str,
    method: Method,
    route: &str,
) -> Result<(Meeting, MeetingRecords), ApiError> {
    let m = work_store::meeting_in_scope(tx, &policy::meeting_scope(caller), id)
        .await?
        .ok_or_else(|| ApiError::not_found("meeting"))?;
    policy::require_organiser(&state.access, caller, &m, &method, route)?;
    let records = work_store::meeting_details(tx, std::slice::from_ref(&m))
        .await?
        .take(&m.id);
    work::check_minutes_editable(
        records
            .minutes
            .as_ref()
            .is_some_and(|x| x.finalized_at.is_some()),
    )?;
    Ok((m, records))
}

/// The meeting as it stands after a change.
async fn reloaded(tx: &Tx, caller: &Caller, m: Meeting) -> Result<MeetingView, ApiError> {
    let mut details = work_store::meeting_details(tx, std::slice::from_ref(&m)).await?;
    let records = details.take(&m.id);
    meeting_view(caller, m, records, &details)
}

/// Runs `step` on the records of meeting `id` in one write, as `method` on `route` (see
/// `open_records`), and answers with the meeting as it stands afterwards.
async fn records_step<R, F>(
    call: &Signed,
    id: &str,
    body: &R,
    (method, route): (Method, &str),
    step: F,
) -> Result<HttpResponse, ApiError>
where
    R: Serialize,
    F: AsyncFnOnce(&Tx, &Context, &Meeting, MeetingRecords) -> Result<(), ApiError>,
{
    let ctx = call.audit();
    write_as(call, body, async |tx| {
        let (m, records) = open_records(tx, &call.state, &call.caller, id, method, route).await?;
        step(tx, &ctx, &m, records).await?;
        Ok(Created::ok(reloaded(tx, &call.caller, m).await?))
    })
    .await
}

/// A change that lost the race to a finalisation: the minutes are final (Art. 11).
fn finalized_meanwhile(e: StoreError, detail: &'static str) -> ApiError {
    match e {
        StoreError::Stale { .. } => {
            ApiError::new(ProblemCode::MinutesFinalized, detail).with_article("Art. 11")
        }
        e => e.into(),
    }
}

/// Record attendance
///
/// Records attendance of invited advisors: attended, excused (with a reason) or absent (Art. 8).
/// Unexcused absence from a government meeting is evidence under Art. 12.3.
///
/// Refused with `minutes_finalized`, `excuse_reason_missing`.
#[utoipa::path(
    operation_id = "recordAttendance",
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss"])),
    params(("id" = String, Path, description = "Meeting id")),
    request_body = AttendanceRequest,
    responses((status = 200, description = "The meeting", body = MeetingView))
)]
#[put("/meetings/{id}/attendance")]
pub async fn put_attendance(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<AttendanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let route = (Method::PUT, policy::ATTENDANCE);
    records_step(&call, &id, &body.0, route, async |tx, ctx, m, records| {
        let rows = body.records(&records.invitations)?;
        let entries = serde_json::to_value(&body.entries).map_err(ApiError::internal)?;
        let event = Event::new(AuditAction::AttendanceRecorded, "meeting", &m.id).details(entries);
        work_store::record_attendance(tx, ctx, &m.id, rows, event).await?;
        Ok(())
    })
    .await
}

/// Write the minutes
///
/// Writes or rewrites the minutes (Art. 11); refused once finalised (`minutes_finalized`).
#[utoipa::path(
    operation_id = "putMinutes",
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss"])),
    params(("id" = String, Path, description = "Meeting id")),
    request_body = MinutesRequest,
    responses((status = 200, description = "The meeting", body = MeetingView))
)]
#[put("/meetings/{id}/minutes")]
pub async fn put_minutes(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<MinutesRequest>,
) -> Result<HttpResponse, ApiError> {
    let summary = body.summary()?;
    let route = (Method::PUT, policy::MINUTES);
    records_step(&call, &id, &body.0, route, async |tx, ctx, m, records| {
        let text = body.text(
            summary,
            &records.invitations,
            &records.departments,
            call.caller.sub(),
        )?;
        let event = Event::new(AuditAction::MinutesWritten, "meeting", &m.id);
        let first = records.minutes.is_none();
        work_store::write_minutes(tx, ctx, &m.id, first, text, event)
            .await
            .map_err(|e| finalized_meanwhile(e, "the minutes were finalised meanwhile"))?;
        Ok(())
    })
    .await
}

/// Finalise the minutes
///
/// Finalises the minutes and forwards them to the government (Art. 11): refused until every
/// attending advisor's and every participating department's opinion is recorded
/// (`minutes_incomplete`); afterwards they are immutable.
///
/// Refused with `minutes_finalized`.
#[utoipa::path(
    operation_id = "finalizeMinutes",
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss"])),
    params(("id" = String, Path, description = "Meeting id")),
    responses((status = 200, description = "The meeting with finalised minutes", body = MeetingView))
)]
#[post("/meetings/{id}/minutes/finalization")]
pub async fn finalize_minutes(
    call: Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let route = (Method::POST, policy::FINALIZE_MINUTES);
    records_step(&call, &id, &(), route, async |tx, ctx, m, records| {
        work::check_minutes_written(records.minutes.is_some())?;
        let Some(minutes) = &records.minutes else {
            return Err(ApiError::internal("minutes vanished"));
        };
        let advisor_opinions = minutes.opinions_of_advisors().map_err(ApiError::internal)?;
        let department_opinions = minutes
            .opinions_of_departments()
            .map_err(ApiError::internal)?;
        let attending: Vec<String> = records
            .invitations
            .iter()
            .filter(|i| i.attendance == Some(work::Attendance::Attended))
            .map(|i| i.advisor_id.clone())
            .collect();
        let unrecorded: Vec<String> = records
            .invitations
            .iter()
            .filter(|i| i.attendance.is_none() && i.withdrawn_at.is_none())
            .map(|i| i.advisor_id.clone())
            .collect();
        let with_advisor_opinion: Vec<String> = advisor_opinions.into_keys().collect();
        let with_department_opinion: Vec<String> = department_opinions.into_keys().collect();
        work::check_minutes_complete(&work::MinutesCompleteness {
            unrecorded_attendance: &unrecorded,
            attending_advisors: &attending,
            advisor_opinions: &with_advisor_opinion,
            participating_departments: &records.departments,
            department_opinions: &with_department_opinion,
        })?;
        let forwarded_at = to_cst(truncate_to_micros(ctx.now));
        let event = Event::new(AuditAction::MinutesFinalized, "meeting", &m.id).details(
            serde_json::json!({ "forwarded_to": "government", "forwarded_at": forwarded_at }),
        );
        work_store::finalize_minutes(tx, ctx, &m.id, call.caller.sub(), event)
            .await
            .map_err(|e| finalized_meanwhile(e, "the minutes are already final"))?;
        Ok(())
    })
    .await
}
