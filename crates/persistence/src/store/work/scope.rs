//! Who sees what, as values: the API's policy computes a scope, the store turns it into the
//! one SQL condition both the list and the by-id load use.

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
