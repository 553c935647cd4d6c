//! `Idempotency-Key` on creating POSTs (API.md conventions): the header, the request's
//! fingerprint and the replay of a stored first response. The write opener
//! (`crate::write`) stores the first response in the same transaction as the change.

use actix_web::{
    FromRequest, HttpRequest, HttpResponse,
    dev::Payload,
    http::{StatusCode, header},
};
use guwen_domain::ProblemCode;
use guwen_persistence::idempotency::StoredResponse;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::openapi::{
    Required,
    path::{Parameter, ParameterBuilder, ParameterIn},
    schema::{ObjectBuilder, SchemaType, Type},
};

use crate::http::error::ApiError;

/// Header name.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
/// Set on a replayed response.
pub const REPLAYED: &str = "Idempotent-Replayed";

/// The optional `Idempotency-Key` of a request: 1 to 200 visible ASCII characters.
#[derive(Debug, Clone, Default)]
pub struct IdempotencyKey(pub Option<String>);

/// Declared once for every creating operation (`params(IdempotencyKey)` in its
/// `#[utoipa::path]`): the optional header, 1 to 200 visible ASCII characters.
impl utoipa::IntoParams for IdempotencyKey {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let schema = ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .pattern(Some("^[!-~]{1,200}$"));
        vec![
            ParameterBuilder::new()
                .name(IDEMPOTENCY_KEY)
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "Retry-safe key: a retry with the same key returns the first response",
                ))
                .schema(Some(schema))
                .build(),
        ]
    }
}

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
                    ApiError::new(
                        ProblemCode::InvalidIdempotencyKey,
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
    /// 200 with the body: a change to an existing object.
    pub fn ok(body: T) -> Self {
        Self {
            status: StatusCode::OK,
            body,
            location: None,
        }
    }

    /// 201 with a Location.
    pub fn at(location: String, body: T) -> Self {
        Self {
            status: StatusCode::CREATED,
            body,
            location: Some(location),
        }
    }
}

/// What makes two requests "the same" for one key: method, path and the parsed body.
pub fn fingerprint<R: Serialize>(http: &HttpRequest, request: &R) -> String {
    let mut h = Sha256::new();
    h.update(http.method().as_str().as_bytes());
    h.update(b" ");
    h.update(http.path().as_bytes());
    h.update(b"\n");
    h.update(serde_json::to_vec(request).unwrap_or_default());
    hex::encode(h.finalize())
}

/// The first response again, or `422 idempotency_key_reused` when the key came with another
/// request.
pub fn replay(stored: StoredResponse, fingerprint: &str) -> Result<HttpResponse, ApiError> {
    if stored.request_hash != fingerprint {
        return Err(ApiError::new(
            ProblemCode::IdempotencyKeyReused,
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
