//! Answers to invitations and excuse decisions (Art. 8).

use guwen_domain::{
    participation::{ExcuseStatus, InvitationResponse},
    work::Attendance,
};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::{
    audit::{Context, truncate_to_micros},
    entity::meeting_invitation::{self, Model as Invitation},
    store::{Event, StoreError, append, compare_and_set},
};

/// One invitation of an advisor to a meeting, if it exists.
pub async fn invitation<C: ConnectionTrait>(
    db: &C,
    meeting_id: &str,
    advisor_id: &str,
) -> Result<Option<Invitation>, DbErr> {
    meeting_invitation::Entity::find_by_id((meeting_id.to_owned(), advisor_id.to_owned()))
        .one(db)
        .await
}

/// What an advisor's answer records.
#[derive(Debug, Clone)]
pub struct InvitationAnswer {
    pub response: InvitationResponse,
    pub reason: Option<String>,
    /// Attendance recorded at once (a declined department meeting: `excused`).
    pub attendance: Option<Attendance>,
    /// The excuse request a declined government meeting opens.
    pub excuse: Option<ExcuseStatus>,
}

/// Records the advisor's answer, with its event, on an invitation still unanswered, without
/// attendance and not withdrawn; otherwise [`StoreError::Stale`].
pub async fn answer_invitation<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    (meeting_id, advisor_id): (&str, &str),
    answer: InvitationAnswer,
    event: Event,
) -> Result<(), StoreError> {
    let now = truncate_to_micros(ctx.now);
    let excuse_reason = answer
        .attendance
        .is_some()
        .then(|| answer.reason.clone())
        .flatten();
    let update = meeting_invitation::Entity::update_many()
        .set(meeting_invitation::ActiveModel {
            response: Set(Some(answer.response)),
            response_reason: Set(answer.reason),
            responded_at: Set(Some(now)),
            excuse_status: Set(answer.excuse),
            attendance: Set(answer.attendance),
            excuse_reason: Set(excuse_reason),
            recorded_at: Set(answer.attendance.map(|_| now)),
            ..Default::default()
        })
        .filter(meeting_invitation::Column::MeetingId.eq(meeting_id))
        .filter(meeting_invitation::Column::AdvisorId.eq(advisor_id))
        .filter(meeting_invitation::Column::Response.is_null())
        .filter(meeting_invitation::Column::Attendance.is_null())
        .filter(meeting_invitation::Column::WithdrawnAt.is_null());
    compare_and_set(tx, update, "invitation", || "unanswered".to_owned()).await?;
    append(tx, ctx, event).await?;
    Ok(())
}

/// HRSS's decision on an excuse request.
#[derive(Debug, Clone)]
pub struct ExcuseRecord {
    pub status: ExcuseStatus,
    /// `excused` when granted, with the advisor's reason.
    pub attendance: Option<Attendance>,
    pub excuse_reason: Option<String>,
    pub note: Option<String>,
    pub decided_by: String,
}

/// Records HRSS's decision on a pending excuse request, with its event; one decided or with
/// attendance recorded meanwhile is [`StoreError::Stale`].
pub async fn decide_excuse<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    (meeting_id, advisor_id): (&str, &str),
    record: ExcuseRecord,
    event: Event,
) -> Result<(), StoreError> {
    let now = truncate_to_micros(ctx.now);
    let mut changes = meeting_invitation::ActiveModel {
        excuse_status: Set(Some(record.status)),
        excuse_note: Set(record.note),
        excuse_decided_by: Set(Some(record.decided_by)),
        excuse_decided_at: Set(Some(now)),
        ..Default::default()
    };
    if record.attendance.is_some() {
        changes.attendance = Set(record.attendance);
        changes.excuse_reason = Set(record.excuse_reason);
        changes.recorded_at = Set(Some(now));
    }
    let update = meeting_invitation::Entity::update_many()
        .set(changes)
        .filter(meeting_invitation::Column::MeetingId.eq(meeting_id))
        .filter(meeting_invitation::Column::AdvisorId.eq(advisor_id))
        .filter(meeting_invitation::Column::ExcuseStatus.eq(ExcuseStatus::Requested))
        .filter(meeting_invitation::Column::Attendance.is_null());
    compare_and_set(tx, update, "invitation", || {
        "awaiting an excuse decision".to_owned()
    })
    .await?;
    append(tx, ctx, event).await?;
    Ok(())
}
