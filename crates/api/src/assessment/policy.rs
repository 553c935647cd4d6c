//! Who may read which assessment, and which department gives a service unit's opinion. Which
//! roles may call an operation comes from the access table (the handlers' `security`), and an
//! advisor's own assessments are read once decided (the store's scope); only the department's
//! own organisation is written here.

use guwen_persistence::store::AdvisorScope;

use crate::http::scope::own_or_all;
use crate::prelude::*;

/// The assessments a caller reads: every one for the roles that read the list besides
/// advisors (HRSS, the government, auditors); an advisor their own, once the government has
/// decided it.
pub fn read_scope(state: &AppState, caller: &Caller) -> AdvisorScope {
    own_or_all(&state.access, caller, "/api/v1/assessments")
}

/// The department a service unit's opinion comes from: the caller's organisation (403 for a
/// department token without its `org_id` claim).
pub fn service_unit(caller: &Caller) -> Result<String, ApiError> {
    caller
        .org_id()
        .map(str::to_owned)
        .ok_or_else(|| ApiError::forbidden("a department token needs an org_id claim"))
}
