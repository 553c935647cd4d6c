//! Helpers shared by the resource modules: audit recording, ids, client addresses, rate
//! limits and field look-ups.

use actix_web::{HttpRequest, http::StatusCode};
use guwen_domain::{Labelled, audit::AuditAction};
use guwen_persistence::{
    audit::{self, Context, NewEvent},
    entity::field,
    guard,
    sea_orm::{ConnectionTrait, EntityTrait},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{error::ApiError, state::AppState};

/// A new public id (UUIDv7: sortable by creation time).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// One audit event of a transition.
pub struct Transition<'a> {
    pub action: AuditAction,
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub details: Option<serde_json::Value>,
}

/// Appends the audit event of a transition inside the transaction that makes it.
pub async fn record<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    t: Transition<'_>,
) -> Result<(), ApiError> {
    audit::append(
        tx,
        ctx,
        NewEvent {
            action: t.action.code().to_owned(),
            object_type: t.object_type.to_owned(),
            object_id: t.object_id.to_owned(),
            state_before: t.before.map(str::to_owned),
            state_after: t.after.map(str::to_owned),
            reason: t.reason.map(str::to_owned),
            details: t.details,
        },
    )
    .await?;
    Ok(())
}

/// The client's address: the peer, or with `GUWEN_TRUST_PROXY` the forwarded address.
pub fn client_addr(req: &HttpRequest, state: &AppState) -> String {
    let info = req.connection_info();
    let addr = if state.config.trust_proxy {
        info.realip_remote_addr().map(str::to_owned)
    } else {
        req.peer_addr().map(|a| a.ip().to_string())
    };
    addr.unwrap_or_else(|| "unknown".into())
}

/// Counts a public request against the per-address hourly limit (kept in the database, so
/// every replica sees the same count); 429 with `Retry-After` beyond it.
pub async fn rate_limit(
    req: &HttpRequest,
    state: &AppState,
    scope: &str,
) -> Result<String, ApiError> {
    let client = client_addr(req, state);
    let verdict = guard::rate_limit_hit(
        &state.db,
        scope,
        &client,
        state.config.public_rate_limit,
        3600,
        state.clock.now(),
    )
    .await?;
    match verdict {
        Ok(()) => Ok(client),
        Err(retry_after) => Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!(
                "at most {} such requests per hour from one address; retry in {retry_after} s",
                state.config.public_rate_limit
            ),
        )
        .with_header(
            actix_web::http::header::RETRY_AFTER,
            retry_after.to_string(),
        )),
    }
}

/// A field of expertise as shown in responses.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldRef {
    /// Field code (see `GET /api/v1/fields`).
    #[schema(example = "port_trade")]
    pub code: String,
    #[schema(example = "Port and cross-border trade")]
    pub name_en: String,
    #[schema(example = "口岸与跨境贸易")]
    pub name_zh: String,
}

impl From<&field::Model> for FieldRef {
    fn from(f: &field::Model) -> Self {
        Self {
            code: f.code.clone(),
            name_en: f.name_en.clone(),
            name_zh: f.name_zh.clone(),
        }
    }
}

/// Every field, by code.
pub async fn fields_by_code<C: ConnectionTrait>(
    db: &C,
) -> Result<std::collections::HashMap<String, field::Model>, ApiError> {
    Ok(field::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.code.clone(), f))
        .collect())
}

/// The reference to a field, tolerating a code that was since removed.
pub fn field_ref(fields: &std::collections::HashMap<String, field::Model>, code: &str) -> FieldRef {
    fields
        .get(code)
        .map(FieldRef::from)
        .unwrap_or_else(|| FieldRef {
            code: code.to_owned(),
            name_en: code.to_owned(),
            name_zh: code.to_owned(),
        })
}

/// A non-blank trimmed text, or a 422 on that field.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ApiError::invalid_field(field, "must not be blank"));
    }
    if v.chars().count() > max {
        return Err(ApiError::invalid_field(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(v.to_owned())
}

/// An optional text, trimmed, blank meaning absent.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => required_text(field, v, max).map(Some),
    }
}

/// Parses a value the service itself stored (a state, a channel); failure is an internal error.
pub fn parse_stored<T: std::str::FromStr>(what: &str, value: &str) -> Result<T, ApiError> {
    value
        .parse()
        .map_err(|_| ApiError::internal(format!("stored {what} `{value}` is not valid")))
}
