//! Expense claims (Art. 14): an advisor (or HRSS for them) claims an amount in a category;
//! the Finance Bureau reviews strictly controlled categories first; HRSS approves, which
//! commits the amount against the year's budget, or rejects; HRSS records the payment.

use actix_web::{HttpResponse, get, post, web};
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    funds::{self, ExpenseAction, ExpenseState},
};
use guwen_persistence::store::{
    AdvisorScope, Event, Tx,
    funds::{
        Expense,
        expenses::{self, ExpenseChange},
    },
    new_id,
};

use super::{
    policy,
    views::expense::{
        CreateExpenseRequest, ExpenseFilter, ExpenseView, PaymentRequest, ReviewRequest,
        expense_view,
    },
};
use crate::prelude::*;

/// Claim an expense
///
/// Claims an expense (Art. 14). Transport lists its receipts (`receipts_required`) and claims
/// exactly their sum (`amount_not_actual`); the work subsidy is not claimed here
/// (`use_subsidy_procedure`); only what was incurred while the advisor was in office
/// (`incurred_outside_office`).
///
/// Refused with `receipt_already_claimed`.
#[utoipa::path(
    operation_id = "createExpense",
    tag = "funds",
    security(("bearer" = ["advisor", "hrss"])),
    params(IdempotencyKey),
    request_body = CreateExpenseRequest,
    responses((status = 201, description = "The claim", body = ExpenseView, headers(("Location" = String, description = "The claim's URL"))))
)]
#[post("/expenses")]
pub(super) async fn create_expense(
    call: Creating,
    body: ApiJson<CreateExpenseRequest>,
) -> Result<HttpResponse, ApiError> {
    let advisor_id = policy::claimant(&call.caller, body.advisor_id.as_deref())?;
    let ctx = call.audit();
    let today = call.state.clock.today();
    let new = body.to_row(new_id(), advisor_id, (&ctx.actor.sub, ctx.stamp()), today)?;
    let by_advisor = call.caller.advisor_id() == Some(new.advisor_id.as_str());
    write_as(&call, &body.0, async |tx| {
        // Art. 12, 13, 14: the advisor of record decides, not the token: a token naming no
        // advisor claims nothing (403), and what was incurred outside the advisor's service,
        // as recorded (a dismissal, a resignation, the end of the last term), is refused. A
        // former advisor may still claim what they incurred in office.
        let window = expenses::service_window(tx, &new.advisor_id).await?;
        let (first_day, last_day) = match window {
            Some(w) => w,
            None if by_advisor => {
                return Err(ApiError::forbidden(
                    "the token's advisor_id names no advisor of record",
                ));
            }
            None => return Err(ApiError::invalid_field("advisor_id", "no such advisor")),
        };
        funds::check_incurred_in_office(new.incurred_on, first_day, last_day)?;
        if let Some(t) = &new.task_id
            && !expenses::task_exists(tx, t).await?
        {
            return Err(ApiError::invalid_field("task_id", "no such task"));
        }
        if let Some(m) = &new.meeting_id
            && !expenses::meeting_exists(tx, m).await?
        {
            return Err(ApiError::invalid_field("meeting_id", "no such meeting"));
        }
        let taken = expenses::claimed_receipt(tx, &new).await?;
        funds::check_receipts_unclaimed(taken.as_deref())?;
        let event = Event::new(AuditAction::ExpenseSubmitted, "expense", &new.id)
            .after(ExpenseState::Submitted)
            .details(serde_json::json!({
                "advisor_id": new.advisor_id,
                "category": new.category.code(),
                "amount_fen": new.amount_fen,
                "fiscal_year": new.fiscal_year,
            }));
        let e = expenses::insert(tx, &ctx, new, event)
            .await
            // A concurrent claim took one of the receipts first.
            .map_err(ApiError::on_duplicate(|| {
                funds::receipt_already_claimed(None)
            }))?;
        let location = format!("/api/v1/expenses/{}", e.id);
        Ok(Created::at(location, expense_view(e)?))
    })
    .await
}

/// Moves an expense by one step, with its money movement and audit event in one transaction;
/// the state change is conditional on the state read, so two racing steps cannot both win.
async fn step(
    call: &Signed,
    id: &str,
    (action, approve): (ExpenseAction, bool),
    change: ExpenseChange,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let load = async |tx: &Tx| expenses::find(tx, id, &AdvisorScope::All).await;
    let work = async |tx: &Tx, e: Expense| {
        let to = funds::expense_step(e.category, e.state, action, approve)?;
        let (audit, reason) = match &change {
            ExpenseChange::FinanceReview { comment } if approve => {
                (AuditAction::ExpenseFinanceReviewed, comment.clone())
            }
            ExpenseChange::Decision { reason } if approve => {
                (AuditAction::ExpenseApproved, reason.clone())
            }
            ExpenseChange::FinanceReview { comment: reason }
            | ExpenseChange::Decision { reason } => (AuditAction::ExpenseRejected, reason.clone()),
            ExpenseChange::Payment { .. } => (AuditAction::ExpensePaid, None),
        };
        let event = Event::new(audit, "expense", &e.id)
            .reason(reason)
            .details(serde_json::json!({
                "advisor_id": e.advisor_id,
                "category": e.category,
                "amount_fen": e.amount_fen,
                "fiscal_year": e.fiscal_year,
                "step": action.code(),
            }));
        expenses::advance(tx, &ctx, &e, to, change, event).await?;
        Ok(())
    };
    let view = async |_: &Tx, e| expense_view(e);
    write_step(call, &(), "expense", load, work, view).await
}

/// Record the Finance Bureau's review
///
/// The Finance Bureau's review of a strictly controlled expense (Art. 14, 须经市财政局审核):
/// pass it on to HRSS, or reject it with a reason. Other categories are not reviewed
/// (`finance_review_not_required`).
#[utoipa::path(
    operation_id = "reviewExpense",
    tag = "funds",
    security(("bearer" = ["finance"])),
    params(("id" = String, Path, description = "Expense id")),
    request_body = ReviewRequest,
    responses((status = 200, description = "The claim", body = ExpenseView))
)]
#[post("/expenses/{id}/finance-review")]
pub(super) async fn finance_review(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let comment = body.checked_reason()?;
    let change = ExpenseChange::FinanceReview { comment };
    let action = (ExpenseAction::FinanceReview, body.approved);
    step(&call, &id, action, change).await
}

/// Approve or reject an expense
///
/// HRSS approves an expense, committing its amount against the year's budget, or rejects it
/// with a reason. A strictly controlled one needs the Finance Bureau's review first
/// (`finance_review_required`); no budget, or not enough left in the budget or the category's
/// sub-budget, is `budget_exceeded` with `remaining_fen` (Art. 14).
#[utoipa::path(
    operation_id = "approveExpense",
    tag = "funds",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Expense id")),
    request_body = ReviewRequest,
    responses((status = 200, description = "The claim", body = ExpenseView))
)]
#[post("/expenses/{id}/approval")]
pub(super) async fn approval(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.checked_reason()?;
    let change = ExpenseChange::Decision { reason };
    let action = (ExpenseAction::Approve, body.approved);
    step(&call, &id, action, change).await
}

/// Record an expense's payment
///
/// HRSS records the payment of an approved expense.
#[utoipa::path(
    operation_id = "payExpense",
    tag = "funds",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Expense id")),
    request_body = PaymentRequest,
    responses((status = 200, description = "The claim", body = ExpenseView))
)]
#[post("/expenses/{id}/payment")]
pub(super) async fn payment(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<PaymentRequest>,
) -> Result<HttpResponse, ApiError> {
    let payment_ref = body.checked_ref()?;
    let change = ExpenseChange::Payment { payment_ref };
    let action = (ExpenseAction::Pay, true);
    step(&call, &id, action, change).await
}

/// List expense claims
///
/// Expense claims, newest first (an advisor: their own).
#[utoipa::path(
    operation_id = "listExpenses",
    tag = "funds",
    security(("bearer" = ["hrss", "finance", "government", "auditor", "advisor"])),
    params(ExpenseFilter, PageParams),
    responses((status = 200, description = "A page of claims", body = Page<ExpenseView>))
)]
#[get("/expenses")]
pub(super) async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<ExpenseFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "expenses";
    let scope = policy::expense_scope(&state, &caller);
    let request = page.request(KIND, Direction::NewestFirst)?;
    let rows = expenses::page(&state.db, &scope, &filter.to_filter(), request).await?;
    Ok(HttpResponse::Ok().json(Page::of(KIND, rows, expense_view)?))
}

/// Get an expense claim
///
/// One expense claim (an advisor: their own).
#[utoipa::path(
    operation_id = "getExpense",
    tag = "funds",
    security(("bearer" = ["hrss", "finance", "government", "auditor", "advisor"])),
    params(("id" = String, Path, description = "Expense id")),
    responses((status = 200, description = "The claim", body = ExpenseView))
)]
#[get("/expenses/{id}")]
pub(super) async fn get_one(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let scope = policy::expense_scope(&state, &caller);
    let e = expenses::find(&state.db, &id, &scope)
        .await?
        .ok_or_else(|| ApiError::not_found("expense"))?;
    Ok(HttpResponse::Ok().json(expense_view(e)?))
}
