//! The foundation: the tamper-evident audit trail and idempotency records.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The hash that the first audit event points back to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("audit_events")
                    .if_not_exists()
                    .col(big_integer("seq").primary_key())
                    .col(string_len("id", 36).unique_key())
                    .col(timestamp_with_time_zone("occurred_at"))
                    .col(string_len("actor_sub", 200))
                    .col(string_len("actor_roles", 200))
                    .col(string_len_null("actor_org", 100))
                    .col(string_len("action", 80))
                    .col(string_len("object_type", 60))
                    .col(string_len("object_id", 80))
                    .col(string_len_null("state_before", 60))
                    .col(string_len_null("state_after", 60))
                    .col(text_null("reason"))
                    .col(text_null("details"))
                    .col(string_len_null("request_id", 80))
                    .col(string_len("prev_hash", 64).unique_key())
                    .col(string_len("hash", 64).unique_key())
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("ix_audit_events_object", &["object_type", "object_id"][..]),
            ("ix_audit_events_action", &["action"][..]),
            ("ix_audit_events_occurred_at", &["occurred_at"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("audit_events").if_not_exists();
            for col in cols {
                index.col(*col);
            }
            manager.create_index(index.to_owned()).await?;
        }

        // One row that every audit writer updates first: on PostgreSQL the row lock orders
        // concurrent writers, so the chain cannot fork; `prev_hash` being unique backs it up.
        manager
            .create_table(
                Table::create()
                    .table("audit_head")
                    .if_not_exists()
                    .col(integer("id").primary_key())
                    .col(big_integer("seq"))
                    .col(string_len("last_hash", 64))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table("audit_head")
                    .columns(["id", "seq", "last_hash"])
                    .values_panic([1.into(), 0i64.into(), GENESIS_HASH.into()])
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("idempotency_keys")
                    .if_not_exists()
                    .col(string_len("caller", 200))
                    .col(string_len("idem_key", 200))
                    .col(string_len("method", 10))
                    .col(string_len("path", 400))
                    .col(string_len("request_hash", 64))
                    .col(integer("status_code"))
                    .col(text("response_body"))
                    .col(string_len_null("location", 400))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("caller").col("idem_key"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["idempotency_keys", "audit_head", "audit_events"] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
