//! The funds chapter's request bodies, filters and responses: budgets, expense claims and
//! work subsidies.

pub mod budget;
pub mod expense;
pub mod subsidy;
