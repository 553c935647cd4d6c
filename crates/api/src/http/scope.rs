//! Whose objects a caller reads where an advisor reads only their own: every one for a caller
//! holding another role that may read the list.

use actix_web::http::Method;
use guwen_domain::role::Role;
use guwen_persistence::store::AdvisorScope;

use super::access::{AccessTable, Caller};

/// Whether the caller holds a role other than `advisor` that may read the list at `pattern`
/// (everyone, for a public list): such a caller reads every object, an advisor only their own.
pub fn reads_all(access: &AccessTable, caller: &Caller, pattern: &str) -> bool {
    let others = caller.claims.roles.iter().copied();
    access.permits_any(
        others.filter(|r| *r != Role::Advisor),
        &Method::GET,
        pattern,
    )
}

/// Every advisor's objects for a caller that [`reads_all`] the list at `pattern`; otherwise the
/// caller's own as an advisor (nobody's for a token without its advisor id).
pub fn own_or_all(access: &AccessTable, caller: &Caller, pattern: &str) -> AdvisorScope {
    match caller.advisor_id() {
        _ if reads_all(access, caller, pattern) => AdvisorScope::All,
        Some(own) => AdvisorScope::Advisor(own.to_owned()),
        None => AdvisorScope::Nobody,
    }
}
