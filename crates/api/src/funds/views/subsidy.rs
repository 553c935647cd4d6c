//! Work subsidies (Art. 14, 16): the subsidy as shown, the proposal and decision requests, and
//! the list's filters.

use chrono::{DateTime, FixedOffset, Utc};
use guwen_domain::{
    assessment::BandView,
    funds::SubsidyState,
    office::{Grade, SubsidyBands},
    time::to_cst,
};
use guwen_persistence::store::funds::{Subsidy, subsidies::Filter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::budget::check_year;
use crate::prelude::*;

/// An advisor's work subsidy for a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubsidyView {
    pub id: String,
    pub advisor_id: String,
    /// The assessed year.
    pub year: i32,
    /// The budget year the amount is committed against.
    pub fiscal_year: i32,
    pub assessment_id: String,
    /// The final grade it follows.
    pub grade: Grade,
    /// The band of that grade.
    pub band: Option<BandView>,
    pub amount_fen: i64,
    /// The recorded special contribution behind an amount above the band.
    pub special_contribution: Option<String>,
    pub comment: Option<String>,
    pub state: SubsidyState,
    pub proposed_by: String,
    pub proposed_at: DateTime<FixedOffset>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
    pub paid_by: Option<String>,
    pub paid_at: Option<DateTime<FixedOffset>>,
    pub payment_ref: Option<String>,
    pub updated_at: DateTime<FixedOffset>,
}

/// A subsidy as shown to callers, with the band of its grade.
pub fn subsidy_view(bands: &SubsidyBands, s: Subsidy) -> SubsidyView {
    SubsidyView {
        band: bands.band(s.grade).map(BandView::from),
        grade: s.grade,
        state: s.state,
        id: s.id,
        advisor_id: s.advisor_id,
        year: s.year,
        fiscal_year: s.fiscal_year,
        assessment_id: s.assessment_id,
        amount_fen: s.amount_fen,
        special_contribution: s.special_contribution,
        comment: s.comment,
        proposed_by: s.proposed_by,
        proposed_at: to_cst(s.proposed_at),
        decided_by: s.decided_by,
        decided_at: s.decided_at.map(to_cst),
        decision_reason: s.decision_reason,
        paid_by: s.paid_by,
        paid_at: s.paid_at.map(to_cst),
        payment_ref: s.payment_ref,
        updated_at: to_cst(s.updated_at),
    }
}

/// A proposed work subsidy.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateSubsidyRequest {
    #[validate(length(min = 1, max = 36))]
    #[schema(min_length = 1, max_length = 36, pattern = r"\S")]
    pub advisor_id: String,
    /// The assessed year.
    #[schema(example = 2026, minimum = 2000, maximum = 2100)]
    pub year: i32,
    /// Within the band of the final grade (inside 5,000–50,000 CNY); above it only with a
    /// special contribution, and above 50,000 CNY with the government's approval.
    #[validate(range(min = 1, max = 50_000_000))]
    #[schema(example = 4000000, minimum = 1, maximum = 50000000)]
    pub amount_fen: i64,
    /// The special contribution during the term that justifies an amount above the band.
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub special_contribution: Option<String>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
    /// The budget year to commit against: the assessed year (default) or the next one, when
    /// the assessment is decided after the year closed.
    #[schema(minimum = 2000, maximum = 2101)]
    pub fiscal_year: Option<i32>,
}

/// A subsidy proposal as read from its request.
pub struct Proposal {
    pub advisor_id: String,
    pub year: i32,
    pub fiscal_year: i32,
    pub amount_fen: i64,
    pub special_contribution: Option<String>,
    pub comment: Option<String>,
}

impl Proposal {
    /// Subsidy `id` as the store records it: following assessment `assessment_id` and its
    /// final `grade`, in `state` (`approved`, committed at once, or `pending_decision`),
    /// proposed by `proposed_by` at `now`.
    pub fn into_row(
        self,
        id: String,
        (assessment_id, grade): (String, Grade),
        state: SubsidyState,
        (proposed_by, now): (&str, DateTime<Utc>),
    ) -> Subsidy {
        Subsidy {
            id,
            advisor_id: self.advisor_id,
            year: self.year,
            fiscal_year: self.fiscal_year,
            assessment_id,
            grade,
            amount_fen: self.amount_fen,
            special_contribution: self.special_contribution,
            comment: self.comment,
            state,
            proposed_by: proposed_by.to_owned(),
            proposed_at: now,
            decided_by: None,
            decided_at: None,
            decision_reason: None,
            paid_by: None,
            paid_at: None,
            payment_ref: None,
            updated_at: now,
        }
    }
}

impl CreateSubsidyRequest {
    /// The assessed year in range, the fiscal year (that year or the next) and the texts.
    pub fn parse(&self) -> Result<Proposal, ApiError> {
        identifier("advisor_id", &self.advisor_id, ID_MAX)?;
        check_year("year", self.year)?;
        let fiscal_year = self.fiscal_year.unwrap_or(self.year);
        if fiscal_year != self.year && fiscal_year != self.year + 1 {
            return Err(ApiError::invalid_field(
                "fiscal_year",
                "must be the assessed year or the next one",
            ));
        }
        Ok(Proposal {
            advisor_id: self.advisor_id.clone(),
            year: self.year,
            fiscal_year,
            amount_fen: self.amount_fen,
            special_contribution: optional_text(
                "special_contribution",
                self.special_contribution.as_deref(),
                10000,
            )?,
            comment: optional_text("comment", self.comment.as_deref(), 2000)?,
        })
    }
}

/// The government's decision on a subsidy above 50,000 CNY.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct SubsidyDecisionRequest {
    pub approved: bool,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
    /// The meeting or document that decided it.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub decision_ref: Option<String>,
}

impl SubsidyDecisionRequest {
    /// The recorded reason: the reason, followed by the decision's reference in parentheses.
    pub fn recorded_reason(&self) -> Result<String, ApiError> {
        let mut reason = required_text("reason", &self.reason, 2000)?;
        if let Some(r) = optional_line("decision_ref", self.decision_ref.as_deref(), 200)? {
            reason = format!("{reason} ({r})");
        }
        Ok(reason)
    }
}

/// Filters of the subsidy list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubsidyFilter {
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 36>")]
    #[param(max_length = 36)]
    pub advisor_id: Option<String>,
    #[serde(default, deserialize_with = "crate::http::text::query_year")]
    #[param(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    pub state: Option<SubsidyState>,
}

impl SubsidyFilter {
    /// The store's filter.
    pub fn to_filter(&self) -> Filter {
        Filter {
            advisor_id: self.advisor_id.clone(),
            year: self.year,
            state: self.state,
        }
    }
}
