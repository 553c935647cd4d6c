//! Funds (Art. 14): yearly budgets under the 500,000 CNY cap, expense claims with the Finance
//! Bureau's review of strictly controlled categories, and work subsidies after the annual
//! assessment. Every approval commits its amount against the budget in the store, where the
//! cap is one conditional update per counter, so it holds across replicas.

mod budgets;
mod expenses;
mod policy;
mod subsidies;
mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the chapter's handlers (budgets, expenses, subsidies), in the order of the spec.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(budgets::list_budgets)
        .service(budgets::get_budget)
        .service(budgets::set_budget);
    cfg.service(expenses::create_expense)
        .service(expenses::list)
        .service(expenses::get_one)
        .service(expenses::finance_review)
        .service(expenses::approval)
        .service(expenses::payment);
    cfg.service(subsidies::create_subsidy)
        .service(subsidies::list)
        .service(subsidies::get_one)
        .service(subsidies::decide)
        .service(subsidies::payment);
}
