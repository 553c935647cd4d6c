//! Dismissal, resignation and renewal (Art. 3, 12, 13): what HRSS and the government send and
//! the proposals as shown.

use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{
    appointment,
    office::{self, DismissalGround, InactivityEvidence, ProposalState, ResignationState},
    time::to_cst,
};
use guwen_persistence::store::office::{Dismissal, Renewal, Resignation, ResignationDecision};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::Period;
use crate::prelude::*;

/// Filters of proposal lists.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposalFilter {
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 36>")]
    #[param(max_length = 36)]
    pub advisor_id: Option<String>,
    /// `pending`, `approved` or `rejected` (for resignations: `requested`, `proposed`, `approved`, `rejected`).
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 40>")]
    #[param(max_length = 40)]
    pub state: Option<String>,
}

/// The government's decision.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct DecisionBody {
    pub approved: bool,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
}

impl DecisionBody {
    /// The proposal's new state and the trimmed reason.
    pub fn decision(&self) -> Result<(ProposalState, String), ApiError> {
        let reason = required_text("reason", &self.reason, 2000)?;
        Ok((office::decided(self.approved), reason))
    }
}

// ---------------------------------------------------------------------------------------------
// Dismissal (Art. 12)
// ---------------------------------------------------------------------------------------------

/// A dismissal proposal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DismissalView {
    pub id: String,
    pub advisor_id: String,
    pub ground: DismissalGround,
    pub evidence: String,
    /// For `inactive`: the computed evidence attached when proposed.
    pub inactivity_evidence: Option<InactivityEvidence>,
    pub state: ProposalState,
    pub proposed_by: String,
    pub proposed_at: DateTime<FixedOffset>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
}

/// The view of a stored proposal (its evidence is kept as JSON).
pub fn dismissal_view(d: Dismissal) -> Result<DismissalView, ApiError> {
    Ok(DismissalView {
        inactivity_evidence: d
            .inactivity_evidence
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(ApiError::internal)?,
        id: d.id,
        advisor_id: d.advisor_id,
        ground: d.ground,
        evidence: d.evidence,
        state: d.state,
        proposed_by: d.proposed_by,
        proposed_at: to_cst(d.proposed_at),
        decided_by: d.decided_by,
        decided_at: d.decided_at.map(to_cst),
        decision_reason: d.decision_reason,
    })
}

/// HRSS's proposal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct DismissalRequest {
    pub ground: DismissalGround,
    /// The evidence (for `inactive`, the computed items are attached as well).
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub evidence: String,
    /// For `inactive`: the period of the evidence (default: the last year).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DismissalRequest {
    /// The period of the inactivity evidence.
    pub fn period(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), ApiError> {
        Period {
            from: self.from,
            to: self.to,
        }
        .days(today)
    }
}

// ---------------------------------------------------------------------------------------------
// Resignation (Art. 13)
// ---------------------------------------------------------------------------------------------

/// A resignation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResignationView {
    pub id: String,
    pub advisor_id: String,
    /// The written request (书面形式).
    pub letter: String,
    pub state: ResignationState,
    pub requested_at: DateTime<FixedOffset>,
    pub proposed_by: Option<String>,
    pub proposed_at: Option<DateTime<FixedOffset>>,
    pub proposal_note: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
    /// Whether the certificate (聘书) was recovered (收回聘书).
    pub certificate_recovered: Option<bool>,
    pub certificate_note: Option<String>,
}

crate::view::from_record!(Resignation => ResignationView {
    id, advisor_id, letter, state, proposed_by, proposal_note, decided_by, decision_reason,
    certificate_recovered, certificate_note;
    requested_at;
    proposed_at, decided_at
});

/// The advisor's written request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ResignationRequest {
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub letter: String,
}

/// HRSS's proposal on a resignation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ResignationProposalBody {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub note: String,
}

/// The government's decision on a resignation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ResignationDecisionBody {
    pub approved: bool,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
    /// Whether the certificate was recovered (required when approved, Art. 13 收回聘书).
    pub certificate_recovered: Option<bool>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub certificate_note: Option<String>,
}

impl ResignationDecisionBody {
    /// The store's decision: trimmed texts, and the certificate recorded when approved.
    pub fn into_command(self) -> Result<ResignationDecision, ApiError> {
        let reason = required_text("reason", &self.reason, 2000)?;
        let certificate_note =
            optional_text("certificate_note", self.certificate_note.as_deref(), 2000)?;
        if self.approved && self.certificate_recovered.is_none() {
            return Err(ApiError::invalid_field(
                "certificate_recovered",
                "must be recorded when the resignation is approved",
            ));
        }
        Ok(ResignationDecision {
            to: if self.approved {
                ResignationState::Approved
            } else {
                ResignationState::Rejected
            },
            reason,
            certificate_recovered: self.certificate_recovered,
            certificate_note,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Renewal (Art. 3)
// ---------------------------------------------------------------------------------------------

/// A renewal proposal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RenewalView {
    pub id: String,
    pub advisor_id: String,
    pub years: i32,
    pub agreement_ref: String,
    pub certificate_no: String,
    pub state: ProposalState,
    pub proposed_by: String,
    pub proposed_at: DateTime<FixedOffset>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
}

crate::view::from_record!(Renewal => RenewalView {
    id, advisor_id, years, agreement_ref, certificate_no, state, proposed_by, decided_by,
    decision_reason;
    proposed_at;
    decided_at
});

/// HRSS's renewal proposal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct RenewalRequest {
    /// 1 to 3 whole years (Art. 3); another length is refused (409).
    #[schema(minimum = 1, maximum = 3)]
    pub years: u32,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub agreement_ref: String,
    /// The new certificate number (trimmed and upper-cased).
    #[validate(length(max = 100))]
    #[schema(max_length = 100, pattern = r"^\s*[A-Za-z0-9/-]{3,40}\s*$")]
    pub certificate_no: String,
}

impl RenewalRequest {
    /// The trimmed agreement reference and the normalised certificate number.
    pub fn texts(&self) -> Result<(String, String), ApiError> {
        let agreement_ref = required_line("agreement_ref", &self.agreement_ref, 200)?;
        let certificate_no = appointment::normalize_certificate_no(&self.certificate_no)
            .map_err(|v| ApiError::invalid_field("certificate_no", v.message))?;
        Ok((agreement_ref, certificate_no))
    }
}
