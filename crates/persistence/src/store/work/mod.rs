//! The work chapter's store (Art. 6–12): tasks, assignments, recusal requests, opinions,
//! meetings with their invitations, departments and minutes, and temporary experts.
//!
//! Who may see what is decided by the API's policy as a scope value ([`TaskScope`],
//! [`OpinionScope`], [`MeetingScope`]); this module turns each scope into the one SQL condition
//! that both the list and the by-id load use.

mod advisors;
mod assignments;
mod experts;
mod meetings;
mod opinions;
mod tasks;

pub use advisors::*;
pub use assignments::*;
pub use experts::*;
pub use meetings::*;
pub use opinions::*;
pub use tasks::*;

pub use crate::entity::{
    assignment::Model as Assignment, meeting::Model as Meeting,
    meeting_invitation::Model as Invitation, minutes::Model as Minutes, opinion::Model as Opinion,
    recusal_request::Model as RecusalRequest, task::Model as Task,
    temporary_expert::Model as TemporaryExpert,
};

/// Which tasks a caller may see (Art. 7.1, 10, 11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskScope {
    /// Every task.
    All,
    /// The tasks matching any of these; none when empty.
    AnyOf(Vec<TaskSight>),
}

/// One reason a caller sees a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskSight {
    /// Tasks a department requested for this organisation.
    RequestedByOrg(String),
    /// Tasks this advisor is assigned to, in a state that still shows the task.
    AssignedTo(String),
    /// Tasks whose confidentiality integrated systems may see.
    VisibleToIntegration,
}

/// Which opinions a caller may read (Art. 8, 9, 11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpinionScope {
    /// Every opinion.
    All,
    /// The opinions matching any of these; none when empty.
    AnyOf(Vec<OpinionSight>),
}

/// One reason a caller reads an opinion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpinionSight {
    /// This advisor's own opinions.
    ByAdvisor(String),
    /// Opinions on tasks a department requested for this organisation.
    OnTasksOfOrg(String),
}

/// Which meetings a caller may see (Art. 8, 11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingScope {
    /// Every meeting.
    All,
    /// The meetings matching any of these; none when empty.
    AnyOf(Vec<MeetingSight>),
}

/// One reason a caller sees a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingSight {
    /// Meetings this organisation organises or takes part in.
    OrganisedOrJoinedBy(String),
    /// Meetings this advisor is invited to.
    InvitedAdvisor(String),
}
