//! Who sees and who may add to the objects of this part (Art. 4.6, 7(5), 11, 13), reusing the
//! scopes of the chapters the objects belong to: an attachment is visible exactly to those who
//! see its owner (an opinion, a progress report, a resignation, a meeting's minutes, a document
//! drafted from them, a certificate or agreement), and nobody else learns it exists (404).
//!
//! - An advisor sees their own progress reports, opinions, resignation, certificates and
//!   agreements, and the minutes and documents of meetings they were invited to.
//! - Integrated systems see the progress on tasks of the `internal` level only (Art. 7.1), as
//!   they see those tasks; nothing personal (resignations, certificates) and no meeting records.
//! - The public sees none of it: every endpoint needs a token.

use actix_web::http::Method;
use chrono::NaiveDate;
use guwen_domain::{
    documents::{self, AttachmentOwner},
    role::Role,
    work::{self, Confidentiality},
};
use guwen_persistence::store::{
    AdvisorScope, Connection,
    documents::{self as store, AdvisorDocument, MeetingDocument, ProgressReport},
    office::{self as office_store, Resignation, Resignations},
    work::{self as work_store, Meeting, Opinion, Task},
};

use crate::{
    http::access::AccessTable,
    office::{policy as office_policy, standing::acting_advisor},
    prelude::*,
    work::policy as work_policy,
};

/// The route of uploading an attachment.
pub const UPLOAD: &str = "/api/v1/{owner}/{id}/attachments";
/// The route of recording a document drafted from the minutes.
pub const MEETING_DOCUMENTS: &str = "/api/v1/meetings/{id}/documents";

/// HRSS, the government and auditors see every object of this part.
pub fn sees_everything(caller: &Caller) -> bool {
    caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor)
}

/// Whether the caller reads every progress report on the task `t` it sees (HRSS, the
/// government, auditors, the requester, and integrated systems on `internal` tasks), or only
/// its own (an assigned advisor).
pub fn sees_all_progress(caller: &Caller, t: &Task) -> bool {
    sees_everything(caller)
        || work_policy::is_requester(caller, t)
        || (caller.has(Role::Integration) && t.confidentiality == Confidentiality::Internal)
}

/// The task `id` as the caller may see it (404 otherwise).
pub async fn visible_task(
    db: &impl Connection,
    caller: &Caller,
    id: &str,
) -> Result<Task, ApiError> {
    work_store::task_in_scope(db, &work_policy::task_scope(caller), id)
        .await?
        .ok_or_else(|| ApiError::not_found("task"))
}

/// The progress report `id` if the caller may read it (404 otherwise): the task must be one
/// the caller sees, and an advisor reads only their own reports.
pub async fn visible_progress(
    db: &impl Connection,
    caller: &Caller,
    id: &str,
) -> Result<(ProgressReport, Task), ApiError> {
    let missing = || ApiError::not_found("progress report");
    let r = store::progress_report_by_id(db, id)
        .await?
        .ok_or_else(missing)?;
    let t = work_store::task_in_scope(db, &work_policy::task_scope(caller), &r.task_id)
        .await?
        .ok_or_else(missing)?;
    if sees_all_progress(caller, &t) || caller.advisor_id() == Some(r.advisor_id.as_str()) {
        Ok((r, t))
    } else {
        Err(missing())
    }
}

/// The meeting `id` as the caller may see it (404 otherwise).
pub async fn visible_meeting(
    db: &impl Connection,
    caller: &Caller,
    id: &str,
) -> Result<Meeting, ApiError> {
    work_store::meeting_in_scope(db, &work_policy::meeting_scope(caller), id)
        .await?
        .ok_or_else(|| ApiError::not_found("meeting"))
}

/// Whether the caller sees the advisor `advisor_id`'s certificates and agreements: HRSS, the
/// government, auditors, and the advisor themself.
pub fn sees_advisor_documents(caller: &Caller, advisor_id: &str) -> bool {
    sees_everything(caller) || office_policy::is_own_advisor(caller, advisor_id)
}

/// The object an attachment belongs to, as the caller sees it.
pub enum Owner {
    Opinion(Opinion),
    Progress(ProgressReport),
    Resignation(Resignation),
    Minutes(Meeting),
    MeetingDocument(MeetingDocument, Meeting),
    AdvisorDocument(AdvisorDocument),
}

/// The object `id` of kind `owner` if the caller may see it (404 naming the kind otherwise).
pub async fn visible_owner(
    db: &impl Connection,
    caller: &Caller,
    owner: AttachmentOwner,
    id: &str,
) -> Result<Owner, ApiError> {
    use AttachmentOwner as K;
    Ok(match owner {
        K::Opinions => Owner::Opinion(
            work_store::opinion_in_scope(db, &work_policy::opinion_scope(caller), id)
                .await?
                .ok_or_else(|| ApiError::not_found("opinion"))?,
        ),
        K::ProgressReports => Owner::Progress(visible_progress(db, caller, id).await?.0),
        K::Resignations => {
            let r = office_store::find::<Resignations, _>(db, id)
                .await?
                .filter(|r| match office_policy::resignation_scope(caller) {
                    AdvisorScope::All => true,
                    AdvisorScope::Advisor(own) => own == r.advisor_id,
                    AdvisorScope::Nobody => false,
                })
                .ok_or_else(|| ApiError::not_found("resignation"))?;
            Owner::Resignation(r)
        }
        K::Minutes => Owner::Minutes(visible_meeting(db, caller, id).await?),
        K::MeetingDocuments => {
            let missing = || ApiError::not_found("meeting document");
            let d = store::meeting_document_by_id(db, id)
                .await?
                .ok_or_else(missing)?;
            let m = work_store::meeting_in_scope(
                db,
                &work_policy::meeting_scope(caller),
                &d.meeting_id,
            )
            .await?
            .ok_or_else(missing)?;
            Owner::MeetingDocument(d, m)
        }
        K::AdvisorDocuments => Owner::AdvisorDocument(
            store::advisor_document_by_id(db, id)
                .await?
                .filter(|d| sees_advisor_documents(caller, &d.advisor_id))
                .ok_or_else(|| ApiError::not_found("advisor document"))?,
        ),
    })
}

/// Refuses (403) a caller who is not the advisor `advisor_id`, then requires that advisor to
/// be in office on `today` (409 `advisor_not_in_office`).
async fn own_and_in_office(
    db: &impl Connection,
    caller: &Caller,
    advisor_id: &str,
    today: NaiveDate,
    what: &str,
) -> Result<(), ApiError> {
    if !(caller.has(Role::Advisor) && caller.advisor_id() == Some(advisor_id)) {
        return Err(ApiError::forbidden(format!(
            "only the advisor who wrote the {what} attaches files to it"
        )));
    }
    acting_advisor(db, caller, today).await?;
    Ok(())
}

/// Whether the caller may attach a file to `owner` now (403 for someone else, 409 when the
/// object is closed): its author advisor (in office) for opinions, progress reports and a
/// resignation letter still under consideration; the organiser or HRSS for minutes not yet
/// final and for the documents drafted from them; HRSS for a certificate or agreement not
/// revoked.
pub async fn may_attach(
    db: &impl Connection,
    access: &AccessTable,
    caller: &Caller,
    owner: &Owner,
    today: NaiveDate,
) -> Result<(), ApiError> {
    match owner {
        Owner::Opinion(o) => own_and_in_office(db, caller, &o.advisor_id, today, "opinion").await,
        Owner::Progress(r) => {
            own_and_in_office(db, caller, &r.advisor_id, today, "progress report").await
        }
        Owner::Resignation(r) => {
            if !(caller.has(Role::Advisor) && caller.advisor_id() == Some(r.advisor_id.as_str())) {
                return Err(ApiError::forbidden(
                    "only the resigning advisor attaches their letter",
                ));
            }
            if matches!(
                r.state,
                guwen_domain::office::ResignationState::Approved
                    | guwen_domain::office::ResignationState::Rejected
            ) {
                return Err(ApiError::new(
                    ProblemCode::InvalidTransition,
                    format!("the resignation is already `{}`", r.state),
                )
                .with_article("Art. 13"));
            }
            Ok(())
        }
        Owner::Minutes(m) => {
            work_policy::require_organiser(access, caller, m, &Method::POST, UPLOAD)?;
            let finalized = store_minutes_finalized(db, m).await?;
            work::check_minutes_editable(finalized)?;
            Ok(())
        }
        Owner::MeetingDocument(_, m) => {
            work_policy::require_organiser(access, caller, m, &Method::POST, UPLOAD)
        }
        Owner::AdvisorDocument(d) => {
            if !caller.has(Role::Hrss) {
                return Err(ApiError::forbidden(
                    "HRSS keeps the files of certificates and agreements",
                ));
            }
            documents::check_document_open(d.state)?;
            Ok(())
        }
    }
}

/// Whether the meeting's minutes are final.
pub async fn store_minutes_finalized(db: &impl Connection, m: &Meeting) -> Result<bool, ApiError> {
    let records = work_store::meeting_details(db, std::slice::from_ref(m))
        .await?
        .take(&m.id);
    Ok(records
        .minutes
        .as_ref()
        .is_some_and(|x| x.finalized_at.is_some()))
}
