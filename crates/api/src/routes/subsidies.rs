//! Work subsidies (Art. 14, 16): one per advisor and year, after that year's final assessment,
//! within the band of the final grade; above it only for a recorded special contribution, and
//! above 50,000 CNY only with the government's approval. Every approved subsidy is committed
//! against the budget.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset};
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    funds::{self, ExpenseCategory, SubsidyRoute, SubsidyState},
    office::{AssessmentState, Grade},
    role::Role,
    time::to_cst,
};
use guwen_persistence::{
    audit::{begin_write, truncate_to_micros},
    db::is_unique_violation,
    entity::{assessment, subsidy},
    sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::assessments::BandView;
use super::budgets;
use super::common::{Transition, new_id, optional_text, parse_stored, record, required_text};
use super::expenses::PaymentRequest;
use crate::{
    access::Caller,
    error::ApiError,
    extract::ApiJson,
    idempotency::{Created, IdempotencyKey},
    pagination::{Direction, Page, PageParams, page_of},
    state::AppState,
    write::audit_context,
};

/// An advisor's work subsidy for a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubsidyView {
    pub id: String,
    pub advisor_id: String,
    /// The assessed year.
    pub year: i32,
    /// The budget year the amount is committed against.
    pub fiscal_year: i32,
    pub assessment_id: String,
    /// The final grade it follows.
    pub grade: Grade,
    /// The band of that grade.
    pub band: Option<BandView>,
    pub amount_fen: i64,
    /// The recorded special contribution behind an amount above the band.
    pub special_contribution: Option<String>,
    pub comment: Option<String>,
    pub state: SubsidyState,
    pub proposed_by: String,
    pub proposed_at: DateTime<FixedOffset>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
    pub paid_by: Option<String>,
    pub paid_at: Option<DateTime<FixedOffset>>,
    pub payment_ref: Option<String>,
    pub updated_at: DateTime<FixedOffset>,
}

fn view(state: &AppState, s: subsidy::Model) -> Result<SubsidyView, ApiError> {
    let grade: Grade = parse_stored("grade", &s.grade)?;
    Ok(SubsidyView {
        band: state.config.subsidy_bands.band(grade).map(|b| BandView {
            min_fen: b.min_fen,
            max_fen: b.max_fen,
        }),
        grade,
        state: parse_stored("subsidy state", &s.state)?,
        id: s.id,
        advisor_id: s.advisor_id,
        year: s.year,
        fiscal_year: s.fiscal_year,
        assessment_id: s.assessment_id,
        amount_fen: s.amount_fen,
        special_contribution: s.special_contribution,
        comment: s.comment,
        proposed_by: s.proposed_by,
        proposed_at: to_cst(s.proposed_at),
        decided_by: s.decided_by,
        decided_at: s.decided_at.map(to_cst),
        decision_reason: s.decision_reason,
        paid_by: s.paid_by,
        paid_at: s.paid_at.map(to_cst),
        payment_ref: s.payment_ref,
        updated_at: to_cst(s.updated_at),
    })
}

async fn load<C: ConnectionTrait>(db: &C, id: &str) -> Result<subsidy::Model, ApiError> {
    subsidy::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("subsidy"))
}

/// HRSS, the government and auditors read every subsidy; an advisor their own. The Finance
/// Bureau does not: a subsidy shows the assessment grade, which it may not read (Art. 16).
fn reads_all(caller: &Caller) -> bool {
    [Role::Hrss, Role::Government, Role::Auditor]
        .into_iter()
        .any(|r| caller.has(r))
}

fn exists(advisor_id: &str, year: i32) -> ApiError {
    ApiError::conflict(
        "subsidy_exists",
        format!("advisor {advisor_id} already has a work subsidy for {year}"),
    )
    .with_article("Art. 14")
}

/// A proposed work subsidy.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateSubsidyRequest {
    #[validate(length(min = 1, max = 36))]
    #[schema(min_length = 1, max_length = 36, pattern = r"\S")]
    pub advisor_id: String,
    /// The assessed year.
    #[schema(example = 2026, minimum = 2000, maximum = 2100)]
    pub year: i32,
    /// Within the band of the final grade (inside 5,000–50,000 CNY); above it only with a
    /// special contribution, and above 50,000 CNY with the government's approval.
    #[validate(range(min = 1, max = 50_000_000))]
    #[schema(example = 4000000, minimum = 1, maximum = 50000000)]
    pub amount_fen: i64,
    /// The special contribution during the term that justifies an amount above the band.
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub special_contribution: Option<String>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
    /// The budget year to commit against: the assessed year (default) or the next one, when
    /// the assessment is decided after the year closed.
    #[schema(minimum = 2000, maximum = 2101)]
    pub fiscal_year: Option<i32>,
}

/// Sets an advisor's work subsidy for a year (Art. 14, 16). Needs that year's decided
/// assessment (`assessment_not_final`); the amount lies in the band of the final grade
/// (`subsidy_out_of_band`, `no_subsidy_for_grade`), or above it for a recorded
/// `special_contribution`. Up to 50,000 CNY it is approved and committed at once
/// (`budget_exceeded` if it does not fit); above 50,000 CNY only with a special contribution
/// (`special_contribution_required`), and then it waits for the government's decision. One per
/// advisor and year (`subsidy_exists`).
#[utoipa::path(
    tag = "funds",
    security(("bearer" = ["hrss"])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key", pattern = "^[!-~]{1,200}$")),
    request_body = CreateSubsidyRequest,
    responses((status = 201, description = "The subsidy", body = SubsidyView, headers(("Location" = String, description = "The subsidy's URL"))))
)]
#[post("/subsidies")]
async fn create_subsidy(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: ApiJson<CreateSubsidyRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = audit_context(&req, &state);
    budgets::check_year("year", body.year)?;
    let fiscal_year = body.fiscal_year.unwrap_or(body.year);
    if fiscal_year != body.year && fiscal_year != body.year + 1 {
        return Err(ApiError::invalid_field(
            "fiscal_year",
            "must be the assessed year or the next one",
        ));
    }
    let special = optional_text(
        "special_contribution",
        body.special_contribution.as_deref(),
        10000,
    )?;
    let comment = optional_text("comment", body.comment.as_deref(), 2000)?;
    crate::write::write(&state, &req, &caller.idempotency_scope(), &key, &body, async |tx| {
        let a = assessment::Entity::find()
            .filter(assessment::Column::AdvisorId.eq(body.advisor_id.clone()))
            .filter(assessment::Column::Year.eq(body.year))
            .one(tx)
            .await?;
        let (a, grade) = match a {
            Some(a) if a.state == AssessmentState::Decided.code() => {
                let g = a.final_grade.as_deref().unwrap_or_default();
                let grade: Grade = parse_stored("grade", g)?;
                (a, grade)
            }
            _ => {
                return Err(ApiError::conflict(
                    "assessment_not_final",
                    format!(
                        "the subsidy follows the final grade: the {} assessment of advisor {} is not decided",
                        body.year, body.advisor_id
                    ),
                )
                .with_article("Art. 14"));
            }
        };
        let route = funds::subsidy_route(
            &state.config.subsidy_bands,
            grade,
            body.amount_fen,
            special.as_deref(),
        )?;
        let live = subsidy::Entity::find()
            .filter(subsidy::Column::AdvisorId.eq(body.advisor_id.clone()))
            .filter(subsidy::Column::Year.eq(body.year))
            .filter(subsidy::Column::State.ne(SubsidyState::Rejected.code()))
            .one(tx)
            .await?;
        if live.is_some() {
            return Err(exists(&body.advisor_id, body.year));
        }
        let to = match route {
            SubsidyRoute::Approve => SubsidyState::Approved,
            SubsidyRoute::GovernmentDecision => SubsidyState::PendingDecision,
        };
        let id = new_id();
        let now = truncate_to_micros(ctx.now);
        let model = subsidy::Model {
            id: id.clone(),
            advisor_id: body.advisor_id.clone(),
            year: body.year,
            fiscal_year,
            assessment_id: a.id.clone(),
            grade: grade.code().to_owned(),
            amount_fen: body.amount_fen,
            special_contribution: special.clone(),
            comment: comment.clone(),
            state: to.code().to_owned(),
            proposed_by: ctx.actor.sub.clone(),
            proposed_at: now,
            decided_by: None,
            decided_at: None,
            decision_reason: None,
            paid_by: None,
            paid_at: None,
            payment_ref: None,
            updated_at: now,
        };
        let inserted = subsidy::Entity::insert(subsidy::ActiveModel::from(model.clone()))
            .exec_without_returning(tx)
            .await;
        if let Err(e) = inserted {
            return Err(if is_unique_violation(&e) {
                exists(&body.advisor_id, body.year)
            } else {
                e.into()
            });
        }
        if to == SubsidyState::Approved {
            budgets::commit(tx, fiscal_year, ExpenseCategory::WorkSubsidy, body.amount_fen).await?;
        }
        record(
            tx,
            &ctx,
            Transition {
                action: if to == SubsidyState::Approved {
                    AuditAction::SubsidyApproved
                } else {
                    AuditAction::SubsidyProposed
                },
                object_type: "subsidy",
                object_id: &id,
                before: None,
                after: Some(to.code()),
                reason: special.as_deref().or(comment.as_deref()),
                details: Some(serde_json::json!({
                    "advisor_id": body.advisor_id,
                    "year": body.year,
                    "fiscal_year": fiscal_year,
                    "grade": grade.code(),
                    "amount_fen": body.amount_fen,
                })),
            },
        )
        .await?;
        Ok(Created::at(format!("/api/v1/subsidies/{id}"), view(&state, model)?))
    })
    .await
}

/// The government's decision on a subsidy above 50,000 CNY.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct SubsidyDecisionRequest {
    pub approved: bool,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
    /// The meeting or document that decided it.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub decision_ref: Option<String>,
}

/// What a step on a subsidy carries.
enum Step {
    Decide(bool, String),
    Pay(String),
}

async fn step(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
    step: Step,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(req, state);
    let now = truncate_to_micros(ctx.now);
    let tx = begin_write(&state.db).await?;
    let s = load(&tx, id).await?;
    let from: SubsidyState = parse_stored("subsidy state", &s.state)?;
    let wanted = match &step {
        Step::Decide(true, _) => SubsidyState::Approved,
        Step::Decide(false, _) => SubsidyState::Rejected,
        Step::Pay(_) => SubsidyState::Paid,
    };
    let to = funds::subsidy_step(from, wanted)?;
    let who = Expr::value(ctx.actor.sub.clone());
    let mut update = subsidy::Entity::update_many()
        .col_expr(subsidy::Column::State, Expr::value(to.code()))
        .col_expr(subsidy::Column::UpdatedAt, Expr::value(now));
    let reason = match &step {
        Step::Decide(_, reason) => {
            update = update
                .col_expr(subsidy::Column::DecidedBy, who)
                .col_expr(subsidy::Column::DecidedAt, Expr::value(now))
                .col_expr(subsidy::Column::DecisionReason, Expr::value(reason.clone()));
            Some(reason.clone())
        }
        Step::Pay(payment_ref) => {
            update = update
                .col_expr(subsidy::Column::PaidBy, who)
                .col_expr(subsidy::Column::PaidAt, Expr::value(now))
                .col_expr(
                    subsidy::Column::PaymentRef,
                    Expr::value(payment_ref.clone()),
                );
            None
        }
    };
    let res = update
        .filter(subsidy::Column::Id.eq(s.id.clone()))
        .filter(subsidy::Column::State.eq(from.code()))
        .exec(&tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::conflict(
            "invalid_transition",
            "the subsidy changed meanwhile",
        ));
    }
    let action = match to {
        SubsidyState::Approved => {
            budgets::commit(
                &tx,
                s.fiscal_year,
                ExpenseCategory::WorkSubsidy,
                s.amount_fen,
            )
            .await?;
            AuditAction::SubsidyApproved
        }
        SubsidyState::Paid => {
            budgets::pay(&tx, s.fiscal_year, s.amount_fen).await?;
            AuditAction::SubsidyPaid
        }
        _ => AuditAction::SubsidyRejected,
    };
    record(
        &tx,
        &ctx,
        Transition {
            action,
            object_type: "subsidy",
            object_id: &s.id,
            before: Some(from.code()),
            after: Some(to.code()),
            reason: reason.as_deref(),
            details: Some(serde_json::json!({
                "advisor_id": s.advisor_id,
                "year": s.year,
                "fiscal_year": s.fiscal_year,
                "amount_fen": s.amount_fen,
            })),
        },
    )
    .await?;
    let v = view(state, load(&tx, &s.id).await?)?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(v))
}

/// The government approves (the amount is committed: `budget_exceeded` if it does not fit) or
/// rejects a subsidy above 50,000 CNY for a special contribution (Art. 14).
#[utoipa::path(
    tag = "funds",
    security(("bearer" = ["government"])),
    params(("id" = String, Path, description = "Subsidy id")),
    request_body = SubsidyDecisionRequest,
    responses((status = 200, description = "The subsidy", body = SubsidyView))
)]
#[post("/subsidies/{id}/decision")]
async fn decide(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ApiJson<SubsidyDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut reason = required_text("reason", &body.reason, 2000)?;
    if let Some(r) = optional_text("decision_ref", body.decision_ref.as_deref(), 200)? {
        reason = format!("{reason} ({r})");
    }
    step(&state, &req, &id, Step::Decide(body.approved, reason)).await
}

/// HRSS records the payment of an approved subsidy.
#[utoipa::path(
    tag = "funds",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Subsidy id")),
    request_body = PaymentRequest,
    responses((status = 200, description = "The subsidy", body = SubsidyView))
)]
#[post("/subsidies/{id}/payment")]
async fn payment(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ApiJson<PaymentRequest>,
) -> Result<HttpResponse, ApiError> {
    let payment_ref = required_text("payment_ref", &body.payment_ref, 200)?;
    step(&state, &req, &id, Step::Pay(payment_ref)).await
}

/// Filters of the subsidy list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubsidyFilter {
    pub advisor_id: Option<String>,
    pub year: Option<i32>,
    pub state: Option<SubsidyState>,
}

/// Work subsidies, newest first (an advisor: their own).
#[utoipa::path(
    tag = "funds",
    security(("bearer" = ["hrss", "government", "auditor", "advisor"])),
    params(SubsidyFilter, PageParams),
    responses((status = 200, description = "A page of subsidies", body = Page<SubsidyView>))
)]
#[get("/subsidies")]
async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<SubsidyFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let mut query = subsidy::Entity::find();
    if !reads_all(&caller) {
        query = query.filter(subsidy::Column::AdvisorId.eq(caller.advisor_id().unwrap_or("-")));
    }
    if let Some(a) = &filter.advisor_id {
        query = query.filter(subsidy::Column::AdvisorId.eq(a.clone()));
    }
    if let Some(y) = filter.year {
        query = query.filter(subsidy::Column::Year.eq(y));
    }
    if let Some(s) = filter.state {
        query = query.filter(subsidy::Column::State.eq(s.code()));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        subsidy::Column::Id,
        &page,
        "subsidies",
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|s| view(&state, s))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// One work subsidy (an advisor: their own).
#[utoipa::path(
    tag = "funds",
    security(("bearer" = ["hrss", "government", "auditor", "advisor"])),
    params(("id" = String, Path, description = "Subsidy id")),
    responses((status = 200, description = "The subsidy", body = SubsidyView))
)]
#[get("/subsidies/{id}")]
async fn get_one(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let s = load(&state.db, &id).await?;
    if !reads_all(&caller) && caller.advisor_id() != Some(s.advisor_id.as_str()) {
        return Err(ApiError::not_found("subsidy"));
    }
    Ok(HttpResponse::Ok().json(view(&state, s)?))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_subsidy)
        .service(list)
        .service(get_one)
        .service(decide)
        .service(payment);
}
