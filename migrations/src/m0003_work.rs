//! Advisors at work (Art. 6–11): tasks, assignments, recusal requests, opinions, meetings with
//! invitations, participating departments and minutes, and temporary experts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("tasks")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("kind", 40))
                    .col(string_len("title", 200))
                    .col(text("description"))
                    .col(string_len("field_code", 60))
                    .col(string_len("requester_role", 20))
                    .col(string_len_null("requester_org_id", 100))
                    .col(string_len("requester_sub", 200))
                    .col(date("deadline"))
                    .col(string_len("confidentiality", 30))
                    .col(boolean("major_issue").default(false))
                    .col(text_null("requested_expertise"))
                    .col(string_len("state", 20))
                    .col(integer("version"))
                    .col(text_null("closing_note"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_tasks_state", "state"),
            ("ix_tasks_requester_org", "requester_org_id"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("tasks")
                        .col(col)
                        .if_not_exists()
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("assignments")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("task_id", 36))
                    .col(string_len("advisor_id", 36))
                    .col(string_len("state", 20))
                    .col(integer("version"))
                    .col(string_len("assigned_by", 200))
                    .col(timestamp_with_time_zone("assigned_at"))
                    .col(text_null("inability_reason"))
                    .col(timestamp_with_time_zone_null("released_at"))
                    .col(string_len_null("opinion_id", 36))
                    .col(timestamp_with_time_zone_null("delivered_at"))
                    .col(string_len_null("timeliness", 20))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_assignments_task_advisor")
                    .table("assignments")
                    .col("task_id")
                    .col("advisor_id")
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_assignments_advisor")
                    .table("assignments")
                    .col("advisor_id")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("recusal_requests")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("assignment_id", 36))
                    .col(string_len("task_id", 36))
                    .col(string_len("advisor_id", 36))
                    .col(text("conflict"))
                    .col(string_len("state", 20))
                    .col(timestamp_with_time_zone("requested_at"))
                    .col(string_len_null("decided_by", 200))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(text_null("decision_reason"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_recusals_advisor")
                    .table("recusal_requests")
                    .col("advisor_id")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("opinions")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("advisor_id", 36))
                    .col(string_len_null("task_id", 36))
                    .col(string_len_null("assignment_id", 36))
                    .col(string_len("channel", 30))
                    .col(boolean("major_issue").default(false))
                    .col(string_len("subject", 200))
                    .col(text("content"))
                    .col(string_len("confidentiality", 30))
                    .col(string_len_null("timeliness", 20))
                    .col(timestamp_with_time_zone("submitted_at"))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_opinions_advisor", "advisor_id"),
            ("ix_opinions_task", "task_id"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("opinions")
                        .col(col)
                        .if_not_exists()
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("meetings")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("organizer", 20))
                    .col(string_len_null("organizer_org_id", 100))
                    .col(string_len("created_by", 200))
                    .col(string_len("title", 200))
                    .col(text("agenda"))
                    .col(timestamp_with_time_zone("held_at"))
                    .col(string_len_null("location", 200))
                    .col(string_len("confidentiality", 30))
                    .col(string_len_null("task_id", 36))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("meeting_invitations")
                    .if_not_exists()
                    .col(string_len("meeting_id", 36))
                    .col(string_len("advisor_id", 36))
                    .col(string_len_null("attendance", 20))
                    .col(text_null("excuse_reason"))
                    .col(timestamp_with_time_zone_null("recorded_at"))
                    .primary_key(Index::create().col("meeting_id").col("advisor_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invitations_advisor")
                    .table("meeting_invitations")
                    .col("advisor_id")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("meeting_departments")
                    .if_not_exists()
                    .col(string_len("meeting_id", 36))
                    .col(string_len("org_id", 100))
                    .primary_key(Index::create().col("meeting_id").col("org_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("minutes")
                    .if_not_exists()
                    .col(string_len("meeting_id", 36).primary_key())
                    .col(text("summary"))
                    .col(text("advisor_opinions"))
                    .col(text("department_opinions"))
                    .col(integer("version"))
                    .col(string_len("updated_by", 200))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("finalized_at"))
                    .col(string_len_null("finalized_by", 200))
                    .col(timestamp_with_time_zone_null("forwarded_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("temporary_experts")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("name", 100))
                    .col(string_len("employer", 200))
                    .col(string_len("title", 200))
                    .col(string_len_null("field_code", 60))
                    .col(text("scope"))
                    .col(date("starts_on"))
                    .col(date("ends_on"))
                    .col(string_len("engaged_by", 200))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "temporary_experts",
            "minutes",
            "meeting_departments",
            "meeting_invitations",
            "meetings",
            "opinions",
            "recusal_requests",
            "assignments",
            "tasks",
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
