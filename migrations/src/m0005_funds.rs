//! Funds (Art. 14): yearly budgets with their running committed and paid sums, sub-budgets
//! of strictly controlled categories, expense claims and work subsidies. Money is `BIGINT`
//! fen; the budget rows are the counters a conditional update checks against the limit.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("budgets")
                    .if_not_exists()
                    .col(integer("year").primary_key())
                    .col(big_integer("total_fen"))
                    .col(big_integer("committed_fen").default(0))
                    .col(big_integer("paid_fen").default(0))
                    .col(text_null("note"))
                    .col(string_len("set_by", 200))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sub_budgets")
                    .if_not_exists()
                    .col(integer("year"))
                    .col(string_len("category", 40))
                    .col(big_integer("limit_fen"))
                    .col(big_integer("committed_fen").default(0))
                    .primary_key(Index::create().col("year").col("category"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("expenses")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("advisor_id", 36))
                    .col(integer("fiscal_year"))
                    .col(string_len("category", 40))
                    .col(big_integer("amount_fen"))
                    .col(date("incurred_on"))
                    .col(text("description"))
                    .col(text("receipts"))
                    .col(string_len_null("task_id", 36))
                    .col(string_len_null("meeting_id", 36))
                    .col(string_len("state", 20))
                    .col(string_len("submitted_by", 200))
                    .col(timestamp_with_time_zone("submitted_at"))
                    .col(string_len_null("finance_reviewed_by", 200))
                    .col(timestamp_with_time_zone_null("finance_reviewed_at"))
                    .col(text_null("finance_comment"))
                    .col(string_len_null("decided_by", 200))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(text_null("decision_reason"))
                    .col(string_len_null("paid_by", 200))
                    .col(timestamp_with_time_zone_null("paid_at"))
                    .col(string_len_null("payment_ref", 200))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        // Each receipt pays once (Art. 14, 实报实销): the references of live claims; a rejected
        // claim releases its receipts.
        manager
            .create_table(
                Table::create()
                    .table("expense_receipts")
                    .if_not_exists()
                    .col(string_len("reference", 200).primary_key())
                    .col(string_len("expense_id", 36))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("subsidies")
                    .if_not_exists()
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("advisor_id", 36))
                    .col(integer("year"))
                    .col(integer("fiscal_year"))
                    .col(string_len("assessment_id", 36))
                    .col(string_len("grade", 30))
                    .col(big_integer("amount_fen"))
                    .col(text_null("special_contribution"))
                    .col(text_null("comment"))
                    .col(string_len("state", 20))
                    .col(string_len("proposed_by", 200))
                    .col(timestamp_with_time_zone("proposed_at"))
                    .col(string_len_null("decided_by", 200))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(text_null("decision_reason"))
                    .col(string_len_null("paid_by", 200))
                    .col(timestamp_with_time_zone_null("paid_at"))
                    .col(string_len_null("payment_ref", 200))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        for (name, table, cols) in [
            ("ix_expenses_advisor", "expenses", &["advisor_id"][..]),
            (
                "ix_expenses_year_state",
                "expenses",
                &["fiscal_year", "state"][..],
            ),
            ("ix_subsidies_year", "subsidies", &["year"][..]),
            (
                "ix_expense_receipts_expense",
                "expense_receipts",
                &["expense_id"][..],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(table).if_not_exists();
            for c in cols {
                index.col(*c);
            }
            manager.create_index(index.to_owned()).await?;
        }
        // One live subsidy per advisor and year (Art. 14); a rejected one may be proposed again.
        // A partial unique index, the same statement on both backends.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS ux_subsidies_advisor_year \
                 ON subsidies (advisor_id, year) WHERE state <> 'rejected'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "subsidies",
            "expense_receipts",
            "expenses",
            "sub_budgets",
            "budgets",
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
