//! Appointed advisors (Art. 3, 4.6): the records HRSS, the government, auditors and other
//! systems read; departments see the basic fields; an advisor sees their own. And the
//! inactivity evidence behind a dismissal (Art. 12.3).

use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use guwen_domain::office::{self, InactivityEvidence};
use guwen_persistence::store::{
    AdvisorScope, Connection,
    office::{self as store, Advisor, AdvisorRecord},
};

use super::{
    policy,
    views::{AdvisorFilter, AdvisorView, Period, advisor_view},
};
use crate::fields::{FieldRef, field_ref, fields_by_code};
use crate::prelude::*;

/// The view of one advisor record for this caller on `today`.
pub fn present(
    state: &AppState,
    caller: &Caller,
    record: AdvisorRecord,
    field: FieldRef,
    today: NaiveDate,
) -> AdvisorView {
    let AdvisorRecord {
        advisor,
        terms,
        pending_renewal,
    } = record;
    // Art. 3: the term in force today, which may follow the stored one (renewed ahead).
    let advisor = match terms
        .iter()
        .find(|t| t.starts_on <= today && today <= t.ends_on)
    {
        Some(t) => advisor.with_term(t),
        None => advisor,
    };
    view(
        state,
        caller,
        &advisor,
        field,
        Some(terms),
        today,
        pending_renewal,
    )
}

/// Loads one advisor the caller may see (404 otherwise), with its terms: the answer to an
/// appointment, read inside its transaction.
pub async fn load_view(
    state: &AppState,
    db: &impl Connection,
    caller: &Caller,
    id: &str,
    today: NaiveDate,
) -> Result<AdvisorView, ApiError> {
    let record = store::advisor_record(db, &policy::advisor_scope(caller), id)
        .await?
        .ok_or_else(|| ApiError::not_found("advisor"))?;
    let fields = fields_by_code(db).await?;
    let field = field_ref(&fields, &record.advisor.field_code);
    Ok(present(state, caller, record, field, today))
}

fn view(
    state: &AppState,
    caller: &Caller,
    a: &Advisor,
    field: FieldRef,
    terms: Option<Vec<store::Term>>,
    today: NaiveDate,
    pending_renewal: bool,
) -> AdvisorView {
    let status = a.status_on(today);
    let actions = policy::allowed_actions(&state.access, caller, &a.id, status, pending_renewal);
    advisor_view(
        a,
        field,
        status,
        (policy::full_record(caller), terms),
        actions,
    )
}

/// List advisors
///
/// Advisors, newest appointment first. An advisor sees only themself.
#[utoipa::path(
    operation_id = "listAdvisors",
    tag = "advisors",
    security(("bearer" = ["hrss", "government", "auditor", "integration", "department", "advisor"])),
    params(AdvisorFilter, PageParams),
    responses((status = 200, description = "A page of advisors", body = Page<AdvisorView>))
)]
#[get("/advisors")]
async fn list_advisors(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<AdvisorFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "advisors";
    let today = state.clock.today();
    let page = page.request(KIND, Direction::NewestFirst)?;
    let scope = policy::advisor_scope(&caller);
    let rows = store::advisors(
        &state.db,
        &scope,
        filter.status,
        filter.field.as_deref(),
        today,
        page,
    )
    .await?;
    let fields = fields_by_code(&state.db).await?;
    let ids = rows.rows.iter().map(|a| a.id.clone()).collect();
    let pending = store::pending_renewals(&state.db, ids).await?;
    let page = Page::of(KIND, rows, |a| {
        let field = field_ref(&fields, &a.field_code);
        Ok(view(
            &state,
            &caller,
            &a,
            field,
            None,
            today,
            pending.contains(&a.id),
        ))
    })?;
    Ok(HttpResponse::Ok().json(page))
}

/// Get an advisor
///
/// One advisor with every term.
#[utoipa::path(
    operation_id = "getAdvisor",
    tag = "advisors",
    security(("bearer" = ["hrss", "government", "auditor", "integration", "department", "advisor"])),
    params(("id" = String, Path, description = "Advisor id")),
    responses((status = 200, description = "The advisor", body = AdvisorView))
)]
#[get("/advisors/{id}")]
async fn get_advisor(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let scope = policy::advisor_scope(&caller);
    let record = store::advisor_record(&state.db, &scope, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("advisor"))?;
    let fields = fields_by_code(&state.db).await?;
    let field = field_ref(&fields, &record.advisor.field_code);
    let today = state.clock.today();
    Ok(HttpResponse::Ok().json(present(&state, &caller, record, field, today)))
}

/// Get an advisor's inactivity evidence
///
/// The advisor's inactivity evidence (Art. 12.3): unexcused absences from government meetings,
/// overdue or undelivered assignments and final `incompetent` annual grades (Art. 16) in the
/// period, item by item.
#[utoipa::path(
    operation_id = "getAdvisorInactivity",
    tag = "advisors",
    security(("bearer" = ["hrss", "government", "auditor"])),
    params(("id" = String, Path, description = "Advisor id"), Period),
    responses((status = 200, description = "The evidence", body = InactivityEvidence))
)]
#[get("/advisors/{id}/inactivity")]
async fn get_inactivity(
    state: web::Data<AppState>,
    id: web::Path<String>,
    p: web::Query<Period>,
) -> Result<HttpResponse, ApiError> {
    let today = state.clock.today();
    let a = store::advisor(&state.db, &AdvisorScope::All, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("advisor"))?;
    let period = p.days(today)?;
    let facts = store::inactivity_facts(&state.db, &a.id, period.0, period.1).await?;
    let evidence = office::inactivity_evidence(&a.id, period, today, facts);
    Ok(HttpResponse::Ok().json(evidence))
}
