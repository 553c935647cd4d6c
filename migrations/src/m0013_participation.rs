//! The remaining rules and how advisors take part: an age exception requested after the
//! executive meeting (Art. 5.5), the answers to invitations and excuse requests (Art. 8), a
//! task's counterpart and the advisors' declarations of interest (Art. 7(2)–(3)), and the
//! consultation rounds on the advisor work (Art. 15).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Adds one column (SQLite alters one column per statement).
async fn add(manager: &SchemaManager<'_>, table: &str, col: ColumnDef) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(table.to_owned())
                .add_column_if_not_exists(col)
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(
            manager,
            "candidates",
            string_len_null("age_exception_status", 20),
        )
        .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE candidates SET age_exception_status = 'approved' WHERE age_exception_approved",
            )
            .await?;

        for col in [
            string_len_null("response", 20),
            text_null("response_reason"),
            timestamp_with_time_zone_null("responded_at"),
            string_len_null("excuse_status", 20),
            text_null("excuse_note"),
            string_len_null("excuse_decided_by", 200),
            timestamp_with_time_zone_null("excuse_decided_at"),
        ] {
            add(manager, "meeting_invitations", col).await?;
        }

        add(manager, "tasks", string_len_null("counterpart", 200)).await?;

        manager
            .create_table(
                Table::create()
                    .table("advisor_interests")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("advisor_id", 36))
                    .col(string_len("kind", 20))
                    .col(string_len("organisation", 200))
                    .col(date("starts_on"))
                    .col(date_null("ends_on"))
                    .col(text_null("note"))
                    .col(string_len("declared_by", 200))
                    .col(timestamp_with_time_zone("declared_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_advisor_interests_advisor")
                    .table("advisor_interests")
                    .col("advisor_id")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("consultations")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("title", 200))
                    .col(string_len("period", 60))
                    .col(text("question"))
                    .col(date("opened_on"))
                    .col(date("closes_on"))
                    .col(string_len("opened_by", 200))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(text_null("follow_up"))
                    .col(string_len_null("followed_up_by", 200))
                    .col(timestamp_with_time_zone_null("followed_up_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("consultation_answers")
                    .if_not_exists()
                    .col(string_len("consultation_id", 36))
                    .col(string_len("advisor_id", 36))
                    .col(text("content"))
                    .col(timestamp_with_time_zone("answered_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .primary_key(Index::create().col("consultation_id").col("advisor_id"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["consultation_answers", "consultations", "advisor_interests"] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        for (table, col) in [
            ("tasks", "counterpart"),
            ("meeting_invitations", "excuse_decided_at"),
            ("meeting_invitations", "excuse_decided_by"),
            ("meeting_invitations", "excuse_note"),
            ("meeting_invitations", "excuse_status"),
            ("meeting_invitations", "responded_at"),
            ("meeting_invitations", "response_reason"),
            ("meeting_invitations", "response"),
            ("candidates", "age_exception_status"),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(col).to_owned())
                .await?;
        }
        Ok(())
    }
}
