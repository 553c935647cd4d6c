//! Request bodies and response views of attachments and documents of record (Art. 4.6, 7(5),
//! 11, 13).

use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{
    documents::{AdvisorDocumentKind, AdvisorDocumentState, AttachmentOwner},
    time::to_cst,
};
use guwen_persistence::store::documents::{
    AdvisorDocument, Attachment, MeetingDocument, ProgressReport,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

/// A file attached to an object. Its bytes are read from `download_url`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: String,
    /// The kind of object it belongs to.
    pub owner_type: AttachmentOwner,
    pub owner_id: String,
    pub file_name: String,
    /// The content type recorded at upload, sent back on download.
    #[schema(example = "application/pdf")]
    pub content_type: String,
    pub size_bytes: i64,
    /// Lower-case hex SHA-256 of the bytes (also in the audit event of the upload).
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<FixedOffset>,
    /// Where to download the file.
    pub download_url: String,
}

impl From<Attachment> for AttachmentView {
    fn from(a: Attachment) -> Self {
        Self {
            download_url: format!("/api/v1/attachments/{}/content", a.id),
            id: a.id,
            owner_type: a.owner_type,
            owner_id: a.owner_id,
            file_name: a.file_name,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
            sha256: a.sha256,
            uploaded_by: a.uploaded_by,
            uploaded_at: to_cst(a.uploaded_at),
        }
    }
}

/// The attachments of one object.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentList {
    pub items: Vec<AttachmentView>,
}

/// The query of an upload: the file's name as the uploader knows it.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The file's name (shown on download, in `Content-Disposition`).
    #[param(min_length = 1, max_length = 255, pattern = r"\S")]
    pub file_name: String,
}

/// The path of an object's attachments: its kind and id.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct OwnerPath {
    /// The kind of object: `opinions`, `progress-reports`, `resignations`, `minutes` (a
    /// meeting's id), `meeting-documents` or `advisor-documents`.
    pub owner: AttachmentOwner,
    /// The object's id.
    pub id: String,
}

/// A progress report on an assignment (Art. 7(5)).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressReportView {
    pub id: String,
    pub assignment_id: String,
    pub task_id: String,
    pub advisor_id: String,
    pub text: String,
    pub reported_at: DateTime<FixedOffset>,
    /// Where to attach files to it.
    pub attachments_url: String,
    pub attachments: Vec<AttachmentView>,
}

impl ProgressReportView {
    /// The report with its attachments.
    pub fn of(r: ProgressReport, attachments: Vec<Attachment>) -> Self {
        Self {
            attachments_url: format!("/api/v1/progress-reports/{}/attachments", r.id),
            id: r.id,
            assignment_id: r.assignment_id,
            task_id: r.task_id,
            advisor_id: r.advisor_id,
            text: r.text,
            reported_at: to_cst(r.reported_at),
            attachments: attachments.into_iter().map(AttachmentView::from).collect(),
        }
    }
}

/// The progress reports on a task the caller may read, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressReportList {
    pub items: Vec<ProgressReportView>,
}

/// A progress report to make.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ProgressReportRequest {
    /// What has been done and what remains.
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub text: String,
}

/// A document drafted from a meeting's finalised minutes and its submission to the
/// government (Art. 11).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingDocumentView {
    pub id: String,
    pub meeting_id: String,
    pub title: String,
    /// The document's reference (文号).
    pub reference: String,
    /// The day it was submitted to the government (China Standard Time).
    pub submitted_on: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: DateTime<FixedOffset>,
    /// Where to attach files to it.
    pub attachments_url: String,
    pub attachments: Vec<AttachmentView>,
}

impl MeetingDocumentView {
    /// The document with its attachments.
    pub fn of(d: MeetingDocument, attachments: Vec<Attachment>) -> Self {
        Self {
            attachments_url: format!("/api/v1/meeting-documents/{}/attachments", d.id),
            id: d.id,
            meeting_id: d.meeting_id,
            title: d.title,
            reference: d.reference,
            submitted_on: d.submitted_on,
            recorded_by: d.recorded_by,
            recorded_at: to_cst(d.recorded_at),
            attachments: attachments.into_iter().map(AttachmentView::from).collect(),
        }
    }
}

/// The documents drafted from a meeting's minutes, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingDocumentList {
    pub items: Vec<MeetingDocumentView>,
}

/// A document drafted from the minutes, as submitted to the government.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct MeetingDocumentRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    /// The document's reference (文号).
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub reference: String,
    /// The day it was submitted to the government (not in the future).
    pub submitted_on: NaiveDate,
}

/// A certificate (聘书) or agreement (聘任协议) of one term of an advisor (Art. 4.6, 13).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdvisorDocumentView {
    pub id: String,
    pub advisor_id: String,
    pub kind: AdvisorDocumentKind,
    pub term_number: i32,
    /// The certificate number or agreement reference of the term.
    pub reference: String,
    pub state: AdvisorDocumentState,
    pub issued_by: String,
    pub issued_at: DateTime<FixedOffset>,
    /// When it was revoked (收回): the advisor was dismissed or resigned.
    pub revoked_at: Option<DateTime<FixedOffset>>,
    pub revoked_reason: Option<String>,
    /// Where to attach files to it.
    pub attachments_url: String,
    pub attachments: Vec<AttachmentView>,
}

impl AdvisorDocumentView {
    /// The document with its attachments.
    pub fn of(d: AdvisorDocument, attachments: Vec<Attachment>) -> Self {
        Self {
            attachments_url: format!("/api/v1/advisor-documents/{}/attachments", d.id),
            id: d.id,
            advisor_id: d.advisor_id,
            kind: d.kind,
            term_number: d.term_number,
            reference: d.reference,
            state: d.state,
            issued_by: d.issued_by,
            issued_at: to_cst(d.issued_at),
            revoked_at: d.revoked_at.map(to_cst),
            revoked_reason: d.revoked_reason,
            attachments: attachments.into_iter().map(AttachmentView::from).collect(),
        }
    }
}

/// An advisor's certificates and agreements, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdvisorDocumentList {
    pub items: Vec<AdvisorDocumentView>,
}

/// A certificate or agreement to issue for a term of the advisor.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct IssueDocumentRequest {
    pub kind: AdvisorDocumentKind,
    /// The term (1 for the appointment, then one more per renewal); default: the latest.
    #[validate(range(min = 1, max = 1000))]
    #[schema(minimum = 1, maximum = 1000)]
    pub term_number: Option<i32>,
}
