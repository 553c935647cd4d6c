//! Appointed advisors (Art. 3, 4.6): the records HRSS, the government, auditors and other
//! systems read; departments see the basic fields; an advisor sees their own.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{
    Labelled,
    office::{self, AdvisorStatus},
    role::Role,
    time::to_cst,
};
use guwen_persistence::{
    entity::{advisor, advisor_term},
    sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{
    candidates::TermView,
    common::{FieldRef, field_ref, fields_by_code, parse_stored},
    office::OfficeActionLink,
};
use crate::{
    access::Caller,
    error::ApiError,
    pagination::{Direction, Page, PageParams, page_of},
    state::AppState,
};

/// The stored statuses of advisors in office (Art. 3, 4.6): on the roster and assignable while
/// their term runs.
pub const IN_OFFICE: [AdvisorStatus; 4] = [
    AdvisorStatus::Active,
    AdvisorStatus::DismissalProposed,
    AdvisorStatus::ResignationRequested,
    AdvisorStatus::ResignationProposed,
];

/// The condition "in office on `today`": an in-office status and a running term.
pub fn in_office_on(today: NaiveDate) -> Condition {
    Condition::all()
        .add(advisor::Column::Status.is_in(IN_OFFICE.map(|s| s.code())))
        .add(advisor::Column::TermStartsOn.lte(today))
        .add(advisor::Column::TermEndsOn.gte(today))
}

/// An advisor. `candidate_id`, `certificate_no`, `agreement_ref`, `terms` and `appointed_at`
/// are left out for departments, which see the basic fields only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdvisorView {
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field: FieldRef,
    /// The field's lead department.
    pub lead_org_id: String,
    pub status: AdvisorStatus,
    /// The current term.
    pub term_starts_on: NaiveDate,
    pub term_ends_on: NaiveDate,
    pub term_years: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_no: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreement_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appointed_at: Option<DateTime<FixedOffset>>,
    /// Every term, oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms: Option<Vec<TermView>>,
    pub updated_at: DateTime<FixedOffset>,
    /// What this caller may do now.
    pub allowed_actions: Vec<OfficeActionLink>,
}

/// The status shown on `today` (China Standard Time): an ended term shows as expired on
/// every replica at once, since it is computed from the date (Art. 3).
pub fn status_on(a: &advisor::Model, today: NaiveDate) -> Result<AdvisorStatus, ApiError> {
    Ok(office::effective_status(
        parse_stored("advisor status", &a.status)?,
        a.term_ends_on,
        today,
    ))
}

fn full_view(caller: &Caller) -> bool {
    [
        Role::Hrss,
        Role::Government,
        Role::Auditor,
        Role::Integration,
        Role::Advisor,
    ]
    .into_iter()
    .any(|r| caller.has(r))
}

fn can_see(caller: &Caller, a: &advisor::Model) -> bool {
    [
        Role::Hrss,
        Role::Government,
        Role::Auditor,
        Role::Integration,
        Role::Department,
    ]
    .into_iter()
    .any(|r| caller.has(r))
        || (caller.has(Role::Advisor) && caller.advisor_id() == Some(a.id.as_str()))
}

fn build(
    caller: &Caller,
    a: &advisor::Model,
    terms: Option<Vec<advisor_term::Model>>,
    fields: &std::collections::HashMap<String, guwen_persistence::entity::field::Model>,
    today: NaiveDate,
    pending_renewal: bool,
) -> Result<AdvisorView, ApiError> {
    let full = full_view(caller);
    let status = status_on(a, today)?;
    Ok(AdvisorView {
        id: a.id.clone(),
        name: a.name.clone(),
        employer: a.employer.clone(),
        title: a.title.clone(),
        field: field_ref(fields, &a.field_code),
        lead_org_id: a.lead_org_id.clone(),
        status,
        term_starts_on: a.term_starts_on,
        term_ends_on: a.term_ends_on,
        term_years: a.term_years,
        candidate_id: full.then(|| a.candidate_id.clone()),
        certificate_no: full.then(|| a.certificate_no.clone()),
        agreement_ref: full.then(|| a.agreement_ref.clone()),
        appointed_at: full.then(|| to_cst(a.appointed_at)),
        terms: terms.filter(|_| full).map(|ts| {
            ts.into_iter()
                .map(|t| TermView {
                    number: t.number,
                    starts_on: t.starts_on,
                    ends_on: t.ends_on,
                    years: t.years,
                    agreement_ref: t.agreement_ref,
                    certificate_no: t.certificate_no,
                })
                .collect()
        }),
        updated_at: to_cst(a.updated_at),
        allowed_actions: super::office::allowed_actions(caller, a, status, pending_renewal),
    })
}

/// Loads one advisor the caller may see (404 otherwise), with its terms.
pub async fn load_view<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: &str,
    today: NaiveDate,
) -> Result<AdvisorView, ApiError> {
    let a = advisor::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .filter(|a| can_see(caller, a))
        .ok_or_else(|| ApiError::not_found("advisor"))?;
    let terms = advisor_term::Entity::find()
        .filter(advisor_term::Column::AdvisorId.eq(a.id.clone()))
        .order_by_asc(advisor_term::Column::Number)
        .all(db)
        .await?;
    let fields = fields_by_code(db).await?;
    let pending = super::office::pending_renewals(db, vec![a.id.clone()]).await?;
    build(caller, &a, Some(terms), &fields, today, !pending.is_empty())
}

/// Filters of the advisor list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdvisorFilter {
    /// Only this status.
    pub status: Option<AdvisorStatus>,
    /// Only this field.
    pub field: Option<String>,
}

/// List advisors
///
/// Advisors, newest appointment first. An advisor sees only themself.
#[utoipa::path(
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
    let mut query = advisor::Entity::find();
    let staff = [
        Role::Hrss,
        Role::Government,
        Role::Auditor,
        Role::Integration,
        Role::Department,
    ]
    .into_iter()
    .any(|r| caller.has(r));
    if !staff {
        query = query.filter(advisor::Column::Id.eq(caller.advisor_id().unwrap_or_default()));
    }
    match filter.status {
        Some(AdvisorStatus::Expired) => {
            query = query
                .filter(advisor::Column::Status.is_in(IN_OFFICE.map(|s| s.code())))
                .filter(advisor::Column::TermEndsOn.lt(today));
        }
        Some(s @ (AdvisorStatus::Dismissed | AdvisorStatus::Resigned)) => {
            query = query.filter(advisor::Column::Status.eq(s.code()));
        }
        Some(s) => {
            query = query
                .filter(advisor::Column::Status.eq(s.code()))
                .filter(advisor::Column::TermEndsOn.gte(today));
        }
        None => {}
    }
    if let Some(f) = &filter.field {
        query = query.filter(advisor::Column::FieldCode.eq(f.clone()));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        advisor::Column::Id,
        &page,
        KIND,
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let fields = fields_by_code(&state.db).await?;
    let pending =
        super::office::pending_renewals(&state.db, rows.iter().map(|a| a.id.clone()).collect())
            .await?;
    let items = rows
        .iter()
        .map(|a| build(&caller, a, None, &fields, today, pending.contains(&a.id)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// Get an advisor
///
/// One advisor with every term.
#[utoipa::path(
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
    Ok(HttpResponse::Ok().json(load_view(&state.db, &caller, &id, state.clock.today()).await?))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_advisors).service(get_advisor);
}
