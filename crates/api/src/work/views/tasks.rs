//! Tasks, assignments and matching (Art. 6, 7.6, 11).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use guwen_domain::{
    Labelled,
    role::Role,
    time::to_cst,
    work::{AssignmentState, Confidentiality, Ranked, TaskKind, TaskState, Timeliness, WorkAction},
};
use guwen_persistence::store::work::{AdvisorStanding, Assignment, Task, TaskListFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::confidentiality::parse_confidentiality;
use crate::fields::FieldRef;
use crate::prelude::*;

/// Who asked for the task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Requester {
    /// `government` or `department`.
    #[schema(example = "department")]
    pub role: String,
    pub org_id: Option<String>,
}

/// An advisor's assignment to a task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignmentView {
    pub id: String,
    pub task_id: String,
    pub advisor_id: String,
    pub advisor_name: String,
    pub state: AssignmentState,
    pub assigned_at: DateTime<FixedOffset>,
    pub inability_reason: Option<String>,
    pub released_at: Option<DateTime<FixedOffset>>,
    pub opinion_id: Option<String>,
    pub delivered_at: Option<DateTime<FixedOffset>>,
    /// Delivered on or before the deadline, or after it.
    pub timeliness: Option<Timeliness>,
}

impl AssignmentView {
    /// The view of an assignment, with its advisor's name.
    pub fn build(a: Assignment, advisor_name: String) -> Self {
        Self {
            id: a.id,
            task_id: a.task_id,
            advisor_id: a.advisor_id,
            advisor_name,
            state: a.state,
            assigned_at: to_cst(a.assigned_at),
            inability_reason: a.inability_reason,
            released_at: a.released_at.map(to_cst),
            opinion_id: a.opinion_id,
            delivered_at: a.delivered_at.map(to_cst),
            timeliness: a.timeliness,
        }
    }
}

/// An action the caller may take now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkActionLink {
    pub action: WorkAction,
    #[schema(example = "Art. 11")]
    pub article: String,
    pub href: String,
}

/// A task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskView {
    pub id: String,
    pub kind: TaskKind,
    pub title: String,
    pub description: String,
    pub field: FieldRef,
    pub requester: Requester,
    /// Last day for delivery (China Standard Time).
    pub deadline: NaiveDate,
    pub confidentiality: Confidentiality,
    /// A major issue: opinions must be written (Art. 9).
    pub major_issue: bool,
    /// Expertise the requester asked for in advance (Art. 11).
    pub requested_expertise: Option<String>,
    /// The organisation the matter concerns besides the requester (a company, a project
    /// owner): matching flags advisors whose declared interests name it (Art. 7(2)–(3)).
    pub counterpart: Option<String>,
    pub state: TaskState,
    pub closing_note: Option<String>,
    /// The assignments (an advisor sees only their own).
    pub assignments: Vec<AssignmentView>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    pub allowed_actions: Vec<WorkActionLink>,
}

impl TaskView {
    /// The view of a task with the assignments and actions shown to the caller.
    pub fn build(
        t: Task,
        field: FieldRef,
        assignments: Vec<AssignmentView>,
        allowed_actions: Vec<WorkActionLink>,
    ) -> Self {
        Self {
            id: t.id,
            kind: t.kind,
            title: t.title,
            description: t.description,
            field,
            requester: Requester {
                role: t.requester_role.code().to_owned(),
                org_id: t.requester_org_id,
            },
            deadline: t.deadline,
            confidentiality: t.confidentiality,
            major_issue: t.major_issue,
            requested_expertise: t.requested_expertise,
            counterpart: t.counterpart,
            state: t.state,
            closing_note: t.closing_note,
            assignments,
            created_at: to_cst(t.created_at),
            updated_at: to_cst(t.updated_at),
            allowed_actions,
        }
    }
}

/// A new task.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateTaskRequest {
    pub kind: TaskKind,
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "中蒙跨境物流通道建设论证",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub title: String,
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub description: String,
    /// Field code (see `GET /api/v1/fields`).
    #[schema(example = "logistics", max_length = 60)]
    pub field: String,
    /// Last day for delivery (China Standard Time), today or later.
    pub deadline: NaiveDate,
    /// `internal`, `work_secret` or `commercial_secret` (Art. 7.1). State secrets are not
    /// allowed in this system: `state_secret` and the like are refused with
    /// `state_secret_not_allowed`.
    #[schema(example = "internal", max_length = 40)]
    pub confidentiality: String,
    /// A major issue (重大问题): opinions on it must be written (Art. 9).
    #[serde(default)]
    pub major_issue: bool,
    /// Expertise asked for in advance (Art. 11, 事先商请).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub requested_expertise: Option<String>,
    /// The organisation the matter concerns besides the requester (Art. 7(2)–(3)): matching
    /// flags advisors whose declared interests name it.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub counterpart: Option<String>,
}

/// A task request whose values are checked, waiting for its id, requester and field.
#[derive(Debug, Clone)]
pub struct TaskDraft {
    kind: TaskKind,
    title: String,
    description: String,
    deadline: NaiveDate,
    confidentiality: Confidentiality,
    major_issue: bool,
    requested_expertise: Option<String>,
    counterpart: Option<String>,
}

impl CreateTaskRequest {
    /// Checks the values (422 on the first bad one; a state secret is refused, Art. 7.1).
    pub fn draft(&self, today: NaiveDate) -> Result<TaskDraft, ApiError> {
        let confidentiality = parse_confidentiality(&self.confidentiality)?;
        let title = required_line("title", &self.title, 200)?;
        let description = required_text("description", &self.description, 10000)?;
        let requested_expertise = optional_text(
            "requested_expertise",
            self.requested_expertise.as_deref(),
            2000,
        )?;
        let counterpart = optional_line("counterpart", self.counterpart.as_deref(), 200)?;
        if self.deadline < today {
            return Err(ApiError::invalid_field(
                "deadline",
                "must be today or later (China Standard Time)",
            ));
        }
        Ok(TaskDraft {
            kind: self.kind,
            title,
            description,
            deadline: self.deadline,
            confidentiality,
            major_issue: self.major_issue,
            requested_expertise,
            counterpart,
        })
    }
}

impl TaskDraft {
    /// The task to insert for this requester, in this (known) field, created at `now`: `open`,
    /// at its first version.
    pub fn into_new_task(
        self,
        id: String,
        requester: (Role, Option<String>),
        requester_sub: &str,
        field_code: String,
        now: DateTime<Utc>,
    ) -> Task {
        Task {
            id,
            kind: self.kind,
            title: self.title,
            description: self.description,
            field_code,
            requester_role: requester.0,
            requester_org_id: requester.1,
            requester_sub: requester_sub.to_owned(),
            deadline: self.deadline,
            confidentiality: self.confidentiality,
            major_issue: self.major_issue,
            requested_expertise: self.requested_expertise,
            counterpart: self.counterpart,
            state: TaskState::Open,
            version: 1,
            closing_note: None,
            created_at: now,
            updated_at: now,
        }
    }
}

/// Filters of the task list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskFilter {
    pub state: Option<TaskState>,
    pub kind: Option<TaskKind>,
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 60>")]
    #[param(max_length = 60)]
    pub field: Option<String>,
}

impl TaskFilter {
    /// The store's filter.
    pub fn to_store(&self) -> TaskListFilter {
        TaskListFilter {
            state: self.state,
            kind: self.kind,
            field_code: self.field.clone(),
        }
    }
}

/// A note on closing or cancelling a task.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct TaskNoteRequest {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub note: String,
}

/// An advisor ranked for a task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchView {
    pub rank: u32,
    pub advisor_id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field: FieldRef,
    pub field_match: bool,
    /// Assignments still open for this advisor.
    pub open_assignments: u32,
    /// Why the advisor ranks here.
    pub reasons: Vec<String>,
    /// Art. 7(2)–(3): declared interests in force on the task's day that name the requesting
    /// unit or the task's counterpart, each with the reason; HRSS decides whether to assign.
    pub interest_conflicts: Vec<String>,
}

impl MatchView {
    /// The view of one ranked advisor.
    pub fn build(
        r: Ranked,
        a: &AdvisorStanding,
        field: FieldRef,
        interest_conflicts: Vec<String>,
    ) -> Self {
        Self {
            rank: r.rank,
            advisor_id: r.advisor_id,
            name: a.name.clone(),
            employer: a.employer.clone(),
            title: a.title.clone(),
            field,
            field_match: r.field_match,
            open_assignments: r.open_assignments,
            reasons: r.reasons,
            interest_conflicts,
        }
    }
}

/// The ranked matches of a task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchList {
    pub task_id: String,
    pub items: Vec<MatchView>,
}

/// Whom to assign.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AssignRequest {
    #[validate(length(min = 1, max = 36))]
    #[schema(min_length = 1, max_length = 36, pattern = r"\S")]
    pub advisor_id: String,
}

/// Why the advisor cannot complete the task.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct InabilityRequest {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
}
