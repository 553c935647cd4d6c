//! Schema migrations for Guwen. They run unchanged on SQLite (the embedded default) and on
//! PostgreSQL (production): timestamps are `timestamptz` on PostgreSQL and RFC 3339 text on
//! SQLite, public ids are UUIDv7 text, money is `BIGINT` fen.

pub use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_appointment;
mod m0003_work;
mod m0004_office;
mod m0005_funds;
mod m0006_office_continuity;
mod m0007_feed;
mod m0008_token_revocations;
mod m0009_audit_append_only;
mod m0010_audit_signatures;
mod m0011_audit_checkpoints;
mod m0012_documents;
mod m0013_participation;
pub use m0001_foundation::GENESIS_HASH;

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_appointment::Migration),
            Box::new(m0003_work::Migration),
            Box::new(m0004_office::Migration),
            Box::new(m0005_funds::Migration),
            Box::new(m0006_office_continuity::Migration),
            Box::new(m0007_feed::Migration),
            Box::new(m0008_token_revocations::Migration),
            Box::new(m0009_audit_append_only::Migration),
            Box::new(m0010_audit_signatures::Migration),
            Box::new(m0011_audit_checkpoints::Migration),
            Box::new(m0012_documents::Migration),
            Box::new(m0013_participation::Migration),
        ]
    }
}
