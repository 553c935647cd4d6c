//! Who may read which assessment, and which department gives a service unit's opinion. Which
//! roles may call an operation comes from the access table (the handlers' `security`); only
//! the advisor's own-and-decided scope and the department's own organisation are written here.

use guwen_persistence::store::assessment::AssessmentScope;

use crate::http::scope::reads_all;
use crate::prelude::*;

/// The assessments a caller reads: every one for the roles that read the list besides
/// advisors (HRSS, the government, auditors); an advisor their own, once the government has
/// decided it.
pub fn read_scope(state: &AppState, caller: &Caller) -> AssessmentScope {
    let reads_all = reads_all(&state.access, caller, "/api/v1/assessments");
    match caller.advisor_id() {
        _ if reads_all => AssessmentScope::All,
        Some(own) => AssessmentScope::DecidedOf(own.to_owned()),
        None => AssessmentScope::Nothing,
    }
}

/// The department a service unit's opinion comes from: the caller's organisation (403 for a
/// department token without its `org_id` claim).
pub fn service_unit(caller: &Caller) -> Result<String, ApiError> {
    caller
        .org_id()
        .map(str::to_owned)
        .ok_or_else(|| ApiError::forbidden("a department token needs an org_id claim"))
}
