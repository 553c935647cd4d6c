//! Continuity of office (Art. 3, 12, 13).
//!
//! An advisor renewed before the current term ends stays in office without a gap:
//! `advisors.office_ends_on` is the last day of the last approved term (the end of the
//! continuous run of terms); `term_*` stay the term in force, so a renewal ahead of expiry no
//! longer overwrites the current term with the next one.
//!
//! An advisor who leaves office (dismissed, resigned) no longer attends meetings not yet held:
//! `meeting_invitations.withdrawn_at` records when such an invitation was withdrawn.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("advisors")
                    .add_column(
                        ColumnDef::new("office_ends_on")
                            .date()
                            .not_null()
                            .default("1970-01-01"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("UPDATE advisors SET office_ends_on = term_ends_on")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("meeting_invitations")
                    .add_column(
                        ColumnDef::new("withdrawn_at")
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("advisors_office_ends_on")
                    .table("advisors")
                    .col("office_ends_on")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("meeting_invitations")
                    .drop_column("withdrawn_at")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("advisors_office_ends_on")
                    .table("advisors")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("advisors")
                    .drop_column("office_ends_on")
                    .to_owned(),
            )
            .await
    }
}
