//! Platform endpoints: liveness, readiness and metrics outside `/api/v1`, and the enum
//! catalogue under it.

pub mod health;
pub mod meta;
