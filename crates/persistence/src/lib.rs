//! Persistence for Guwen: SeaORM entities, the connection, transactions, conditional
//! updates, the tamper-evident audit trail and idempotency records. No business rules live
//! here: the domain crate decides, this crate stores.

pub mod audit;
pub mod checkpoint;
pub mod db;
pub mod entity;
pub mod guard;
pub mod idempotency;
pub mod store;
pub mod verification;

pub use db::{Backend, Db, DbSetupError, connect, migrate};
pub use sea_orm;
/// What a caller names to be generic over a pool or a transaction, and the error both give.
pub use sea_orm::{ConnectionTrait, DbErr};
