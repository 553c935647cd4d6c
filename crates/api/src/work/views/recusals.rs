//! Recusal requests (Art. 10).

use chrono::{DateTime, FixedOffset};
use guwen_domain::{
    time::to_cst,
    work::{RecusalDecision, RecusalState},
};
use guwen_persistence::store::work::{RecusalListFilter, RecusalRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

/// A recusal request as HRSS and the advisor see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecusalView {
    pub id: String,
    pub assignment_id: String,
    pub task_id: String,
    pub advisor_id: String,
    /// The conflict of interest the advisor declares.
    pub conflict: String,
    pub state: RecusalState,
    pub requested_at: DateTime<FixedOffset>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
}

impl From<RecusalRequest> for RecusalView {
    fn from(r: RecusalRequest) -> Self {
        Self {
            state: r.state,
            id: r.id,
            assignment_id: r.assignment_id,
            task_id: r.task_id,
            advisor_id: r.advisor_id,
            conflict: r.conflict,
            requested_at: to_cst(r.requested_at),
            decided_by: r.decided_by,
            decided_at: r.decided_at.map(to_cst),
            decision_reason: r.decision_reason,
        }
    }
}

/// The conflict of interest.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct RecusalRequestBody {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub conflict: String,
}

/// Filters of recusal requests.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecusalFilter {
    pub state: Option<RecusalState>,
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 36>")]
    #[param(max_length = 36)]
    pub task_id: Option<String>,
}

impl RecusalFilter {
    /// The store's filter.
    pub fn to_store(&self) -> RecusalListFilter {
        RecusalListFilter {
            state: self.state,
            task_id: self.task_id.clone(),
        }
    }
}

/// HRSS's decision on a recusal request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct RecusalDecisionRequest {
    pub decision: RecusalDecision,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
}
