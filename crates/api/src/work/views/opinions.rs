//! Opinions (Art. 8, 9).

use chrono::{DateTime, FixedOffset};
use guwen_domain::{
    time::to_cst,
    work::{Confidentiality, OpinionChannel, Timeliness},
};
use guwen_persistence::store::work::{Opinion, OpinionListFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

/// An opinion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpinionView {
    pub id: String,
    pub advisor_id: String,
    /// The task it answers, if any.
    pub task_id: Option<String>,
    /// The assignment it delivers, if any.
    pub assignment_id: Option<String>,
    pub channel: OpinionChannel,
    pub major_issue: bool,
    pub subject: String,
    pub content: String,
    pub confidentiality: Confidentiality,
    /// For a delivery: on time or overdue against the task's deadline.
    pub timeliness: Option<Timeliness>,
    pub submitted_at: DateTime<FixedOffset>,
}

impl From<Opinion> for OpinionView {
    fn from(o: Opinion) -> Self {
        Self {
            id: o.id,
            advisor_id: o.advisor_id,
            task_id: o.task_id,
            assignment_id: o.assignment_id,
            channel: o.channel,
            major_issue: o.major_issue,
            subject: o.subject,
            content: o.content,
            confidentiality: o.confidentiality,
            timeliness: o.timeliness,
            submitted_at: to_cst(o.submitted_at),
        }
    }
}

/// A new opinion.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateOpinionRequest {
    pub channel: OpinionChannel,
    /// A major issue for the city's development (重大问题): must be `written_opinion` or
    /// `research_report` (Art. 9). Opinions delivering a major-issue task are major too.
    #[serde(default)]
    pub major_issue: bool,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub subject: String,
    /// The opinion itself (for a phone call, its record).
    #[validate(length(min = 1, max = 50000))]
    #[schema(min_length = 1, max_length = 50000, pattern = r"\S")]
    pub content: String,
    /// The assignment this opinion delivers (omit for an unsolicited opinion).
    #[validate(length(max = crate::http::text::ID_LEN))]
    #[schema(max_length = 36)]
    pub assignment_id: Option<String>,
    /// `internal` (default), `work_secret` or `commercial_secret`; never a state secret (Art. 7.1).
    #[schema(max_length = 40)]
    pub confidentiality: Option<String>,
}

/// Filters of the opinion list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpinionFilter {
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 36>")]
    #[param(max_length = 36)]
    pub advisor_id: Option<String>,
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 36>")]
    #[param(max_length = 36)]
    pub task_id: Option<String>,
    pub channel: Option<OpinionChannel>,
}

impl OpinionFilter {
    /// The store's filter.
    pub fn to_store(&self) -> OpinionListFilter {
        OpinionListFilter {
            advisor_id: self.advisor_id.clone(),
            task_id: self.task_id.clone(),
            channel: self.channel,
        }
    }
}
