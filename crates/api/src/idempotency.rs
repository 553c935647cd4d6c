//! `Idempotency-Key` on creating POSTs (API.md conventions): per caller and key, a retry
//! returns the first response and creates nothing; the same key with a different request is
//! `422 idempotency_key_reused`. The first response is stored in the same transaction as the
//! change it reports, so a crash cannot leave one without the other, and two concurrent
//! requests with one key cannot both create: the second's insert of the key fails and it
//! answers with the first's response.

use actix_web::{
    FromRequest, HttpRequest, HttpResponse,
    dev::Payload,
    http::{StatusCode, header},
};
use guwen_persistence::{
    db::is_unique_violation,
    idempotency::{self, NewStoredResponse, StoredResponse},
    sea_orm::DatabaseTransaction,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{error::ApiError, state::AppState};

/// Header name.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
/// Set on a replayed response.
pub const REPLAYED: &str = "Idempotent-Replayed";

/// The optional `Idempotency-Key` of a request: 1 to 200 visible ASCII characters.
#[derive(Debug, Clone, Default)]
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let result = match req.headers().get(IDEMPOTENCY_KEY) {
            None => Ok(Self(None)),
            Some(v) => v
                .to_str()
                .ok()
                .map(str::trim)
                .filter(|k| (1..=200).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
                .map(|k| Self(Some(k.to_owned())))
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid_idempotency_key",
                        "Idempotency-Key must be 1 to 200 visible ASCII characters",
                    )
                }),
        };
        std::future::ready(result)
    }
}

/// A created (or otherwise answered) result: status, body and optional `Location`.
pub struct Created<T> {
    pub status: StatusCode,
    pub body: T,
    pub location: Option<String>,
}

impl<T> Created<T> {
    /// 201 with a Location.
    pub fn at(location: String, body: T) -> Self {
        Self {
            status: StatusCode::CREATED,
            body,
            location: Some(location),
        }
    }
}

/// Runs `work` in one transaction, honouring the caller's `Idempotency-Key`.
///
/// `scope` identifies the caller (token subject, or client address for anonymous calls);
/// `request` is what makes two requests "the same" (normally the parsed body).
pub async fn run<T, R, F>(
    state: &AppState,
    http: &HttpRequest,
    scope: &str,
    key: &IdempotencyKey,
    request: &R,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    T: Serialize,
    R: Serialize,
    F: AsyncFnOnce(&DatabaseTransaction) -> Result<Created<T>, ApiError>,
{
    let method = http.method().as_str().to_owned();
    let path = http.path().to_owned();
    let fingerprint = {
        let mut h = Sha256::new();
        h.update(method.as_bytes());
        h.update(b" ");
        h.update(path.as_bytes());
        h.update(b"\n");
        h.update(serde_json::to_vec(request).unwrap_or_default());
        hex::encode(h.finalize())
    };
    let tx = guwen_persistence::audit::begin_write(&state.db).await?;
    if let Some(k) = &key.0
        && let Some(stored) = idempotency::find(&tx, scope, k).await?
    {
        tx.rollback().await?;
        return replay(stored, &fingerprint);
    }
    let created = match work(&tx).await {
        Ok(c) => c,
        Err(e) => {
            tx.rollback().await?;
            return Err(e);
        }
    };
    let body = serde_json::to_string(&created.body).map_err(ApiError::internal)?;
    if let Some(k) = &key.0 {
        let saved = idempotency::save(
            &tx,
            NewStoredResponse {
                caller: scope,
                key: k,
                method: &method,
                path: &path,
                request_hash: &fingerprint,
                status_code: created.status.as_u16(),
                response_body: &body,
                location: created.location.as_deref(),
                now: state.clock.now(),
            },
        )
        .await;
        if let Err(e) = saved {
            tx.rollback().await?;
            if is_unique_violation(&e) {
                // A concurrent request with the same key committed first: answer as it did.
                if let Some(stored) = idempotency::find(&state.db, scope, k).await? {
                    return replay(stored, &fingerprint);
                }
            }
            return Err(e.into());
        }
    }
    tx.commit().await?;
    let mut response = HttpResponse::build(created.status);
    response.content_type("application/json");
    if let Some(location) = &created.location {
        response.insert_header((header::LOCATION, location.clone()));
    }
    Ok(response.body(body))
}

fn replay(stored: StoredResponse, fingerprint: &str) -> Result<HttpResponse, ApiError> {
    if stored.request_hash != fingerprint {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was already used for a different request",
        ));
    }
    let status = StatusCode::from_u16(stored.status_code as u16).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.content_type("application/json");
    response.insert_header((REPLAYED, "true"));
    if let Some(location) = stored.location {
        response.insert_header((header::LOCATION, location));
    }
    Ok(response.body(stored.response_body))
}
