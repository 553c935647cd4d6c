//! The OpenAPI document: generated from the handlers, then completed with the problem
//! responses every operation can give, so that each lists its 4xx with the problem schema.

use utoipa::{
    Modify, OpenApi,
    openapi::{
        Components, ContentBuilder, RefOr, ResponseBuilder,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

use crate::http::{
    access::BEARER,
    error::{FieldError, PROBLEM_JSON, Problem},
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Guwen 顾问 API",
        version = "1.0.0",
        description = "The advisor work system of the Erenhot Municipal People's Government (二连浩特市人民政府顾问工作制度（试行）): nomination, vetting, approval, public notice, appointment, work, funds and assessment of government advisors.\n\nConventions: JSON in and out with snake_case fields; times are RFC 3339 with offset (China Standard Time); calendar dates are `YYYY-MM-DD` in China Standard Time; money is integer fen (`amount_fen`). Errors are RFC 9457 `application/problem+json` with a stable `code`; request values that parse but are not acceptable are `422 validation_failed` with `errors: [{field, message}]`, and JSON that does not parse is `400 malformed_json`. Checks run in the order 401 (token) → 403 (role) → 400/415/413/422 (the request itself) → 404 (the object, or one the caller may not see) → 409 (state or rule). Lists take `limit` (1–200, default 50) and an opaque `cursor` and answer `{items, next_cursor}`. Creating POSTs accept an `Idempotency-Key` header. Each operation's `bearer` security requirement lists the roles that may call it.",
        license(name = "MIT")
    ),
    modifiers(&SecurityAddon),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "platform", description = "Health, readiness and metrics"),
        (name = "meta", description = "Enumerations with English and zh-CN labels"),
        (name = "fields", description = "Fields of expertise and their lead departments (Art. 4.1)"),
        (name = "candidates", description = "Nomination, vetting and appointment of candidates (Art. 4, 5)"),
        (name = "recommendation lists", description = "Recommendation lists, the executive meeting's decision and the report to the party committee (Art. 4.3, 4.4)"),
        (name = "notices", description = "Public notices and objections, as HRSS manages them (Art. 4.5)"),
        (name = "advisors", description = "Appointed advisors (Art. 3, 4.6)"),
        (name = "tasks", description = "Tasks, matching, assignment, inability and recusal (Art. 6, 7.6, 10, 11)"),
        (name = "opinions", description = "Advisors' opinions (Art. 8, 9)"),
        (name = "meetings", description = "Meetings, attendance and minutes (Art. 8, 11)"),
        (name = "temporary experts", description = "Experts engaged for one matter (Art. 8)"),
        (name = "assessments", description = "The annual assessment (Art. 16)"),
        (name = "funds", description = "Budgets under the 500,000 CNY cap, expense claims with the Finance Bureau's review, and work subsidies (Art. 14). Money is integer fen."),
        (name = "public", description = "What anyone can read or file without a token (Art. 4.5, 4.6)"),
        (name = "audit", description = "The tamper-evident audit trail (DOMAIN.md §6)"),
        (name = "events", description = "The gap-free, commit-ordered change feed for other systems and front-ends (DOMAIN.md §6)"),
        (name = "webhooks", description = "Signed webhook deliveries of the change feed (Standard Webhooks, at least once, in order)"),
    )
)]
pub struct ApiDoc;

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Components::new);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A JWT with `sub`, `roles`, `iss`, `aud`, `exp` (and `org_id` for departments, `advisor_id` for advisors). The scopes of a requirement are the roles allowed.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The 429 response, for operations that are rate limited.
#[derive(utoipa::ToResponse)]
#[response(
    description = "Rate limited; see Retry-After (problem+json)",
    content_type = "application/problem+json"
)]
pub struct TooManyRequests(#[allow(dead_code)] Problem);

/// The problem responses added to operations, by status.
const PROBLEMS: &[(&str, &str, &str)] = &[
    (
        "400",
        "BadRequest",
        "The request could not be read: malformed JSON, query, path, cursor or header (problem+json)",
    ),
    (
        "401",
        "Unauthorized",
        "No bearer token, or one that does not verify (problem+json, with WWW-Authenticate)",
    ),
    (
        "403",
        "Forbidden",
        "The caller's roles do not allow this operation (problem+json)",
    ),
    (
        "404",
        "NotFound",
        "No such object, or not one the caller may see (problem+json)",
    ),
    (
        "409",
        "Conflict",
        "The object's state or a rule of the regulation forbids this (problem+json; `code` says which, `article` cites it)",
    ),
    (
        "413",
        "PayloadTooLarge",
        "The body is larger than 256 KiB (problem+json)",
    ),
    (
        "415",
        "UnsupportedMediaType",
        "The body is not application/json (problem+json)",
    ),
    (
        "422",
        "ValidationFailed",
        "Values that parse but are not acceptable; `errors` lists the fields (problem+json)",
    ),
    (
        "429",
        "TooManyRequests",
        "Rate limited; see Retry-After (problem+json)",
    ),
    (
        "500",
        "InternalError",
        "Unexpected error; quote the X-Request-Id header (problem+json)",
    ),
];

/// Completes the generated document: problem responses on every operation.
pub fn finalize(mut spec: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let components = spec.components.get_or_insert_with(Components::new);
    for (_, name, description) in PROBLEMS {
        components.responses.insert(
            (*name).to_owned(),
            RefOr::T(
                ResponseBuilder::new()
                    .description(*description)
                    .content(
                        PROBLEM_JSON,
                        ContentBuilder::new()
                            .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
                            .build(),
                    )
                    .build(),
            ),
        );
    }
    for (path, item) in spec.paths.paths.iter_mut() {
        let has_path_params = path.contains('{');
        let ops = [
            ("get", item.get.as_mut()),
            ("put", item.put.as_mut()),
            ("post", item.post.as_mut()),
            ("delete", item.delete.as_mut()),
            ("patch", item.patch.as_mut()),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            let secured = op
                .security
                .as_ref()
                .is_some_and(|reqs| !reqs.iter().any(is_empty_requirement));
            let has_query = op.parameters.as_ref().is_some_and(|p| {
                p.iter().any(|p| matches!(p, RefOr::T(p) if matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query)))
            });
            let has_body = op.request_body.is_some();
            let writes = matches!(method, "post" | "put" | "patch" | "delete");
            for (status, name, _) in PROBLEMS {
                let wanted = match *status {
                    "400" => has_query || has_body || has_path_params,
                    "401" | "403" => secured,
                    "404" => has_path_params,
                    "409" => writes,
                    "413" | "415" => has_body,
                    "422" => has_query || has_body,
                    "429" => false,
                    _ => true,
                };
                if wanted && !op.responses.responses.contains_key(*status) {
                    op.responses.responses.insert(
                        (*status).to_owned(),
                        RefOr::Ref(utoipa::openapi::Ref::from_response_name(*name)),
                    );
                }
            }
        }
    }
    spec
}

fn is_empty_requirement(req: &utoipa::openapi::security::SecurityRequirement) -> bool {
    serde_json::to_value(req)
        .ok()
        .and_then(|v| v.as_object().map(|o| o.is_empty()))
        .unwrap_or(false)
}
