//! Work subsidies (Art. 14, 16): one per advisor and year, after that year's final assessment,
//! within the band of the final grade; above it only for a recorded special contribution, and
//! above 50,000 CNY only with the government's approval. Every approved subsidy is committed
//! against the budget.

use actix_web::{HttpResponse, get, post, web};
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    funds::{self, SubsidyRoute, SubsidyState},
};
use guwen_persistence::store::{
    AdvisorScope, Event, StoreError, Tx, assessment,
    funds::{
        FundsError, Subsidy,
        subsidies::{self, SubsidyChange},
    },
    new_id,
};

use super::{
    policy,
    views::{
        expense::PaymentRequest,
        subsidy::{
            CreateSubsidyRequest, SubsidyDecisionRequest, SubsidyFilter, SubsidyView, subsidy_view,
        },
    },
};
use crate::prelude::*;

/// Set a work subsidy
///
/// Sets an advisor's work subsidy for a year (Art. 14, 16). Needs that year's decided
/// assessment (`assessment_not_final`); the amount lies in the band of the final grade
/// (`subsidy_out_of_band`, `no_subsidy_for_grade`), or above it for a recorded
/// `special_contribution`. Up to 50,000 CNY it is approved and committed at once
/// (`budget_exceeded` if it does not fit); above 50,000 CNY only with a special contribution
/// (`special_contribution_required`), and then it waits for the government's decision. One per
/// advisor and year (`subsidy_exists`).
#[utoipa::path(
    operation_id = "createSubsidy",
    tag = "funds",
    security(("bearer" = ["hrss"])),
    params(IdempotencyKey),
    request_body = CreateSubsidyRequest,
    responses((status = 201, description = "The subsidy", body = SubsidyView, headers(("Location" = String, description = "The subsidy's URL"))))
)]
#[post("/subsidies")]
pub(super) async fn create_subsidy(
    call: Creating,
    body: ApiJson<CreateSubsidyRequest>,
) -> Result<HttpResponse, ApiError> {
    let p = body.parse()?;
    let (advisor_id, year) = (body.advisor_id.as_str(), body.year);
    let bands = &call.state.config.subsidy_bands;
    let ctx = call.audit();
    write_as(&call, &body.0, async |tx| {
        let a = assessment::of_advisor_year(tx, advisor_id, year).await?;
        let grade = funds::subsidy_grade(
            a.as_ref().map(|a| (a.state, a.final_grade)),
            advisor_id,
            year,
        )?;
        // The grade is only known from a decided assessment, so there is one.
        let assessment_id = a.map(|a| a.id).unwrap_or_default();
        let route = funds::subsidy_route(
            bands,
            grade,
            body.amount_fen,
            p.special_contribution.as_deref(),
        )?;
        let live = subsidies::live_exists(tx, advisor_id, year).await?;
        funds::check_one_subsidy_a_year(live, advisor_id, year)?;
        let (to, action) = match route {
            SubsidyRoute::Approve => (SubsidyState::Approved, AuditAction::SubsidyApproved),
            SubsidyRoute::GovernmentDecision => {
                (SubsidyState::PendingDecision, AuditAction::SubsidyProposed)
            }
        };
        let assessed = (assessment_id, grade);
        let row = p.into_row(new_id(), assessed, to, (&ctx.actor.sub, ctx.stamp()));
        let event = Event::new(action, "subsidy", &row.id)
            .after(to)
            .reason(row.special_contribution.clone().or(row.comment.clone()))
            .details(serde_json::json!({
                "advisor_id": row.advisor_id,
                "year": row.year,
                "fiscal_year": row.fiscal_year,
                "grade": grade.code(),
                "amount_fen": row.amount_fen,
            }));
        let s = subsidies::insert(tx, &ctx, row, event)
            .await
            .map_err(|e| match e {
                // A concurrent proposal for the advisor and year came first.
                FundsError::Store(StoreError::Duplicate(_)) => {
                    funds::subsidy_exists(advisor_id, year).into()
                }
                e => ApiError::from(e),
            })?;
        let location = format!("/api/v1/subsidies/{}", s.id);
        Ok(Created::at(location, subsidy_view(bands, s)))
    })
    .await
}

/// Moves a subsidy by one step (towards `wanted`), with its money movement and audit event in
/// one transaction; the state change is conditional on the state read.
async fn step(
    call: &Signed,
    id: &str,
    wanted: SubsidyState,
    change: SubsidyChange,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let load = async |tx: &Tx| subsidies::find(tx, id, &AdvisorScope::All).await;
    let work = async |tx: &Tx, s: Subsidy| {
        let to = funds::subsidy_step(s.state, wanted)?;
        let action = match to {
            SubsidyState::Approved => AuditAction::SubsidyApproved,
            SubsidyState::Paid => AuditAction::SubsidyPaid,
            _ => AuditAction::SubsidyRejected,
        };
        let reason = match &change {
            SubsidyChange::Decision { reason } => Some(reason.clone()),
            SubsidyChange::Payment { .. } => None,
        };
        let event =
            Event::new(action, "subsidy", &s.id)
                .reason(reason)
                .details(serde_json::json!({
                    "advisor_id": s.advisor_id,
                    "year": s.year,
                    "fiscal_year": s.fiscal_year,
                    "amount_fen": s.amount_fen,
                }));
        subsidies::advance(tx, &ctx, &s, to, change, event).await?;
        Ok(())
    };
    let view = async |_: &Tx, s| Ok(subsidy_view(&call.state.config.subsidy_bands, s));
    write_step(call, &(), "subsidy", load, work, view).await
}

/// Decide a work subsidy
///
/// The government approves (the amount is committed: `budget_exceeded` if it does not fit) or
/// rejects a subsidy above 50,000 CNY for a special contribution (Art. 14).
#[utoipa::path(
    operation_id = "decideSubsidy",
    tag = "funds",
    security(("bearer" = ["government"])),
    params(("id" = String, Path, description = "Subsidy id")),
    request_body = SubsidyDecisionRequest,
    responses((status = 200, description = "The subsidy", body = SubsidyView))
)]
#[post("/subsidies/{id}/decision")]
pub(super) async fn decide(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<SubsidyDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.recorded_reason()?;
    let wanted = if body.approved {
        SubsidyState::Approved
    } else {
        SubsidyState::Rejected
    };
    let change = SubsidyChange::Decision { reason };
    step(&call, &id, wanted, change).await
}

/// Record a subsidy's payment
///
/// HRSS records the payment of an approved subsidy.
#[utoipa::path(
    operation_id = "paySubsidy",
    tag = "funds",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Subsidy id")),
    request_body = PaymentRequest,
    responses((status = 200, description = "The subsidy", body = SubsidyView))
)]
#[post("/subsidies/{id}/payment")]
pub(super) async fn payment(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<PaymentRequest>,
) -> Result<HttpResponse, ApiError> {
    let payment_ref = body.checked_ref()?;
    let change = SubsidyChange::Payment { payment_ref };
    step(&call, &id, SubsidyState::Paid, change).await
}

/// List work subsidies
///
/// Work subsidies, newest first (an advisor: their own).
#[utoipa::path(
    operation_id = "listSubsidies",
    tag = "funds",
    security(("bearer" = ["hrss", "government", "auditor", "advisor"])),
    params(SubsidyFilter, PageParams),
    responses((status = 200, description = "A page of subsidies", body = Page<SubsidyView>))
)]
#[get("/subsidies")]
pub(super) async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<SubsidyFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "subsidies";
    let scope = policy::subsidy_scope(&state, &caller);
    let request = page.request(KIND, Direction::NewestFirst)?;
    let rows = subsidies::page(&state.db, &scope, &filter.to_filter(), request).await?;
    let bands = &state.config.subsidy_bands;
    Ok(HttpResponse::Ok().json(Page::of(KIND, rows, |s| Ok(subsidy_view(bands, s)))?))
}

/// Get a work subsidy
///
/// One work subsidy (an advisor: their own).
#[utoipa::path(
    operation_id = "getSubsidy",
    tag = "funds",
    security(("bearer" = ["hrss", "government", "auditor", "advisor"])),
    params(("id" = String, Path, description = "Subsidy id")),
    responses((status = 200, description = "The subsidy", body = SubsidyView))
)]
#[get("/subsidies/{id}")]
pub(super) async fn get_one(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let scope = policy::subsidy_scope(&state, &caller);
    let s = subsidies::find(&state.db, &id, &scope)
        .await?
        .ok_or_else(|| ApiError::not_found("subsidy"))?;
    Ok(HttpResponse::Ok().json(subsidy_view(&state.config.subsidy_bands, s)))
}
