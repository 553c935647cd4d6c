//! Yearly budgets and the ledger every commitment goes through (Art. 14): at most 500,000 CNY a
//! year, optional sub-budgets for strictly controlled categories, and nothing committed without
//! a budget or beyond it.
//!
//! The cap holds across replicas because a commitment is one conditional `UPDATE` per counter
//! (`committed_fen + amount <= limit`) inside the caller's transaction: the database decides,
//! not a process's memory, and a refused commitment rolls back whatever the transaction did.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, put, web};
use chrono::{DateTime, FixedOffset};
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    funds::{self, ExpenseCategory, ExpenseState, SubsidyState},
    time::to_cst,
};
use guwen_persistence::{
    audit::{begin_write, truncate_to_micros},
    entity::{budget, expense, sub_budget, subsidy},
    sea_orm::{
        ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter,
        QuerySelect, sea_query::Expr,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::common::{Transition, optional_text, parse_stored, record};
use crate::{
    error::ApiError,
    extract::ApiJson,
    pagination::{Direction, Page, PageParams, page_of},
    state::AppState,
    write::audit_context,
};

/// The fiscal years a budget may be set for.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Refuses a year outside [`YEARS`] (422 on the path parameter).
pub fn check_year(field: &str, year: i32) -> Result<(), ApiError> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            field,
            format!("must be a year from {} to {}", YEARS.start(), YEARS.end()),
        ))
    }
}

/// Commits `amount_fen` of `category` against the budget of `year`, inside `tx`.
///
/// Art. 14 (不得无预算或超预算执行): refused with `budget_exceeded` (stating what remains)
/// when the year has no budget, when the total would be crossed, or when the category's
/// sub-budget would be. Each check is a conditional update, so two concurrent commitments,
/// on any replica, can never both slip under a limit.
pub async fn commit<C: ConnectionTrait>(
    tx: &C,
    year: i32,
    category: ExpenseCategory,
    amount_fen: i64,
) -> Result<(), ApiError> {
    let committed = budget::Entity::update_many()
        .col_expr(
            budget::Column::CommittedFen,
            Expr::col(budget::Column::CommittedFen).add(amount_fen),
        )
        .filter(budget::Column::Year.eq(year))
        .filter(
            Expr::col(budget::Column::CommittedFen)
                .add(amount_fen)
                .lte(Expr::col(budget::Column::TotalFen)),
        )
        .exec(tx)
        .await?;
    if committed.rows_affected != 1 {
        let remaining = budget::Entity::find_by_id(year)
            .one(tx)
            .await?
            .map(|b| b.total_fen - b.committed_fen);
        return Err(ApiError::from(funds::budget_exceeded(
            "budget", year, amount_fen, remaining,
        ))
        .with_remaining_fen(Ord::max(remaining.unwrap_or(0), 0)));
    }
    if !category.is_strictly_controlled() {
        return Ok(());
    }
    let within = sub_budget::Entity::update_many()
        .col_expr(
            sub_budget::Column::CommittedFen,
            Expr::col(sub_budget::Column::CommittedFen).add(amount_fen),
        )
        .filter(sub_budget::Column::Year.eq(year))
        .filter(sub_budget::Column::Category.eq(category.code()))
        .filter(
            Expr::col(sub_budget::Column::CommittedFen)
                .add(amount_fen)
                .lte(Expr::col(sub_budget::Column::LimitFen)),
        )
        .exec(tx)
        .await?;
    if within.rows_affected == 1 {
        return Ok(());
    }
    match sub_budget::Entity::find_by_id((year, category.code().to_owned()))
        .one(tx)
        .await?
    {
        // No sub-budget for the category: only the total limits it.
        None => Ok(()),
        Some(s) => {
            let remaining = s.limit_fen - s.committed_fen;
            Err(ApiError::from(funds::budget_exceeded(
                &format!("`{category}` sub-budget"),
                year,
                amount_fen,
                Some(remaining),
            ))
            .with_remaining_fen(Ord::max(remaining, 0)))
        }
    }
}

/// Records the payment of a committed amount against the budget of `year`.
pub async fn pay<C: ConnectionTrait>(tx: &C, year: i32, amount_fen: i64) -> Result<(), ApiError> {
    let res = budget::Entity::update_many()
        .col_expr(
            budget::Column::PaidFen,
            Expr::col(budget::Column::PaidFen).add(amount_fen),
        )
        .filter(budget::Column::Year.eq(year))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::internal(format!(
            "a committed amount has no budget row for {year}"
        )));
    }
    Ok(())
}

/// The figures of one category in a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BudgetLineView {
    pub category: ExpenseCategory,
    /// Strictly controlled (严控): the Finance Bureau reviews it and it may have a sub-budget.
    pub strictly_controlled: bool,
    /// The category's own sub-budget, if one is set.
    pub sub_budget_fen: Option<i64>,
    /// Approved amounts, paid or not.
    pub committed_fen: i64,
    pub paid_fen: i64,
    /// What the category can still commit: what remains of the total, or of its sub-budget
    /// when that is less.
    pub remaining_fen: i64,
}

/// A fiscal year's advisor budget (Art. 14), in fen. `committed` includes what is paid;
/// `remaining = total - committed`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BudgetView {
    #[schema(example = 2026)]
    pub year: i32,
    #[schema(example = 50000000)]
    pub total_fen: i64,
    pub committed_fen: i64,
    pub paid_fen: i64,
    pub remaining_fen: i64,
    /// Every category, with its sub-budget where one is set.
    pub categories: Vec<BudgetLineView>,
    pub note: Option<String>,
    pub set_by: String,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

/// Committed and paid sums per category of a year, from the expenses and subsidies.
async fn sums_by_category<C: ConnectionTrait>(
    db: &C,
    year: i32,
) -> Result<BTreeMap<String, (i64, i64)>, ApiError> {
    let total = || Expr::cust("CAST(SUM(amount_fen) AS BIGINT)");
    let expenses: Vec<(String, String, i64)> = expense::Entity::find()
        .select_only()
        .column(expense::Column::Category)
        .column(expense::Column::State)
        .column_as(total(), "total")
        .filter(expense::Column::FiscalYear.eq(year))
        .filter(
            expense::Column::State
                .is_in([ExpenseState::Approved.code(), ExpenseState::Paid.code()]),
        )
        .group_by(expense::Column::Category)
        .group_by(expense::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    let subsidies: Vec<(String, i64)> = subsidy::Entity::find()
        .select_only()
        .column(subsidy::Column::State)
        .column_as(total(), "total")
        .filter(subsidy::Column::FiscalYear.eq(year))
        .filter(
            subsidy::Column::State
                .is_in([SubsidyState::Approved.code(), SubsidyState::Paid.code()]),
        )
        .group_by(subsidy::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    let mut sums: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let subsidy_rows = subsidies
        .into_iter()
        .map(|(state, sum)| (ExpenseCategory::WorkSubsidy.code().to_owned(), state, sum));
    for (category, state, sum) in expenses.into_iter().chain(subsidy_rows) {
        let entry = sums.entry(category).or_default();
        entry.0 += sum;
        if state == ExpenseState::Paid.code() {
            entry.1 += sum;
        }
    }
    Ok(sums)
}

/// The budget of a year as shown to callers.
pub async fn view<C: ConnectionTrait>(db: &C, b: budget::Model) -> Result<BudgetView, ApiError> {
    let subs: BTreeMap<String, sub_budget::Model> = sub_budget::Entity::find()
        .filter(sub_budget::Column::Year.eq(b.year))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.category.clone(), s))
        .collect();
    let sums = sums_by_category(db, b.year).await?;
    let overall_remaining = b.total_fen - b.committed_fen;
    let categories = ExpenseCategory::all()
        .iter()
        .map(|c| {
            let (committed_fen, paid_fen) = sums.get(c.code()).copied().unwrap_or_default();
            let sub = subs.get(c.code());
            BudgetLineView {
                category: *c,
                strictly_controlled: c.is_strictly_controlled(),
                sub_budget_fen: sub.map(|s| s.limit_fen),
                committed_fen,
                paid_fen,
                remaining_fen: sub.map_or(overall_remaining, |s| {
                    Ord::min(s.limit_fen - s.committed_fen, overall_remaining)
                }),
            }
        })
        .collect();
    Ok(BudgetView {
        year: b.year,
        total_fen: b.total_fen,
        committed_fen: b.committed_fen,
        paid_fen: b.paid_fen,
        remaining_fen: overall_remaining,
        categories,
        note: b.note,
        set_by: b.set_by,
        created_at: to_cst(b.created_at),
        updated_at: to_cst(b.updated_at),
    })
}

/// The sub-budget of a strictly controlled category.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct SubBudgetInput {
    pub category: ExpenseCategory,
    #[validate(range(min = 1, max = 50_000_000))]
    #[schema(example = 2000000, minimum = 1, maximum = 50000000)]
    pub amount_fen: i64,
}

/// A year's budget: the total and, optionally, the sub-budgets of strictly controlled
/// categories.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct SetBudgetRequest {
    /// At most 50,000,000 fen (500,000 CNY, Art. 14).
    #[validate(range(min = 1))]
    #[schema(example = 50000000, minimum = 1)]
    pub total_fen: i64,
    /// The complete set of sub-budgets: a category left out loses its sub-budget, `[]` removes
    /// them all. Omitted, the year's sub-budgets stay as they are.
    #[validate(nested, length(max = 20))]
    pub sub_budgets: Option<Vec<SubBudgetInput>>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Sets (creates or replaces) the advisor budget of a fiscal year (Art. 14): at most 500,000 CNY
/// (`annual_cap_exceeded`); sub-budgets only for strictly controlled categories
/// (`not_strictly_controlled`) and within the total (`sub_budgets_exceed_total`); never below
/// what is already committed (`budget_below_committed`). 201 when the year had no budget.
/// Omitting `sub_budgets` keeps the year's sub-budgets.
#[utoipa::path(
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
async fn set_budget(
    state: web::Data<AppState>,
    req: HttpRequest,
    year: web::Path<i32>,
    body: ApiJson<SetBudgetRequest>,
) -> Result<HttpResponse, ApiError> {
    let year = year.into_inner();
    check_year("year", year)?;
    let note = optional_text("note", body.note.as_deref(), 2000)?;
    let mut given: Option<BTreeMap<&'static str, (ExpenseCategory, i64)>> = None;
    if let Some(subs) = &body.sub_budgets {
        let wanted = given.get_or_insert_default();
        for (i, s) in subs.iter().enumerate() {
            if wanted
                .insert(s.category.code(), (s.category, s.amount_fen))
                .is_some()
            {
                return Err(ApiError::invalid_field(
                    &format!("sub_budgets[{i}].category"),
                    "appears twice",
                ));
            }
        }
    }
    funds::check_budget_total(body.total_fen)?;

    let ctx = audit_context(&req, &state);
    let now = truncate_to_micros(ctx.now);
    let tx = begin_write(&state.db).await?;
    let before = budget::Entity::find_by_id(year).one(&tx).await?;
    let existing: BTreeMap<String, sub_budget::Model> = sub_budget::Entity::find()
        .filter(sub_budget::Column::Year.eq(year))
        .all(&tx)
        .await?
        .into_iter()
        .map(|s| (s.category.clone(), s))
        .collect();
    let wanted = match given {
        Some(w) => w,
        None => existing
            .values()
            .map(|s| {
                let c = stored_category(&s.category)?;
                Ok((c.code(), (c, s.limit_fen)))
            })
            .collect::<Result<_, ApiError>>()?,
    };
    let pairs: Vec<(ExpenseCategory, i64)> = wanted.values().copied().collect();
    funds::check_sub_budgets(body.total_fen, &pairs)?;
    match &before {
        None => {
            budget::Entity::insert(budget::ActiveModel {
                year: Set(year),
                total_fen: Set(body.total_fen),
                committed_fen: Set(0),
                paid_fen: Set(0),
                note: Set(note.clone()),
                set_by: Set(ctx.actor.sub.clone()),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_without_returning(&tx)
            .await?;
        }
        Some(b) => {
            funds::check_not_below_committed("the total", body.total_fen, b.committed_fen)?;
            budget::Entity::update_many()
                .col_expr(budget::Column::TotalFen, Expr::value(body.total_fen))
                .col_expr(budget::Column::Note, Expr::value(note.clone()))
                .col_expr(budget::Column::SetBy, Expr::value(ctx.actor.sub.clone()))
                .col_expr(budget::Column::UpdatedAt, Expr::value(now))
                .filter(budget::Column::Year.eq(year))
                .exec(&tx)
                .await?;
        }
    }
    let sums = sums_by_category(&tx, year).await?;
    for (code, (category, limit)) in &wanted {
        match existing.get(*code) {
            Some(s) => {
                funds::check_not_below_committed(
                    &format!("the `{category}` sub-budget"),
                    *limit,
                    s.committed_fen,
                )?;
                sub_budget::Entity::update_many()
                    .col_expr(sub_budget::Column::LimitFen, Expr::value(*limit))
                    .filter(sub_budget::Column::Year.eq(year))
                    .filter(sub_budget::Column::Category.eq(*code))
                    .exec(&tx)
                    .await?;
            }
            None => {
                // A new sub-budget starts from what the category already has committed.
                let committed = sums.get(*code).map(|s| s.0).unwrap_or(0);
                funds::check_not_below_committed(
                    &format!("the `{category}` sub-budget"),
                    *limit,
                    committed,
                )?;
                sub_budget::Entity::insert(sub_budget::ActiveModel {
                    year: Set(year),
                    category: Set((*code).to_owned()),
                    limit_fen: Set(*limit),
                    committed_fen: Set(committed),
                })
                .exec_without_returning(&tx)
                .await?;
            }
        }
    }
    let removed: Vec<String> = existing
        .keys()
        .filter(|c| !wanted.contains_key(c.as_str()))
        .cloned()
        .collect();
    if !removed.is_empty() {
        sub_budget::Entity::delete_many()
            .filter(sub_budget::Column::Year.eq(year))
            .filter(sub_budget::Column::Category.is_in(removed))
            .exec(&tx)
            .await?;
    }
    let total_before = before.as_ref().map(|b| b.total_fen.to_string());
    let total_after = body.total_fen.to_string();
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::BudgetSet,
            object_type: "budget",
            object_id: &year.to_string(),
            before: total_before.as_deref(),
            after: Some(&total_after),
            reason: note.as_deref(),
            details: Some(serde_json::json!({
                "year": year,
                "total_fen_before": before.as_ref().map(|b| b.total_fen),
                "total_fen": body.total_fen,
                "sub_budgets_before": existing.iter().map(|(c, s)| (c.clone(), s.limit_fen)).collect::<BTreeMap<_, _>>(),
                "sub_budgets": wanted.iter().map(|(c, (_, a))| (c.to_string(), *a)).collect::<BTreeMap<_, _>>(),
            })),
        },
    )
    .await?;
    let b = budget::Entity::find_by_id(year)
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("the budget just written is gone"))?;
    let v = view(&tx, b).await?;
    tx.commit().await?;
    Ok(if before.is_none() {
        HttpResponse::Created()
            .insert_header((
                actix_web::http::header::LOCATION,
                format!("/api/v1/budgets/{year}"),
            ))
            .json(v)
    } else {
        HttpResponse::Ok().json(v)
    })
}

/// The budget of a fiscal year: total, committed, paid and remaining, overall and per category.
#[utoipa::path(
    tag = "funds",
    security(("bearer" = ["hrss", "finance", "government", "auditor"])),
    params(("year" = i32, Path, description = "Fiscal year", minimum = 2000, maximum = 2100)),
    responses((status = 200, description = "The budget", body = BudgetView))
)]
#[get("/budgets/{year}")]
async fn get_budget(
    state: web::Data<AppState>,
    year: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let b = budget::Entity::find_by_id(year.into_inner())
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("budget for that year"))?;
    Ok(HttpResponse::Ok().json(view(&state.db, b).await?))
}

/// Every year that has a budget, newest first.
#[utoipa::path(
    tag = "funds",
    security(("bearer" = ["hrss", "finance", "government", "auditor"])),
    params(PageParams),
    responses((status = 200, description = "A page of budgets", body = Page<BudgetView>))
)]
#[get("/budgets")]
async fn list_budgets(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (rows, next_cursor) = page_of(
        &state.db,
        budget::Entity::find(),
        budget::Column::Year,
        &page,
        "budgets",
        Direction::NewestFirst,
        |b| b.year,
    )
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for b in rows {
        items.push(view(&state.db, b).await?);
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// Parses a stored category.
pub fn stored_category(code: &str) -> Result<ExpenseCategory, ApiError> {
    parse_stored("expense category", code)
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_budgets)
        .service(get_budget)
        .service(set_budget);
}
