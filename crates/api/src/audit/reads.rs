//! Reads of sensitive data are recorded in the audit trail (Art. 7.1; PIPL): who read a
//! background check, a secret task, a grade or an objector's contact, and when. Only those
//! reads: ordinary reads stay cheap.

use actix_web::{HttpMessage, HttpRequest};
use guwen_domain::audit::AuditAction;
use guwen_persistence::audit::{self, Event};

use crate::changes::cache::Uncacheable;
use crate::http::route::route_of;
use crate::prelude::*;
use crate::turn::Outcome;

/// What sensitive data a read returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitive {
    /// A candidate's background check (Art. 4.2).
    BackgroundCheck,
    /// A task marked `work_secret` or `commercial_secret` (Art. 7.1).
    SecretTask,
    /// An assessment's grades (Art. 16).
    AssessmentGrade,
    /// The contact an objector left (Art. 4.5).
    ObjectorContact,
}

impl Sensitive {
    pub fn code(self) -> &'static str {
        match self {
            Sensitive::BackgroundCheck => "background_check",
            Sensitive::SecretTask => "secret_task",
            Sensitive::AssessmentGrade => "assessment_grade",
            Sensitive::ObjectorContact => "objector_contact",
        }
    }
}

/// Records that the caller of `req` read `data` of each object in `ids` (of kind
/// `object_type`): one `sensitive_data_read` event per object, appended together in one writing transaction,
/// before the answer goes out (no answer without its record). Nothing when `ids` is empty.
pub async fn record_sensitive_read(
    state: &AppState,
    req: &HttpRequest,
    data: Sensitive,
    object_type: &'static str,
    ids: Vec<String>,
) -> Result<(), ApiError> {
    if ids.is_empty() {
        return Ok(());
    }
    // A recorded read is never answered from this replica's cache.
    req.extensions_mut().insert(Uncacheable);
    let ctx = audit_context(req, state);
    let route = route_of(req).unwrap_or_else(|| req.path());
    let route = format!("{} {route}", req.method());
    let events = ids
        .into_iter()
        .map(|id| {
            Event::new(AuditAction::SensitiveDataRead, object_type, id)
                .details(serde_json::json!({ "data": data.code(), "route": route }))
        })
        .collect();
    state
        .writers
        .run(&state.db, async |tx| {
            audit::append_all(tx, &ctx, events).await?;
            Ok(Outcome::Keep(()))
        })
        .await
}
