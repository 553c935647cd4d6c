//! The appointment pipeline (Art. 3, 4, 5): fields and their lead departments, candidates,
//! recommendation lists, public notices, objections, advisors and their terms, and the
//! shared rate-limit counters and named locks that keep rules true across replicas.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Default fields of expertise and the line department that leads each (configurable by
/// HRSS through `PUT /api/v1/fields/{code}`).
const FIELDS: &[(&str, &str, &str, &str)] = &[
    (
        "port_trade",
        "Port and cross-border trade",
        "口岸与跨境贸易",
        "commerce",
    ),
    (
        "logistics",
        "Logistics and transport",
        "物流与交通运输",
        "transport",
    ),
    (
        "economy",
        "Economic development and reform",
        "经济发展与改革",
        "development_reform",
    ),
    (
        "industry",
        "Industry and energy",
        "工业与能源",
        "industry_it",
    ),
    (
        "finance",
        "Public finance and banking",
        "财政与金融",
        "finance",
    ),
    ("law", "Law and policy", "法律与政策", "justice"),
    (
        "agriculture",
        "Agriculture and animal husbandry",
        "农牧业",
        "agriculture",
    ),
    ("ecology", "Ecology and environment", "生态环境", "ecology"),
    (
        "urban_planning",
        "Urban planning and construction",
        "城乡规划建设",
        "housing_construction",
    ),
    (
        "culture_tourism",
        "Culture and tourism",
        "文化旅游",
        "culture_tourism",
    ),
    (
        "education_technology",
        "Education, science and technology",
        "教育与科技",
        "education_technology",
    ),
    ("health", "Health", "卫生健康", "health"),
    (
        "social_governance",
        "Social governance and stability",
        "社会治理与稳定",
        "political_legal",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("fields")
                    .if_not_exists()
                    .col(string_len("code", 60).primary_key())
                    .col(string_len("name_en", 200))
                    .col(string_len("name_zh", 200))
                    .col(string_len("lead_org_id", 100))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        let now = "2026-01-01T00:00:00Z";
        let mut insert = Query::insert();
        insert.into_table("fields").columns([
            "code",
            "name_en",
            "name_zh",
            "lead_org_id",
            "updated_at",
        ]);
        for (code, en, zh, lead) in FIELDS {
            insert.values_panic([
                (*code).into(),
                (*en).into(),
                (*zh).into(),
                (*lead).into(),
                Expr::val(now).cast_as(timestamp_type(manager)),
            ]);
        }
        manager.exec_stmt(insert.to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table("recommendation_lists")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("state", 30))
                    .col(string_len("title", 200))
                    .col(string_len("created_by", 200))
                    .col(timestamp_with_time_zone("submitted_at"))
                    .col(string_len_null("meeting_ref", 200))
                    .col(date_null("meeting_date"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(string_len_null("decided_by", 200))
                    .col(date_null("party_committee_reported_on"))
                    .col(string_len_null("party_committee_ref", 200))
                    .col(text_null("party_committee_note"))
                    .col(timestamp_with_time_zone_null("party_committee_recorded_at"))
                    .col(integer("version"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("notices")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("title", 200))
                    .col(date("starts_on"))
                    .col(date("ends_on"))
                    .col(timestamp_with_time_zone("closes_at"))
                    .col(string_len("published_by", 200))
                    .col(timestamp_with_time_zone("published_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notices_starts_on")
                    .table("notices")
                    .col("starts_on")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("candidates")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("state", 30))
                    .col(integer("version"))
                    .col(string_len("channel", 40))
                    .col(string_len("field_code", 60))
                    .col(string_len_null("nominating_org_id", 100))
                    .col(string_len("lead_org_id", 100))
                    .col(string_len("created_by", 200))
                    .col(string_len("name", 100))
                    .col(string_len("employer", 200))
                    .col(string_len("title", 200))
                    .col(date("birth_date"))
                    .col(integer("experience_years"))
                    .col(string_len_null("id_number", 40))
                    .col(string_len_null("phone", 40))
                    .col(string_len_null("email", 200))
                    .col(string_len_null("address", 400))
                    .col(text("achievements"))
                    .col(string_len_null("referrer", 200))
                    .col(text_null("review"))
                    .col(string_len_null("reviewed_by", 200))
                    .col(timestamp_with_time_zone_null("reviewed_at"))
                    .col(boolean_null("background_passed"))
                    .col(text_null("background_findings"))
                    .col(string_len_null("background_checked_by", 200))
                    .col(timestamp_with_time_zone_null("background_checked_at"))
                    .col(string_len_null("list_id", 36))
                    .col(boolean_null("approved"))
                    .col(text_null("decision_note"))
                    .col(text_null("age_exception_reason"))
                    .col(boolean("age_exception_approved").default(false))
                    .col(string_len_null("notice_id", 36))
                    .col(integer_null("proposed_term_years"))
                    .col(string_len_null("advisor_id", 36))
                    .col(text_null("closing_reason"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_candidates_state", "state"),
            ("ix_candidates_nominating_org", "nominating_org_id"),
            ("ix_candidates_lead_org", "lead_org_id"),
            ("ix_candidates_list", "list_id"),
            ("ix_candidates_notice", "notice_id"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("candidates")
                        .col(col)
                        .if_not_exists()
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("objections")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("notice_id", 36))
                    .col(string_len("candidate_id", 36))
                    .col(string_len("status", 20))
                    .col(text("content"))
                    .col(string_len_null("contact_name", 100))
                    .col(string_len_null("contact", 200))
                    .col(timestamp_with_time_zone("filed_at"))
                    .col(string_len_null("resolved_by", 200))
                    .col(timestamp_with_time_zone_null("resolved_at"))
                    .col(text_null("resolution_reason"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_objections_candidate_status")
                    .table("objections")
                    .col("candidate_id")
                    .col("status")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("advisors")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("candidate_id", 36).unique_key())
                    .col(string_len("status", 30))
                    .col(integer("version"))
                    .col(string_len("name", 100))
                    .col(string_len("employer", 200))
                    .col(string_len("title", 200))
                    .col(string_len("field_code", 60))
                    .col(string_len("lead_org_id", 100))
                    .col(string_len("certificate_no", 40).unique_key())
                    .col(string_len("agreement_ref", 200))
                    .col(date("term_starts_on"))
                    .col(date("term_ends_on"))
                    .col(integer("term_years"))
                    .col(timestamp_with_time_zone("appointed_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_advisors_status", "status"),
            ("ix_advisors_updated_at", "updated_at"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("advisors")
                        .col(col)
                        .if_not_exists()
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("advisor_terms")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("advisor_id", 36))
                    .col(integer("number"))
                    .col(date("starts_on"))
                    .col(date("ends_on"))
                    .col(integer("years"))
                    .col(string_len("agreement_ref", 200))
                    .col(string_len("certificate_no", 40).unique_key())
                    .col(timestamp_with_time_zone("recorded_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_advisor_terms_number")
                    .table("advisor_terms")
                    .col("advisor_id")
                    .col("number")
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("rate_limits")
                    .if_not_exists()
                    .col(string_len("bucket", 300).primary_key())
                    .col(integer("hits"))
                    .col(timestamp_with_time_zone("window_ends_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("named_locks")
                    .if_not_exists()
                    .col(string_len("name", 100).primary_key())
                    .col(big_integer("generation"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "named_locks",
            "rate_limits",
            "advisor_terms",
            "advisors",
            "objections",
            "candidates",
            "notices",
            "recommendation_lists",
            "fields",
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

fn timestamp_type(manager: &SchemaManager) -> &'static str {
    match manager.get_database_backend() {
        sea_orm_migration::sea_orm::DbBackend::Postgres => "timestamptz",
        _ => "text",
    }
}
