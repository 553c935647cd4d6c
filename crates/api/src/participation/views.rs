//! Request bodies and views of declarations of interest (Art. 7(2)–(3)) and consultation
//! rounds (Art. 15).

use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{participation::InterestKind, time::to_cst};
use guwen_persistence::store::participation::{Consultation, ConsultationAnswer, DeclaredInterest};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// One interest to declare (Art. 7(2)–(3)).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct InterestRequest {
    pub kind: InterestKind,
    /// The organisation: an employer, a company held, a board, a client. Matching compares it
    /// with the requesting department's id and the task's counterpart.
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "二连浩特市口岸物流有限公司",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub organisation: String,
    /// First day the interest holds (China Standard Time).
    pub starts_on: NaiveDate,
    /// Last day it holds; open-ended when absent.
    pub ends_on: Option<NaiveDate>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// A declared interest, seen by the advisor, HRSS, the government and auditors.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InterestView {
    pub id: String,
    pub advisor_id: String,
    pub kind: InterestKind,
    pub organisation: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub declared_by: String,
    pub declared_at: DateTime<FixedOffset>,
}

crate::view::from_record!(DeclaredInterest => InterestView {
    id, advisor_id, kind, organisation, starts_on, ends_on, note, declared_by;
    declared_at
});

/// A new consultation round (Art. 15).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ConsultationRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "2026年上半年顾问工作意见建议征集",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub title: String,
    /// The period heard, e.g. `2026-H1`.
    #[validate(length(min = 1, max = 60))]
    #[schema(example = "2026-H1", min_length = 1, max_length = 60, pattern = r"\S")]
    pub period: String,
    /// What HRSS asks the advisors about the advisor work.
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub question: String,
    /// Last day answers are accepted (China Standard Time): today up to 92 days ahead.
    pub closes_on: NaiveDate,
}

/// An advisor's answer to a round.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ConsultationAnswerRequest {
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub content: String,
}

/// HRSS's follow-up of a round (what it did with the views heard).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct FollowUpRequest {
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub follow_up: String,
}

/// Where a round stands today.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationStatus {
    /// Answers accepted (through `closes_on`).
    Open,
    /// Closed; HRSS's follow-up may be recorded.
    Closed,
    /// Closed with HRSS's follow-up on record.
    FollowedUp,
}

/// One advisor's answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsultationAnswerView {
    pub advisor_id: String,
    pub content: String,
    pub answered_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

crate::view::from_record!(ConsultationAnswer => ConsultationAnswerView {
    advisor_id, content;
    answered_at, updated_at
});

/// A consultation round with the answers the caller may read: every answer for HRSS, the
/// government and auditors; an advisor's own only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsultationView {
    pub id: String,
    pub title: String,
    pub period: String,
    pub question: String,
    pub opened_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub status: ConsultationStatus,
    pub opened_by: String,
    pub follow_up: Option<String>,
    pub followed_up_at: Option<DateTime<FixedOffset>>,
    pub answers: Vec<ConsultationAnswerView>,
}

impl ConsultationView {
    /// The view of a round on `today` with these answers.
    pub fn build(c: Consultation, answers: Vec<ConsultationAnswer>, today: NaiveDate) -> Self {
        let status = if c.follow_up.is_some() {
            ConsultationStatus::FollowedUp
        } else if today > c.closes_on {
            ConsultationStatus::Closed
        } else {
            ConsultationStatus::Open
        };
        Self {
            id: c.id,
            title: c.title,
            period: c.period,
            question: c.question,
            opened_on: c.opened_on,
            closes_on: c.closes_on,
            status,
            opened_by: c.opened_by,
            follow_up: c.follow_up,
            followed_up_at: c.followed_up_at.map(to_cst),
            answers: answers.into_iter().map(Into::into).collect(),
        }
    }
}
