//! SeaORM entities, one module per table.

pub mod audit_event;
pub mod audit_head;
pub mod idempotency_key;
