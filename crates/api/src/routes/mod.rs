//! One module per resource; each exposes `configure` for the router and the spec alike.

pub mod advisors;
pub mod candidates;
pub mod common;
