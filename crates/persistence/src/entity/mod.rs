//! SeaORM entities, one module per table.

/// Declares the entity of a table whose rows record a decision on them: the `id` primary key,
/// the table's own columns, then who decided, when and why (`decided_by`, `decided_at`,
/// `decision_reason`), then the columns that follow the decision (`then`, e.g. the payment);
/// with the table's (empty) `Relation` and the default `ActiveModelBehavior`.
macro_rules! decided_entity {
    (
        $(#[$doc:meta])*
        table = $table:literal,
        { $($columns:tt)* }
        $(then { $($after:tt)* })?
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = $table)]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: String,
            $($columns)*
            pub decided_by: Option<String>,
            pub decided_at: Option<DateTimeUtc>,
            pub decision_reason: Option<String>,
            $($($after)*)?
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}
use decided_entity;

pub mod advisor;
pub mod advisor_document;
pub mod advisor_interest;
pub mod advisor_term;
pub mod assessment;
pub mod assessment_opinion;
pub mod assignment;
pub mod attachment;
pub mod audit_checkpoint_state;
pub mod audit_event;
pub mod audit_head;
pub mod audit_verification_job;
pub mod audit_verified_state;
pub mod budget;
pub mod calendar_change;
pub mod candidate;
pub mod consultation;
pub mod consultation_answer;
pub mod dismissal_proposal;
pub mod expense;
pub mod expense_receipt;
pub mod field;
pub mod idempotency_key;
pub mod meeting;
pub mod meeting_department;
pub mod meeting_document;
pub mod meeting_invitation;
pub mod minutes;
pub mod notice;
pub mod objection;
pub mod opinion;
pub mod progress_report;
pub mod recommendation_list;
pub mod recusal_request;
pub mod renewal_proposal;
pub mod resignation;
pub mod sub_budget;
pub mod subsidy;
pub mod task;
pub mod temporary_expert;
pub mod token_revocation;
pub mod token_revocation_version;
pub mod webhook_subscription;
