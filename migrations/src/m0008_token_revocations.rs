//! Token revocations: one row per revoked `jti` or subject, and a single-row version that every
//! change bumps in its transaction, so each replica polls one row to learn that its copy of the
//! list is stale.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("token_revocations")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("kind", 20))
                    .col(string_len("value", 200))
                    .col(text("reason"))
                    .col(string_len("revoked_by", 200))
                    .col(timestamp_with_time_zone("revoked_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_token_revocations_kind_value")
                    .table("token_revocations")
                    .col("kind")
                    .col("value")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("token_revocation_version")
                    .if_not_exists()
                    .col(integer("id").primary_key())
                    .col(big_integer("version"))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table("token_revocation_version")
                    .columns(["id", "version"])
                    .values_panic([1.into(), 0i64.into()])
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["token_revocation_version", "token_revocations"] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
