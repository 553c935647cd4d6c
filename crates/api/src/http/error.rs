//! One error type for the whole API, rendered as RFC 9457 `application/problem+json` with a
//! stable machine `code`. Internal errors are logged (with the request id, from the tracing
//! span) and answered with a generic body: no internals ever reach a client.

use std::borrow::Cow;

use actix_web::{HttpResponse, ResponseError, http::StatusCode, http::header};
use guwen_domain::rule::RuleViolation;
use guwen_persistence::{sea_orm::DbErr, store::StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// JSON path of the field (`term_years`, `aspects[2].note`), or the query parameter name.
    #[schema(example = "term_years")]
    pub field: String,
    /// What is wrong with it.
    #[schema(example = "must be between 1 and 3")]
    pub message: String,
}

/// An RFC 9457 problem document. `code` is stable and meant for programs; `title` and
/// `detail` are for people.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type: `urn:guwen:problem:{code}`.
    #[serde(rename = "type")]
    #[schema(example = "urn:guwen:problem:invalid_transition")]
    pub type_: String,
    /// A short summary of the problem type.
    #[schema(example = "Invalid transition")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 409)]
    pub status: u16,
    /// What happened in this occurrence.
    #[schema(example = "the candidate is `nominated`; this step needs `approved`")]
    pub detail: String,
    /// Stable machine-readable code.
    #[schema(example = "invalid_transition")]
    pub code: String,
    /// The article of the regulation behind a rule violation.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Art. 4.5")]
    pub article: Option<String>,
    /// The invalid fields, for `validation_failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
    /// For `budget_exceeded`: what remains of the budget (or sub-budget) that refused the
    /// commitment, in fen; 0 when no budget is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 1250000)]
    pub remaining_fen: Option<i64>,
}

/// The error every handler returns.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Cow<'static, str>,
    pub detail: String,
    pub article: Option<&'static str>,
    pub errors: Box<[FieldError]>,
    pub remaining_fen: Option<i64>,
    /// Extra response headers (rare: a boxed slice keeps the error small).
    headers: Box<[(header::HeaderName, String)]>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code: code.into(),
            detail: detail.into(),
            article: None,
            errors: Box::default(),
            remaining_fen: None,
            headers: Box::default(),
        }
    }

    /// 401: no token, or a token that does not verify. Carries `WWW-Authenticate`.
    pub fn unauthorized(code: &'static str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        let challenge = if code == "missing_token" {
            r#"Bearer realm="guwen""#.to_owned()
        } else {
            format!(
                r#"Bearer realm="guwen", error="invalid_token", error_description="{}""#,
                detail.replace(['"', '\\'], "'")
            )
        };
        Self::new(StatusCode::UNAUTHORIZED, code, detail)
            .with_header(header::WWW_AUTHENTICATE, challenge)
    }

    /// 403: authenticated, but not allowed.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    /// 404: no such object, or not one the caller may know about.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no {what} with that id"),
        )
    }

    /// 422: the body or query parsed but its values are not acceptable.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("`{}` {}", one.field, one.message),
            _ => format!("{} fields are invalid", errors.len()),
        };
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            detail,
        );
        e.errors = errors.into_boxed_slice();
        e
    }

    /// 422 for one field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    /// 400: the request could not be read at all.
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }

    /// 409: a state or rule conflict with its own code.
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, detail)
    }

    /// 500: logged here with the cause; the client sees a generic text.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "an unexpected error occurred; quote the X-Request-Id response header when reporting it",
        )
    }

    /// Cites the article of the regulation behind a refusal.
    pub fn with_article(mut self, article: &'static str) -> Self {
        self.article = Some(article);
        self
    }

    /// States what remains of the budget that refused a commitment (`budget_exceeded`).
    pub fn with_remaining_fen(mut self, remaining_fen: i64) -> Self {
        self.remaining_fen = Some(remaining_fen);
        self
    }

    /// Puts context in front of the detail (e.g. which item of a batch failed).
    pub fn with_detail_prefix(mut self, prefix: &str) -> Self {
        self.detail = format!("{prefix}{}", self.detail);
        self
    }

    pub fn with_header(mut self, name: header::HeaderName, value: impl Into<String>) -> Self {
        let mut headers = std::mem::take(&mut self.headers).into_vec();
        headers.push((name, value.into()));
        self.headers = headers.into_boxed_slice();
        self
    }

    /// The problem document this error renders as.
    pub fn problem(&self) -> Problem {
        Problem {
            type_: format!("urn:guwen:problem:{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.to_string(),
            article: self.article.map(str::to_owned),
            errors: (!self.errors.is_empty()).then(|| self.errors.to_vec()),
            remaining_fen: self.remaining_fen,
        }
    }

    /// A generic problem for a bare status (used to wrap framework errors).
    pub fn for_status(status: StatusCode) -> Self {
        let (code, detail) = match status.as_u16() {
            400 => ("bad_request", "the request could not be understood"),
            401 => ("missing_token", "a bearer token is required"),
            403 => ("forbidden", "this caller may not do that"),
            404 => ("not_found", "no such resource"),
            405 => (
                "method_not_allowed",
                "this method is not allowed on this resource",
            ),
            406 => ("not_acceptable", "no acceptable representation"),
            408 => ("request_timeout", "the request took too long to arrive"),
            413 => ("payload_too_large", "the request body is too large"),
            414 => ("uri_too_long", "the request URI is too long"),
            415 => (
                "unsupported_media_type",
                "the body must be application/json",
            ),
            429 => ("too_many_requests", "too many requests; retry later"),
            431 => ("headers_too_large", "the request headers are too large"),
            s if s >= 500 => return Self::internal(format!("framework answered {status}")),
            _ => ("http_error", "the request failed"),
        };
        Self::new(status, code, detail)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut builder = HttpResponse::build(self.status);
        builder.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        for (name, value) in self.headers.iter() {
            builder.insert_header((name.clone(), value.clone()));
        }
        let body = serde_json::to_string(&self.problem()).unwrap_or_default();
        builder.body(body)
    }
}

impl From<RuleViolation> for ApiError {
    fn from(v: RuleViolation) -> Self {
        let mut e = Self::new(StatusCode::CONFLICT, v.code, v.message);
        e.article = Some(v.article);
        e
    }
}

impl From<DbErr> for ApiError {
    fn from(e: DbErr) -> Self {
        Self::internal(format!("database: {e}"))
    }
}

impl ApiError {
    /// Converts a store error, answering a unique-constraint refusal with `duplicate` (the
    /// rule's own 409: a certificate already issued, a second record) instead of the generic
    /// `409 duplicate`: `.map_err(ApiError::on_duplicate(|| …))`.
    pub fn on_duplicate<E: Into<ApiError>>(
        duplicate: impl FnOnce() -> E,
    ) -> impl FnOnce(StoreError) -> ApiError {
        move |e| match e {
            StoreError::Duplicate(_) => duplicate().into(),
            e => e.into(),
        }
    }
}

/// A stale compare-and-set is `409 invalid_transition`; a duplicate the caller did not map
/// to its own code is `409 duplicate`.
impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Stale { .. } => Self::conflict("invalid_transition", e.to_string()),
            StoreError::Duplicate(_) => {
                Self::conflict("duplicate", "a record with these values already exists")
            }
            StoreError::Db(db) => db.into(),
        }
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut out = Vec::new();
        flatten_validation("", &errors, &mut out);
        out.sort_by(|a, b| a.field.cmp(&b.field));
        Self::validation(out)
    }
}

fn flatten_validation(
    prefix: &str,
    errors: &validator::ValidationErrors,
    out: &mut Vec<FieldError>,
) {
    use validator::ValidationErrorsKind as K;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            K::Field(list) => {
                for e in list {
                    let message = e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| describe_validation_code(&e.code));
                    out.push(FieldError {
                        field: path.clone(),
                        message,
                    });
                }
            }
            K::Struct(inner) => flatten_validation(&path, inner, out),
            K::List(items) => {
                for (index, inner) in items {
                    flatten_validation(&format!("{path}[{index}]"), inner, out);
                }
            }
        }
    }
}

fn describe_validation_code(code: &str) -> String {
    match code {
        "length" => "has an invalid length".into(),
        "range" => "is out of range".into(),
        "email" => "is not a valid e-mail address".into(),
        "url" => "is not a valid URL".into(),
        "required" => "is required".into(),
        other => format!("is invalid ({other})"),
    }
}
