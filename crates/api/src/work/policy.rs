//! Who may see which object of the work chapter (the scopes the store turns into SQL), and who
//! may act on it. The role part of an action is asked of the access table, which reads it from
//! each route's declared security; only the object-level part (own request, own organisation,
//! own assignment, organiser) is written here.

use actix_web::http::Method;
use chrono::NaiveDate;
use guwen_domain::{
    role::Role,
    work::{self, AssignmentState, MeetingOrganizer, WorkAction},
};
use guwen_persistence::store::work::{
    Assignment, Meeting, MeetingScope, MeetingSight, OpinionScope, OpinionSight, Task, TaskScope,
    TaskSight,
};

use super::views::{CreateMeetingRequest, WorkActionLink};
use crate::http::access::AccessTable;
use crate::prelude::*;

/// The route of assigning an advisor to a task.
pub const ASSIGN: &str = "/api/v1/tasks/{id}/assignments";
/// The route of closing a task.
pub const CLOSE: &str = "/api/v1/tasks/{id}/closure";
/// The route of cancelling a task.
pub const CANCEL: &str = "/api/v1/tasks/{id}/cancellation";
/// The route of submitting an opinion (which delivers an assignment).
pub const DELIVER: &str = "/api/v1/opinions";
/// The route of reporting inability on an assignment.
pub const REPORT_INABILITY: &str = "/api/v1/assignments/{id}/inability";
/// The route of requesting recusal from an assignment.
pub const REQUEST_RECUSAL: &str = "/api/v1/assignments/{id}/recusal-request";
/// The route of recording a meeting's attendance.
pub const ATTENDANCE: &str = "/api/v1/meetings/{id}/attendance";
/// The route of writing a meeting's minutes.
pub const MINUTES: &str = "/api/v1/meetings/{id}/minutes";
/// The route of finalising a meeting's minutes.
pub const FINALIZE_MINUTES: &str = "/api/v1/meetings/{id}/minutes/finalization";

/// HRSS, the government and auditors see every task, opinion and meeting.
fn sees_everything(caller: &Caller) -> bool {
    caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor)
}

/// The caller's organisation, when the caller is a department.
fn department_org(caller: &Caller) -> Option<&str> {
    caller.org_id().filter(|_| caller.has(Role::Department))
}

/// The caller's advisor id, when the caller is an advisor.
fn advisor_self(caller: &Caller) -> Option<&str> {
    caller.advisor_id().filter(|_| caller.has(Role::Advisor))
}

/// Tasks the caller may see: all for hrss, government and auditor; its own requests for a
/// department; those assigned to them (still active or delivered) for an advisor; those of a
/// level integrated systems may see for integration (Art. 7.1). Others get 404.
pub fn task_scope(caller: &Caller) -> TaskScope {
    if sees_everything(caller) {
        return TaskScope::All;
    }
    let mut sights = Vec::new();
    if let Some(org) = department_org(caller) {
        sights.push(TaskSight::RequestedByOrg(org.to_owned()));
    }
    if let Some(me) = advisor_self(caller) {
        sights.push(TaskSight::AssignedTo(me.to_owned()));
    }
    if caller.has(Role::Integration) {
        sights.push(TaskSight::VisibleToIntegration);
    }
    TaskScope::AnyOf(sights)
}

/// Opinions the caller may read: an advisor their own; a department those on tasks it
/// requested; hrss, government and auditor all. Others get 404.
pub fn opinion_scope(caller: &Caller) -> OpinionScope {
    if sees_everything(caller) {
        return OpinionScope::All;
    }
    let mut sights = Vec::new();
    if let Some(me) = advisor_self(caller) {
        sights.push(OpinionSight::ByAdvisor(me.to_owned()));
    }
    if let Some(org) = department_org(caller) {
        sights.push(OpinionSight::OnTasksOfOrg(org.to_owned()));
    }
    OpinionScope::AnyOf(sights)
}

/// Meetings the caller may see: all for hrss, government and auditor; those it organises or
/// takes part in for a department; those they are invited to for an advisor. Others get 404.
pub fn meeting_scope(caller: &Caller) -> MeetingScope {
    if sees_everything(caller) {
        return MeetingScope::All;
    }
    let mut sights = Vec::new();
    if let Some(org) = department_org(caller) {
        sights.push(MeetingSight::OrganisedOrJoinedBy(org.to_owned()));
    }
    if let Some(me) = advisor_self(caller) {
        sights.push(MeetingSight::InvitedAdvisor(me.to_owned()));
    }
    MeetingScope::AnyOf(sights)
}

/// Who requests a task the caller creates (Art. 6, 11): the government, or a department for
/// its own organisation (403 for a department token without an `org_id` claim).
pub fn requester(caller: &Caller) -> Result<(Role, Option<String>), ApiError> {
    if caller.has(Role::Government) {
        return Ok((Role::Government, None));
    }
    let org = caller
        .org_id()
        .ok_or_else(|| ApiError::forbidden("a department token needs an org_id claim"))?;
    Ok((Role::Department, Some(org.to_owned())))
}

/// Whether the caller requested the task: the government its own, a department those of its
/// organisation.
pub fn is_requester(caller: &Caller, t: &Task) -> bool {
    match t.requester_role {
        Role::Government => caller.has(Role::Government),
        _ => {
            caller.has(Role::Department)
                && caller.org_id().is_some()
                && caller.org_id() == t.requester_org_id.as_deref()
        }
    }
}

/// Whether the caller sees every assignment of the task (others see only their own).
pub fn sees_all_assignments(caller: &Caller, t: &Task) -> bool {
    sees_everything(caller) || is_requester(caller, t)
}

/// The caller's own assignment among a task's, when the caller is an advisor.
pub fn own_assignment<'a>(
    caller: &Caller,
    assignments: &[&'a Assignment],
) -> Option<&'a Assignment> {
    let me = advisor_self(caller)?;
    assignments.iter().copied().find(|a| a.advisor_id == me)
}

/// The advisor id of an advisor token (403 without one).
pub fn advisor_of(caller: &Caller) -> Result<&str, ApiError> {
    caller
        .advisor_id()
        .ok_or_else(|| ApiError::forbidden("an advisor token needs an advisor_id claim"))
}

/// Whether the caller may close or cancel the task (`route` is `CLOSE` or `CANCEL`): HRSS,
/// or the requester.
pub fn may_end_task(access: &AccessTable, caller: &Caller, t: &Task, route: &str) -> bool {
    access.permits(caller, &Method::POST, route)
        && (caller.has(Role::Hrss) || is_requester(caller, t))
}

/// What the caller may do now on a task, given their own assignment on it.
pub fn task_actions(
    access: &AccessTable,
    caller: &Caller,
    t: &Task,
    own: Option<&Assignment>,
    today: NaiveDate,
) -> Vec<WorkActionLink> {
    let link = |action: WorkAction, href: String| WorkActionLink {
        action,
        article: work::article_of_work(action).to_owned(),
        href,
    };
    let mut out = Vec::new();
    for action in work::task_allowed_from(t.state) {
        let (allowed, href) = match action {
            WorkAction::Assign => (
                access.permits(caller, &Method::POST, ASSIGN),
                format!("/api/v1/tasks/{}/assignments", t.id),
            ),
            WorkAction::Close => (
                may_end_task(access, caller, t, CLOSE),
                format!("/api/v1/tasks/{}/closure", t.id),
            ),
            WorkAction::Cancel => (
                may_end_task(access, caller, t, CANCEL),
                format!("/api/v1/tasks/{}/cancellation", t.id),
            ),
            _ => continue,
        };
        if allowed {
            out.push(link(*action, href));
        }
    }
    let Some(a) = own.filter(|a| a.state == AssignmentState::Active) else {
        return out;
    };
    if access.permits(caller, &Method::POST, DELIVER) {
        out.push(link(WorkAction::Deliver, DELIVER.to_owned()));
    }
    if access.permits(caller, &Method::POST, REPORT_INABILITY)
        && work::check_inability(a.state, t.deadline, today).is_ok()
    {
        out.push(link(
            WorkAction::ReportInability,
            format!("/api/v1/assignments/{}/inability", a.id),
        ));
    }
    if access.permits(caller, &Method::POST, REQUEST_RECUSAL) {
        out.push(link(
            WorkAction::RequestRecusal,
            format!("/api/v1/assignments/{}/recusal-request", a.id),
        ));
    }
    out
}

/// Who organises a meeting the caller convenes (Art. 8): HRSS either (government by default,
/// or a named department); the government its own; a department its own (403 for a
/// department token without an `org_id` claim). Only HRSS may name an organiser: the
/// government or a department naming another is refused (403), never silently replaced.
pub fn meeting_organizer(
    caller: &Caller,
    body: &CreateMeetingRequest,
) -> Result<(MeetingOrganizer, Option<String>), ApiError> {
    if caller.has(Role::Hrss) {
        return match body.organizer.unwrap_or(MeetingOrganizer::Government) {
            MeetingOrganizer::Government => Ok((MeetingOrganizer::Government, None)),
            MeetingOrganizer::Department => {
                let org = optional_identifier(
                    "organizer_org_id",
                    body.organizer_org_id.as_deref(),
                    ORG_ID_MAX,
                )?
                .map(str::to_owned)
                .ok_or_else(|| {
                    ApiError::invalid_field(
                        "organizer_org_id",
                        "is required for a department meeting",
                    )
                })?;
                Ok((MeetingOrganizer::Department, Some(org)))
            }
        };
    }
    if caller.has(Role::Government) {
        if body.organizer == Some(MeetingOrganizer::Department) || body.organizer_org_id.is_some() {
            return Err(ApiError::forbidden(
                "the government convenes government meetings; only HRSS names another organiser",
            ));
        }
        return Ok((MeetingOrganizer::Government, None));
    }
    let org = caller
        .org_id()
        .ok_or_else(|| ApiError::forbidden("a department token needs an org_id claim"))?;
    let other_org = body
        .organizer_org_id
        .as_deref()
        .is_some_and(|o| o.trim() != org);
    if body.organizer == Some(MeetingOrganizer::Government) || other_org {
        return Err(ApiError::forbidden(
            "a department convenes its own meetings only; only HRSS names another organiser",
        ));
    }
    Ok((MeetingOrganizer::Department, Some(org.to_owned())))
}

/// Refuses (403) anyone but the organiser or HRSS changing a meeting's records by `method`
/// on `route`: the government's meetings are kept by the government, a department's by that
/// department.
pub fn require_organiser(
    access: &AccessTable,
    caller: &Caller,
    m: &Meeting,
    method: &Method,
    route: &str,
) -> Result<(), ApiError> {
    let organiser = match m.organizer {
        MeetingOrganizer::Government => caller.has(Role::Government),
        MeetingOrganizer::Department => {
            caller.has(Role::Department)
                && caller.org_id().is_some()
                && caller.org_id() == m.organizer_org_id.as_deref()
        }
    };
    if access.permits(caller, method, route) && (caller.has(Role::Hrss) || organiser) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "only the organiser or HRSS may change this meeting's records",
        ))
    }
}

/// Whether the caller sees an invitation to a meeting: staff and departments see every one,
/// an advisor only their own.
pub fn sees_invitation(caller: &Caller, advisor_id: &str) -> bool {
    sees_everything(caller)
        || caller.has(Role::Department)
        || caller.advisor_id() == Some(advisor_id)
}
