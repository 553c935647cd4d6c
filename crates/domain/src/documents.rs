//! Attachments and documents of record (Art. 4.6, 7(5), 11, 13).
//!
//! - Progress (Art. 7(5) 及时反馈工作进展): an advisor reports progress on an assignment while
//!   it is active; the requester and HRSS read the history.
//! - Documents drafted from the minutes (Art. 11 形成文件报市政府): recorded by the organising
//!   unit after the minutes are final, with their submission to the government.
//! - Certificates and agreements (Art. 4.6 颁发聘书、签订聘任协议; Art. 13 收回聘书): issued
//!   per term, revoked when the advisor is dismissed or resigns.
//! - Files: each attachment belongs to one object and is visible exactly to those who see that
//!   object; only the content types below are accepted.

use crate::{ProblemCode, rule::RuleResult, rule::RuleViolation, work::AssignmentState};

crate::labelled_enum! {
    /// The kind of object an attachment belongs to (the path segment of its endpoints).
    pub enum AttachmentOwner("attachment_owner") {
        Opinions = ("opinions", "Opinion (written opinion, research report)", "意见建议"),
        ProgressReports = ("progress-reports", "Progress report", "工作进展"),
        Resignations = ("resignations", "Resignation letter", "辞聘申请"),
        Minutes = ("minutes", "Meeting minutes", "会议纪要"),
        MeetingDocuments = ("meeting-documents", "Document drafted from the minutes", "会议纪要形成的文件"),
        AdvisorDocuments = ("advisor-documents", "Appointment certificate or agreement", "聘书或聘任协议"),
    }
}

crate::labelled_enum! {
    /// A document of record of an advisor's term (Art. 4.6).
    pub enum AdvisorDocumentKind("advisor_document_kind") {
        Certificate = ("certificate", "Appointment certificate", "聘书"),
        Agreement = ("agreement", "Appointment agreement", "聘任协议"),
    }
}

crate::labelled_enum! {
    /// Where a certificate or agreement stands (Art. 4.6, 12, 13).
    pub enum AdvisorDocumentState("advisor_document_state") {
        Issued = ("issued", "Issued", "已颁发"),
        Revoked = ("revoked", "Revoked (收回)", "已收回"),
    }
}

/// The content types an attachment may have: PDF, images, Office and OpenDocument files, and
/// plain text (design decision: the documents the regulation names are written documents).
pub const ALLOWED_CONTENT_TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/tiff",
    "text/plain",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
];

/// The essence (`type/subtype`, lower case, without parameters) of a `Content-Type` value, if
/// it is one of [`ALLOWED_CONTENT_TYPES`].
pub fn accepted_content_type(header: &str) -> Option<&'static str> {
    let essence = header.split(';').next().unwrap_or_default().trim();
    ALLOWED_CONTENT_TYPES
        .iter()
        .copied()
        .find(|t| t.eq_ignore_ascii_case(essence))
}

/// Art. 7(5): progress is reported on an assignment the advisor is still working on: an
/// `active` one (a delivered, released or recused assignment has no more progress to report).
pub fn check_progress_reportable(assignment: AssignmentState) -> RuleResult<()> {
    if assignment == AssignmentState::Active {
        return Ok(());
    }
    Err(RuleViolation::new(
        ProblemCode::InvalidTransition,
        "Art. 7(5)",
        format!("progress is reported on an active assignment; this one is `{assignment}`"),
    ))
}

/// Art. 11: the documents drafted from the minutes are recorded once the minutes are final
/// (`minutes_not_final` before).
pub fn check_minutes_final(finalized: bool) -> RuleResult<()> {
    if finalized {
        return Ok(());
    }
    Err(RuleViolation::new(
        ProblemCode::MinutesNotFinal,
        "Art. 11",
        "documents are drafted from the minutes once they are finalised",
    ))
}

/// Art. 4.6, 13: a revoked certificate or agreement (收回) is a closed record: no more files
/// are added to it (`document_revoked`).
pub fn check_document_open(state: AdvisorDocumentState) -> RuleResult<()> {
    match state {
        AdvisorDocumentState::Issued => Ok(()),
        AdvisorDocumentState::Revoked => Err(RuleViolation::new(
            ProblemCode::DocumentRevoked,
            "Art. 13",
            "the document has been revoked (收回); its record is closed",
        )),
    }
}

/// Art. 4.6: certificates and agreements are issued to an advisor in office (an advisor who
/// has left keeps the history, but receives nothing new).
pub fn check_document_issuable(in_office: bool) -> RuleResult<()> {
    if in_office {
        return Ok(());
    }
    Err(RuleViolation::new(
        ProblemCode::AdvisorNotInOffice,
        "Art. 4.6",
        "certificates and agreements are issued to advisors in office",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn art_7_5_progress_is_reported_on_active_assignments_only() {
        assert!(check_progress_reportable(AssignmentState::Active).is_ok());
        for s in [
            AssignmentState::Delivered,
            AssignmentState::Released,
            AssignmentState::Recused,
        ] {
            let e = check_progress_reportable(s).err();
            assert_eq!(e.map(|e| e.code), Some(ProblemCode::InvalidTransition));
        }
    }

    #[test]
    fn art_11_documents_follow_final_minutes() {
        assert!(check_minutes_final(true).is_ok());
        assert_eq!(
            check_minutes_final(false).err().map(|e| e.code),
            Some(ProblemCode::MinutesNotFinal)
        );
    }

    #[test]
    fn art_4_6_13_a_revoked_document_is_closed() {
        assert!(check_document_open(AdvisorDocumentState::Issued).is_ok());
        assert_eq!(
            check_document_open(AdvisorDocumentState::Revoked)
                .err()
                .map(|e| e.code),
            Some(ProblemCode::DocumentRevoked)
        );
        assert!(check_document_issuable(true).is_ok());
        assert!(check_document_issuable(false).is_err());
    }

    #[test]
    fn attachments_accept_documents_and_refuse_other_types() {
        assert_eq!(
            accepted_content_type("application/PDF; name=x"),
            Some("application/pdf")
        );
        assert_eq!(
            accepted_content_type("text/plain; charset=utf-8"),
            Some("text/plain")
        );
        for t in [
            "text/html",
            "application/x-msdownload",
            "application/octet-stream",
            "",
        ] {
            assert_eq!(accepted_content_type(t), None, "{t}");
        }
    }
}
