//! Advisors in office (Art. 3, 12, 13, 16): dismissal proposals, resignations, renewal
//! proposals, annual assessments and the service units' opinions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("dismissal_proposals")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("advisor_id", 36))
                    .col(string_len("ground", 40))
                    .col(text("evidence"))
                    .col(text_null("inactivity_evidence"))
                    .col(string_len("state", 20))
                    .col(string_len("proposed_by", 200))
                    .col(timestamp_with_time_zone("proposed_at"))
                    .col(string_len_null("decided_by", 200))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(text_null("decision_reason"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("resignations")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("advisor_id", 36))
                    .col(text("letter"))
                    .col(string_len("state", 20))
                    .col(timestamp_with_time_zone("requested_at"))
                    .col(string_len_null("proposed_by", 200))
                    .col(timestamp_with_time_zone_null("proposed_at"))
                    .col(text_null("proposal_note"))
                    .col(string_len_null("decided_by", 200))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(text_null("decision_reason"))
                    .col(boolean_null("certificate_recovered"))
                    .col(text_null("certificate_note"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("renewal_proposals")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("advisor_id", 36))
                    .col(integer("years"))
                    .col(string_len("agreement_ref", 200))
                    .col(string_len("certificate_no", 40))
                    .col(string_len("state", 20))
                    .col(string_len("proposed_by", 200))
                    .col(timestamp_with_time_zone("proposed_at"))
                    .col(string_len_null("decided_by", 200))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(text_null("decision_reason"))
                    .to_owned(),
            )
            .await?;
        for (name, table) in [
            ("ix_dismissals_advisor", "dismissal_proposals"),
            ("ix_resignations_advisor", "resignations"),
            ("ix_renewals_advisor", "renewal_proposals"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(table)
                        .col("advisor_id")
                        .if_not_exists()
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("assessments")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("advisor_id", 36))
                    .col(integer("year"))
                    .col(text("facts"))
                    .col(string_len("state", 20))
                    .col(string_len_null("preliminary_grade", 30))
                    .col(text_null("preliminary_comment"))
                    .col(string_len_null("final_grade", 30))
                    .col(text_null("final_comment"))
                    .col(string_len_null("decided_by", 200))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(string_len("created_by", 200))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_assessments_advisor_year")
                    .table("assessments")
                    .col("advisor_id")
                    .col("year")
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("assessment_opinions")
                    .if_not_exists()
                    .col(string_len("assessment_id", 36))
                    .col(string_len("org_id", 100))
                    .col(text("opinion"))
                    .col(string_len_null("suggested_grade", 30))
                    .col(string_len("submitted_by", 200))
                    .col(timestamp_with_time_zone("submitted_at"))
                    .primary_key(Index::create().col("assessment_id").col("org_id"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "assessment_opinions",
            "assessments",
            "renewal_proposals",
            "resignations",
            "dismissal_proposals",
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
