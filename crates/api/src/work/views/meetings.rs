//! Meetings, attendance and minutes (Art. 8, 11).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, Utc};
use guwen_domain::{
    participation::{ExcuseStatus, InvitationResponse},
    time::to_cst,
    work::{self, Attendance, Confidentiality, MeetingOrganizer},
};
use guwen_persistence::{
    audit::truncate_to_micros,
    store::work::{AttendanceRecord, Invitation, Meeting, Minutes, MinutesText, NewMeeting},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::confidentiality::confidentiality_or_internal;
use crate::prelude::*;

/// An invited advisor and their attendance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvitationView {
    pub advisor_id: String,
    pub advisor_name: String,
    /// Not yet recorded when absent from the response.
    pub attendance: Option<Attendance>,
    pub excuse_reason: Option<String>,
    /// True when the absence is unexcused at a government meeting (evidence under Art. 12.3).
    pub unexcused_absence: bool,
    /// When the invitation was withdrawn because the advisor left office (Art. 12, 13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<DateTime<FixedOffset>>,
    /// The advisor's answer (Art. 8): a department meeting may be declined; declining a
    /// government meeting is an excuse request HRSS decides.
    pub response: Option<InvitationResponse>,
    pub response_reason: Option<String>,
    pub responded_at: Option<DateTime<FixedOffset>>,
    /// Where the excuse request stands (government meetings only).
    pub excuse_status: Option<ExcuseStatus>,
    /// HRSS's note on its decision.
    pub excuse_note: Option<String>,
}

impl InvitationView {
    /// The view of one invitation to a meeting of `organizer`.
    pub fn build(i: Invitation, advisor_name: String, organizer: MeetingOrganizer) -> Self {
        Self {
            advisor_id: i.advisor_id,
            advisor_name,
            attendance: i.attendance,
            excuse_reason: i.excuse_reason,
            unexcused_absence: i
                .attendance
                .is_some_and(|a| work::is_unexcused_absence(organizer, a)),
            withdrawn_at: i.withdrawn_at.map(to_cst),
            response: i.response,
            response_reason: i.response_reason,
            responded_at: i.responded_at.map(to_cst),
            excuse_status: i.excuse_status,
            excuse_note: i.excuse_note,
        }
    }
}

/// One opinion in the minutes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AdvisorOpinionEntry {
    #[validate(length(max = crate::http::text::ID_LEN))]
    #[schema(max_length = 36)]
    pub advisor_id: String,
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub opinion: String,
}

/// One department's opinion in the minutes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct DepartmentOpinionEntry {
    #[validate(length(max = crate::http::text::ORG_ID_LEN))]
    #[schema(max_length = 100)]
    pub org_id: String,
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub opinion: String,
}

/// The minutes (会议纪要, Art. 11).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MinutesView {
    pub summary: String,
    pub advisor_opinions: Vec<AdvisorOpinionEntry>,
    pub department_opinions: Vec<DepartmentOpinionEntry>,
    pub updated_by: String,
    pub updated_at: DateTime<FixedOffset>,
    /// Set once finalised: the minutes are then immutable.
    pub finalized_at: Option<DateTime<FixedOffset>>,
    /// When the finalised minutes were forwarded to the government.
    pub forwarded_at: Option<DateTime<FixedOffset>>,
}

impl TryFrom<Minutes> for MinutesView {
    type Error = ApiError;

    fn try_from(m: Minutes) -> Result<Self, ApiError> {
        let advisor_opinions = m.opinions_of_advisors().map_err(ApiError::internal)?;
        let department_opinions = m.opinions_of_departments().map_err(ApiError::internal)?;
        Ok(Self {
            summary: m.summary,
            advisor_opinions: advisor_opinions
                .into_iter()
                .map(|(advisor_id, opinion)| AdvisorOpinionEntry {
                    advisor_id,
                    opinion,
                })
                .collect(),
            department_opinions: department_opinions
                .into_iter()
                .map(|(org_id, opinion)| DepartmentOpinionEntry { org_id, opinion })
                .collect(),
            updated_by: m.updated_by,
            updated_at: to_cst(m.updated_at),
            finalized_at: m.finalized_at.map(to_cst),
            forwarded_at: m.forwarded_at.map(to_cst),
        })
    }
}

/// A meeting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingView {
    pub id: String,
    pub organizer: MeetingOrganizer,
    /// The organising department (for department meetings).
    pub organizer_org_id: Option<String>,
    pub title: String,
    pub agenda: String,
    pub held_at: DateTime<FixedOffset>,
    pub location: Option<String>,
    pub confidentiality: Confidentiality,
    /// The task the meeting serves, if any.
    pub task_id: Option<String>,
    /// Attendance is required for invited advisors at government meetings (Art. 8 ¶1) and
    /// optional at department meetings (Art. 8 ¶2).
    pub attendance_required: bool,
    /// Invitations (an advisor sees only their own).
    pub invitations: Vec<InvitationView>,
    pub participating_org_ids: Vec<String>,
    pub minutes: Option<MinutesView>,
    pub created_at: DateTime<FixedOffset>,
}

impl MeetingView {
    /// The view of a meeting with the invitations shown to the caller.
    pub fn build(
        m: Meeting,
        invitations: Vec<InvitationView>,
        participating_org_ids: Vec<String>,
        minutes: Option<MinutesView>,
    ) -> Self {
        Self {
            id: m.id,
            organizer: m.organizer,
            organizer_org_id: m.organizer_org_id,
            title: m.title,
            agenda: m.agenda,
            held_at: to_cst(m.held_at),
            location: m.location,
            confidentiality: m.confidentiality,
            task_id: m.task_id,
            attendance_required: work::attendance_required(m.organizer),
            invitations,
            participating_org_ids,
            minutes,
            created_at: to_cst(m.created_at),
        }
    }
}

/// A new meeting.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateMeetingRequest {
    /// HRSS only: `government` (default) or `department` (with `organizer_org_id`). The
    /// government's meetings are `government`; a department's are its own.
    pub organizer: Option<MeetingOrganizer>,
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub organizer_org_id: Option<String>,
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "口岸高质量发展专题研讨会",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub title: String,
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub agenda: String,
    pub held_at: DateTime<FixedOffset>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub location: Option<String>,
    /// `internal` (default), `work_secret` or `commercial_secret` (Art. 7.1).
    #[schema(max_length = 40)]
    pub confidentiality: Option<String>,
    /// The advisors invited (in office).
    #[validate(length(min = 1, max = 100), custom(function = "ids_at_most"))]
    #[schema(schema_with = crate::http::text::string_list_schema::<1, 100, 36>)]
    pub invited_advisor_ids: Vec<String>,
    /// The departments taking part, whose opinions the minutes must record (Art. 11).
    #[serde(default)]
    #[validate(length(max = 50), custom(function = "org_ids_at_most"))]
    #[schema(schema_with = crate::http::text::string_list_schema::<0, 50, 100>)]
    pub participating_org_ids: Vec<String>,
    /// The task the meeting serves.
    #[validate(length(max = crate::http::text::ID_LEN))]
    #[schema(max_length = 36)]
    pub task_id: Option<String>,
}

/// A meeting request whose values are checked, waiting for its id and organiser.
#[derive(Debug, Clone)]
pub struct MeetingDraft {
    title: String,
    agenda: String,
    held_at: DateTime<Utc>,
    location: Option<String>,
    confidentiality: Confidentiality,
    task_id: Option<String>,
    /// Each invited advisor once.
    pub invited_advisor_ids: Vec<String>,
    /// Each participating department once, trimmed, blanks left out.
    pub participating_org_ids: Vec<String>,
}

impl CreateMeetingRequest {
    /// Checks the values (422 on the first bad one).
    pub fn draft(&self) -> Result<MeetingDraft, ApiError> {
        let confidentiality = confidentiality_or_internal(self.confidentiality.as_deref())?;
        let title = required_line("title", &self.title, 200)?;
        let agenda = required_text("agenda", &self.agenda, 10000)?;
        let location = optional_line("location", self.location.as_deref(), 200)?;
        identifiers("invited_advisor_ids", &self.invited_advisor_ids, ID_MAX)?;
        optional_identifier("task_id", self.task_id.as_deref(), ID_MAX)?;
        let invited: BTreeSet<String> = self.invited_advisor_ids.iter().cloned().collect();
        let mut departments = BTreeSet::new();
        for (i, o) in self.participating_org_ids.iter().enumerate() {
            let o = o.trim();
            if !o.is_empty() {
                identifier(&format!("participating_org_ids[{i}]"), o, ORG_ID_MAX)?;
                departments.insert(o.to_owned());
            }
        }
        Ok(MeetingDraft {
            title,
            agenda,
            held_at: self.held_at.with_timezone(&Utc),
            location,
            confidentiality,
            task_id: self.task_id.clone(),
            invited_advisor_ids: invited.into_iter().collect(),
            participating_org_ids: departments.into_iter().collect(),
        })
    }
}

impl MeetingDraft {
    /// The task the meeting serves, if any.
    pub fn task_id(&self) -> Option<&str> {
        self.task_id.as_deref()
    }

    /// The meeting to insert for this organiser, created at `created_at`.
    pub fn into_new_meeting(
        self,
        id: String,
        organizer: MeetingOrganizer,
        organizer_org_id: Option<String>,
        created_by: &str,
        created_at: DateTime<Utc>,
    ) -> NewMeeting {
        NewMeeting {
            meeting: Meeting {
                id,
                organizer,
                organizer_org_id,
                created_by: created_by.to_owned(),
                title: self.title,
                agenda: self.agenda,
                held_at: truncate_to_micros(self.held_at),
                location: self.location,
                confidentiality: self.confidentiality,
                task_id: self.task_id,
                created_at,
            },
            invited_advisor_ids: self.invited_advisor_ids,
            participating_org_ids: self.participating_org_ids,
        }
    }
}

/// Filters of the meeting list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingFilter {
    pub organizer: Option<MeetingOrganizer>,
}

/// One advisor's attendance.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AttendanceEntry {
    #[validate(length(max = crate::http::text::ID_LEN))]
    #[schema(max_length = 36)]
    pub advisor_id: String,
    pub attendance: Attendance,
    /// Required for `excused`.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub excuse_reason: Option<String>,
}

/// Attendance of invited advisors.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AttendanceRequest {
    #[validate(length(min = 1, max = 100), nested)]
    #[schema(min_items = 1, max_items = 100)]
    pub entries: Vec<AttendanceEntry>,
}

impl AttendanceRequest {
    /// The records to store, each for an invited advisor (422 otherwise) and with a reason
    /// when excused (Art. 8).
    pub fn records(&self, invited: &[Invitation]) -> Result<Vec<AttendanceRecord>, ApiError> {
        let mut out = Vec::with_capacity(self.entries.len());
        for (i, e) in self.entries.iter().enumerate() {
            identifier(&format!("entries[{i}].advisor_id"), &e.advisor_id, ID_MAX)?;
            if !invited
                .iter()
                .any(|i| i.advisor_id == e.advisor_id && i.withdrawn_at.is_none())
            {
                return Err(ApiError::invalid_field(
                    "entries",
                    format!(
                        "advisor {} is not invited to this meeting (or the invitation was withdrawn)",
                        e.advisor_id
                    ),
                ));
            }
            let reason = optional_text(
                &format!("entries[{i}].excuse_reason"),
                e.excuse_reason.as_deref(),
                2000,
            )?;
            work::check_attendance(e.attendance, reason.as_deref())?;
            out.push(AttendanceRecord {
                advisor_id: e.advisor_id.clone(),
                attendance: e.attendance,
                excuse_reason: reason.filter(|_| e.attendance == Attendance::Excused),
            });
        }
        Ok(out)
    }
}

/// The minutes' content.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct MinutesRequest {
    #[validate(length(min = 1, max = 50000))]
    #[schema(min_length = 1, max_length = 50000, pattern = r"\S")]
    pub summary: String,
    #[serde(default)]
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub advisor_opinions: Vec<AdvisorOpinionEntry>,
    #[serde(default)]
    #[validate(length(max = 50), nested)]
    #[schema(max_items = 50)]
    pub department_opinions: Vec<DepartmentOpinionEntry>,
}

impl MinutesRequest {
    /// The summary, checked first (422).
    pub fn summary(&self) -> Result<String, ApiError> {
        required_text("summary", &self.summary, 50000)
    }

    /// The text to store with the checked summary: opinions only of invited advisors and
    /// participating departments (422 otherwise).
    pub fn text(
        &self,
        summary: String,
        invited: &[Invitation],
        departments: &[String],
        written_by: &str,
    ) -> Result<MinutesText, ApiError> {
        let mut advisor_opinions = BTreeMap::new();
        for (i, e) in self.advisor_opinions.iter().enumerate() {
            identifier(
                &format!("advisor_opinions[{i}].advisor_id"),
                &e.advisor_id,
                ID_MAX,
            )?;
            if !invited.iter().any(|i| i.advisor_id == e.advisor_id) {
                return Err(ApiError::invalid_field(
                    "advisor_opinions",
                    format!("advisor {} is not invited to this meeting", e.advisor_id),
                ));
            }
            advisor_opinions.insert(
                e.advisor_id.clone(),
                required_text(&format!("advisor_opinions[{i}].opinion"), &e.opinion, 20000)?,
            );
        }
        let mut department_opinions = BTreeMap::new();
        for (i, e) in self.department_opinions.iter().enumerate() {
            identifier(
                &format!("department_opinions[{i}].org_id"),
                &e.org_id,
                ORG_ID_MAX,
            )?;
            if !departments.contains(&e.org_id) {
                return Err(ApiError::invalid_field(
                    "department_opinions",
                    format!("department {} does not take part in this meeting", e.org_id),
                ));
            }
            department_opinions.insert(
                e.org_id.clone(),
                required_text(
                    &format!("department_opinions[{i}].opinion"),
                    &e.opinion,
                    20000,
                )?,
            );
        }
        Ok(MinutesText {
            summary,
            advisor_opinions,
            department_opinions,
            written_by: written_by.to_owned(),
        })
    }
}

fn ids_at_most(ids: &[String]) -> Result<(), validator::ValidationError> {
    crate::http::text::items_at_most::<{ crate::http::text::ID_LEN }>(ids)
}

fn org_ids_at_most(ids: &[String]) -> Result<(), validator::ValidationError> {
    crate::http::text::items_at_most::<{ crate::http::text::ORG_ID_LEN }>(ids)
}
