//! Advisors as shown (Art. 3, 4.6): the record, its terms and what the caller may do now.

use chrono::{DateTime, Days, FixedOffset, NaiveDate};
use guwen_domain::{
    office::{AdvisorStatus, OfficeAction},
    time::to_cst,
};
use guwen_persistence::store::office::{Advisor, Term};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::fields::FieldRef;
use crate::prelude::*;

/// An action the caller may take on an advisor now, with its article.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfficeActionLink {
    pub action: OfficeAction,
    #[schema(example = "Art. 12")]
    pub article: String,
    pub href: String,
}

/// An advisor's term.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermView {
    /// 1 for the first term, then renewals.
    pub number: i32,
    pub starts_on: NaiveDate,
    /// Last day of the term.
    pub ends_on: NaiveDate,
    pub years: i32,
    pub agreement_ref: String,
    pub certificate_no: String,
}

impl From<Term> for TermView {
    fn from(t: Term) -> Self {
        Self {
            number: t.number,
            starts_on: t.starts_on,
            ends_on: t.ends_on,
            years: t.years,
            agreement_ref: t.agreement_ref,
            certificate_no: t.certificate_no,
        }
    }
}

/// An advisor. `candidate_id`, `certificate_no`, `agreement_ref`, `terms` and `appointed_at`
/// are left out for departments, which see the basic fields only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdvisorView {
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field: FieldRef,
    /// The field's lead department.
    pub lead_org_id: String,
    pub status: AdvisorStatus,
    /// The current term.
    pub term_starts_on: NaiveDate,
    pub term_ends_on: NaiveDate,
    pub term_years: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_no: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreement_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appointed_at: Option<DateTime<FixedOffset>>,
    /// Every term, oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms: Option<Vec<TermView>>,
    pub updated_at: DateTime<FixedOffset>,
    /// What this caller may do now.
    pub allowed_actions: Vec<OfficeActionLink>,
}

/// The view of an advisor shown as `status`: with the full record (and `terms`, when given)
/// or the basic fields only.
pub fn advisor_view(
    a: &Advisor,
    field: FieldRef,
    status: AdvisorStatus,
    (full, terms): (bool, Option<Vec<Term>>),
    allowed_actions: Vec<OfficeActionLink>,
) -> AdvisorView {
    AdvisorView {
        id: a.id.clone(),
        name: a.name.clone(),
        employer: a.employer.clone(),
        title: a.title.clone(),
        field,
        lead_org_id: a.lead_org_id.clone(),
        status,
        term_starts_on: a.term_starts_on,
        term_ends_on: a.term_ends_on,
        term_years: a.term_years,
        candidate_id: full.then(|| a.candidate_id.clone()),
        certificate_no: full.then(|| a.certificate_no.clone()),
        agreement_ref: full.then(|| a.agreement_ref.clone()),
        appointed_at: full.then(|| to_cst(a.appointed_at)),
        terms: terms
            .filter(|_| full)
            .map(|ts| ts.into_iter().map(TermView::from).collect()),
        updated_at: to_cst(a.updated_at),
        allowed_actions,
    }
}

/// Filters of the advisor list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdvisorFilter {
    /// Only this status.
    pub status: Option<AdvisorStatus>,
    /// Only this field.
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 60>")]
    #[param(max_length = 60)]
    pub field: Option<String>,
}

/// The period of the evidence.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First day (CST); default one year before `to`.
    pub from: Option<NaiveDate>,
    /// Last day (CST); default today.
    pub to: Option<NaiveDate>,
}

impl Period {
    /// The first and last day (422 when `from` is after `to`).
    pub fn days(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), ApiError> {
        let to = self.to.unwrap_or(today);
        let from = self.from.unwrap_or_else(|| to - Days::new(365));
        if from > to {
            return Err(ApiError::invalid_field("from", "must not be after `to`"));
        }
        Ok((from, to))
    }
}
