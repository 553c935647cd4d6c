//! Stored first responses for `Idempotency-Key` retries (API.md conventions).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

use crate::entity::idempotency_key;

pub use idempotency_key::Model as StoredResponse;

/// Looks up the response stored for this caller and key.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    caller: &str,
    key: &str,
) -> Result<Option<StoredResponse>, DbErr> {
    idempotency_key::Entity::find_by_id((caller.to_owned(), key.to_owned()))
        .one(db)
        .await
}

/// What to keep of the first response.
#[derive(Debug, Clone)]
pub struct NewStoredResponse<'a> {
    pub caller: &'a str,
    pub key: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub request_hash: &'a str,
    pub status_code: u16,
    pub response_body: &'a str,
    pub location: Option<&'a str>,
    pub now: DateTime<Utc>,
}

/// Stores the first response in the same transaction as the change it describes. A unique
/// violation means a concurrent request with the same key won: the caller re-reads it.
pub async fn save<C: ConnectionTrait>(db: &C, r: NewStoredResponse<'_>) -> Result<(), DbErr> {
    idempotency_key::Entity::insert(idempotency_key::ActiveModel {
        caller: Set(r.caller.to_owned()),
        idem_key: Set(r.key.to_owned()),
        method: Set(r.method.to_owned()),
        path: Set(r.path.to_owned()),
        request_hash: Set(r.request_hash.to_owned()),
        status_code: Set(i32::from(r.status_code)),
        response_body: Set(r.response_body.to_owned()),
        location: Set(r.location.map(str::to_owned)),
        created_at: Set(crate::audit::truncate_to_micros(r.now)),
    })
    .exec_without_returning(db)
    .await
    .map(|_| ())
}
