//! What waits for a step (`GET /me`): how many objects stay in the state a step takes them
//! from, one `COUNT` per kind, on the same stored states (and, for funds and assessments, the
//! same list filters) as the lists a front-end opens to act on them.

use chrono::{DateTime, NaiveDate, Utc};
use guwen_domain::{
    appointment::ObjectionStatus,
    nomination::{CandidateState, ListState},
    office::{ProposalState, ResignationState},
    role::Role,
    time::cst_day_end,
    work::{AssignmentState, RecusalState, TaskState},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    QueryTrait,
};

use crate::{
    entity::{
        assignment, candidate, dismissal_proposal, meeting, meeting_invitation, notice, objection,
        recommendation_list, recusal_request, renewal_proposal, resignation, task,
    },
    store::{
        AdvisorScope, assessment, count_in_scope,
        funds::{expenses, subsidies},
    },
};

/// One backlog to count.
#[derive(Debug, Clone)]
pub enum Backlog {
    /// Candidates stored in `state`, or only those of the fields `lead_org` leads.
    Candidates {
        state: CandidateState,
        lead_org: Option<String>,
    },
    /// Candidates in notice whose window is over on `today` with no objection open: shown as
    /// `notice_passed` (Art. 4.5, 4.6).
    NoticePassed {
        today: NaiveDate,
    },
    Lists(ListState),
    Objections(ObjectionStatus),
    /// Tasks in `state`, or only those requested by `requester` (the role, and a department's
    /// organisation).
    Tasks {
        state: TaskState,
        requester: Option<(Role, Option<String>)>,
    },
    Recusals(RecusalState),
    Dismissals(ProposalState),
    Renewals(ProposalState),
    Resignations(ResignationState),
    Expenses(expenses::Filter),
    Subsidies(subsidies::Filter),
    Assessments(assessment::Filter),
    /// An advisor's active assignments on tasks still running.
    OpenAssignments {
        advisor_id: String,
    },
    /// An advisor's invitations to meetings held from `now` on, attendance not yet recorded.
    UpcomingMeetings {
        advisor_id: String,
        now: DateTime<Utc>,
    },
}

/// How many objects the backlog holds.
pub async fn count<C: ConnectionTrait>(db: &C, backlog: &Backlog) -> Result<u64, DbErr> {
    match backlog {
        Backlog::Candidates { state, lead_org } => {
            let mut query = candidate::Entity::find().filter(candidate::Column::State.eq(*state));
            if let Some(org) = lead_org {
                query = query.filter(candidate::Column::LeadOrgId.eq(org.as_str()));
            }
            query.count(db).await
        }
        Backlog::NoticePassed { today } => {
            let over = notice::Entity::find()
                .select_only()
                .column(notice::Column::Id)
                .filter(notice::Column::ClosesAt.lt(cst_day_end(*today)))
                .into_query();
            let objected = objection::Entity::find()
                .select_only()
                .column(objection::Column::CandidateId)
                .filter(objection::Column::Status.eq(ObjectionStatus::Open))
                .into_query();
            candidate::Entity::find()
                .filter(candidate::Column::State.eq(CandidateState::InNotice))
                .filter(candidate::Column::NoticeId.in_subquery(over))
                .filter(candidate::Column::Id.not_in_subquery(objected))
                .count(db)
                .await
        }
        Backlog::Lists(state) => {
            recommendation_list::Entity::find()
                .filter(recommendation_list::Column::State.eq(*state))
                .count(db)
                .await
        }
        Backlog::Objections(status) => {
            objection::Entity::find()
                .filter(objection::Column::Status.eq(*status))
                .count(db)
                .await
        }
        Backlog::Tasks { state, requester } => {
            let mut query = task::Entity::find().filter(task::Column::State.eq(*state));
            if let Some((role, org)) = requester {
                query = query.filter(task::Column::RequesterRole.eq(*role));
                if let Some(org) = org {
                    query = query.filter(task::Column::RequesterOrgId.eq(org.as_str()));
                }
            }
            query.count(db).await
        }
        Backlog::Recusals(state) => {
            recusal_request::Entity::find()
                .filter(recusal_request::Column::State.eq(*state))
                .count(db)
                .await
        }
        Backlog::Dismissals(state) => {
            dismissal_proposal::Entity::find()
                .filter(dismissal_proposal::Column::State.eq(*state))
                .count(db)
                .await
        }
        Backlog::Renewals(state) => {
            renewal_proposal::Entity::find()
                .filter(renewal_proposal::Column::State.eq(*state))
                .count(db)
                .await
        }
        Backlog::Resignations(state) => {
            resignation::Entity::find()
                .filter(resignation::Column::State.eq(*state))
                .count(db)
                .await
        }
        Backlog::Expenses(filter) => count_in_scope(db, &AdvisorScope::All, filter).await,
        Backlog::Subsidies(filter) => count_in_scope(db, &AdvisorScope::All, filter).await,
        Backlog::Assessments(filter) => count_in_scope(db, &AdvisorScope::All, filter).await,
        Backlog::OpenAssignments { advisor_id } => {
            let running = task::Entity::find()
                .select_only()
                .column(task::Column::Id)
                .filter(task::Column::State.is_in([TaskState::Open, TaskState::Assigned]))
                .into_query();
            assignment::Entity::find()
                .filter(assignment::Column::AdvisorId.eq(advisor_id.as_str()))
                .filter(assignment::Column::State.eq(AssignmentState::Active))
                .filter(assignment::Column::TaskId.in_subquery(running))
                .count(db)
                .await
        }
        Backlog::UpcomingMeetings { advisor_id, now } => {
            let upcoming = meeting::Entity::find()
                .select_only()
                .column(meeting::Column::Id)
                .filter(meeting::Column::HeldAt.gte(*now))
                .into_query();
            meeting_invitation::Entity::find()
                .filter(meeting_invitation::Column::AdvisorId.eq(advisor_id.as_str()))
                .filter(meeting_invitation::Column::Attendance.is_null())
                .filter(meeting_invitation::Column::MeetingId.in_subquery(upcoming))
                .count(db)
                .await
        }
    }
}
