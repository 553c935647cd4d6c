//! Public notices as published and as anyone reads them, and objections as HRSS sees and
//! resolves them (Art. 4.5).

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{
    appointment::{self, NoticeOutcome, NoticeWindow, ObjectionResolution, ObjectionStatus},
    time::to_cst,
};
use guwen_persistence::store::pipeline::{self as store, Candidate, Field, Notice, Objection};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::fields::{FieldRef, field_ref};

/// One candidate to put on notice.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct NoticeCandidate {
    #[validate(length(max = crate::http::text::ID_LEN))]
    #[schema(max_length = 36)]
    pub candidate_id: String,
    /// The proposed term, 1 to 3 years (Art. 3), published with the notice.
    #[validate(range(
        min = guwen_domain::appointment::MIN_TERM_YEARS,
        max = guwen_domain::appointment::MAX_TERM_YEARS
    ))]
    #[schema(minimum = 1, maximum = 3)]
    pub proposed_term_years: u32,
}

/// A new public notice.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateNoticeRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "二连浩特市人民政府顾问拟聘人选公示",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub title: String,
    /// First day of the 7-day window (China Standard Time). A notice already posted on the
    /// government portal may be recorded with its real start date, but not one before the
    /// report to the party committee; at most 90 days ahead.
    pub starts_on: NaiveDate,
    #[validate(length(min = 1, max = 50), nested)]
    #[schema(min_items = 1, max_items = 50)]
    pub candidates: Vec<NoticeCandidate>,
}

/// Where a notice stands today.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    /// Published, window not started.
    Scheduled,
    /// Objections accepted.
    Open,
    /// The 7 days are over.
    Closed,
}

/// A person on a public notice: public fields only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicNoticeCandidate {
    /// Quote it when filing an objection.
    pub candidate_id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field: FieldRef,
    /// The proposed term in years.
    pub proposed_term_years: Option<i32>,
    /// Art. 4.5–4.6: `appointed`, `not_appointed` (never why) or `pending`.
    pub outcome: NoticeOutcome,
}

/// A public notice (Art. 4.5): 7 calendar days in China Standard Time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicNotice {
    pub id: String,
    pub title: String,
    pub status: NoticeStatus,
    /// First day of the window.
    pub starts_on: NaiveDate,
    /// Last day of the window (the 7th).
    pub ends_on: NaiveDate,
    /// The instant the window closes (00:00 +08:00 after `ends_on`).
    pub closes_at: DateTime<FixedOffset>,
    pub published_at: DateTime<FixedOffset>,
    pub candidates: Vec<PublicNoticeCandidate>,
}

/// A notice as the public sees it on `today`, with its candidates' public fields.
pub fn public_notice(
    n: &Notice,
    candidates: Vec<Candidate>,
    fields: &HashMap<String, Field>,
    today: NaiveDate,
) -> PublicNotice {
    let window = NoticeWindow::from_start(n.starts_on);
    let status = if today < window.starts_on {
        NoticeStatus::Scheduled
    } else if window.is_open_on(today) {
        NoticeStatus::Open
    } else {
        NoticeStatus::Closed
    };
    PublicNotice {
        id: n.id.clone(),
        title: n.title.clone(),
        status,
        starts_on: window.starts_on,
        ends_on: window.ends_on,
        closes_at: window.closes_at(),
        published_at: to_cst(n.published_at),
        candidates: candidates
            .into_iter()
            .map(|c| PublicNoticeCandidate {
                field: field_ref(fields, &c.field_code),
                candidate_id: c.id,
                name: c.name,
                employer: c.employer,
                title: c.title,
                proposed_term_years: c.proposed_term_years,
                outcome: appointment::notice_outcome(c.state),
            })
            .collect(),
    }
}

/// An objection as HRSS sees it (with the filer's contact, if given).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObjectionView {
    pub id: String,
    pub notice_id: String,
    pub candidate_id: String,
    pub candidate_name: String,
    pub status: ObjectionStatus,
    pub content: String,
    pub contact_name: Option<String>,
    pub contact: Option<String>,
    pub filed_at: DateTime<FixedOffset>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<DateTime<FixedOffset>>,
    pub resolution_reason: Option<String>,
}

impl ObjectionView {
    /// An objection against the candidate named `candidate_name`.
    pub fn of(o: Objection, candidate_name: String) -> Self {
        Self {
            status: o.status,
            id: o.id,
            notice_id: o.notice_id,
            candidate_id: o.candidate_id,
            candidate_name,
            content: o.content,
            contact_name: o.contact_name,
            contact: o.contact,
            filed_at: to_cst(o.filed_at),
            resolved_by: o.resolved_by,
            resolved_at: o.resolved_at.map(to_cst),
            resolution_reason: o.resolution_reason,
        }
    }
}

/// Filters of the objection list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ObjectionFilter {
    pub status: Option<ObjectionStatus>,
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 36>")]
    #[param(max_length = 36)]
    pub notice_id: Option<String>,
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 36>")]
    #[param(max_length = 36)]
    pub candidate_id: Option<String>,
}

impl ObjectionFilter {
    /// The store's filter.
    pub fn stored(&self) -> store::ObjectionFilter {
        store::ObjectionFilter {
            status: self.status,
            notice_id: self.notice_id.clone(),
            candidate_id: self.candidate_id.clone(),
        }
    }
}

/// HRSS's resolution of an objection.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ResolutionRequest {
    /// `upheld` rejects the candidate; `dismissed` leaves the notice running.
    pub resolution: ObjectionResolution,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
}
