//! What callers send to nominate a candidate and take the steps on one (Art. 3, 4.1, 4.2,
//! 4.6, 5), and what these requests become.

use chrono::NaiveDate;
use guwen_domain::{
    appointment,
    nomination::{AspectReview, Attestation, CandidateState, NominationChannel, Verdict},
};
use guwen_persistence::store::pipeline::{self as store, Field, NewCandidate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::candidate::{AspectReviewBody, Contact};
use crate::prelude::*;

/// Checks a birth date is plausible for an expert (422 otherwise).
pub fn check_birth_date(birth_date: NaiveDate, today: NaiveDate) -> Result<(), ApiError> {
    let age = appointment::age_on(birth_date, today);
    if birth_date >= today || !(18..=110).contains(&age) {
        return Err(ApiError::invalid_field(
            "birth_date",
            "must be a past date giving an age between 18 and 110",
        ));
    }
    Ok(())
}

/// A nomination by a department or HRSS.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct NominationRequest {
    /// How the candidate was proposed. Departments may not use `self_nomination` (that comes
    /// through `POST /api/v1/public/self-nominations`).
    pub channel: NominationChannel,
    /// Field code (see `GET /api/v1/fields`); its lead department does the preliminary review.
    #[schema(example = "port_trade", max_length = 60)]
    pub field: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(example = "王建国", min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "内蒙古大学",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub employer: String,
    /// Position or professional title.
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "教授", min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    pub birth_date: NaiveDate,
    /// Years of professional work or research (Art. 5.2 requires at least 5).
    #[validate(range(max = 80))]
    #[schema(minimum = 0, maximum = 80)]
    pub experience_years: u32,
    /// Achievements, influence and expertise (Art. 5.2, 5.3).
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub achievements: String,
    /// The think tank or leader who referred the candidate: required for
    /// `think_tank_referral` and `leadership_recommendation`.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub referrer: Option<String>,
    #[serde(default)]
    #[validate(nested)]
    pub contact: Contact,
    /// HRSS only: the department on whose behalf the nomination is entered.
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub nominating_org_id: Option<String>,
}

impl NominationRequest {
    /// The referrer, required for referrals and leadership recommendations (422).
    pub fn referrer(&self) -> Result<Option<String>, ApiError> {
        let referrer = optional_line("referrer", self.referrer.as_deref(), 200)?;
        if matches!(
            self.channel,
            NominationChannel::ThinkTankReferral | NominationChannel::LeadershipRecommendation
        ) && referrer.is_none()
        {
            return Err(ApiError::invalid_field(
                "referrer",
                "is required for this channel",
            ));
        }
        Ok(referrer)
    }

    /// The nomination, its texts checked (422 on a blank one).
    pub fn nomination(
        &self,
        nominating_org_id: Option<String>,
        referrer: Option<String>,
    ) -> Result<Nomination, ApiError> {
        Ok(Nomination {
            channel: self.channel,
            nominating_org_id,
            name: required_line("name", &self.name, 100)?,
            employer: required_line("employer", &self.employer, 200)?,
            title: required_line("title", &self.title, 200)?,
            birth_date: self.birth_date,
            experience_years: self.experience_years,
            achievements: required_text("achievements", &self.achievements, 5000)?,
            referrer,
            contact: self.contact.cleaned()?,
        })
    }
}

/// What a nomination by any channel stores, its texts checked.
#[derive(Debug, Clone)]
pub struct Nomination {
    pub channel: NominationChannel,
    pub nominating_org_id: Option<String>,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub birth_date: NaiveDate,
    pub experience_years: u32,
    pub achievements: String,
    pub referrer: Option<String>,
    pub contact: Contact,
}

impl Nomination {
    /// The candidate to store under `id`, routed to the lead department of `field`.
    pub fn into_new(self, id: String, field: &Field) -> NewCandidate {
        NewCandidate {
            id,
            channel: self.channel,
            field_code: field.code.clone(),
            lead_org_id: field.lead_org_id.clone(),
            nominating_org_id: self.nominating_org_id,
            name: self.name,
            employer: self.employer,
            title: self.title,
            birth_date: self.birth_date,
            experience_years: i32::try_from(self.experience_years).unwrap_or(i32::MAX),
            id_number: self.contact.id_number,
            phone: self.contact.phone,
            email: self.contact.email,
            address: self.contact.address,
            achievements: self.achievements,
            referrer: self.referrer,
        }
    }
}

/// Filters of the candidate list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidateFilter {
    /// Only candidates stored in this state (`notice_passed` finds `in_notice` candidates
    /// whose window is over).
    pub state: Option<CandidateState>,
    /// Only this field.
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 60>")]
    #[param(max_length = 60)]
    pub field: Option<String>,
    /// Only this channel.
    pub channel: Option<NominationChannel>,
    /// Only candidates on this recommendation list.
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 36>")]
    #[param(max_length = 36)]
    pub list_id: Option<String>,
    /// Only candidates on this notice.
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 36>")]
    #[param(max_length = 36)]
    pub notice_id: Option<String>,
}

impl CandidateFilter {
    /// The store's filter: `notice_passed` is stored as `in_notice`.
    pub fn stored(&self) -> store::CandidateFilter {
        store::CandidateFilter {
            state: self.state.map(|s| match s {
                CandidateState::NoticePassed => CandidateState::InNotice,
                s => s,
            }),
            field: self.field.clone(),
            channel: self.channel,
            list_id: self.list_id.clone(),
            notice_id: self.notice_id.clone(),
        }
    }
}

/// The lead department's preliminary review.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct PreliminaryReviewRequest {
    /// A verdict and a note on each of education, career, competence and ethics (Art. 4.1).
    #[validate(length(min = 1, max = 8), nested)]
    #[schema(min_items = 1, max_items = 8)]
    pub aspects: Vec<AspectReviewBody>,
    /// The attestations of Art. 5.1, 5.3 and 5.4 (all three needed to pass).
    #[serde(default)]
    #[validate(length(max = 10))]
    #[schema(max_items = 10)]
    pub attestations: Vec<Attestation>,
    /// An overall note.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

impl PreliminaryReviewRequest {
    /// The aspects with their notes as stored (an empty note when blank; 422 on a note the
    /// text policy refuses).
    pub fn cleaned_aspects(&self) -> Result<Vec<AspectReviewBody>, ApiError> {
        self.aspects
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let note = optional_text(&format!("aspects[{i}].note"), Some(&a.note), 2000)?;
                Ok(AspectReviewBody {
                    note: note.unwrap_or_default(),
                    ..a.clone()
                })
            })
            .collect()
    }
}

/// The aspects as the domain reviews them.
pub fn domain_aspects(aspects: &[AspectReviewBody]) -> Vec<AspectReview> {
    aspects
        .iter()
        .map(|a| AspectReview {
            aspect: a.aspect,
            verdict: a.verdict,
            note: a.note.clone(),
        })
        .collect()
}

/// Why a failed review rejects the candidate: each failed aspect with its note.
pub fn review_failures(aspects: &[AspectReviewBody]) -> String {
    aspects
        .iter()
        .filter(|a| a.verdict == Verdict::Fail)
        .map(|a| format!("{}: {}", a.aspect, a.note))
        .collect::<Vec<_>>()
        .join("; ")
}

/// HRSS's background check, made with the departments concerned.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct BackgroundCheckRequest {
    pub passed: bool,
    /// What the check found (personal data: shown to hrss, government and auditor only).
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub findings: String,
    /// The departments consulted (会同有关部门).
    #[serde(default)]
    #[validate(length(max = 20), custom(function = "consulted_at_most"))]
    #[schema(schema_with = crate::http::text::string_list_schema::<0, 20, 200>)]
    pub consulted: Vec<String>,
}

impl BackgroundCheckRequest {
    /// The departments consulted, each one line of at most 100 characters (422 otherwise).
    pub fn consulted(&self) -> Result<Vec<String>, ApiError> {
        self.consulted
            .iter()
            .enumerate()
            .map(|(i, c)| required_line(&format!("consulted[{i}]"), c, 100))
            .collect()
    }

    /// The findings as stored, with the departments consulted (422 when blank).
    pub fn findings_text(&self, consulted: &[String]) -> Result<String, ApiError> {
        let findings = required_text("findings", &self.findings, 5000)?;
        Ok(if consulted.is_empty() {
            findings
        } else {
            format!("{findings}\n(consulted: {})", consulted.join(", "))
        })
    }
}

/// Why the candidate is withdrawn.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct WithdrawalRequest {
    #[validate(length(min = 1, max = 1000))]
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub reason: String,
}

/// The appointment: term, agreement and certificate.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AppointmentRequest {
    /// Whole years, 1 to 3 (Art. 3).
    /// Whole years, 1 to 3 (Art. 3); another length is refused (409).
    #[schema(example = 2, minimum = 1, maximum = 3)]
    pub term_years: u32,
    /// First day of the term (China Standard Time); the end date is derived.
    pub starts_on: NaiveDate,
    /// Reference of the signed appointment agreement (聘任协议).
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "二政顾聘〔2026〕3号",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub agreement_ref: String,
    /// Certificate number (聘书编号), unique; trimmed and upper-cased.
    #[validate(length(max = 100))]
    #[schema(
        example = "EL-GW-2026-003",
        max_length = 100,
        pattern = r"^\s*[A-Za-z0-9/-]{3,40}\s*$"
    )]
    pub certificate_no: String,
    /// Why the term differs from the one proposed on the public notice (Art. 4.5–4.6):
    /// required then (`term_differs_from_notice` without it), kept in the audit trail.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub term_change_reason: Option<String>,
}

impl AppointmentRequest {
    /// The agreement reference and the canonical certificate number (422 otherwise).
    pub fn documents(&self) -> Result<(String, String), ApiError> {
        let agreement_ref = required_line("agreement_ref", &self.agreement_ref, 200)?;
        let certificate_no = appointment::normalize_certificate_no(&self.certificate_no)
            .map_err(|v| ApiError::invalid_field("certificate_no", v.message))?;
        Ok((agreement_ref, certificate_no))
    }

    /// The reason for a term that differs from the notice, trimmed (422 when too long or
    /// refused by the text policy).
    pub fn term_change_reason(&self) -> Result<Option<String>, ApiError> {
        optional_text(
            "term_change_reason",
            self.term_change_reason.as_deref(),
            2000,
        )
    }
}

/// HRSS's request for an exception to the age limit after the executive meeting (Art. 5.5).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AgeExceptionRequest {
    /// The special circumstances (特殊情况) that justify relaxing the limit.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
}

/// The government's decision on a requested age exception (Art. 5.5).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AgeExceptionDecisionRequest {
    pub approved: bool,
    /// The reference of the government's decision (e.g. the meeting or document).
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub decision_ref: String,
    /// Required when refused.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

fn consulted_at_most(names: &[String]) -> Result<(), validator::ValidationError> {
    crate::http::text::items_at_most::<200>(names)
}
