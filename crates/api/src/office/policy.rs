//! Who may see which advisor and proposal, and who may take which step on an advisor. The
//! roles of each step come from the access table (the spec's `security`); only the
//! object-level part (an advisor's own record) is written here.

use actix_web::http::Method;
use guwen_domain::{
    office::{self, AdvisorStatus, OfficeAction},
    role::Role,
};
use guwen_persistence::store::AdvisorScope;

use super::views::OfficeActionLink;
use crate::http::access::AccessTable;
use crate::prelude::*;

/// The roles that see every advisor record (departments: the basic fields only).
const SEE_ALL_ADVISORS: [Role; 5] = [
    Role::Hrss,
    Role::Government,
    Role::Auditor,
    Role::Integration,
    Role::Department,
];

/// The roles that see an advisor's full record: every one but departments.
const FULL_RECORD: [Role; 5] = [
    Role::Hrss,
    Role::Government,
    Role::Auditor,
    Role::Integration,
    Role::Advisor,
];

/// The roles that see every resignation.
const SEE_ALL_RESIGNATIONS: [Role; 3] = [Role::Hrss, Role::Government, Role::Auditor];

fn scope(caller: &Caller, see_all: &[Role]) -> AdvisorScope {
    if see_all.iter().any(|r| caller.has(*r)) {
        AdvisorScope::All
    } else {
        match caller.advisor_id() {
            Some(own) if caller.has(Role::Advisor) => AdvisorScope::Advisor(own.to_owned()),
            _ => AdvisorScope::Nobody,
        }
    }
}

/// The advisors a caller sees: every one, or an advisor their own.
pub fn advisor_scope(caller: &Caller) -> AdvisorScope {
    scope(caller, &SEE_ALL_ADVISORS)
}

/// The resignations a caller sees: every one, or an advisor their own.
pub fn resignation_scope(caller: &Caller) -> AdvisorScope {
    scope(caller, &SEE_ALL_RESIGNATIONS)
}

/// Whether the caller sees the full record (terms, certificate, agreement) or the basic fields.
pub fn full_record(caller: &Caller) -> bool {
    FULL_RECORD.iter().any(|r| caller.has(*r))
}

/// Only the advisor themself requests their resignation (anyone else: 404).
pub fn is_own_advisor(caller: &Caller, advisor_id: &str) -> bool {
    caller.advisor_id() == Some(advisor_id)
}

/// The step's route: the spec's pattern (whose roles take it) and the link for this advisor.
fn route(action: OfficeAction, id: &str) -> (&'static str, String) {
    match action {
        OfficeAction::ProposeDismissal => (
            "/api/v1/advisors/{id}/dismissal-proposals",
            format!("/api/v1/advisors/{id}/dismissal-proposals"),
        ),
        OfficeAction::DecideDismissal => (
            "/api/v1/dismissal-proposals/{id}/decision",
            format!("/api/v1/dismissal-proposals?advisor_id={id}&state=pending"),
        ),
        OfficeAction::RequestResignation => (
            "/api/v1/advisors/{id}/resignation",
            format!("/api/v1/advisors/{id}/resignation"),
        ),
        OfficeAction::ProposeResignation => (
            "/api/v1/resignations/{id}/proposal",
            format!("/api/v1/resignations?advisor_id={id}"),
        ),
        OfficeAction::DecideResignation => (
            "/api/v1/resignations/{id}/decision",
            format!("/api/v1/resignations?advisor_id={id}"),
        ),
        OfficeAction::ProposeRenewal => (
            "/api/v1/advisors/{id}/renewal-proposals",
            format!("/api/v1/advisors/{id}/renewal-proposals"),
        ),
        OfficeAction::DecideRenewal => (
            "/api/v1/renewal-proposals/{id}/decision",
            format!("/api/v1/renewal-proposals?advisor_id={id}&state=pending"),
        ),
        OfficeAction::Assess => ("/api/v1/assessments", "/api/v1/assessments".to_owned()),
    }
}

/// The steps the caller may take now on the advisor `id`, shown as `status` (Art. 3, 12, 13,
/// 16): legal from the status, allowed to the caller's roles, and a resignation only by the
/// advisor themself.
pub fn allowed_actions(
    access: &AccessTable,
    caller: &Caller,
    id: &str,
    status: AdvisorStatus,
    pending_renewal: bool,
) -> Vec<OfficeActionLink> {
    office::office_actions(status, pending_renewal)
        .into_iter()
        .filter_map(|action| {
            let (pattern, href) = route(action, id);
            let own = action != OfficeAction::RequestResignation || is_own_advisor(caller, id);
            (own && access.permits(caller, &Method::POST, pattern)).then(|| OfficeActionLink {
                action,
                article: office::article_of_office(action).to_owned(),
                href,
            })
        })
        .collect()
}
