//! The change feed and webhooks (DOMAIN.md §6): the changes the calendar makes (a term
//! expiring, a notice window ending), recorded once each, and webhook subscriptions with their
//! delivery state (a cursor in the audit sequence, retry state and a lease), shared by every
//! replica.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One row per change the calendar made, keyed (kind, object, date): replicas running the
        // daily job at once cannot record the same change twice.
        manager
            .create_table(
                Table::create()
                    .table("calendar_changes")
                    .if_not_exists()
                    .col(string_len("kind", 40))
                    .col(string_len("object_id", 36))
                    .col(date("on_date"))
                    .col(big_integer("seq"))
                    .primary_key(Index::create().col("kind").col("object_id").col("on_date"))
                    .to_owned(),
            )
            .await?;
        // Lease and retry instants are epoch milliseconds: compared as numbers on both backends.
        manager
            .create_table(
                Table::create()
                    .table("webhook_subscriptions")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(text("url"))
                    .col(text("event_types"))
                    .col(string_len("view_as", 20))
                    .col(text("secret"))
                    .col(string_len("state", 20))
                    .col(big_integer("cursor"))
                    .col(integer("attempts").default(0))
                    .col(big_integer("next_attempt_ms").default(0))
                    .col(big_integer_null("failing_since_ms"))
                    .col(text_null("last_error"))
                    .col(big_integer_null("last_attempt_ms"))
                    .col(big_integer_null("last_delivered_ms"))
                    .col(big_integer("delivered").default(0))
                    .col(string_len_null("lease_owner", 64))
                    .col(big_integer("lease_until_ms").default(0))
                    .col(string_len("created_by", 200))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_subscriptions_due")
                    .table("webhook_subscriptions")
                    .if_not_exists()
                    .col("state")
                    .col("next_attempt_ms")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["webhook_subscriptions", "calendar_changes"] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
