//! How a candidate is shown: its state now, its records and the actions the caller may take.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{
    appointment::{self, AgeException, AgeExceptionStatus, NoticeWindow},
    nomination::{
        self, Attestation, CandidateAction, CandidateState, NominationChannel, ReviewAspect,
        Verdict,
    },
    time::to_cst,
};
use guwen_persistence::store::pipeline::{Candidate, Field, Surroundings};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::fields::{FieldRef, field_ref};
use crate::prelude::*;

/// An action the caller may take now, with the article that grants it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct AllowedAction {
    pub action: CandidateAction,
    /// The article of the regulation that grants the step.
    #[schema(example = "Art. 4.1")]
    pub article: String,
    /// Where to send it (always a POST).
    #[schema(
        example = "/api/v1/candidates/0190f3c4-0000-7000-8000-000000000000/preliminary-review"
    )]
    pub href: String,
}

/// Contact and identity data of a candidate: personal data, never public.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
pub struct Contact {
    #[validate(length(max = 40))]
    #[schema(example = "13800000000", max_length = 40)]
    pub phone: Option<String>,
    #[validate(email, length(max = 200))]
    #[schema(example = "expert@example.org", max_length = 200)]
    pub email: Option<String>,
    /// Resident identity card number.
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub id_number: Option<String>,
    #[validate(length(max = 400))]
    #[schema(max_length = 400)]
    pub address: Option<String>,
}

impl Contact {
    /// The contact as stored: each value one line under the text policy (422 naming
    /// `contact.…` otherwise), blank meaning none.
    pub fn cleaned(&self) -> Result<Contact, ApiError> {
        Ok(Contact {
            phone: optional_line("contact.phone", self.phone.as_deref(), 40)?,
            email: optional_line("contact.email", self.email.as_deref(), 200)?,
            id_number: optional_line("contact.id_number", self.id_number.as_deref(), 40)?,
            address: optional_line("contact.address", self.address.as_deref(), 400)?,
        })
    }
}

/// One aspect of the preliminary review.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AspectReviewBody {
    pub aspect: ReviewAspect,
    pub verdict: Verdict,
    /// The reviewer's note (required when the verdict is `fail`).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    #[serde(default)]
    pub note: String,
}

/// The recorded preliminary review (Art. 4.1).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReviewRecord {
    pub passed: bool,
    pub aspects: Vec<AspectReviewBody>,
    pub attestations: Vec<Attestation>,
    pub note: Option<String>,
    pub reviewed_by: String,
    pub reviewed_at: DateTime<FixedOffset>,
}

/// The background check (Art. 4.2): visible to hrss, government and auditor only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BackgroundCheckRecord {
    pub passed: bool,
    pub findings: String,
    pub checked_by: String,
    pub checked_at: DateTime<FixedOffset>,
}

/// The executive meeting's decision on the candidate (Art. 4.4).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionRecord {
    pub approved: bool,
    pub meeting_ref: Option<String>,
    pub meeting_date: Option<NaiveDate>,
    pub note: Option<String>,
    /// The approved exception to the age limit (Art. 5.5), if any.
    pub age_exception: Option<AgeException>,
}

/// The candidate's public notice (Art. 4.5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeRecord {
    pub notice_id: String,
    /// First day of the window (China Standard Time).
    pub starts_on: NaiveDate,
    /// Last day of the window (the 7th).
    pub ends_on: NaiveDate,
    /// When the window closes: 00:00 +08:00 the day after `ends_on`.
    pub closes_at: DateTime<FixedOffset>,
    pub proposed_term_years: Option<i32>,
    pub open_objections: u64,
}

/// A candidate as hrss, government, auditor and the departments concerned see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CandidateView {
    pub id: String,
    /// The state now: an `in_notice` candidate whose window is over with no open objection
    /// shows as `notice_passed`.
    pub state: CandidateState,
    pub channel: NominationChannel,
    pub field: FieldRef,
    /// The nominating department (none for self-nominations and HRSS entries).
    pub nominating_org_id: Option<String>,
    /// The field's lead department, which does the preliminary review.
    pub lead_org_id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub birth_date: NaiveDate,
    pub experience_years: i32,
    pub contact: Contact,
    pub achievements: String,
    /// The think tank or leader who referred the candidate.
    pub referrer: Option<String>,
    pub preliminary_review: Option<ReviewRecord>,
    /// Present only for hrss, government and auditor.
    pub background_check: Option<BackgroundCheckRecord>,
    pub recommendation_list_id: Option<String>,
    pub decision: Option<DecisionRecord>,
    pub notice: Option<NoticeRecord>,
    /// The advisor record, once appointed.
    pub advisor_id: Option<String>,
    /// Why the procedure ended (rejection or withdrawal).
    pub closing_reason: Option<String>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    /// Art. 5.5: the candidate's age on the earliest day a term could start, when it is 70 or
    /// more: an appointment then needs the government's approved exception (see
    /// `age_exception`). Absent when the age is no obstacle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_limit_reached_at: Option<u32>,
    /// Art. 5.5: where the exception to the age limit stands: approved with the executive
    /// meeting's decision, or requested by HRSS afterwards and decided by the government.
    pub age_exception_status: Option<AgeExceptionStatus>,
    /// What this caller may do now.
    pub allowed_actions: Vec<AllowedAction>,
}

/// The preliminary review as stored on the candidate (JSON).
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredReview {
    pub passed: bool,
    pub aspects: Vec<AspectReviewBody>,
    pub attestations: Vec<Attestation>,
    pub note: Option<String>,
}

/// The state to show and act on (Art. 4.5–4.6).
pub fn shown_state(c: &Candidate, s: &Surroundings, today: NaiveDate) -> CandidateState {
    nomination::effective_state(
        c.state,
        s.notice
            .as_ref()
            .map(|n| NoticeWindow::from_start(n.starts_on).closes_on()),
        u32::try_from(s.open_objections).unwrap_or(u32::MAX),
        today,
    )
}

/// Whether the list the candidate is on was reported to the party committee (Art. 4.4).
pub fn reported(s: &Surroundings) -> bool {
    s.list
        .as_ref()
        .is_some_and(|l| l.party_committee_reported_on.is_some())
}

/// The approved exception to the age limit recorded on the candidate (Art. 5.5).
pub fn age_exception(c: &Candidate) -> Option<AgeException> {
    c.age_exception_reason.clone().map(|reason| AgeException {
        reason,
        approved_by_government: c.age_exception_approved,
    })
}

/// The view of one candidate in the state `shown`, with the background check only when
/// `sees_background`, and the caller's `allowed_actions`.
pub fn candidate_view(
    c: &Candidate,
    s: &Surroundings,
    fields: &HashMap<String, Field>,
    (shown, today): (CandidateState, NaiveDate),
    sees_background: bool,
    allowed_actions: Vec<AllowedAction>,
) -> Result<CandidateView, ApiError> {
    let preliminary_review = match (&c.review, &c.reviewed_by, c.reviewed_at) {
        (Some(json), Some(by), Some(at)) => {
            let stored: StoredReview = serde_json::from_str(json).map_err(ApiError::internal)?;
            Some(ReviewRecord {
                passed: stored.passed,
                aspects: stored.aspects,
                attestations: stored.attestations,
                note: stored.note,
                reviewed_by: by.clone(),
                reviewed_at: to_cst(at),
            })
        }
        _ => None,
    };
    let background_check = match (
        sees_background,
        c.background_passed,
        &c.background_checked_by,
        c.background_checked_at,
    ) {
        (true, Some(passed), Some(by), Some(at)) => Some(BackgroundCheckRecord {
            passed,
            findings: c.background_findings.clone().unwrap_or_default(),
            checked_by: by.clone(),
            checked_at: to_cst(at),
        }),
        _ => None,
    };
    let decision = c.approved.map(|approved| DecisionRecord {
        approved,
        meeting_ref: s.list.as_ref().and_then(|l| l.meeting_ref.clone()),
        meeting_date: s.list.as_ref().and_then(|l| l.meeting_date),
        note: c.decision_note.clone(),
        age_exception: age_exception(c),
    });
    let notice = s.notice.as_ref().map(|n| NoticeRecord {
        notice_id: n.id.clone(),
        starts_on: n.starts_on,
        ends_on: n.ends_on,
        closes_at: to_cst(n.closes_at),
        proposed_term_years: c.proposed_term_years,
        open_objections: s.open_objections,
    });
    Ok(CandidateView {
        id: c.id.clone(),
        state: shown,
        channel: c.channel,
        field: field_ref(fields, &c.field_code),
        nominating_org_id: c.nominating_org_id.clone(),
        lead_org_id: c.lead_org_id.clone(),
        name: c.name.clone(),
        employer: c.employer.clone(),
        title: c.title.clone(),
        birth_date: c.birth_date,
        experience_years: c.experience_years,
        contact: Contact {
            phone: c.phone.clone(),
            email: c.email.clone(),
            id_number: c.id_number.clone(),
            address: c.address.clone(),
        },
        achievements: c.achievements.clone(),
        referrer: c.referrer.clone(),
        preliminary_review,
        background_check,
        recommendation_list_id: c.list_id.clone(),
        decision,
        notice,
        advisor_id: c.advisor_id.clone(),
        closing_reason: c.closing_reason.clone(),
        created_at: to_cst(c.created_at),
        updated_at: to_cst(c.updated_at),
        age_limit_reached_at: appointment::age_on_earliest_start(
            c.birth_date,
            s.notice
                .as_ref()
                .map(|n| NoticeWindow::from_start(n.starts_on))
                .as_ref(),
            today,
        ),
        age_exception_status: c.age_exception_status,
        allowed_actions,
    })
}
