//! The annual assessment (Art. 16): reads, the year's facts computed from the work records,
//! the opening, the service units' opinions and the grades.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use guwen_domain::{
    Labelled,
    assessment::AssessmentFacts,
    office::{AssessmentState, Grade},
    time::cst,
    work::{AssignmentState, Attendance, Timeliness},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder,
};

use crate::{
    audit::{Context, truncate_to_micros},
    entity::{
        advisor, assessment, assessment_opinion, assignment, meeting, meeting_department,
        meeting_invitation, opinion, task,
    },
    store::{
        AdvisorScope, Event, ListFilter, Scope, StoreError, append, find_in_scope, insert_row,
        rows_by_id, update_if_state,
    },
};

pub use crate::entity::advisor::Model as Advisor;
pub use crate::entity::assessment::Model as Assessment;
pub use crate::entity::assessment_opinion::Model as AssessmentOpinion;

/// An advisor reads their own assessments once the government has decided them.
impl Scope<assessment::Entity> for AdvisorScope {
    fn readable(&self) -> Condition {
        let own = self.condition(assessment::Column::AdvisorId);
        match self {
            Self::Advisor(_) => own.add(assessment::Column::State.eq(AssessmentState::Decided)),
            Self::All | Self::Nobody => own,
        }
    }
}

/// One assessment, if `scope` lets the caller read it.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: &str,
    scope: &AdvisorScope,
) -> Result<Option<Assessment>, DbErr> {
    find_in_scope::<assessment::Entity, _>(db, id, scope).await
}

/// Filters of the assessment list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub advisor_id: Option<String>,
    pub year: Option<i32>,
    pub state: Option<AssessmentState>,
}

impl ListFilter for Filter {
    type Entity = assessment::Entity;
    fn condition(&self) -> Condition {
        Condition::all()
            .add_option(
                self.advisor_id
                    .clone()
                    .map(|a| assessment::Column::AdvisorId.eq(a)),
            )
            .add_option(self.year.map(|y| assessment::Column::Year.eq(y)))
            .add_option(self.state.map(|s| assessment::Column::State.eq(s)))
    }
}

/// One page of the assessments `scope` lets a caller read, by id.
pub use crate::store::page_in_scope as page;

/// The advisor's assessment for a year, if one is open.
pub async fn of_advisor_year<C: ConnectionTrait>(
    db: &C,
    advisor_id: &str,
    year: i32,
) -> Result<Option<Assessment>, DbErr> {
    assessment::Entity::find()
        .filter(assessment::Column::AdvisorId.eq(advisor_id))
        .filter(assessment::Column::Year.eq(year))
        .one(db)
        .await
}

/// The service units' opinions on an assessment, by department.
pub async fn opinions<C: ConnectionTrait>(
    db: &C,
    assessment_id: &str,
) -> Result<Vec<AssessmentOpinion>, DbErr> {
    assessment_opinion::Entity::find()
        .filter(assessment_opinion::Column::AssessmentId.eq(assessment_id))
        .order_by_asc(assessment_opinion::Column::OrgId)
        .all(db)
        .await
}

/// The facts stored with an assessment.
pub fn facts_of(a: &Assessment) -> Result<AssessmentFacts, serde_json::Error> {
    serde_json::from_str(&a.facts)
}

/// The advisor to assess, if there is one.
pub async fn advisor<C: ConnectionTrait>(db: &C, id: &str) -> Result<Option<Advisor>, DbErr> {
    advisor::Entity::find_by_id(id).one(db).await
}

/// The start of `year` and of the next, in China Standard Time.
fn year_bounds(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let at = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| t.and_local_timezone(cst()).single())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    };
    (at(year), at(year + 1))
}

/// Computes the year's facts for an advisor (CST calendar year) from the work records.
pub async fn year_facts<C: ConnectionTrait>(
    db: &C,
    advisor_id: &str,
    year: i32,
    today: NaiveDate,
) -> Result<AssessmentFacts, DbErr> {
    let (start, end) = year_bounds(year);
    let in_year = |t: DateTime<Utc>| t >= start && t < end;
    let mut f = AssessmentFacts::default();
    let mut units = BTreeSet::new();
    let assignments = assignment::Entity::find()
        .filter(assignment::Column::AdvisorId.eq(advisor_id))
        .all(db)
        .await?;
    let task_ids: Vec<String> = assignments.iter().map(|a| a.task_id.clone()).collect();
    let tasks: BTreeMap<String, task::Model> =
        rows_by_id::<task::Entity, _, _>(db, task::Column::Id, task_ids, |t| t.id.clone()).await?;
    for a in &assignments {
        let Some(t) = tasks.get(&a.task_id) else {
            continue;
        };
        if in_year(a.assigned_at) {
            f.tasks_assigned += 1;
            if let Some(org) = &t.requester_org_id {
                units.insert(org.clone());
            }
        }
        if a.delivered_at.is_some_and(in_year) {
            f.tasks_delivered += 1;
            if a.timeliness == Some(Timeliness::Overdue) {
                f.tasks_overdue += 1;
            }
        } else if a.state == AssignmentState::Active
            && t.deadline < today
            && t.deadline.format("%Y").to_string() == year.to_string()
        {
            f.tasks_overdue += 1;
        }
    }
    for o in opinion::Entity::find()
        .filter(opinion::Column::AdvisorId.eq(advisor_id))
        .all(db)
        .await?
    {
        if in_year(o.submitted_at) {
            *f.opinions_by_channel
                .entry(o.channel.code().to_owned())
                .or_default() += 1;
        }
    }
    let invitations = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::AdvisorId.eq(advisor_id))
        .all(db)
        .await?;
    if !invitations.is_empty() {
        let meetings: BTreeMap<String, meeting::Model> = meeting::Entity::find()
            .filter(
                meeting::Column::Id.is_in(
                    invitations
                        .iter()
                        .map(|i| i.meeting_id.clone())
                        .collect::<Vec<_>>(),
                ),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id.clone(), m))
            .collect();
        for i in &invitations {
            let Some(m) = meetings.get(&i.meeting_id).filter(|m| in_year(m.held_at)) else {
                continue;
            };
            f.meetings_invited += 1;
            match i.attendance {
                Some(Attendance::Attended) => f.meetings_attended += 1,
                Some(Attendance::Excused) => f.meetings_excused += 1,
                Some(Attendance::Absent) => f.meetings_absent += 1,
                None => {}
            }
            if let Some(org) = &m.organizer_org_id {
                units.insert(org.clone());
            }
            for d in meeting_department::Entity::find()
                .filter(meeting_department::Column::MeetingId.eq(m.id.clone()))
                .all(db)
                .await?
            {
                units.insert(d.org_id);
            }
        }
    }
    f.service_units = units.into_iter().collect();
    Ok(f)
}

/// Opens assessment `id` of an advisor for a year as a draft with the year's facts, created by
/// the context's actor, and appends `event`. A second one for the advisor and year is
/// [`StoreError::Duplicate`].
pub async fn insert<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: String,
    advisor_id: &str,
    year: i32,
    facts: &AssessmentFacts,
    event: Event,
) -> Result<(), StoreError> {
    let now = truncate_to_micros(ctx.now);
    let facts = serde_json::to_string(facts).map_err(|e| DbErr::Json(e.to_string()))?;
    let row = Assessment {
        id,
        advisor_id: advisor_id.to_owned(),
        year,
        facts,
        state: AssessmentState::Draft,
        preliminary_grade: None,
        preliminary_comment: None,
        final_grade: None,
        final_comment: None,
        decided_by: None,
        decided_at: None,
        created_by: ctx.actor.sub.clone(),
        created_at: now,
        updated_at: now,
    };
    insert_row(tx, ctx, row, event).await?;
    Ok(())
}

/// Records (or replaces) a service unit's opinion on an assessment, given by the context's
/// actor, and appends `event`.
pub async fn give_opinion<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    assessment_id: &str,
    org_id: &str,
    opinion: String,
    suggested_grade: Option<Grade>,
    event: Event,
) -> Result<(), StoreError> {
    assessment_opinion::Entity::delete_many()
        .filter(assessment_opinion::Column::AssessmentId.eq(assessment_id))
        .filter(assessment_opinion::Column::OrgId.eq(org_id))
        .exec(tx)
        .await?;
    assessment_opinion::Entity::insert(assessment_opinion::ActiveModel {
        assessment_id: Set(assessment_id.to_owned()),
        org_id: Set(org_id.to_owned()),
        opinion: Set(opinion),
        suggested_grade: Set(suggested_grade),
        submitted_by: Set(ctx.actor.sub.clone()),
        submitted_at: Set(truncate_to_micros(ctx.now)),
    })
    .exec_without_returning(tx)
    .await?;
    append(tx, ctx, event).await?;
    Ok(())
}

/// Grades assessment `a`, moving it from its state to `to`, only if it is still in that state:
/// `decided` records the government's final grade (by the context's actor), otherwise HRSS's
/// preliminary one. Appends `event`.
pub async fn grade<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    a: &Assessment,
    to: AssessmentState,
    grade: Grade,
    comment: String,
    event: Event,
) -> Result<(), StoreError> {
    let changes = if to == AssessmentState::Decided {
        assessment::ActiveModel {
            final_grade: Set(Some(grade)),
            final_comment: Set(Some(comment)),
            decided_by: Set(Some(ctx.actor.sub.clone())),
            decided_at: Set(Some(truncate_to_micros(ctx.now))),
            ..Default::default()
        }
    } else {
        assessment::ActiveModel {
            preliminary_grade: Set(Some(grade)),
            preliminary_comment: Set(Some(comment)),
            ..Default::default()
        }
    };
    update_if_state::<assessment::Entity, _>(tx, ctx, &a.id, &[a.state], to, changes, event).await
}
