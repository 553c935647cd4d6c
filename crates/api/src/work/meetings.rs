//! Meetings (Art. 8, 11): organised by the government (invited advisors must attend) or a
//! department (attendance optional). Attendance and minutes are in `minutes`.

use actix_web::{HttpResponse, get, post, web};
use guwen_domain::audit::AuditAction;
use guwen_persistence::store::{
    self, Direction, Event, PageOf,
    work::{self as work_store, Meeting, MeetingDetails, MeetingRecords},
};

use super::{
    policy,
    views::{CreateMeetingRequest, InvitationView, MeetingFilter, MeetingView, MinutesView},
};
use crate::prelude::*;

/// A meeting as the caller sees it: every invitation for staff and departments, an advisor
/// only their own.
pub fn meeting_view(
    caller: &Caller,
    m: Meeting,
    records: MeetingRecords,
    details: &MeetingDetails,
) -> Result<MeetingView, ApiError> {
    let organizer = m.organizer;
    let invitations = records
        .invitations
        .into_iter()
        .filter(|i| policy::sees_invitation(caller, &i.advisor_id))
        .map(|i| {
            let name = details.advisor_names.get(&i.advisor_id).cloned();
            InvitationView::build(i, name.unwrap_or_default(), organizer)
        })
        .collect();
    let minutes = records.minutes.map(MinutesView::try_from).transpose()?;
    Ok(MeetingView::build(
        m,
        invitations,
        records.departments,
        minutes,
    ))
}

/// Meetings as the caller sees them.
pub fn meeting_views(
    caller: &Caller,
    rows: Vec<Meeting>,
    mut details: MeetingDetails,
) -> Result<Vec<MeetingView>, ApiError> {
    rows.into_iter()
        .map(|m| {
            let records = details.take(&m.id);
            meeting_view(caller, m, records, &details)
        })
        .collect()
}

/// Convene a meeting
///
/// Convenes a meeting and invites advisors (Art. 8, 11).
#[utoipa::path(
    operation_id = "createMeeting",
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss"])),
    request_body = CreateMeetingRequest,
    params(IdempotencyKey),
    responses((status = 201, description = "The meeting", body = MeetingView, headers(("Location" = String, description = "The meeting's URL"))))
)]
#[post("/meetings")]
pub async fn create_meeting(
    call: Creating,
    body: ApiJson<CreateMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = call.audit();
    let today = call.state.clock.today();
    let (organizer, org) = policy::meeting_organizer(&call.caller, &body)?;
    let draft = body.draft()?;
    write_as(&call, &body, async |tx| {
        let invited = &draft.invited_advisor_ids;
        let in_office = work_store::count_in_office_on(tx, invited, today).await?;
        if usize::try_from(in_office).ok() != Some(invited.len()) {
            return Err(ApiError::invalid_field(
                "invited_advisor_ids",
                "every invited advisor must be in office",
            ));
        }
        if let Some(t) = draft.task_id() {
            let task_scope = policy::task_scope(&call.caller);
            if !matches!(work_store::task_in_scope(tx, &task_scope, t).await, Ok(Some(_))) {
                return Err(ApiError::invalid_field("task_id", "no such task"));
            }
        }
        let id = store::new_id();
        let event = Event::new(AuditAction::MeetingConvened, "meeting", &id).details(serde_json::json!({ "organizer": organizer, "organizer_org_id": org, "invited": draft.invited_advisor_ids, "departments": draft.participating_org_ids }));
        let new = draft.into_new_meeting(id.clone(), organizer, org, call.caller.sub(), ctx.stamp());
        let m = work_store::insert_meeting(tx, &ctx, new, event).await?;
        let mut details = work_store::meeting_details(tx, std::slice::from_ref(&m)).await?;
        let records = details.take(&id);
        Ok(Created::at(
            format!("/api/v1/meetings/{id}"),
            meeting_view(&call.caller, m, records, &details)?,
        ))
    })
    .await
}

/// List meetings
///
/// Meetings the caller may see, newest first: all for hrss, government and auditor; those it
/// organises or takes part in for a department; those they are invited to for an advisor.
#[utoipa::path(
    operation_id = "listMeetings",
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss", "auditor", "advisor"])),
    params(MeetingFilter, PageParams),
    responses((status = 200, description = "A page of meetings", body = Page<MeetingView>))
)]
#[get("/meetings")]
pub async fn list_meetings(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<MeetingFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "meetings";
    let request = page.request(KIND, Direction::NewestFirst)?;
    let scope = policy::meeting_scope(&caller);
    let got = work_store::list_meetings(&state.db, &scope, filter.organizer, request).await?;
    let details = work_store::meeting_details(&state.db, &got.rows).await?;
    let rows = meeting_views(&caller, got.rows, details)?;
    let views = PageOf {
        rows,
        next: got.next,
    };
    Ok(HttpResponse::Ok().json(Page::of(KIND, views, Ok)?))
}

/// Get a meeting
///
/// One meeting with its attendance and minutes.
#[utoipa::path(
    operation_id = "getMeeting",
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss", "auditor", "advisor"])),
    params(("id" = String, Path, description = "Meeting id")),
    responses((status = 200, description = "The meeting", body = MeetingView))
)]
#[get("/meetings/{id}")]
pub async fn get_meeting(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let m = work_store::meeting_in_scope(&state.db, &policy::meeting_scope(&caller), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("meeting"))?;
    let details = work_store::meeting_details(&state.db, std::slice::from_ref(&m)).await?;
    let view = meeting_views(&caller, vec![m], details)?.pop();
    Ok(HttpResponse::Ok().json(view.ok_or_else(|| ApiError::internal("meeting view vanished"))?))
}
