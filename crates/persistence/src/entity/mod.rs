//! SeaORM entities, one module per table.

pub mod advisor;
pub mod advisor_term;
pub mod audit_event;
pub mod audit_head;
pub mod candidate;
pub mod field;
pub mod idempotency_key;
pub mod notice;
pub mod objection;
pub mod recommendation_list;
