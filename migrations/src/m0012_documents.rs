//! Attachments and documents of record (Art. 4.6, 7(5), 11, 13): the files that opinions,
//! progress reports, resignation letters, minutes, the documents drafted from minutes, and the
//! appointment certificates and agreements carry (their bytes live in the object store, their
//! SHA-256 in the audit trail); progress reports on assignments; the documents drafted from
//! finalised minutes and their submission to the government; certificates and agreements
//! issued per term and revoked when the advisor leaves office.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("attachments")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("owner_type", 40))
                    .col(string_len("owner_id", 36))
                    .col(string_len("file_name", 255))
                    .col(string_len("content_type", 200))
                    .col(big_integer("size_bytes"))
                    .col(string_len("sha256", 64))
                    .col(string_len("object_key", 300))
                    .col(string_len("uploaded_by", 200))
                    .col(timestamp_with_time_zone("uploaded_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_attachments_owner")
                    .table("attachments")
                    .col("owner_type")
                    .col("owner_id")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("progress_reports")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("assignment_id", 36))
                    .col(string_len("task_id", 36))
                    .col(string_len("advisor_id", 36))
                    .col(text("text"))
                    .col(timestamp_with_time_zone("reported_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_progress_reports_assignment")
                    .table("progress_reports")
                    .col("assignment_id")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("meeting_documents")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("meeting_id", 36))
                    .col(string_len("title", 200))
                    .col(string_len("reference", 200))
                    .col(date("submitted_on"))
                    .col(string_len("recorded_by", 200))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_meeting_documents_meeting")
                    .table("meeting_documents")
                    .col("meeting_id")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("advisor_documents")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("advisor_id", 36))
                    .col(string_len("term_id", 36))
                    .col(integer("term_number"))
                    .col(string_len("kind", 20))
                    .col(string_len("reference", 200))
                    .col(string_len("state", 20))
                    .col(string_len("issued_by", 200))
                    .col(timestamp_with_time_zone("issued_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(text_null("revoked_reason"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_advisor_documents_term_kind")
                    .table("advisor_documents")
                    .col("term_id")
                    .col("kind")
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "advisor_documents",
            "meeting_documents",
            "progress_reports",
            "attachments",
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
