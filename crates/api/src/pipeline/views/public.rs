//! What the public sends and gets without a token (Art. 4.1, 4.5, 4.6): objections, the
//! roster and self-nominations. Public responses carry name, employer, title, field and term
//! only.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{appointment::ObjectionStatus, nomination::NominationChannel};
use guwen_persistence::store::pipeline::{Advisor, Field, Objection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::{candidate::Contact, steps::Nomination};
use crate::fields::{FieldRef, field_ref};
use crate::prelude::*;

/// An objection from the public.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ObjectionRequest {
    /// The candidate objected to (from the notice).
    #[validate(length(max = crate::http::text::ID_LEN))]
    #[schema(max_length = 36)]
    pub candidate_id: String,
    /// The objection and its grounds.
    #[validate(length(min = 10, max = 5000))]
    #[schema(min_length = 10, max_length = 5000)]
    pub content: String,
    /// Optional: who objects (kept for HRSS only).
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub contact_name: Option<String>,
    /// Optional: how to reach them (kept for HRSS only).
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub contact: Option<String>,
}

/// An objection's texts, checked: content, contact name and contact.
pub struct ObjectionTexts {
    pub content: String,
    pub contact_name: Option<String>,
    pub contact: Option<String>,
}

impl ObjectionRequest {
    /// The texts, trimmed (422 when the content is blank or a text too long).
    pub fn texts(&self) -> Result<ObjectionTexts, ApiError> {
        identifier("candidate_id", &self.candidate_id, ID_MAX)?;
        Ok(ObjectionTexts {
            content: required_text("content", &self.content, 5000)?,
            contact_name: optional_line("contact_name", self.contact_name.as_deref(), 100)?,
            contact: optional_line("contact", self.contact.as_deref(), 200)?,
        })
    }
}

/// The receipt of an objection.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObjectionReceipt {
    pub id: String,
    pub notice_id: String,
    pub candidate_id: String,
    pub status: ObjectionStatus,
    pub filed_at: DateTime<FixedOffset>,
}

crate::view::from_record!(Objection => ObjectionReceipt {
    id, notice_id, candidate_id, status;
    filed_at
});

/// An advisor on the public roster: public fields only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterEntry {
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field: FieldRef,
    pub term_starts_on: NaiveDate,
    pub term_ends_on: NaiveDate,
}

impl RosterEntry {
    /// The public fields of an advisor in office.
    pub fn of(a: Advisor, fields: &HashMap<String, Field>) -> Self {
        Self {
            field: field_ref(fields, &a.field_code),
            id: a.id,
            name: a.name,
            employer: a.employer,
            title: a.title,
            term_starts_on: a.term_starts_on,
            term_ends_on: a.term_ends_on,
        }
    }
}

/// An expert's own nomination.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct SelfNominationRequest {
    /// Field code (see `GET /api/v1/fields`); the nomination goes to its lead department.
    #[schema(example = "logistics", max_length = 60)]
    pub field: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub employer: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    pub birth_date: NaiveDate,
    /// Years of professional work or research (at least 5, Art. 5.2).
    #[validate(range(max = 80))]
    #[schema(minimum = 0, maximum = 80)]
    pub experience_years: u32,
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub achievements: String,
    /// A phone number or an e-mail address is required.
    #[validate(nested)]
    pub contact: Contact,
}

impl SelfNominationRequest {
    /// A phone number or an e-mail address (422 when neither is given).
    pub fn check_reachable(&self) -> Result<(), ApiError> {
        let contact = self.contact.cleaned()?;
        if contact.phone.is_none() && contact.email.is_none() {
            return Err(ApiError::invalid_field(
                "contact",
                "a phone number or an e-mail address is required",
            ));
        }
        Ok(())
    }

    /// The self-nomination, its texts checked (422 on a blank one).
    pub fn nomination(&self) -> Result<Nomination, ApiError> {
        Ok(Nomination {
            channel: NominationChannel::SelfNomination,
            nominating_org_id: None,
            name: required_line("name", &self.name, 100)?,
            employer: required_line("employer", &self.employer, 200)?,
            title: required_line("title", &self.title, 200)?,
            birth_date: self.birth_date,
            experience_years: self.experience_years,
            achievements: required_text("achievements", &self.achievements, 5000)?,
            referrer: None,
            contact: self.contact.cleaned()?,
        })
    }
}

/// The receipt of a self-nomination.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SelfNominationReceipt {
    /// Reference of the nomination.
    pub id: String,
    pub channel: NominationChannel,
    pub field: FieldRef,
    /// The department that will review it.
    pub routed_to_org_id: String,
    pub received_at: DateTime<FixedOffset>,
}
