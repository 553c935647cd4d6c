//! Attachments and documents of record (Art. 4.6, 7(5), 11, 13): files on the objects that
//! carry them (stored in the object store, see [`storage`]), progress reports on assignments,
//! the documents drafted from finalised minutes, and the certificates and agreements of each
//! term with their revocation when the advisor leaves office.
//!
//! Who sees what is the chapter's own policy of each object ([`policy`]).

mod attachments;
pub mod policy;
mod progress;
mod records;
pub mod storage;
pub mod views;

pub use records::revoke_on_leaving;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this part's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(progress::report_progress)
        .service(progress::list_progress_reports)
        .service(progress::get_progress_report)
        .service(records::record_meeting_document)
        .service(records::list_meeting_documents)
        .service(records::issue_advisor_document)
        .service(records::list_advisor_documents)
        .service(attachments::download_attachment)
        .service(attachments::upload_attachment)
        .service(attachments::list_attachments);
}
