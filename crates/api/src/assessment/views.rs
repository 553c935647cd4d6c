//! The annual assessment (Art. 16): the assessment as shown, the opening, opinion and grade
//! requests, and the list's filters.

use chrono::{DateTime, FixedOffset};
use guwen_domain::{
    assessment::{AssessmentFacts, BandView},
    office::{AssessmentState, Grade, SubsidyBands},
    time::to_cst,
};
use guwen_persistence::store::assessment::{self, Assessment, AssessmentOpinion, Filter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::prelude::*;

/// A service unit's opinion.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServiceUnitOpinion {
    pub org_id: String,
    pub opinion: String,
    pub suggested_grade: Option<Grade>,
    pub submitted_at: DateTime<FixedOffset>,
}

/// An annual assessment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentView {
    pub id: String,
    pub advisor_id: String,
    pub year: i32,
    pub state: AssessmentState,
    pub facts: AssessmentFacts,
    pub service_unit_opinions: Vec<ServiceUnitOpinion>,
    pub preliminary_grade: Option<Grade>,
    pub preliminary_comment: Option<String>,
    pub final_grade: Option<Grade>,
    pub final_comment: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    /// The work-subsidy band of the final grade (none for `incompetent`, Art. 14).
    pub subsidy_band: Option<BandView>,
    pub created_at: DateTime<FixedOffset>,
}

/// An assessment as shown to callers, with its service units' opinions (by department) and
/// the subsidy band of its final grade.
pub fn assessment_view(
    a: Assessment,
    opinions: Vec<AssessmentOpinion>,
    bands: &SubsidyBands,
) -> Result<AssessmentView, ApiError> {
    Ok(AssessmentView {
        facts: assessment::facts_of(&a).map_err(ApiError::internal)?,
        service_unit_opinions: opinions
            .into_iter()
            .map(|o| ServiceUnitOpinion {
                suggested_grade: o.suggested_grade,
                org_id: o.org_id,
                opinion: o.opinion,
                submitted_at: to_cst(o.submitted_at),
            })
            .collect(),
        subsidy_band: a
            .final_grade
            .and_then(|g| bands.band(g))
            .map(BandView::from),
        state: a.state,
        preliminary_grade: a.preliminary_grade,
        final_grade: a.final_grade,
        id: a.id,
        advisor_id: a.advisor_id,
        year: a.year,
        preliminary_comment: a.preliminary_comment,
        final_comment: a.final_comment,
        decided_by: a.decided_by,
        decided_at: a.decided_at.map(to_cst),
        created_at: to_cst(a.created_at),
    })
}

/// Opening an assessment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateAssessmentRequest {
    #[validate(length(max = crate::http::text::ID_LEN))]
    #[schema(max_length = 36)]
    pub advisor_id: String,
    #[validate(range(min = crate::http::text::YEAR_MIN, max = crate::http::text::YEAR_MAX))]
    #[schema(example = 2026, minimum = 2000, maximum = 2100)]
    pub year: i32,
}

/// A service unit's opinion.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct OpinionRequest {
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub opinion: String,
    pub suggested_grade: Option<Grade>,
}

impl OpinionRequest {
    /// The opinion, trimmed and not blank.
    pub fn checked_opinion(&self) -> Result<String, ApiError> {
        required_text("opinion", &self.opinion, 10000)
    }
}

/// A grade and its comment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct GradeRequest {
    pub grade: Grade,
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub comment: String,
}

/// A service unit that did not give its opinion by HRSS's deadline, and HRSS's note of it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct NonRespondingUnit {
    /// The department (service unit).
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub org_id: String,
    /// What HRSS did and when the unit was asked (kept in the audit trail).
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub note: String,
}

/// HRSS's preliminary grade (Art. 16, 考核初评意见): the grade, its comment, and the service
/// units that did not respond, each with a note; every other service unit of the year must
/// have given its opinion (`service_unit_opinions_missing`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct PreliminaryRequest {
    pub grade: Grade,
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub comment: String,
    #[serde(default)]
    #[validate(length(max = 50), nested)]
    #[schema(max_items = 50)]
    pub non_responding_units: Vec<NonRespondingUnit>,
}

impl PreliminaryRequest {
    /// The grade and comment.
    pub fn grade(&self) -> GradeRequest {
        GradeRequest {
            grade: self.grade,
            comment: self.comment.clone(),
        }
    }

    /// The units excused and their notes, trimmed and not blank.
    pub fn non_responding(&self) -> Result<Vec<(String, String)>, ApiError> {
        self.non_responding_units
            .iter()
            .map(|u| {
                Ok((
                    required_text("non_responding_units.org_id", &u.org_id, 100)?,
                    required_text("non_responding_units.note", &u.note, 2000)?,
                ))
            })
            .collect()
    }
}

impl GradeRequest {
    /// The comment, trimmed and not blank.
    pub fn checked_comment(&self) -> Result<String, ApiError> {
        required_text("comment", &self.comment, 10000)
    }
}

/// Filters of the assessment list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssessmentFilter {
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 36>")]
    #[param(max_length = 36)]
    pub advisor_id: Option<String>,
    #[serde(default, deserialize_with = "crate::http::text::query_year")]
    #[param(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    /// Only assessments in this state.
    pub state: Option<AssessmentState>,
}

impl AssessmentFilter {
    /// The store's filter.
    pub fn to_filter(&self) -> Filter {
        Filter {
            advisor_id: self.advisor_id.clone(),
            year: self.year,
            state: self.state,
        }
    }
}
