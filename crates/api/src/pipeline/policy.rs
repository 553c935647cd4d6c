//! Who sees which candidate and who may take which step. The roles come from the access
//! table (each step's endpoint declares them once, in its spec); only the object-level scope
//! is written here: a department sees and acts on its own candidates only.

use actix_web::http::Method;
use chrono::NaiveDate;
use guwen_domain::{
    appointment::{self, AppointmentFacts, NoticeWindow},
    nomination::{self, CandidateAction, CandidateState, ListState, NominationChannel},
    role::Role,
};
use guwen_persistence::store::pipeline::{
    Candidate, CandidateScope, RecommendationList, Surroundings,
};

use super::views::{AllowedAction, ListAction, NominationRequest, age_exception, reported};
use crate::http::access::AccessTable;
use crate::prelude::*;

/// Whether the caller sees every candidate, background checks included.
pub fn sees_everything(caller: &Caller) -> bool {
    caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor)
}

/// The candidates the caller may see: all of them, or a department's own (those it nominated
/// and those of the fields it leads). Others get 404.
pub fn candidate_scope(caller: &Caller) -> CandidateScope {
    if sees_everything(caller) {
        return CandidateScope::All;
    }
    match caller.org_id() {
        Some(org) if caller.has(Role::Department) => CandidateScope::Org(org.to_owned()),
        _ => CandidateScope::Nothing,
    }
}

fn is_department_of(caller: &Caller, org: Option<&str>) -> bool {
    caller.has(Role::Department) && org.is_some() && caller.org_id() == org
}

/// The endpoint that takes each step (always a POST), as the spec declares it.
fn endpoint(action: CandidateAction) -> &'static str {
    match action {
        CandidateAction::PreliminaryReview => "/api/v1/candidates/{id}/preliminary-review",
        CandidateAction::BackgroundCheck => "/api/v1/candidates/{id}/background-check",
        CandidateAction::Submit => "/api/v1/recommendation-lists",
        CandidateAction::Decide => "/api/v1/recommendation-lists/{id}/decision",
        CandidateAction::ReportToPartyCommittee => {
            "/api/v1/recommendation-lists/{id}/party-committee-report"
        }
        CandidateAction::PublishNotice => "/api/v1/notices",
        CandidateAction::ResolveObjection => "/api/v1/objections/{id}/resolution",
        CandidateAction::Appoint => "/api/v1/candidates/{id}/appointment",
        CandidateAction::Withdraw => "/api/v1/candidates/{id}/withdrawal",
        CandidateAction::RequestAgeException => "/api/v1/candidates/{id}/age-exception-request",
        CandidateAction::DecideAgeException => "/api/v1/candidates/{id}/age-exception-decision",
    }
}

/// Whether this caller may take this action on this candidate now: the roles of the step's
/// endpoint, then the object's scope and facts (the state is checked by the domain table).
pub fn may_act(
    access: &AccessTable,
    caller: &Caller,
    c: &Candidate,
    s: &Surroundings,
    action: CandidateAction,
) -> bool {
    if !access.permits(caller, &Method::POST, endpoint(action)) {
        return false;
    }
    match action {
        // A department reviews the candidates of the fields it leads; HRSS any.
        CandidateAction::PreliminaryReview => {
            caller.has(Role::Hrss) || is_department_of(caller, Some(&c.lead_org_id))
        }
        // A department withdraws the candidates it nominated; HRSS any.
        CandidateAction::Withdraw => {
            caller.has(Role::Hrss) || is_department_of(caller, c.nominating_org_id.as_deref())
        }
        CandidateAction::ReportToPartyCommittee => s.list.is_some() && !reported(s),
        CandidateAction::PublishNotice => reported(s),
        CandidateAction::ResolveObjection => s.open_objections > 0,
        CandidateAction::BackgroundCheck
        | CandidateAction::Submit
        | CandidateAction::Decide
        | CandidateAction::Appoint
        | CandidateAction::RequestAgeException
        | CandidateAction::DecideAgeException => true,
    }
}

/// Refuses a caller who may see the candidate but not take this action (403).
pub fn require_may_act(
    access: &AccessTable,
    caller: &Caller,
    c: &Candidate,
    s: &Surroundings,
    action: CandidateAction,
) -> Result<(), ApiError> {
    if may_act(access, caller, c, s, action) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "this caller may not `{action}` this candidate"
        )))
    }
}

fn href(c: &Candidate, s: &Surroundings, action: CandidateAction) -> String {
    let list = s.list.as_ref().map(|l| l.id.as_str()).unwrap_or_default();
    match action {
        CandidateAction::PreliminaryReview => {
            format!("/api/v1/candidates/{}/preliminary-review", c.id)
        }
        CandidateAction::BackgroundCheck => format!("/api/v1/candidates/{}/background-check", c.id),
        CandidateAction::Submit => "/api/v1/recommendation-lists".into(),
        CandidateAction::Decide => format!("/api/v1/recommendation-lists/{list}/decision"),
        CandidateAction::ReportToPartyCommittee => {
            format!("/api/v1/recommendation-lists/{list}/party-committee-report")
        }
        CandidateAction::PublishNotice => "/api/v1/notices".into(),
        CandidateAction::ResolveObjection => {
            format!("/api/v1/objections?candidate_id={}&status=open", c.id)
        }
        CandidateAction::Appoint => format!("/api/v1/candidates/{}/appointment", c.id),
        CandidateAction::Withdraw => format!("/api/v1/candidates/{}/withdrawal", c.id),
        CandidateAction::RequestAgeException => {
            format!("/api/v1/candidates/{}/age-exception-request", c.id)
        }
        CandidateAction::DecideAgeException => {
            format!("/api/v1/candidates/{}/age-exception-decision", c.id)
        }
    }
}

/// What the appointment gate knows of a candidate before the request (the count towards the
/// cap is the appointment's own, under its lock).
pub fn appointment_facts(c: &Candidate, s: &Surroundings) -> AppointmentFacts {
    AppointmentFacts {
        state: c.state,
        notice: s
            .notice
            .as_ref()
            .map(|n| NoticeWindow::from_start(n.starts_on)),
        open_objections: u32::try_from(s.open_objections).unwrap_or(u32::MAX),
        party_committee_reported: reported(s),
        birth_date: c.birth_date,
        age_exception: age_exception(c),
        active_advisors: 0,
        cap: u32::MAX,
    }
}

/// Art. 4.4, 4.5, 4.6, 5.5: whether a rule already knowable on `today` refuses the action
/// whatever the request says: an appointment of a candidate who will be 70 without an
/// approved exception, whose notice is still open or has an open objection; a notice before
/// the report to the party committee; an age exception nobody needs or already pending; a
/// decision on an exception nobody requested.
pub fn refused_anyway(
    c: &Candidate,
    s: &Surroundings,
    action: CandidateAction,
    (shown, today): (CandidateState, NaiveDate),
) -> bool {
    match action {
        CandidateAction::Appoint => {
            appointment::appointment_refusal(&appointment_facts(c, s), today).is_some()
        }
        CandidateAction::RequestAgeException => {
            let window = s
                .notice
                .as_ref()
                .map(|n| NoticeWindow::from_start(n.starts_on));
            let age = appointment::age_on_earliest_start(c.birth_date, window.as_ref(), today);
            appointment::check_age_exception_request(shown, age, c.age_exception_status).is_err()
        }
        CandidateAction::DecideAgeException => {
            appointment::check_age_exception_decision(shown, c.age_exception_status).is_err()
        }
        _ => false,
    }
}

/// The actions this caller may take now on a candidate shown as `shown`, each with its
/// article; an action a rule already refuses on `today` is not offered.
pub fn allowed_actions(
    access: &AccessTable,
    caller: &Caller,
    c: &Candidate,
    s: &Surroundings,
    (shown, today): (CandidateState, NaiveDate),
) -> Vec<AllowedAction> {
    nomination::allowed_from(shown)
        .iter()
        .copied()
        .filter(|a| may_act(access, caller, c, s, *a) && !refused_anyway(c, s, *a, (shown, today)))
        .map(|action| AllowedAction {
            action,
            article: nomination::article_of(action).to_owned(),
            href: href(c, s, action),
        })
        .collect()
}

/// The list-level actions this caller may take now: the decision on a submitted list, the
/// report of a decided one not yet reported.
pub fn list_actions(
    access: &AccessTable,
    caller: &Caller,
    l: &RecommendationList,
) -> Vec<ListAction> {
    let mut actions = Vec::new();
    let mut offer = |action: CandidateAction, href: String| {
        if access.permits(caller, &Method::POST, endpoint(action)) {
            actions.push(ListAction {
                action,
                article: nomination::article_of(action).into(),
                href,
            });
        }
    };
    if l.state == ListState::Submitted {
        offer(
            CandidateAction::Decide,
            format!("/api/v1/recommendation-lists/{}/decision", l.id),
        );
    }
    if l.state == ListState::Decided && l.party_committee_reported_on.is_none() {
        offer(
            CandidateAction::ReportToPartyCommittee,
            format!(
                "/api/v1/recommendation-lists/{}/party-committee-report",
                l.id
            ),
        );
    }
    actions
}

/// The department a nomination is for: HRSS names one (or none); a department nominates for
/// its own organisation only (403), and not on behalf of a self-nominated expert (422).
pub fn nominating_org(
    caller: &Caller,
    body: &NominationRequest,
) -> Result<Option<String>, ApiError> {
    if caller.has(Role::Hrss) {
        return Ok(optional_identifier(
            "nominating_org_id",
            body.nominating_org_id.as_deref(),
            ORG_ID_MAX,
        )?
        .map(str::to_owned));
    }
    if body.channel == NominationChannel::SelfNomination {
        return Err(ApiError::invalid_field(
            "channel",
            "self-nominations come through POST /api/v1/public/self-nominations",
        ));
    }
    let org = caller
        .org_id()
        .ok_or_else(|| ApiError::forbidden("a department token needs an org_id claim"))?;
    if body.nominating_org_id.as_deref().is_some_and(|o| o != org) {
        return Err(ApiError::forbidden(
            "a department nominates only for its own organisation",
        ));
    }
    Ok(Some(org.to_owned()))
}
