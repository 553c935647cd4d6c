//! The facts behind inactivity evidence (Art. 12.3): the advisor's meetings and assignments in
//! a period. The domain ([`guwen_domain::office::inactivity_evidence`]) decides what counts.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use guwen_domain::{
    office::{AssessmentRecord, AssessmentState, AssignmentRecord, InactivityFacts, MeetingRecord},
    time::{cst, cst_date},
};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::entity::{assessment, assignment, meeting, meeting_invitation, task};

/// The start of a CST day as an instant.
fn day_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(cst()).single())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// The meetings held from `from` to `to` (CST dates, inclusive) the advisor was invited to,
/// the advisor's assignments whose task deadline falls in that period (with how many progress
/// reports each has, Art. 7(5)), and the advisor's annual assessments decided in it.
pub async fn inactivity_facts<C: ConnectionTrait>(
    db: &C,
    advisor_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<InactivityFacts, DbErr> {
    let invitations: HashMap<String, meeting_invitation::Model> =
        meeting_invitation::Entity::find()
            .filter(meeting_invitation::Column::AdvisorId.eq(advisor_id))
            .all(db)
            .await?
            .into_iter()
            .map(|i| (i.meeting_id.clone(), i))
            .collect();
    let mut meetings = Vec::new();
    if !invitations.is_empty() {
        let held = meeting::Entity::find()
            .filter(meeting::Column::Id.is_in(invitations.keys().cloned()))
            .filter(meeting::Column::HeldAt.gte(day_start(from)))
            .filter(meeting::Column::HeldAt.lt(day_start(to + Days::new(1))))
            .all(db)
            .await?;
        meetings = held
            .into_iter()
            .map(|m| MeetingRecord {
                attendance: invitations.get(&m.id).and_then(|i| i.attendance),
                held_on: cst_date(m.held_at),
                organizer: m.organizer,
                meeting_id: m.id,
                title: m.title,
            })
            .collect();
    }
    let assigned = assignment::Entity::find()
        .filter(assignment::Column::AdvisorId.eq(advisor_id))
        .all(db)
        .await?;
    let mut assignments = Vec::new();
    if !assigned.is_empty() {
        let tasks: HashMap<String, task::Model> = task::Entity::find()
            .filter(task::Column::Id.is_in(assigned.iter().map(|a| a.task_id.clone())))
            .filter(task::Column::Deadline.gte(from))
            .filter(task::Column::Deadline.lte(to))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id.clone(), t))
            .collect();
        let progress = crate::store::documents::progress_counts(
            db,
            assigned.iter().map(|a| a.id.clone()).collect(),
        )
        .await?;
        assignments = assigned
            .iter()
            .filter_map(|a| {
                tasks.get(&a.task_id).map(|t| AssignmentRecord {
                    task_id: t.id.clone(),
                    title: t.title.clone(),
                    deadline: t.deadline,
                    state: a.state,
                    timeliness: a.timeliness,
                    progress_reports: progress.get(&a.id).copied().unwrap_or(0),
                })
            })
            .collect();
    }
    let assessments = assessment::Entity::find()
        .filter(assessment::Column::AdvisorId.eq(advisor_id))
        .filter(assessment::Column::State.eq(AssessmentState::Decided))
        .filter(assessment::Column::DecidedAt.gte(day_start(from)))
        .filter(assessment::Column::DecidedAt.lt(day_start(to + Days::new(1))))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| {
            Some(AssessmentRecord {
                final_grade: a.final_grade?,
                decided_on: cst_date(a.decided_at?),
                assessment_id: a.id,
                year: a.year,
            })
        })
        .collect();
    Ok(InactivityFacts {
        meetings,
        assignments,
        assessments,
    })
}
