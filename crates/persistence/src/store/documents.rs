//! Attachments and documents of record (Art. 4.6, 7(5), 11, 13): the attachment rows (the bytes
//! are in the object store), progress reports, the documents drafted from minutes, and the
//! certificates and agreements of each term with their revocation.
//!
//! Who may see an attachment is who may see its owner: the API loads the owner through its
//! chapter's scope first, then reads the attachments of that owner here.

use std::collections::HashMap;

use chrono::NaiveDate;
use guwen_domain::documents::{AdvisorDocumentState, AttachmentOwner};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use crate::{
    audit::{Context, truncate_to_micros},
    entity::{advisor_document, advisor_term, attachment, meeting_document, progress_report},
    store::{Event, StoreError, append, update_if_state},
};

pub use crate::entity::{
    advisor_document::Model as AdvisorDocument, advisor_term::Model as Term,
    attachment::Model as Attachment, meeting_document::Model as MeetingDocument,
    progress_report::Model as ProgressReport,
};

/// The attachments of one object, oldest first.
pub async fn attachments_of<C: ConnectionTrait>(
    db: &C,
    owner: AttachmentOwner,
    owner_id: &str,
) -> Result<Vec<Attachment>, DbErr> {
    let mut each = attachments_of_each(db, owner, [owner_id.to_owned()]).await?;
    Ok(each.remove(owner_id).unwrap_or_default())
}

/// The attachments of each of `owner_ids` (objects of one kind), oldest first, by owner: one
/// query however many objects, for a list that shows each object with its files.
pub async fn attachments_of_each<C: ConnectionTrait>(
    db: &C,
    owner: AttachmentOwner,
    owner_ids: impl IntoIterator<Item = String>,
) -> Result<HashMap<String, Vec<Attachment>>, DbErr> {
    let ids: Vec<String> = owner_ids.into_iter().collect();
    let mut each: HashMap<String, Vec<Attachment>> = HashMap::new();
    if ids.is_empty() {
        return Ok(each);
    }
    let rows = attachment::Entity::find()
        .filter(attachment::Column::OwnerType.eq(owner))
        .filter(attachment::Column::OwnerId.is_in(ids))
        .order_by_asc(attachment::Column::Id)
        .all(db)
        .await?;
    for a in rows {
        each.entry(a.owner_id.clone()).or_default().push(a);
    }
    Ok(each)
}

/// One attachment by id (the caller checks its owner's visibility).
pub async fn attachment_by_id<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<Attachment>, DbErr> {
    attachment::Entity::find_by_id(id.to_owned()).one(db).await
}

/// A progress report to record.
#[derive(Debug, Clone)]
pub struct NewProgressReport {
    pub id: String,
    pub assignment_id: String,
    pub task_id: String,
    pub advisor_id: String,
    pub text: String,
}

/// Records a progress report with its event (Art. 7(5)).
pub async fn insert_progress_report<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    new: NewProgressReport,
    event: Event,
) -> Result<ProgressReport, StoreError> {
    let id = new.id.clone();
    progress_report::Entity::insert(progress_report::ActiveModel {
        id: Set(new.id),
        assignment_id: Set(new.assignment_id),
        task_id: Set(new.task_id),
        advisor_id: Set(new.advisor_id),
        text: Set(new.text),
        reported_at: Set(truncate_to_micros(ctx.now)),
    })
    .exec_without_returning(tx)
    .await?;
    append(tx, ctx, event).await?;
    Ok(progress_report::Entity::find_by_id(id.clone())
        .one(tx)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("progress report {id}")))?)
}

/// One progress report by id (the caller checks its task's visibility).
pub async fn progress_report_by_id<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<ProgressReport>, DbErr> {
    progress_report::Entity::find_by_id(id.to_owned())
        .one(db)
        .await
}

/// The progress reports on a task, oldest first: every advisor's, or only `advisor`'s.
pub async fn progress_reports_of_task<C: ConnectionTrait>(
    db: &C,
    task_id: &str,
    advisor: Option<&str>,
) -> Result<Vec<ProgressReport>, DbErr> {
    let mut query =
        progress_report::Entity::find().filter(progress_report::Column::TaskId.eq(task_id));
    if let Some(a) = advisor {
        query = query.filter(progress_report::Column::AdvisorId.eq(a));
    }
    query
        .order_by_asc(progress_report::Column::Id)
        .all(db)
        .await
}

/// How many progress reports each of these assignments has (absent: none).
pub async fn progress_counts<C: ConnectionTrait>(
    db: &C,
    assignment_ids: Vec<String>,
) -> Result<HashMap<String, u32>, DbErr> {
    let mut counts = HashMap::new();
    if assignment_ids.is_empty() {
        return Ok(counts);
    }
    for r in progress_report::Entity::find()
        .filter(progress_report::Column::AssignmentId.is_in(assignment_ids))
        .all(db)
        .await?
    {
        *counts.entry(r.assignment_id).or_insert(0u32) += 1;
    }
    Ok(counts)
}

/// A document drafted from minutes to record (Art. 11).
#[derive(Debug, Clone)]
pub struct NewMeetingDocument {
    pub id: String,
    pub meeting_id: String,
    pub title: String,
    pub reference: String,
    pub submitted_on: NaiveDate,
}

/// Records a document drafted from the minutes and its submission, with its event.
pub async fn insert_meeting_document<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    new: NewMeetingDocument,
    event: Event,
) -> Result<MeetingDocument, StoreError> {
    let id = new.id.clone();
    meeting_document::Entity::insert(meeting_document::ActiveModel {
        id: Set(new.id),
        meeting_id: Set(new.meeting_id),
        title: Set(new.title),
        reference: Set(new.reference),
        submitted_on: Set(new.submitted_on),
        recorded_by: Set(ctx.actor.sub.clone()),
        recorded_at: Set(truncate_to_micros(ctx.now)),
    })
    .exec_without_returning(tx)
    .await?;
    append(tx, ctx, event).await?;
    Ok(meeting_document::Entity::find_by_id(id.clone())
        .one(tx)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("meeting document {id}")))?)
}

/// The documents drafted from a meeting's minutes, oldest first.
pub async fn meeting_documents_of<C: ConnectionTrait>(
    db: &C,
    meeting_id: &str,
) -> Result<Vec<MeetingDocument>, DbErr> {
    meeting_document::Entity::find()
        .filter(meeting_document::Column::MeetingId.eq(meeting_id))
        .order_by_asc(meeting_document::Column::Id)
        .all(db)
        .await
}

/// One document drafted from minutes by id (the caller checks its meeting's visibility).
pub async fn meeting_document_by_id<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<MeetingDocument>, DbErr> {
    meeting_document::Entity::find_by_id(id.to_owned())
        .one(db)
        .await
}

/// The advisor's term numbered `number`, or their latest term when `None`.
pub async fn term_of<C: ConnectionTrait>(
    db: &C,
    advisor_id: &str,
    number: Option<i32>,
) -> Result<Option<Term>, DbErr> {
    let mut query =
        advisor_term::Entity::find().filter(advisor_term::Column::AdvisorId.eq(advisor_id));
    if let Some(n) = number {
        query = query.filter(advisor_term::Column::Number.eq(n));
    }
    query
        .order_by_desc(advisor_term::Column::Number)
        .one(db)
        .await
}

/// The certificates and agreements of an advisor, oldest first.
pub async fn advisor_documents_of<C: ConnectionTrait>(
    db: &C,
    advisor_id: &str,
) -> Result<Vec<AdvisorDocument>, DbErr> {
    advisor_document::Entity::find()
        .filter(advisor_document::Column::AdvisorId.eq(advisor_id))
        .order_by_asc(advisor_document::Column::Id)
        .all(db)
        .await
}

/// One certificate or agreement by id (the caller checks its advisor's visibility).
pub async fn advisor_document_by_id<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<AdvisorDocument>, DbErr> {
    advisor_document::Entity::find_by_id(id.to_owned())
        .one(db)
        .await
}

/// Art. 12, 13 (收回聘书): revokes every issued certificate and agreement of the advisor, each
/// with the event `event_of` makes for it, in the caller's transaction (the one that records
/// the departure). Answers the revoked documents.
pub async fn revoke_advisor_documents<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    advisor_id: &str,
    reason: &str,
    event_of: impl Fn(&AdvisorDocument) -> Event,
) -> Result<Vec<AdvisorDocument>, StoreError> {
    let issued = advisor_document::Entity::find()
        .filter(advisor_document::Column::AdvisorId.eq(advisor_id))
        .filter(advisor_document::Column::State.eq(AdvisorDocumentState::Issued))
        .order_by_asc(advisor_document::Column::Id)
        .all(tx)
        .await?;
    for d in &issued {
        let changes = advisor_document::ActiveModel {
            revoked_at: Set(Some(truncate_to_micros(ctx.now))),
            revoked_reason: Set(Some(reason.to_owned())),
            ..Default::default()
        };
        update_if_state::<advisor_document::Entity, _>(
            tx,
            ctx,
            &d.id,
            &[AdvisorDocumentState::Issued],
            AdvisorDocumentState::Revoked,
            changes,
            event_of(d),
        )
        .await?;
    }
    Ok(issued)
}
