//! Meetings (Art. 8, 11): convening, scoped reads, attendance and minutes.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use guwen_domain::work::{Attendance, MeetingOrganizer};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, ExprTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, UpdateMany, sea_query::Expr,
};

use super::{
    advisors::advisor_names,
    scope::{MeetingScope, MeetingSight},
};
use crate::{
    audit::{Context, truncate_to_micros},
    entity::{
        meeting::{self, Model as Meeting},
        meeting_department,
        meeting_invitation::{self, Model as Invitation},
        minutes::{self, Model as Minutes},
    },
    store::{Event, PageOf, PageRequest, StoreError, append, compare_and_set, page_of},
};

/// The SQL condition of a meeting scope (`None`: every meeting).
fn meeting_condition(scope: &MeetingScope) -> Option<Condition> {
    let MeetingScope::AnyOf(sights) = scope else {
        return None;
    };
    // An empty `any` would match everything: this member makes it match nothing instead.
    let mut any = Condition::any().add(meeting::Column::Id.eq("-"));
    for sight in sights {
        any = match sight {
            MeetingSight::OrganisedOrJoinedBy(org) => any
                .add(meeting::Column::OrganizerOrgId.eq(org.clone()))
                .add(
                    meeting::Column::Id.in_subquery(
                        meeting_department::Entity::find()
                            .select_only()
                            .column(meeting_department::Column::MeetingId)
                            .filter(meeting_department::Column::OrgId.eq(org.clone()))
                            .into_query(),
                    ),
                ),
            MeetingSight::InvitedAdvisor(advisor) => any.add(
                meeting::Column::Id.in_subquery(
                    meeting_invitation::Entity::find()
                        .select_only()
                        .column(meeting_invitation::Column::MeetingId)
                        .filter(meeting_invitation::Column::AdvisorId.eq(advisor.clone()))
                        .into_query(),
                ),
            ),
        };
    }
    Some(any)
}

/// One meeting, if it exists and the scope covers it.
pub async fn meeting_in_scope<C: ConnectionTrait>(
    db: &C,
    scope: &MeetingScope,
    id: &str,
) -> Result<Option<Meeting>, DbErr> {
    let mut query = meeting::Entity::find_by_id(id.to_owned());
    if let Some(condition) = meeting_condition(scope) {
        query = query.filter(condition);
    }
    query.one(db).await
}

/// One page of the meetings in scope, of one organiser when given.
pub async fn list_meetings<C: ConnectionTrait>(
    db: &C,
    scope: &MeetingScope,
    organizer: Option<MeetingOrganizer>,
    page: PageRequest<String>,
) -> Result<PageOf<Meeting, String>, DbErr> {
    let mut query = meeting::Entity::find();
    if let Some(condition) = meeting_condition(scope) {
        query = query.filter(condition);
    }
    if let Some(o) = organizer {
        query = query.filter(meeting::Column::Organizer.eq(o));
    }
    page_of(db, query, meeting::Column::Id, page, |m| m.id.clone()).await
}

/// What hangs off one meeting: invitations (by advisor id), participating departments (by
/// org id) and the minutes, if written.
#[derive(Debug, Clone, Default)]
pub struct MeetingRecords {
    pub invitations: Vec<Invitation>,
    pub departments: Vec<String>,
    pub minutes: Option<Minutes>,
}

/// The records of some meetings and the names of their invited advisors.
#[derive(Debug, Clone, Default)]
pub struct MeetingDetails {
    pub records: HashMap<String, MeetingRecords>,
    pub advisor_names: HashMap<String, String>,
}

impl MeetingDetails {
    /// Takes out the records of one meeting (empty when it has none).
    pub fn take(&mut self, meeting_id: &str) -> MeetingRecords {
        self.records.remove(meeting_id).unwrap_or_default()
    }
}

/// The invitations, departments and minutes of these meetings, with the advisors' names.
pub async fn meeting_details<C: ConnectionTrait>(
    db: &C,
    meetings: &[Meeting],
) -> Result<MeetingDetails, DbErr> {
    let ids: Vec<String> = meetings.iter().map(|m| m.id.clone()).collect();
    let mut records: HashMap<String, MeetingRecords> = HashMap::new();
    if ids.is_empty() {
        return Ok(MeetingDetails::default());
    }
    let invitations = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::MeetingId.is_in(ids.clone()))
        .order_by_asc(meeting_invitation::Column::AdvisorId)
        .all(db)
        .await?;
    let invited: Vec<String> = invitations.iter().map(|i| i.advisor_id.clone()).collect();
    for i in invitations {
        records
            .entry(i.meeting_id.clone())
            .or_default()
            .invitations
            .push(i);
    }
    for d in meeting_department::Entity::find()
        .filter(meeting_department::Column::MeetingId.is_in(ids.clone()))
        .order_by_asc(meeting_department::Column::OrgId)
        .all(db)
        .await?
    {
        records
            .entry(d.meeting_id)
            .or_default()
            .departments
            .push(d.org_id);
    }
    for m in minutes::Entity::find()
        .filter(minutes::Column::MeetingId.is_in(ids))
        .all(db)
        .await?
    {
        let id = m.meeting_id.clone();
        records.entry(id).or_default().minutes = Some(m);
    }
    Ok(MeetingDetails {
        records,
        advisor_names: advisor_names(db, invited).await?,
    })
}

/// A meeting to convene, with its invited advisors and participating departments.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    /// The meeting's row, stamped by the caller with [`Context::stamp`].
    pub meeting: Meeting,
    pub invited_advisor_ids: Vec<String>,
    pub participating_org_ids: Vec<String>,
}

/// Inserts a meeting, its invitations and departments, with its event.
pub async fn insert_meeting<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    new: NewMeeting,
    event: Event,
) -> Result<Meeting, StoreError> {
    let id = new.meeting.id.clone();
    meeting::Entity::insert(meeting::ActiveModel::from(new.meeting.clone()))
        .exec_without_returning(tx)
        .await?;
    for advisor_id in new.invited_advisor_ids {
        meeting_invitation::Entity::insert(meeting_invitation::ActiveModel {
            meeting_id: Set(id.clone()),
            advisor_id: Set(advisor_id),
            attendance: Set(None),
            excuse_reason: Set(None),
            recorded_at: Set(None),
            withdrawn_at: Set(None),
            response: Set(None),
            response_reason: Set(None),
            responded_at: Set(None),
            excuse_status: Set(None),
            excuse_note: Set(None),
            excuse_decided_by: Set(None),
            excuse_decided_at: Set(None),
        })
        .exec_without_returning(tx)
        .await?;
    }
    for org_id in new.participating_org_ids {
        meeting_department::Entity::insert(meeting_department::ActiveModel {
            meeting_id: Set(id.clone()),
            org_id: Set(org_id),
        })
        .exec_without_returning(tx)
        .await?;
    }
    append(tx, ctx, event).await?;
    Ok(new.meeting)
}

/// One invited advisor's attendance.
#[derive(Debug, Clone)]
pub struct AttendanceRecord {
    pub advisor_id: String,
    pub attendance: Attendance,
    pub excuse_reason: Option<String>,
}

/// Records the attendance of invited advisors, with one event for the whole record.
pub async fn record_attendance<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    meeting_id: &str,
    records: Vec<AttendanceRecord>,
    event: Event,
) -> Result<(), StoreError> {
    let now = truncate_to_micros(ctx.now);
    for r in records {
        meeting_invitation::Entity::update_many()
            .set(meeting_invitation::ActiveModel {
                attendance: Set(Some(r.attendance)),
                excuse_reason: Set(r.excuse_reason),
                recorded_at: Set(Some(now)),
                ..Default::default()
            })
            .filter(meeting_invitation::Column::MeetingId.eq(meeting_id))
            .filter(meeting_invitation::Column::AdvisorId.eq(r.advisor_id))
            .exec(tx)
            .await?;
    }
    append(tx, ctx, event).await?;
    Ok(())
}

/// The text of the minutes: the summary and the opinions by advisor and by department.
#[derive(Debug, Clone)]
pub struct MinutesText {
    pub summary: String,
    pub advisor_opinions: BTreeMap<String, String>,
    pub department_opinions: BTreeMap<String, String>,
    pub written_by: String,
}

/// Runs `update` on the draft minutes of a meeting; minutes finalised meanwhile (or none) are
/// [`StoreError::Stale`].
async fn update_draft_minutes<C: ConnectionTrait>(
    tx: &C,
    meeting_id: &str,
    update: UpdateMany<minutes::Entity>,
) -> Result<(), StoreError> {
    let update = update
        .filter(minutes::Column::MeetingId.eq(meeting_id))
        .filter(minutes::Column::FinalizedAt.is_null());
    compare_and_set(tx, update, "minutes", || "draft".to_owned()).await
}

/// Writes the first minutes of a meeting, or rewrites draft ones; minutes finalised meanwhile
/// are [`StoreError::Stale`].
pub async fn write_minutes<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    meeting_id: &str,
    first: bool,
    text: MinutesText,
    event: Event,
) -> Result<(), StoreError> {
    let now = truncate_to_micros(ctx.now);
    let encode = |m: &BTreeMap<String, String>| {
        serde_json::to_string(m).map_err(|e| DbErr::Custom(format!("minutes: {e}")))
    };
    let advisor_json = encode(&text.advisor_opinions)?;
    let department_json = encode(&text.department_opinions)?;
    if first {
        minutes::Entity::insert(minutes::ActiveModel {
            meeting_id: Set(meeting_id.to_owned()),
            summary: Set(text.summary),
            advisor_opinions: Set(advisor_json),
            department_opinions: Set(department_json),
            version: Set(1),
            updated_by: Set(text.written_by),
            updated_at: Set(now),
            finalized_at: Set(None),
            finalized_by: Set(None),
            forwarded_at: Set(None),
        })
        .exec_without_returning(tx)
        .await?;
    } else {
        let update = minutes::Entity::update_many()
            .set(minutes::ActiveModel {
                summary: Set(text.summary),
                advisor_opinions: Set(advisor_json),
                department_opinions: Set(department_json),
                updated_by: Set(text.written_by),
                updated_at: Set(now),
                ..Default::default()
            })
            .col_expr(
                minutes::Column::Version,
                Expr::col(minutes::Column::Version).add(1),
            );
        update_draft_minutes(tx, meeting_id, update).await?;
    }
    append(tx, ctx, event).await?;
    Ok(())
}

/// Finalises draft minutes and records their forwarding to the government (Art. 11); minutes
/// already final are [`StoreError::Stale`]. When the event names no before/after state, they
/// are `draft` and `finalized`.
pub async fn finalize_minutes<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    meeting_id: &str,
    finalized_by: &str,
    mut event: Event,
) -> Result<(), StoreError> {
    event.before.get_or_insert_with(|| "draft".to_owned());
    event.after.get_or_insert_with(|| "finalized".to_owned());
    let now = truncate_to_micros(ctx.now);
    let update = minutes::Entity::update_many().set(minutes::ActiveModel {
        finalized_at: Set(Some(now)),
        finalized_by: Set(Some(finalized_by.to_owned())),
        forwarded_at: Set(Some(now)),
        ..Default::default()
    });
    update_draft_minutes(tx, meeting_id, update).await?;
    append(tx, ctx, event).await?;
    Ok(())
}

/// Invitations of `advisor_id` to meetings not yet held at `now`, whose attendance is not
/// recorded and that are not withdrawn: what leaving office withdraws (Art. 12, 13).
pub async fn pending_invitations_of<C: ConnectionTrait>(
    db: &C,
    advisor_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Invitation>, DbErr> {
    let upcoming = meeting::Entity::find()
        .select_only()
        .column(meeting::Column::Id)
        .filter(meeting::Column::HeldAt.gt(now))
        .into_query();
    meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::AdvisorId.eq(advisor_id))
        .filter(meeting_invitation::Column::Attendance.is_null())
        .filter(meeting_invitation::Column::WithdrawnAt.is_null())
        .filter(meeting_invitation::Column::MeetingId.in_subquery(upcoming))
        .order_by_asc(meeting_invitation::Column::MeetingId)
        .all(db)
        .await
}

/// Withdraws one pending invitation, with its event; one withdrawn or recorded meanwhile is
/// [`StoreError::Stale`].
pub async fn withdraw_invitation<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    meeting_id: &str,
    advisor_id: &str,
    event: Event,
) -> Result<(), StoreError> {
    let update = meeting_invitation::Entity::update_many()
        .col_expr(
            meeting_invitation::Column::WithdrawnAt,
            Expr::value(truncate_to_micros(ctx.now)),
        )
        .filter(meeting_invitation::Column::MeetingId.eq(meeting_id))
        .filter(meeting_invitation::Column::AdvisorId.eq(advisor_id))
        .filter(meeting_invitation::Column::Attendance.is_null())
        .filter(meeting_invitation::Column::WithdrawnAt.is_null());
    compare_and_set(tx, update, "invitation", || "pending".to_owned()).await?;
    append(tx, ctx, event).await?;
    Ok(())
}
