//! Yearly budgets (Art. 14): at most 500,000 CNY a year, optional sub-budgets for strictly
//! controlled categories, and never below what is already committed.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, put, web};
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    funds::{self, ExpenseCategory, SubBudgetLine},
};
use guwen_persistence::store::{
    Event,
    funds::{
        Budget, SubBudget,
        budgets::{self, BudgetSetting, CategorySums},
    },
};

use super::views::budget::{BudgetView, Limits, SetBudgetRequest, budget_view, check_year};
use crate::http::pagination::encode_cursor;
use crate::prelude::*;

/// Set a year's budget
///
/// Sets (creates or replaces) the advisor budget of a fiscal year (Art. 14): at most 500,000 CNY
/// (`annual_cap_exceeded`); sub-budgets only for strictly controlled categories
/// (`not_strictly_controlled`) and within the total (`sub_budgets_exceed_total`); never below
/// what is already committed (`budget_below_committed`). 201 when the year had no budget.
/// Omitting `sub_budgets` keeps the year's sub-budgets.
#[utoipa::path(
    operation_id = "setBudget",
    tag = "funds",
    security(("bearer" = ["hrss", "finance"])),
    params(("year" = i32, Path, description = "Fiscal year", minimum = 2000, maximum = 2100)),
    request_body = SetBudgetRequest,
    responses(
        (status = 200, description = "The budget, replaced", body = BudgetView),
        (status = 201, description = "The budget, created", body = BudgetView, headers(("Location" = String, description = "The budget's URL")))
    )
)]
#[put("/budgets/{year}")]
pub(super) async fn set_budget(
    call: Signed,
    year: web::Path<i32>,
    body: ApiJson<SetBudgetRequest>,
) -> Result<HttpResponse, ApiError> {
    let year = year.into_inner();
    check_year("year", year)?;
    let asked = body.parse()?;
    funds::check_budget_total(body.total_fen)?;
    let ctx = call.audit();
    write_as(&call, &body.0, async |tx| {
        let before = budgets::find(tx, year).await?;
        let existing = budgets::sub_budgets(tx, year).await?;
        let sums = budgets::sums_by_category(tx, year).await?;
        let wanted = asked.sub_budgets.unwrap_or_else(|| kept_limits(&existing));
        let lines = sub_budget_lines(&wanted, &existing, &sums);
        let committed = before.as_ref().map(|b| b.committed_fen);
        funds::check_budget_setting(body.total_fen, committed, &lines)?;
        let event = budget_set_event(
            year,
            before.as_ref(),
            body.total_fen,
            asked.note.as_deref(),
            &existing,
            &wanted,
        );
        let setting = BudgetSetting {
            year,
            total_fen: body.total_fen,
            note: asked.note.clone(),
            sub_budgets: lines,
        };
        budgets::set(tx, &ctx, &setting, event).await?;
        let b = budgets::find(tx, year)
            .await?
            .ok_or_else(|| ApiError::internal("the budget just written is gone"))?;
        let view = budget_view(budgets::figures(tx, b).await?);
        Ok(match before {
            None => Created::at(format!("/api/v1/budgets/{year}"), view),
            Some(_) => Created::ok(view),
        })
    })
    .await
}

/// The audit event of a budget setting: the total before and after, the note, and the
/// sub-budgets before and after (by category code).
fn budget_set_event(
    year: i32,
    before: Option<&Budget>,
    total_fen: i64,
    note: Option<&str>,
    existing: &BTreeMap<ExpenseCategory, SubBudget>,
    wanted: &Limits,
) -> Event {
    let sub_budgets_before: BTreeMap<&str, i64> = existing
        .iter()
        .map(|(c, s)| (c.code(), s.limit_fen))
        .collect();
    let sub_budgets: BTreeMap<&str, i64> = wanted.iter().map(|(c, (_, a))| (*c, *a)).collect();
    Event {
        before: before.map(|b| b.total_fen.to_string()),
        after: Some(total_fen.to_string()),
        ..Event::new(AuditAction::BudgetSet, "budget", year.to_string())
    }
    .reason(note)
    .details(serde_json::json!({
        "year": year,
        "total_fen_before": before.map(|b| b.total_fen),
        "total_fen": total_fen,
        "sub_budgets_before": sub_budgets_before,
        "sub_budgets": sub_budgets,
    }))
}

/// The year's sub-budgets as they stand, when the request leaves them unchanged.
fn kept_limits(existing: &BTreeMap<ExpenseCategory, SubBudget>) -> Limits {
    existing
        .values()
        .map(|s| (s.category.code(), (s.category, s.limit_fen)))
        .collect()
}

/// The sub-budgets to set, each with what is committed against it: its own counter when it
/// exists, else what the category already has committed.
fn sub_budget_lines(
    wanted: &Limits,
    existing: &BTreeMap<ExpenseCategory, SubBudget>,
    sums: &BTreeMap<ExpenseCategory, CategorySums>,
) -> Vec<SubBudgetLine> {
    wanted
        .values()
        .map(|(category, limit_fen)| SubBudgetLine {
            category: *category,
            limit_fen: *limit_fen,
            committed_fen: match existing.get(category) {
                Some(s) => s.committed_fen,
                None => sums.get(category).map_or(0, |s| s.committed_fen),
            },
        })
        .collect()
}

/// Get a year's budget
///
/// The budget of a fiscal year: total, committed, paid and remaining, overall and per category.
#[utoipa::path(
    operation_id = "getBudget",
    tag = "funds",
    security(("bearer" = ["hrss", "finance", "government", "auditor"])),
    params(("year" = i32, Path, description = "Fiscal year", minimum = 2000, maximum = 2100)),
    responses((status = 200, description = "The budget", body = BudgetView))
)]
#[get("/budgets/{year}")]
pub(super) async fn get_budget(
    state: web::Data<AppState>,
    year: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let b = budgets::find(&state.db, year.into_inner())
        .await?
        .ok_or_else(|| ApiError::not_found("budget for that year"))?;
    let view = budget_view(budgets::figures(&state.db, b).await?);
    Ok(HttpResponse::Ok().json(view))
}

/// List budgets
///
/// Every year that has a budget, newest first.
#[utoipa::path(
    operation_id = "listBudgets",
    tag = "funds",
    security(("bearer" = ["hrss", "finance", "government", "auditor"])),
    params(PageParams),
    responses((status = 200, description = "A page of budgets", body = Page<BudgetView>))
)]
#[get("/budgets")]
pub(super) async fn list_budgets(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "budgets";
    let page = budgets::page(&state.db, page.request(KIND, Direction::NewestFirst)?).await?;
    let mut items = Vec::with_capacity(page.rows.len());
    for b in page.rows {
        items.push(budget_view(budgets::figures(&state.db, b).await?));
    }
    let next_cursor = page.next.map(|year| encode_cursor(KIND, &year));
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}
