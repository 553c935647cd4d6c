//! Recommendation lists as shown and as submitted, decided and reported (Art. 4.3, 4.4).

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{
    nomination::{CandidateAction, CandidateState, ListState},
    time::to_cst,
};
use guwen_persistence::store::pipeline::{Candidate, Field, RecommendationList};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::fields::{FieldRef, field_ref};

/// A candidate on a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListCandidate {
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field: FieldRef,
    pub state: CandidateState,
    /// The executive meeting's decision, once taken.
    pub approved: Option<bool>,
}

impl ListCandidate {
    /// A candidate of the list in the state `shown`.
    pub fn of(c: &Candidate, shown: CandidateState, fields: &HashMap<String, Field>) -> Self {
        Self {
            id: c.id.clone(),
            name: c.name.clone(),
            employer: c.employer.clone(),
            title: c.title.clone(),
            field: field_ref(fields, &c.field_code),
            state: shown,
            approved: c.approved,
        }
    }
}

/// The executive meeting's decision on the list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListDecision {
    pub meeting_ref: String,
    pub meeting_date: NaiveDate,
    pub decided_by: String,
    pub decided_at: DateTime<FixedOffset>,
}

/// The report of the approved list to the party committee.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartyCommitteeReport {
    pub reported_on: NaiveDate,
    pub reference: String,
    pub note: Option<String>,
    pub recorded_at: DateTime<FixedOffset>,
}

/// A list-level action the caller may take now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListAction {
    pub action: CandidateAction,
    #[schema(example = "Art. 4.4")]
    pub article: String,
    pub href: String,
}

/// A recommendation list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListView {
    pub id: String,
    pub title: String,
    pub state: ListState,
    pub submitted_by: String,
    pub submitted_at: DateTime<FixedOffset>,
    pub candidates: Vec<ListCandidate>,
    pub decision: Option<ListDecision>,
    pub party_committee_report: Option<PartyCommitteeReport>,
    pub allowed_actions: Vec<ListAction>,
}

/// The view of a list with its candidates and the caller's actions.
pub fn list_view(
    l: &RecommendationList,
    candidates: Vec<ListCandidate>,
    allowed_actions: Vec<ListAction>,
) -> ListView {
    let decision = match (&l.meeting_ref, l.meeting_date, &l.decided_by, l.decided_at) {
        (Some(r), Some(d), Some(by), Some(at)) => Some(ListDecision {
            meeting_ref: r.clone(),
            meeting_date: d,
            decided_by: by.clone(),
            decided_at: to_cst(at),
        }),
        _ => None,
    };
    let party_committee_report = match (
        l.party_committee_reported_on,
        &l.party_committee_ref,
        l.party_committee_recorded_at,
    ) {
        (Some(on), Some(r), Some(at)) => Some(PartyCommitteeReport {
            reported_on: on,
            reference: r.clone(),
            note: l.party_committee_note.clone(),
            recorded_at: to_cst(at),
        }),
        _ => None,
    };
    ListView {
        id: l.id.clone(),
        title: l.title.clone(),
        state: l.state,
        submitted_by: l.created_by.clone(),
        submitted_at: to_cst(l.submitted_at),
        candidates,
        decision,
        party_committee_report,
        allowed_actions,
    }
}

/// A new recommendation list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateListRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "2026年第一批市政府顾问人选建议名单",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub title: String,
    /// Candidates whose background check has passed (Art. 4.3).
    #[validate(length(min = 1, max = 50), custom(function = "ids_at_most"))]
    #[schema(schema_with = crate::http::text::string_list_schema::<1, 50, 36>)]
    pub candidate_ids: Vec<String>,
}

/// Filters of the list of lists.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    pub state: Option<ListState>,
}

/// The meeting's decision on one candidate.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CandidateDecision {
    #[validate(length(max = crate::http::text::ID_LEN))]
    #[schema(max_length = 36)]
    pub candidate_id: String,
    pub approved: bool,
    /// Required when not approved: the reason.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// An approved exception to the age limit of 70 (Art. 5.5), with its reason.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub age_exception_reason: Option<String>,
}

/// The executive meeting's decision on a list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct DecisionRequest {
    /// Meeting reference (e.g. 市政府第12次常务会议).
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "市政府2026年第12次常务会议",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub meeting_ref: String,
    pub meeting_date: NaiveDate,
    /// One decision for every candidate still `submitted` on the list.
    #[validate(length(min = 1, max = 50), nested)]
    #[schema(min_items = 1, max_items = 50)]
    pub decisions: Vec<CandidateDecision>,
}

/// The report of the approved list to the party committee (市委).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct PartyCommitteeReportRequest {
    pub reported_on: NaiveDate,
    /// Reference of the report document.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub reference: String,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

fn ids_at_most(ids: &[String]) -> Result<(), validator::ValidationError> {
    crate::http::text::items_at_most::<{ crate::http::text::ID_LEN }>(ids)
}
