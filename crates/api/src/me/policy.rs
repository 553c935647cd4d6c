//! What awaits a caller: every backlog whose next step the caller's roles may take (asked of
//! the access table, i.e. the `security` the step's endpoint declares), narrowed to the
//! caller's own objects where the step is theirs only: a department reviews the candidates of
//! the fields it leads and closes the tasks it requested, an advisor in office delivers their
//! own assignments and attends their own meetings.

use actix_web::http::Method;
use chrono::{DateTime, NaiveDate, Utc};
use guwen_domain::{
    Labelled,
    appointment::ObjectionStatus,
    awaiting::Awaiting,
    funds::{ExpenseState, SubsidyState},
    nomination::{CandidateState, ListState},
    office::{AssessmentState, ProposalState, ResignationState},
    role::Role,
    work::{RecusalState, TaskState},
};
use guwen_persistence::store::{
    assessment,
    awaiting::Backlog,
    funds::{expenses, subsidies},
};

use crate::http::access::AccessTable;
use crate::prelude::*;

/// One backlog the caller takes the next step on, and the list a front-end opens for it.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub kind: Awaiting,
    pub href: String,
    pub backlog: Backlog,
}

/// The step each kind waits for: the method and route pattern whose roles take it.
fn step(kind: Awaiting) -> (Method, &'static str) {
    use Awaiting::*;
    let post = |pattern| (Method::POST, pattern);
    match kind {
        CandidatesAwaitingPreliminaryReview => post("/api/v1/candidates/{id}/preliminary-review"),
        CandidatesAwaitingBackgroundCheck => post("/api/v1/candidates/{id}/background-check"),
        CandidatesAwaitingList => post("/api/v1/recommendation-lists"),
        ListsAwaitingDecision => post("/api/v1/recommendation-lists/{id}/decision"),
        CandidatesAwaitingNotice => post("/api/v1/notices"),
        ObjectionsOpen => post("/api/v1/objections/{id}/resolution"),
        CandidatesAwaitingAppointment => post("/api/v1/candidates/{id}/appointment"),
        TasksAwaitingAssignment => post("/api/v1/tasks/{id}/assignments"),
        RecusalsAwaitingDecision => post("/api/v1/recusal-requests/{id}/decision"),
        TasksAwaitingClosure => post("/api/v1/tasks/{id}/closure"),
        DismissalsAwaitingDecision => post("/api/v1/dismissal-proposals/{id}/decision"),
        ResignationsAwaitingProposal => post("/api/v1/resignations/{id}/proposal"),
        ResignationsAwaitingDecision => post("/api/v1/resignations/{id}/decision"),
        RenewalsAwaitingDecision => post("/api/v1/renewal-proposals/{id}/decision"),
        ExpensesAwaitingFinanceReview => post("/api/v1/expenses/{id}/finance-review"),
        ExpensesAwaitingApproval | ReviewedExpensesAwaitingApproval => {
            post("/api/v1/expenses/{id}/approval")
        }
        ExpensesAwaitingPayment => post("/api/v1/expenses/{id}/payment"),
        SubsidiesAwaitingDecision => post("/api/v1/subsidies/{id}/decision"),
        SubsidiesAwaitingPayment => post("/api/v1/subsidies/{id}/payment"),
        AssessmentsAwaitingPreliminary => post("/api/v1/assessments/{id}/preliminary"),
        AssessmentsAwaitingDecision => post("/api/v1/assessments/{id}/decision"),
        OpenAssignments => post("/api/v1/opinions"),
        UpcomingMeetings => (Method::GET, "/api/v1/meetings"),
    }
}

fn candidates(state: CandidateState, lead_org: Option<String>) -> (String, Backlog) {
    (
        format!("/api/v1/candidates?state={}", state.code()),
        Backlog::Candidates { state, lead_org },
    )
}

fn expenses(state: ExpenseState, strictly_controlled: Option<bool>) -> (String, Backlog) {
    let mut href = format!("/api/v1/expenses?state={}", state.code());
    if let Some(s) = strictly_controlled {
        href.push_str(&format!("&strictly_controlled={s}"));
    }
    let filter = expenses::Filter {
        state: Some(state),
        strictly_controlled,
        ..Default::default()
    };
    (href, Backlog::Expenses(filter))
}

fn subsidies(state: SubsidyState) -> (String, Backlog) {
    let filter = subsidies::Filter {
        state: Some(state),
        ..Default::default()
    };
    let href = format!("/api/v1/subsidies?state={}", state.code());
    (href, Backlog::Subsidies(filter))
}

fn assessments(state: AssessmentState) -> (String, Backlog) {
    let filter = assessment::Filter {
        state: Some(state),
        ..Default::default()
    };
    let href = format!("/api/v1/assessments?state={}", state.code());
    (href, Backlog::Assessments(filter))
}

fn listed(path: &str, state: impl Labelled, backlog: Backlog) -> (String, Backlog) {
    (format!("/api/v1/{path}?state={}", state.code()), backlog)
}

/// The department's organisation, for a department token that carries one.
fn department_org(caller: &Caller) -> Option<String> {
    caller
        .has(Role::Department)
        .then(|| caller.org_id().map(str::to_owned))
        .flatten()
}

/// The backlog of `kind` this caller works on, and its list (none: not the caller's).
fn backlog_of(
    kind: Awaiting,
    caller: &Caller,
    advisor_in_office: Option<&str>,
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Option<(String, Backlog)> {
    use Awaiting::*;
    Some(match kind {
        CandidatesAwaitingPreliminaryReview => {
            let lead = if caller.has(Role::Hrss) {
                None
            } else {
                Some(department_org(caller)?)
            };
            candidates(CandidateState::Nominated, lead)
        }
        CandidatesAwaitingBackgroundCheck => candidates(CandidateState::PreReviewed, None),
        CandidatesAwaitingList => candidates(CandidateState::BackgroundChecked, None),
        ListsAwaitingDecision => listed(
            "recommendation-lists",
            ListState::Submitted,
            Backlog::Lists(ListState::Submitted),
        ),
        CandidatesAwaitingNotice => candidates(CandidateState::Approved, None),
        ObjectionsOpen => (
            "/api/v1/objections?status=open".to_owned(),
            Backlog::Objections(ObjectionStatus::Open),
        ),
        CandidatesAwaitingAppointment => (
            format!("/api/v1/candidates?state={}", CandidateState::NoticePassed),
            Backlog::NoticePassed { today },
        ),
        TasksAwaitingAssignment => listed(
            "tasks",
            TaskState::Open,
            Backlog::Tasks {
                state: TaskState::Open,
                requester: None,
            },
        ),
        RecusalsAwaitingDecision => listed(
            "recusal-requests",
            RecusalState::Pending,
            Backlog::Recusals(RecusalState::Pending),
        ),
        TasksAwaitingClosure => {
            // HRSS closes any task; the government and a department those they requested.
            let requester = if caller.has(Role::Hrss) {
                None
            } else if caller.has(Role::Government) {
                Some((Role::Government, None))
            } else {
                Some((Role::Department, Some(department_org(caller)?)))
            };
            let state = TaskState::Delivered;
            listed("tasks", state, Backlog::Tasks { state, requester })
        }
        DismissalsAwaitingDecision => listed(
            "dismissal-proposals",
            ProposalState::Pending,
            Backlog::Dismissals(ProposalState::Pending),
        ),
        ResignationsAwaitingProposal => listed(
            "resignations",
            ResignationState::Requested,
            Backlog::Resignations(ResignationState::Requested),
        ),
        ResignationsAwaitingDecision => listed(
            "resignations",
            ResignationState::Proposed,
            Backlog::Resignations(ResignationState::Proposed),
        ),
        RenewalsAwaitingDecision => listed(
            "renewal-proposals",
            ProposalState::Pending,
            Backlog::Renewals(ProposalState::Pending),
        ),
        ExpensesAwaitingFinanceReview => expenses(ExpenseState::Submitted, Some(true)),
        ExpensesAwaitingApproval => expenses(ExpenseState::Submitted, Some(false)),
        ReviewedExpensesAwaitingApproval => expenses(ExpenseState::FinanceReviewed, None),
        ExpensesAwaitingPayment => expenses(ExpenseState::Approved, None),
        SubsidiesAwaitingDecision => subsidies(SubsidyState::PendingDecision),
        SubsidiesAwaitingPayment => subsidies(SubsidyState::Approved),
        AssessmentsAwaitingPreliminary => assessments(AssessmentState::Draft),
        AssessmentsAwaitingDecision => assessments(AssessmentState::Preliminary),
        OpenAssignments => listed(
            "tasks",
            TaskState::Assigned,
            Backlog::OpenAssignments {
                advisor_id: advisor_in_office?.to_owned(),
            },
        ),
        UpcomingMeetings => (
            "/api/v1/meetings".to_owned(),
            Backlog::UpcomingMeetings {
                advisor_id: advisor_in_office?.to_owned(),
                now,
            },
        ),
    })
}

/// Everything that awaits the caller, in the catalogue's order: `advisor_in_office` is the
/// caller's own advisor id when they are an advisor in office.
pub fn awaiting(
    access: &AccessTable,
    caller: &Caller,
    advisor_in_office: Option<&str>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Vec<Waiting> {
    Awaiting::all()
        .iter()
        .copied()
        .filter(|kind| {
            let (method, pattern) = step(*kind);
            access.permits(caller, &method, pattern)
        })
        .filter_map(|kind| {
            let (href, backlog) = backlog_of(kind, caller, advisor_in_office, (today, now))?;
            Some(Waiting {
                kind,
                href,
                backlog,
            })
        })
        .collect()
}
