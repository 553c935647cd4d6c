//! Who may see which claim or subsidy, and for whom an expense may be claimed. Which roles may
//! call an operation comes from the access table (the handlers' `security`); only the
//! advisor's own-objects scope is written here.

use guwen_domain::role::Role;
use guwen_persistence::store::AdvisorScope;

use crate::http::scope::own_or_all;
use crate::prelude::*;

/// The expenses a caller reads: every one for the roles that read the list besides advisors
/// (HRSS, the Finance Bureau, the government, auditors); an advisor only their own.
pub fn expense_scope(state: &AppState, caller: &Caller) -> AdvisorScope {
    own_or_all(&state.access, caller, "/api/v1/expenses")
}

/// The subsidies a caller reads: every one for HRSS, the government and auditors; an advisor
/// their own. The Finance Bureau does not: a subsidy shows the assessment grade, which it may
/// not read (Art. 16).
pub fn subsidy_scope(state: &AppState, caller: &Caller) -> AdvisorScope {
    own_or_all(&state.access, caller, "/api/v1/subsidies")
}

/// Whose expense a claim is: HRSS names the advisor (422 without one); an advisor's token
/// claims for itself, so it needs its advisor id and may name no one else (403).
pub fn claimant(caller: &Caller, named: Option<&str>) -> Result<String, ApiError> {
    if caller.has(Role::Hrss) {
        return optional_identifier("advisor_id", named, ID_MAX)?
            .map(str::to_owned)
            .ok_or_else(|| ApiError::invalid_field("advisor_id", "HRSS must name the advisor"));
    }
    let own = caller
        .advisor_id()
        .ok_or_else(|| ApiError::forbidden("an advisor token needs an advisor_id claim"))?;
    if named.is_some_and(|a| a != own) {
        return Err(ApiError::forbidden(
            "an advisor claims only their own expenses",
        ));
    }
    Ok(own.to_owned())
}
