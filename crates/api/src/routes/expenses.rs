//! Expense claims (Art. 14): an advisor (or HRSS for them) claims an amount in a category;
//! the Finance Bureau reviews strictly controlled categories first; HRSS approves, which
//! commits the amount against the year's budget, or rejects; HRSS records the payment.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    funds::{self, ExpenseAction, ExpenseCategory, ExpenseState},
    office::{AdvisorStatus, ProposalState, ResignationState},
    role::Role,
    time::{cst_date, to_cst},
};
use guwen_persistence::{
    audit::{begin_write, truncate_to_micros},
    db::is_unique_violation,
    entity::{
        advisor, advisor_term, dismissal_proposal, expense, expense_receipt, meeting, resignation,
        task,
    },
    sea_orm::{
        ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
        sea_query::Expr,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::budgets::{self, stored_category};
use super::common::{Transition, new_id, optional_text, parse_stored, record, required_text};
use crate::{
    access::Caller,
    error::ApiError,
    extract::ApiJson,
    idempotency::{Created, IdempotencyKey},
    pagination::{Direction, Page, PageParams, page_of},
    state::AppState,
    write::audit_context,
};

/// A receipt behind a claim.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate, PartialEq, Eq)]
pub struct Receipt {
    /// The invoice or ticket number.
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "铁路电子客票 E123456789",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub reference: String,
    #[validate(range(min = 1, max = 50_000_000))]
    #[schema(example = 45600, minimum = 1, maximum = 50000000)]
    pub amount_fen: i64,
}

/// An expense claim.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExpenseView {
    pub id: String,
    pub advisor_id: String,
    /// The budget year: the year (CST) the expense was incurred.
    pub fiscal_year: i32,
    pub category: ExpenseCategory,
    /// Needs the Finance Bureau's review before approval (Art. 14).
    pub strictly_controlled: bool,
    pub amount_fen: i64,
    pub incurred_on: NaiveDate,
    pub description: String,
    pub receipts: Vec<Receipt>,
    pub task_id: Option<String>,
    pub meeting_id: Option<String>,
    pub state: ExpenseState,
    /// The steps the expense can take now.
    pub allowed_actions: Vec<ExpenseAction>,
    pub submitted_by: String,
    pub submitted_at: DateTime<FixedOffset>,
    pub finance_reviewed_by: Option<String>,
    pub finance_reviewed_at: Option<DateTime<FixedOffset>>,
    pub finance_comment: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
    pub paid_by: Option<String>,
    pub paid_at: Option<DateTime<FixedOffset>>,
    pub payment_ref: Option<String>,
    pub updated_at: DateTime<FixedOffset>,
}

fn view(e: expense::Model) -> Result<ExpenseView, ApiError> {
    let category = stored_category(&e.category)?;
    let state: ExpenseState = parse_stored("expense state", &e.state)?;
    Ok(ExpenseView {
        strictly_controlled: category.is_strictly_controlled(),
        allowed_actions: funds::expense_allowed(category, state),
        receipts: serde_json::from_str(&e.receipts).map_err(ApiError::internal)?,
        category,
        state,
        id: e.id,
        advisor_id: e.advisor_id,
        fiscal_year: e.fiscal_year,
        amount_fen: e.amount_fen,
        incurred_on: e.incurred_on,
        description: e.description,
        task_id: e.task_id,
        meeting_id: e.meeting_id,
        submitted_by: e.submitted_by,
        submitted_at: to_cst(e.submitted_at),
        finance_reviewed_by: e.finance_reviewed_by,
        finance_reviewed_at: e.finance_reviewed_at.map(to_cst),
        finance_comment: e.finance_comment,
        decided_by: e.decided_by,
        decided_at: e.decided_at.map(to_cst),
        decision_reason: e.decision_reason,
        paid_by: e.paid_by,
        paid_at: e.paid_at.map(to_cst),
        payment_ref: e.payment_ref,
        updated_at: to_cst(e.updated_at),
    })
}

/// HRSS, the Finance Bureau, the government and auditors read every expense; an advisor only
/// their own.
fn reads_all(caller: &Caller) -> bool {
    [Role::Hrss, Role::Finance, Role::Government, Role::Auditor]
        .into_iter()
        .any(|r| caller.has(r))
}

async fn load<C: ConnectionTrait>(db: &C, id: &str) -> Result<expense::Model, ApiError> {
    expense::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("expense"))
}

/// The days an advisor served: from the first term's start to the last term's end, or to the
/// day the government approved the dismissal or resignation.
async fn service_window<C: ConnectionTrait>(
    db: &C,
    adv: &advisor::Model,
) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let first_day = advisor_term::Entity::find()
        .filter(advisor_term::Column::AdvisorId.eq(adv.id.clone()))
        .order_by_asc(advisor_term::Column::Number)
        .one(db)
        .await?
        .map_or(adv.term_starts_on, |t| t.starts_on);
    let left_at = if adv.status == AdvisorStatus::Dismissed {
        dismissal_proposal::Entity::find()
            .filter(dismissal_proposal::Column::AdvisorId.eq(adv.id.clone()))
            .filter(dismissal_proposal::Column::State.eq(ProposalState::Approved.code()))
            .one(db)
            .await?
            .and_then(|d| d.decided_at)
    } else if adv.status == AdvisorStatus::Resigned {
        resignation::Entity::find()
            .filter(resignation::Column::AdvisorId.eq(adv.id.clone()))
            .filter(resignation::Column::State.eq(ResignationState::Approved.code()))
            .one(db)
            .await?
            .and_then(|r| r.decided_at)
    } else {
        None
    };
    let last_day = left_at
        .map(cst_date)
        .map_or(adv.term_ends_on, |left| left.min(adv.term_ends_on));
    Ok((first_day, last_day))
}

/// Art. 14 (实报实销): records the claim's receipts; a receipt a live claim already lists is
/// refused (`receipt_already_claimed`).
async fn claim_receipts<C: ConnectionTrait>(
    tx: &C,
    expense_id: &str,
    receipts: &[Receipt],
) -> Result<(), ApiError> {
    if receipts.is_empty() {
        return Ok(());
    }
    let references: Vec<String> = receipts.iter().map(|r| r.reference.clone()).collect();
    let taken = expense_receipt::Entity::find()
        .filter(expense_receipt::Column::Reference.is_in(references))
        .one(tx)
        .await?;
    let already = |what: &str| {
        ApiError::conflict(
            "receipt_already_claimed",
            format!("{what} is already claimed; each receipt is reimbursed once"),
        )
        .with_article("Art. 14")
    };
    if let Some(t) = taken {
        return Err(already(&format!("receipt `{}`", t.reference)));
    }
    let inserted = expense_receipt::Entity::insert_many(receipts.iter().map(|r| {
        expense_receipt::ActiveModel {
            reference: Set(r.reference.clone()),
            expense_id: Set(expense_id.to_owned()),
        }
    }))
    .exec_without_returning(tx)
    .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => Err(already("one of the receipts")),
        other => other.map(|_| ()).map_err(ApiError::from),
    }
}

/// A new expense claim.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateExpenseRequest {
    /// Whose expense: an advisor's token claims for itself (omit it or give its own id);
    /// HRSS names the advisor.
    pub advisor_id: Option<String>,
    pub category: ExpenseCategory,
    /// The amount claimed; for transport exactly the sum of the receipts (实报实销).
    #[validate(range(min = 1, max = 50_000_000))]
    #[schema(example = 91200, minimum = 1, maximum = 50000000)]
    pub amount_fen: i64,
    /// When the expense was incurred (CST); its year is the budget year.
    pub incurred_on: NaiveDate,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub description: String,
    /// Receipts; required for transport.
    #[serde(default)]
    #[validate(nested, length(max = 100))]
    pub receipts: Vec<Receipt>,
    /// The task the expense served, if any.
    pub task_id: Option<String>,
    /// The meeting the expense served, if any.
    pub meeting_id: Option<String>,
}

/// Claims an expense (Art. 14). Transport lists its receipts (`receipts_required`) and claims
/// exactly their sum (`amount_not_actual`); the work subsidy is not claimed here
/// (`use_subsidy_procedure`); only what was incurred while the advisor was in office
/// (`incurred_outside_office`).
#[utoipa::path(
    tag = "funds",
    security(("bearer" = ["advisor", "hrss"])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key", pattern = "^[!-~]{1,200}$")),
    request_body = CreateExpenseRequest,
    responses((status = 201, description = "The claim", body = ExpenseView, headers(("Location" = String, description = "The claim's URL"))))
)]
#[post("/expenses")]
async fn create_expense(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: ApiJson<CreateExpenseRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = audit_context(&req, &state);
    let advisor_id = if caller.has(Role::Hrss) {
        body.advisor_id
            .clone()
            .ok_or_else(|| ApiError::invalid_field("advisor_id", "HRSS must name the advisor"))?
    } else {
        let own = caller
            .advisor_id()
            .ok_or_else(|| ApiError::forbidden("an advisor token needs an advisor_id claim"))?;
        if body.advisor_id.as_deref().is_some_and(|a| a != own) {
            return Err(ApiError::forbidden(
                "an advisor claims only their own expenses",
            ));
        }
        own.to_owned()
    };
    let description = required_text("description", &body.description, 2000)?;
    if body.incurred_on > state.clock.today() {
        return Err(ApiError::invalid_field(
            "incurred_on",
            "must not be in the future (China Standard Time)",
        ));
    }
    budgets::check_year("incurred_on", body.incurred_on.year())?;
    funds::check_claimable(body.category)?;
    let amounts: Vec<i64> = body.receipts.iter().map(|r| r.amount_fen).collect();
    funds::check_receipts(body.category, body.amount_fen, &amounts)?;
    let mut receipts: Vec<Receipt> = Vec::with_capacity(body.receipts.len());
    for (i, r) in body.receipts.iter().enumerate() {
        let field = format!("receipts[{i}].reference");
        let reference = required_text(&field, &r.reference, 200)?;
        if receipts.iter().any(|seen| seen.reference == reference) {
            return Err(ApiError::invalid_field(&field, "appears twice"));
        }
        receipts.push(Receipt {
            reference,
            amount_fen: r.amount_fen,
        });
    }
    crate::write::write(
        &state,
        &req,
        &caller.idempotency_scope(),
        &key,
        &body,
        async |tx| {
            let adv = advisor::Entity::find_by_id(advisor_id.clone())
                .one(tx)
                .await?
                .ok_or_else(|| ApiError::invalid_field("advisor_id", "no such advisor"))?;
            let (first_day, last_day) = service_window(tx, &adv).await?;
            funds::check_incurred_in_office(body.incurred_on, first_day, last_day)?;
            if let Some(t) = &body.task_id
                && task::Entity::find_by_id(t.clone()).one(tx).await?.is_none()
            {
                return Err(ApiError::invalid_field("task_id", "no such task"));
            }
            if let Some(m) = &body.meeting_id
                && meeting::Entity::find_by_id(m.clone())
                    .one(tx)
                    .await?
                    .is_none()
            {
                return Err(ApiError::invalid_field("meeting_id", "no such meeting"));
            }
            let id = new_id();
            let now = truncate_to_micros(ctx.now);
            let model = expense::Model {
                id: id.clone(),
                advisor_id: advisor_id.clone(),
                fiscal_year: body.incurred_on.year(),
                category: body.category.code().to_owned(),
                amount_fen: body.amount_fen,
                incurred_on: body.incurred_on,
                description: description.clone(),
                receipts: serde_json::to_string(&receipts).map_err(ApiError::internal)?,
                task_id: body.task_id.clone(),
                meeting_id: body.meeting_id.clone(),
                state: ExpenseState::Submitted.code().to_owned(),
                submitted_by: ctx.actor.sub.clone(),
                submitted_at: now,
                finance_reviewed_by: None,
                finance_reviewed_at: None,
                finance_comment: None,
                decided_by: None,
                decided_at: None,
                decision_reason: None,
                paid_by: None,
                paid_at: None,
                payment_ref: None,
                updated_at: now,
            };
            expense::Entity::insert(expense::ActiveModel::from(model.clone()))
                .exec_without_returning(tx)
                .await?;
            claim_receipts(tx, &id, &receipts).await?;
            record(
                tx,
                &ctx,
                Transition {
                    action: AuditAction::ExpenseSubmitted,
                    object_type: "expense",
                    object_id: &id,
                    before: None,
                    after: Some(ExpenseState::Submitted.code()),
                    reason: None,
                    details: Some(serde_json::json!({
                        "advisor_id": advisor_id,
                        "category": body.category.code(),
                        "amount_fen": body.amount_fen,
                        "fiscal_year": model.fiscal_year,
                    })),
                },
            )
            .await?;
            Ok(Created::at(format!("/api/v1/expenses/{id}"), view(model)?))
        },
    )
    .await
}

/// A review or approval: approve, or reject with a reason.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ReviewRequest {
    pub approved: bool,
    /// Required when rejecting.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

impl ReviewRequest {
    /// The reason, required when rejecting.
    pub fn checked_reason(&self) -> Result<Option<String>, ApiError> {
        let reason = optional_text("reason", self.reason.as_deref(), 2000)?;
        if !self.approved && reason.is_none() {
            return Err(ApiError::invalid_field(
                "reason",
                "a rejection must give its reason",
            ));
        }
        Ok(reason)
    }
}

/// A payment record.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct PaymentRequest {
    /// The payment voucher or transfer reference.
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "人社专户 2026-0412",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub payment_ref: String,
}

/// What a step on an expense carries.
enum Step {
    Review(ExpenseAction, bool, Option<String>),
    Pay(String),
}

/// Moves an expense by one step, with its money movement and audit event in one transaction;
/// the state change is conditional on the state read, so two racing steps cannot both win.
async fn step(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
    step: Step,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(req, state);
    let now = truncate_to_micros(ctx.now);
    let tx = begin_write(&state.db).await?;
    let e = load(&tx, id).await?;
    let category = stored_category(&e.category)?;
    let from: ExpenseState = parse_stored("expense state", &e.state)?;
    let (action, approve) = match &step {
        Step::Review(action, approve, _) => (*action, *approve),
        Step::Pay(_) => (ExpenseAction::Pay, true),
    };
    let to = funds::expense_step(category, from, action, approve)?;
    let who = Expr::value(ctx.actor.sub.clone());
    let mut update = expense::Entity::update_many()
        .col_expr(expense::Column::State, Expr::value(to.code()))
        .col_expr(expense::Column::UpdatedAt, Expr::value(now));
    let (audit, reason) = match &step {
        Step::Review(ExpenseAction::FinanceReview, _, reason) => {
            update = update
                .col_expr(expense::Column::FinanceReviewedBy, who)
                .col_expr(expense::Column::FinanceReviewedAt, Expr::value(now))
                .col_expr(expense::Column::FinanceComment, Expr::value(reason.clone()));
            let audit = if approve {
                AuditAction::ExpenseFinanceReviewed
            } else {
                AuditAction::ExpenseRejected
            };
            (audit, reason.clone())
        }
        Step::Review(_, _, reason) => {
            update = update
                .col_expr(expense::Column::DecidedBy, who)
                .col_expr(expense::Column::DecidedAt, Expr::value(now))
                .col_expr(expense::Column::DecisionReason, Expr::value(reason.clone()));
            let audit = if approve {
                AuditAction::ExpenseApproved
            } else {
                AuditAction::ExpenseRejected
            };
            (audit, reason.clone())
        }
        Step::Pay(payment_ref) => {
            update = update
                .col_expr(expense::Column::PaidBy, who)
                .col_expr(expense::Column::PaidAt, Expr::value(now))
                .col_expr(
                    expense::Column::PaymentRef,
                    Expr::value(payment_ref.clone()),
                );
            (AuditAction::ExpensePaid, None)
        }
    };
    let res = update
        .filter(expense::Column::Id.eq(e.id.clone()))
        .filter(expense::Column::State.eq(from.code()))
        .exec(&tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::conflict(
            "invalid_transition",
            "the expense changed meanwhile",
        ));
    }
    match to {
        ExpenseState::Approved => {
            budgets::commit(&tx, e.fiscal_year, category, e.amount_fen).await?
        }
        ExpenseState::Paid => budgets::pay(&tx, e.fiscal_year, e.amount_fen).await?,
        ExpenseState::Rejected => {
            // A rejected claim releases its receipts for a corrected claim.
            expense_receipt::Entity::delete_many()
                .filter(expense_receipt::Column::ExpenseId.eq(e.id.clone()))
                .exec(&tx)
                .await?;
        }
        _ => {}
    }
    record(
        &tx,
        &ctx,
        Transition {
            action: audit,
            object_type: "expense",
            object_id: &e.id,
            before: Some(from.code()),
            after: Some(to.code()),
            reason: reason.as_deref(),
            details: Some(serde_json::json!({
                "advisor_id": e.advisor_id,
                "category": e.category,
                "amount_fen": e.amount_fen,
                "fiscal_year": e.fiscal_year,
                "step": action.code(),
            })),
        },
    )
    .await?;
    let v = view(load(&tx, &e.id).await?)?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(v))
}

/// The Finance Bureau's review of a strictly controlled expense (Art. 14, 须经市财政局审核):
/// pass it on to HRSS, or reject it with a reason. Other categories are not reviewed
/// (`finance_review_not_required`).
#[utoipa::path(
    tag = "funds",
    security(("bearer" = ["finance"])),
    params(("id" = String, Path, description = "Expense id")),
    request_body = ReviewRequest,
    responses((status = 200, description = "The claim", body = ExpenseView))
)]
#[post("/expenses/{id}/finance-review")]
async fn finance_review(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ApiJson<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.checked_reason()?;
    let s = Step::Review(ExpenseAction::FinanceReview, body.approved, reason);
    step(&state, &req, &id, s).await
}

/// HRSS approves an expense, committing its amount against the year's budget, or rejects it
/// with a reason. A strictly controlled one needs the Finance Bureau's review first
/// (`finance_review_required`); no budget, or not enough left in the budget or the category's
/// sub-budget, is `budget_exceeded` with `remaining_fen` (Art. 14).
#[utoipa::path(
    tag = "funds",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Expense id")),
    request_body = ReviewRequest,
    responses((status = 200, description = "The claim", body = ExpenseView))
)]
#[post("/expenses/{id}/approval")]
async fn approval(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ApiJson<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.checked_reason()?;
    let s = Step::Review(ExpenseAction::Approve, body.approved, reason);
    step(&state, &req, &id, s).await
}

/// HRSS records the payment of an approved expense.
#[utoipa::path(
    tag = "funds",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Expense id")),
    request_body = PaymentRequest,
    responses((status = 200, description = "The claim", body = ExpenseView))
)]
#[post("/expenses/{id}/payment")]
async fn payment(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: ApiJson<PaymentRequest>,
) -> Result<HttpResponse, ApiError> {
    let payment_ref = required_text("payment_ref", &body.payment_ref, 200)?;
    step(&state, &req, &id, Step::Pay(payment_ref)).await
}

/// Filters of the expense list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExpenseFilter {
    pub advisor_id: Option<String>,
    pub fiscal_year: Option<i32>,
    pub category: Option<ExpenseCategory>,
    pub state: Option<ExpenseState>,
    /// Only strictly controlled categories (`true`: what the Finance Bureau reviews) or only
    /// the others (`false`).
    pub strictly_controlled: Option<bool>,
}

/// Expense claims, newest first (an advisor: their own).
#[utoipa::path(
    tag = "funds",
    security(("bearer" = ["hrss", "finance", "government", "auditor", "advisor"])),
    params(ExpenseFilter, PageParams),
    responses((status = 200, description = "A page of claims", body = Page<ExpenseView>))
)]
#[get("/expenses")]
async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<ExpenseFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let mut query = expense::Entity::find();
    if !reads_all(&caller) {
        query = query.filter(expense::Column::AdvisorId.eq(caller.advisor_id().unwrap_or("-")));
    }
    if let Some(a) = &filter.advisor_id {
        query = query.filter(expense::Column::AdvisorId.eq(a.clone()));
    }
    if let Some(y) = filter.fiscal_year {
        query = query.filter(expense::Column::FiscalYear.eq(y));
    }
    if let Some(c) = filter.category {
        query = query.filter(expense::Column::Category.eq(c.code()));
    }
    if let Some(s) = filter.state {
        query = query.filter(expense::Column::State.eq(s.code()));
    }
    if let Some(controlled) = filter.strictly_controlled {
        let codes: Vec<&str> = ExpenseCategory::all()
            .iter()
            .filter(|c| c.is_strictly_controlled() == controlled)
            .map(|c| c.code())
            .collect();
        query = query.filter(expense::Column::Category.is_in(codes));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        expense::Column::Id,
        &page,
        "expenses",
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let items = rows.into_iter().map(view).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// One expense claim (an advisor: their own).
#[utoipa::path(
    tag = "funds",
    security(("bearer" = ["hrss", "finance", "government", "auditor", "advisor"])),
    params(("id" = String, Path, description = "Expense id")),
    responses((status = 200, description = "The claim", body = ExpenseView))
)]
#[get("/expenses/{id}")]
async fn get_one(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let e = load(&state.db, &id).await?;
    if !reads_all(&caller) && caller.advisor_id() != Some(e.advisor_id.as_str()) {
        return Err(ApiError::not_found("expense"));
    }
    Ok(HttpResponse::Ok().json(view(e)?))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_expense)
        .service(list)
        .service(get_one)
        .service(finance_review)
        .service(approval)
        .service(payment);
}
