//! One error type for the whole API, rendered as RFC 9457 `application/problem+json` with a
//! stable machine `code`. Internal errors are logged (with the request id, from the tracing
//! span) and answered with a generic body: no internals ever reach a client.

use actix_web::{HttpResponse, ResponseError, http::StatusCode, http::header};
use guwen_domain::{Labelled, ProblemCode, rule::RuleViolation};
use guwen_persistence::{DbErr, store::StoreError};
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
    /// A short summary of the problem type (the English title of `code`).
    #[schema(example = "Not allowed in this state")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 409)]
    pub status: u16,
    /// What happened in this occurrence.
    #[schema(example = "the candidate is `nominated`; this step needs `approved`")]
    pub detail: String,
    /// Stable machine-readable code, from the catalogue (`GET /api/v1/meta/enums`,
    /// `problem_code`, has its English and zh-CN titles).
    pub code: ProblemCode,
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

/// The 429 response, for operations that are rate limited.
#[derive(utoipa::ToResponse)]
#[response(
    description = "Rate limited; see Retry-After (problem+json)",
    content_type = "application/problem+json"
)]
pub struct TooManyRequests(#[allow(dead_code)] Problem);

/// The error every handler returns.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ProblemCode,
    pub detail: String,
    pub article: Option<&'static str>,
    pub errors: Box<[FieldError]>,
    pub remaining_fen: Option<i64>,
    /// Extra response headers (rare: a boxed slice keeps the error small).
    headers: Box<[(header::HeaderName, String)]>,
}

impl ApiError {
    /// An error with its code's usual status ([`status_of`]).
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> Self {
        Self {
            status: status_of(code),
            code,
            detail: detail.into(),
            article: None,
            errors: Box::default(),
            remaining_fen: None,
            headers: Box::default(),
        }
    }

    /// 401: no token, or a token that does not verify. Carries `WWW-Authenticate`.
    pub fn unauthorized(code: ProblemCode, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        let challenge = if code == ProblemCode::MissingToken {
            r#"Bearer realm="guwen""#.to_owned()
        } else {
            format!(
                r#"Bearer realm="guwen", error="invalid_token", error_description="{}""#,
                detail.replace(['"', '\\'], "'")
            )
        };
        Self::new(code, detail)
            .with_status(StatusCode::UNAUTHORIZED)
            .with_header(header::WWW_AUTHENTICATE, challenge)
    }

    /// 403: authenticated, but not allowed.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(ProblemCode::Forbidden, detail)
    }

    /// 404: no such object, or not one the caller may know about.
    pub fn not_found(what: &str) -> Self {
        Self::new(ProblemCode::NotFound, format!("no {what} with that id"))
    }

    /// 422: the body or query parsed but its values are not acceptable.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("`{}` {}", one.field, one.message),
            _ => format!("{} fields are invalid", errors.len()),
        };
        let mut e = Self::new(ProblemCode::ValidationFailed, detail);
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

    /// 500: logged here with the cause; the client sees a generic text.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            ProblemCode::InternalError,
            "an unexpected error occurred; quote the X-Request-Id response header when reporting it",
        )
    }

    /// Answers with another status than the code's usual one.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
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
            title: self.code.label_en().to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code,
            article: self.article.map(str::to_owned),
            errors: (!self.errors.is_empty()).then(|| self.errors.to_vec()),
            remaining_fen: self.remaining_fen,
        }
    }

    /// A generic problem for a bare status (used to wrap framework errors).
    pub fn for_status(status: StatusCode) -> Self {
        use ProblemCode as P;
        let (code, detail) = match status.as_u16() {
            400 => (P::BadRequest, "the request could not be understood"),
            401 => (P::MissingToken, "a bearer token is required"),
            403 => (P::Forbidden, "this caller may not do that"),
            404 => (P::NotFound, "no such resource"),
            405 => (
                P::MethodNotAllowed,
                "this method is not allowed on this resource",
            ),
            406 => (P::NotAcceptable, "no acceptable representation"),
            408 => (P::RequestTimeout, "the request took too long to arrive"),
            413 => (P::PayloadTooLarge, "the request body is too large"),
            414 => (P::UriTooLong, "the request URI is too long"),
            415 => (P::UnsupportedMediaType, "the body must be application/json"),
            429 => (P::TooManyRequests, "too many requests; retry later"),
            431 => (P::HeadersTooLarge, "the request headers are too large"),
            s if s >= 500 => return Self::internal(format!("framework answered {status}")),
            _ => (P::HttpError, "the request failed"),
        };
        Self::new(code, detail).with_status(status)
    }
}

/// The status a problem code is answered with (an error may override it with
/// [`ApiError::with_status`], e.g. a framework error's own status).
pub fn status_of(code: ProblemCode) -> StatusCode {
    use ProblemCode as P;
    match code {
        P::ValidationFailed | P::IdempotencyKeyReused | P::StateSecretNotAllowed => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        P::MalformedJson
        | P::UnreadableBody
        | P::InvalidQuery
        | P::InvalidPath
        | P::InvalidCursor
        | P::InvalidIdempotencyKey
        | P::BadRequest
        | P::HttpError => StatusCode::BAD_REQUEST,
        P::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        P::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        P::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
        P::UriTooLong => StatusCode::URI_TOO_LONG,
        P::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        P::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        P::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        P::MissingToken
        | P::MalformedToken
        | P::UnsupportedAlgorithm
        | P::AlgorithmMismatch
        | P::UnknownKid
        | P::InvalidSignature
        | P::TokenExpired
        | P::TokenNotYetValid
        | P::WrongIssuer
        | P::WrongAudience
        | P::MissingClaim
        | P::NoRoles
        | P::InvalidClaims
        | P::InvalidTokenType
        | P::TokenLifetimeTooLong
        | P::TokenRevoked
        | P::NoKeyConfigured => StatusCode::UNAUTHORIZED,
        P::Forbidden => StatusCode::FORBIDDEN,
        P::NotFound => StatusCode::NOT_FOUND,
        P::RateLimited | P::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        P::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
        P::StorageUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        P::InvalidTransition
        | P::Duplicate
        | P::DuplicateCertificateNo
        | P::AlreadyAssigned
        | P::IneligibleAge
        | P::IneligibleExperience
        | P::ReviewIncomplete
        | P::AttestationMissing
        | P::PartyCommitteeReportMissing
        | P::NoticeWindowOpen
        | P::NoticeWindowClosed
        | P::ObjectionOpen
        | P::ObjectionAlreadyResolved
        | P::TermOutOfRange
        | P::InvalidCertificateNo
        | P::AdvisorCapReached
        | P::AdvisorNotInOffice
        | P::RenewalPending
        | P::EvidenceRequired
        | P::ConflictOfInterest
        | P::Recused
        | P::RecusalPending
        | P::InabilityAfterDeadline
        | P::InvalidConfidentiality
        | P::MajorIssueNeedsWrittenOpinion
        | P::ExcuseReasonMissing
        | P::MinutesFinalized
        | P::MinutesIncomplete
        | P::InvalidEngagementPeriod
        | P::AnnualCapExceeded
        | P::NotStrictlyControlled
        | P::SubBudgetsExceedTotal
        | P::BudgetBelowCommitted
        | P::BudgetExceeded
        | P::ReceiptsRequired
        | P::ReceiptAlreadyClaimed
        | P::AmountNotActual
        | P::UseSubsidyProcedure
        | P::IncurredOutsideOffice
        | P::FinanceReviewRequired
        | P::FinanceReviewNotRequired
        | P::SubsidyExists
        | P::SubsidyOutOfBand
        | P::NoSubsidyForGrade
        | P::SpecialContributionRequired
        | P::AssessmentExists
        | P::AssessmentNotFinal
        | P::InvalidAssessmentYear
        | P::NotAServiceUnit
        | P::ServiceUnitOpinionsMissing
        | P::TermDiffersFromNotice
        | P::AgeExceptionNotNeeded
        | P::AgeExceptionPending
        | P::InvitationAnswered
        | P::ConsultationClosed
        | P::MinutesNotFinal
        | P::DocumentRevoked => StatusCode::CONFLICT,
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
        let mut e = Self::new(v.code, v.message);
        e.article = Some(v.article);
        e
    }
}

impl From<DbErr> for ApiError {
    fn from(e: DbErr) -> Self {
        if guwen_persistence::db::is_unstorable_value(&e) {
            // The text policy should have refused this value at the door: the client's input
            // is at fault, so 422, but the gap is logged for the developers to close.
            tracing::error!(error = %e, "a value escaped the text policy and the database refused it");
            return Self::new(
                ProblemCode::ValidationFailed,
                "a value is longer than its field allows or holds characters that cannot be stored",
            );
        }
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
            StoreError::Stale { .. } => Self::new(ProblemCode::InvalidTransition, e.to_string()),
            StoreError::Duplicate(_) => Self::new(
                ProblemCode::Duplicate,
                "a record with these values already exists",
            ),
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
