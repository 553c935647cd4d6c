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

use guwen_domain::documents::AttachmentOwner;
use guwen_persistence::store::{
    Connection,
    documents::{self as store, Attachment},
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::error::ApiError;

/// `objects` (of the kind `owner`), each shown by `view` with its files: one query for the
/// files however many objects there are.
async fn with_files<T, V>(
    db: &impl Connection,
    owner: AttachmentOwner,
    objects: Vec<T>,
    id: impl Fn(&T) -> &str,
    view: impl Fn(T, Vec<Attachment>) -> V,
) -> Result<Vec<V>, ApiError> {
    let ids = objects.iter().map(|o| id(o).to_owned());
    let mut files = store::attachments_of_each(db, owner, ids).await?;
    Ok(objects
        .into_iter()
        .map(|o| {
            let mine = files.remove(id(&o)).unwrap_or_default();
            view(o, mine)
        })
        .collect())
}

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
