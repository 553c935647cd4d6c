//! What the audit trail's checkpoints and verifications share between replicas: the last
//! published checkpoint (so one replica publishes each), the last verified point of the chain
//! (signed by the audit key, so verification resumes from it), and the full re-verification
//! jobs with their progress. The checkpoints themselves are published outside the database.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("audit_checkpoint_state")
                    .if_not_exists()
                    .col(integer("id").primary_key())
                    .col(big_integer("last_seq"))
                    .col(string_len("last_hash", 64))
                    .col(timestamp_with_time_zone_null("published_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_verified_state")
                    .if_not_exists()
                    .col(integer("id").primary_key())
                    .col(big_integer("seq"))
                    .col(string_len("hash", 64))
                    .col(string_len_null("signature", 128))
                    .col(timestamp_with_time_zone_null("verified_at"))
                    .to_owned(),
            )
            .await?;
        for table in ["audit_checkpoint_state", "audit_verified_state"] {
            let columns: [&str; 3] = if table == "audit_checkpoint_state" {
                ["id", "last_seq", "last_hash"]
            } else {
                ["id", "seq", "hash"]
            };
            manager
                .exec_stmt(
                    Query::insert()
                        .into_table(table)
                        .columns(columns)
                        .values_panic([
                            1.into(),
                            0i64.into(),
                            crate::GENESIS_HASH.to_owned().into(),
                        ])
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("audit_verification_jobs")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("state", 20))
                    .col(string_len("started_by", 200))
                    .col(timestamp_with_time_zone("started_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .col(big_integer("total"))
                    .col(big_integer("verified"))
                    .col(big_integer("last_seq"))
                    .col(string_len("last_hash", 64))
                    .col(big_integer_null("broken_seq"))
                    .col(string_len_null("broken_event_id", 36))
                    .col(string_len_null("problem", 40))
                    .col(integer("resumed"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "audit_verification_jobs",
            "audit_verified_state",
            "audit_checkpoint_state",
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
