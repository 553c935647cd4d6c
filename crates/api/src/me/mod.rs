//! The caller themself (`GET /me`): identity, roles, organisation, an advisor's own record and
//! what awaits them, for a front-end's first call after sign-in.

mod policy;
pub mod views;

use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use guwen_domain::{office, role::Role};
use guwen_persistence::store::{AdvisorScope, awaiting, office as store};
use utoipa_actix_web::service_config::ServiceConfig;

use self::views::{AdvisorProblem, AwaitingCount, MeView};
use crate::fields::{field_ref, fields_by_code};
use crate::office::{advisors::present, views::AdvisorView};
use crate::prelude::*;

/// Registers the route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_me);
}

/// Get the caller and what awaits them
///
/// The token's subject, roles and organisation; for an advisor their own record (or
/// `advisor_problem` when the token names no advisor, one that does not exist, or one no
/// longer in office); and how many objects await a step the caller takes, by kind: each
/// count is of the objects in the state the step takes them from, for the roles the step's
/// endpoint allows (a department: the candidates of the fields it leads and the tasks it
/// requested; an advisor in office: their open assignments and upcoming meetings), with the
/// list to open. One query per kind, a fixed number per role.
#[utoipa::path(
    operation_id = "getMe",
    tag = "me",
    security(("bearer" = ["hrss", "department", "government", "finance", "advisor", "integration", "auditor"])),
    responses((status = 200, description = "The caller", body = MeView))
)]
#[get("/me")]
async fn get_me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let today = guwen_domain::time::cst_date(now);
    let (advisor, advisor_problem) = own_advisor(&state, &caller, today).await?;
    let in_office = advisor
        .as_ref()
        .filter(|a| office::is_in_office(a.status))
        .map(|a| a.id.as_str());
    let mut counts = Vec::new();
    for w in policy::awaiting(&state.access, &caller, in_office, today, now) {
        let count = awaiting::count(&state.db, &w.backlog).await?;
        counts.push(AwaitingCount::new(w.kind, count, w.href));
    }
    Ok(HttpResponse::Ok().json(MeView {
        sub: caller.sub().to_owned(),
        roles: caller.claims.roles.clone(),
        org_id: caller.org_id().map(str::to_owned),
        advisor_id: caller.advisor_id().map(str::to_owned),
        advisor,
        advisor_problem,
        today,
        awaiting: counts,
    }))
}

fn problem(code: &str, detail: String) -> Option<AdvisorProblem> {
    Some(AdvisorProblem {
        code: code.to_owned(),
        detail,
    })
}

/// An advisor's own record, or why there is none to act with (nothing for other roles).
async fn own_advisor(
    state: &AppState,
    caller: &Caller,
    today: NaiveDate,
) -> Result<(Option<AdvisorView>, Option<AdvisorProblem>), ApiError> {
    if !caller.has(Role::Advisor) {
        return Ok((None, None));
    }
    let Some(id) = caller.advisor_id() else {
        let detail = "the token has the advisor role but no advisor_id claim".to_owned();
        return Ok((None, problem("advisor_id_missing", detail)));
    };
    let scope = AdvisorScope::Advisor(id.to_owned());
    let Some(record) = store::advisor_record(&state.db, &scope, id).await? else {
        let detail = format!("the token's advisor_id {id} names no advisor on record");
        return Ok((None, problem("advisor_not_found", detail)));
    };
    let fields = fields_by_code(&state.db).await?;
    let field = field_ref(&fields, &record.advisor.field_code);
    let view = present(state, caller, record, field, today);
    let issue = (!office::is_in_office(view.status)).then(|| {
        let detail = format!(
            "advisor {id} is not in office (status `{}`): only advisors in office act (Art. 3)",
            view.status
        );
        problem("advisor_not_in_office", detail)
    });
    Ok((Some(view), issue.flatten()))
}
