//! SeaORM entities, one module per table.

pub mod advisor;
pub mod advisor_term;
pub mod assessment;
pub mod assessment_opinion;
pub mod assignment;
pub mod audit_event;
pub mod audit_head;
pub mod candidate;
pub mod dismissal_proposal;
pub mod field;
pub mod idempotency_key;
pub mod meeting;
pub mod meeting_department;
pub mod meeting_invitation;
pub mod minutes;
pub mod notice;
pub mod objection;
pub mod opinion;
pub mod recommendation_list;
pub mod recusal_request;
pub mod renewal_proposal;
pub mod resignation;
pub mod task;
pub mod temporary_expert;
