//! One module per resource; each exposes `configure` for the router and the spec alike.

pub mod advisors;
pub mod audit;
pub mod candidates;
pub mod common;
pub mod fields;
pub mod lists;
pub mod meta;
pub mod notices;
pub mod platform;
pub mod public;
