//! Extractors whose failures are problem documents: JSON bodies (400 for malformed JSON,
//! 415 for another media type, 413 when too large, 422 with the field path for JSON of the
//! wrong shape or values), query strings and paths.

use actix_web::{
    FromRequest, HttpRequest,
    dev::Payload,
    error::{JsonPayloadError, PathError, PayloadError, QueryPayloadError},
    http::header,
    web,
};
use futures_util::future::LocalBoxFuture;
use guwen_domain::{
    ProblemCode,
    text::{self, TextKind},
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use validator::Validate;

use crate::http::error::{ApiError, FieldError};

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// A JSON body, parsed and validated. Use it instead of `web::Json`.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T> std::ops::Deref for ApiJson<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let essence = v
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            })
            .unwrap_or(false);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !content_type_ok {
                return Err(unsupported_media_type());
            }
            let bytes = bytes.await.map_err(payload_error)?;
            let value = parse_json::<T>(&bytes)?;
            value.validate()?;
            Ok(ApiJson(value))
        })
    }
}

/// Parses JSON, telling syntax errors (400) from shape errors (422 with the field path), then
/// holds every string of the body to the text policy's character rule (422 naming each field
/// with a NUL or another control character).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => {
            de.end().map_err(|e| {
                ApiError::new(
                    ProblemCode::MalformedJson,
                    format!("the body is not valid JSON: {e}"),
                )
            })?;
            check_characters(bytes)?;
            Ok(v)
        }
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data => {
                    let field = if path == "." { "body".to_owned() } else { path };
                    Err(ApiError::validation(vec![FieldError {
                        field,
                        message: strip_position(&inner.to_string()),
                    }]))
                }
                _ => Err(ApiError::new(
                    ProblemCode::MalformedJson,
                    format!("the body is not valid JSON: {inner}"),
                )),
            }
        }
    }
}

/// The most invalid fields one answer names.
const MAX_FIELD_ERRORS: usize = 20;

/// Every string and member name of a JSON body, held to the text policy's character rule:
/// no NUL, no other control character or noncharacter (newline and tab aside, which free text
/// keeps). This is the one check no field can miss; each field's own rule (one line, length,
/// not blank) follows where its view reads it.
fn check_characters(bytes: &[u8]) -> Result<(), ApiError> {
    fn walk(value: &Value, path: &str, out: &mut Vec<FieldError>) {
        let bad = |s: &str| text::first_forbidden(s, TextKind::Long);
        match value {
            Value::String(s) => {
                if let Some(c) = bad(s) {
                    out.push(FieldError {
                        field: path.to_owned(),
                        message: text::TextError::Forbidden(c).to_string(),
                    });
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{path}[{i}]"), out);
                }
            }
            Value::Object(members) => {
                for (name, member) in members {
                    let child = if path.is_empty() {
                        name.clone()
                    } else {
                        format!("{path}.{name}")
                    };
                    if let Some(c) = bad(name) {
                        out.push(FieldError {
                            field: child.clone(),
                            message: format!(
                                "names a member with the control character U+{:04X}",
                                u32::from(c)
                            ),
                        });
                    }
                    walk(member, &child, out);
                }
            }
            _ => {}
        }
    }
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return Ok(());
    };
    let mut errors = Vec::new();
    walk(&value, "", &mut errors);
    if errors.is_empty() {
        return Ok(());
    }
    errors.truncate(MAX_FIELD_ERRORS);
    for e in &mut errors {
        if e.field.is_empty() {
            e.field = "body".to_owned();
        }
    }
    Err(ApiError::validation(errors))
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn payload_error(e: actix_web::Error) -> ApiError {
    if let Some(PayloadError::Overflow) = e.as_error::<PayloadError>() {
        return too_large();
    }
    if let Some(JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. }) =
        e.as_error::<JsonPayloadError>()
    {
        return too_large();
    }
    let status = e.as_response_error().status_code();
    if status == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    ApiError::new(
        ProblemCode::UnreadableBody,
        "the request body could not be read",
    )
}

fn unsupported_media_type() -> ApiError {
    ApiError::new(
        ProblemCode::UnsupportedMediaType,
        "the body must be JSON (Content-Type: application/json)",
    )
}

fn too_large() -> ApiError {
    ApiError::new(
        ProblemCode::PayloadTooLarge,
        format!("the body is larger than {MAX_BODY_BYTES} bytes"),
    )
}

/// Query-string errors: 400 `invalid_query` naming the problem.
pub fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let detail = match &err {
        QueryPayloadError::Deserialize(e) => format!("invalid query string: {e}"),
        _ => "invalid query string".to_owned(),
    };
    ApiError::new(ProblemCode::InvalidQuery, detail).into()
}

/// Path errors: 400 `invalid_path`.
pub fn path_error(err: PathError, _req: &HttpRequest) -> actix_web::Error {
    let PathError::Deserialize(e) = &err else {
        return ApiError::new(ProblemCode::InvalidPath, "invalid path").into();
    };
    ApiError::new(
        ProblemCode::InvalidPath,
        format!("invalid path parameter: {e}"),
    )
    .into()
}

/// The app data that routes framework extractor failures through [`ApiError`].
pub fn configure_extractors(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(path_error))
        .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
        .app_data(
            web::JsonConfig::default()
                .limit(MAX_BODY_BYTES)
                .error_handler(|e, _| match e {
                    JsonPayloadError::Overflow { .. }
                    | JsonPayloadError::OverflowKnownLength { .. } => too_large().into(),
                    JsonPayloadError::ContentType => unsupported_media_type().into(),
                    other => ApiError::new(ProblemCode::MalformedJson, other.to_string()).into(),
                }),
        );
}
