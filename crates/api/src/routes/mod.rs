//! One module per resource; each exposes `configure` for the router and the spec alike.

pub mod audit;
pub mod meta;
pub mod platform;
