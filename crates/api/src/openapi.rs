//! The OpenAPI document: generated from the handlers, then completed with the problem
//! responses every operation can give, so that each lists its 4xx with the problem schema.

use utoipa::{
    Modify, OpenApi,
    openapi::{
        Components, ContentBuilder, RefOr, ResponseBuilder,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

use guwen_domain::{Labelled, ProblemCode};
use serde_json::{Value, json};

use crate::{
    audit::SortOrder,
    http::{
        access::BEARER,
        error::{FieldError, PROBLEM_JSON, Problem, status_of},
    },
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
    components(schemas(Problem, FieldError, ProblemCode, SortOrder)),
    tags(
        (name = "platform", description = "Health, readiness and metrics"),
        (name = "meta", description = "Enumerations with English and zh-CN labels"),
        (name = "me", description = "The caller: identity, roles, an advisor's own record and what awaits them"),
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
        (name = "tokens", description = "Revoking access tokens: one by its `jti`, or every token of a subject issued until then"),
        (name = "consultations", description = "Consultation rounds hearing the advisors on the advisor work, and HRSS's follow-up (Art. 15)"),
        (name = "progress", description = "Advisors' progress reports on their assignments (Art. 7(5))"),
        (name = "attachments", description = "Files on opinions, progress reports, resignation letters, minutes, the documents drafted from them, certificates and agreements: visible to whoever sees the object they belong to (Art. 4.6, 7(5), 11, 13)"),
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
                        "A JWT with `sub`, `roles`, `iss`, `aud`, `exp` (and `org_id` for departments, `advisor_id` for advisors). The scopes of a requirement are the roles allowed. Verification follows the JWT best current practices of RFC8725: the algorithm is fixed by the key (HS256 for the shared secret, RS256 or ES256 for a configured public key, never `none`), and `iss`, `aud`, `exp` and `iat` are required and checked.",
                    ))
                    .build(),
            ),
        );
    }
}

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

/// The document as published: the generated one, whose problem responses list the problem
/// codes they can carry (also as `x-problem-codes`), and whose page types refer to their
/// items' named schema.
pub fn publish(spec: &utoipa::openapi::OpenApi) -> Value {
    let mut doc = serde_json::to_value(spec).unwrap_or_default();
    labelled_enum_values(&mut doc);
    reference_page_items(&mut doc);
    publish_problem_codes(&mut doc);
    doc
}

/// Adds the problem responses an operation can give, by what it takes (path, query, body)
/// and whether it is secured or writes.
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
                    "422" => has_query || has_body || has_path_params,
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

/// The values of every labelled enum are its codes (`advisor.appointed`), which the schema
/// derive does not always see through the declaring macro: they are set from the catalogue.
fn labelled_enum_values(doc: &mut Value) {
    for e in crate::platform::meta::catalog() {
        let name: String = e
            .name
            .split('_')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default()
            })
            .collect();
        if let Some(values) = doc.pointer_mut(&format!("/components/schemas/{name}/enum")) {
            *values = json!(
                e.values
                    .iter()
                    .map(|(code, _, _)| *code)
                    .collect::<Vec<_>>()
            );
        }
    }
}

/// `Page_X` inlines `X` for its items (utoipa expands generic arguments): refer to the named
/// schema instead, when it is the same schema, so generated clients get one type per item.
fn reference_page_items(doc: &mut Value) {
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let named: Vec<String> = schemas.keys().cloned().collect();
    for name in named.iter().filter(|n| n.starts_with("Page_")) {
        let item = &name["Page_".len()..];
        let Some(target) = schemas.get(item).cloned() else {
            continue;
        };
        if let Some(items) = schemas
            .get_mut(name)
            .and_then(|page| page.pointer_mut("/properties/items/items"))
            && *items == target
        {
            *items = json!({ "$ref": format!("#/components/schemas/{item}") });
        }
    }
}

/// The codes every operation of a kind can answer, by the problem responses it lists.
fn generic_codes(status: &str, op: &Value) -> Vec<ProblemCode> {
    use ProblemCode as P;
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    let param = |location: &str, name: Option<&str>| {
        params
            .iter()
            .any(|p| p["in"] == location && name.is_none_or(|n| p["name"] == n))
    };
    let has_body = op.get("requestBody").is_some();
    let mut codes = Vec::new();
    match status {
        "400" => {
            if has_body {
                codes.extend([P::MalformedJson, P::UnreadableBody]);
            }
            if param("query", None) {
                codes.push(P::InvalidQuery);
            }
            if param("query", Some("cursor")) {
                codes.push(P::InvalidCursor);
            }
            if param("path", None) {
                codes.push(P::InvalidPath);
            }
            if param("header", Some("Idempotency-Key")) {
                codes.push(P::InvalidIdempotencyKey);
            }
        }
        "401" => codes.extend(
            P::all()
                .iter()
                .copied()
                .filter(|c| status_of(*c).as_u16() == 401),
        ),
        "403" => codes.push(P::Forbidden),
        "404" => codes.push(P::NotFound),
        "409" => codes.push(P::InvalidTransition),
        "413" => codes.push(P::PayloadTooLarge),
        "415" => codes.push(P::UnsupportedMediaType),
        "422" => {
            codes.push(P::ValidationFailed);
            if param("header", Some("Idempotency-Key")) {
                codes.push(P::IdempotencyKeyReused);
            }
        }
        "429" => codes.push(P::RateLimited),
        "500" => codes.push(P::InternalError),
        _ => {}
    }
    codes
}

/// The codes an operation's description names in backticks (`assessment_not_final`): the
/// rules it documents are the rules it enforces.
fn described_codes(op: &Value) -> Vec<ProblemCode> {
    let text = op["description"].as_str().unwrap_or_default();
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(ProblemCode::from_code)
        .collect()
}

/// Lists, per operation, the problem codes it can answer: as `x-problem-codes` and in the
/// description of each problem response (by status).
fn publish_problem_codes(doc: &mut Value) {
    let generic: serde_json::Map<String, Value> = doc
        .pointer("/components/responses")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for op in item.values_mut() {
            let described = described_codes(op);
            let mut all: Vec<ProblemCode> = Vec::new();
            let Some(responses) = op["responses"].as_object().cloned() else {
                continue;
            };
            let mut rewritten = responses.clone();
            for (status, response) in &responses {
                // A problem response: a reference to a generic one, or declared by the
                // operation itself with the problem media type.
                let base = match response["$ref"].as_str() {
                    Some(reference) => {
                        let name = reference.rsplit('/').next().unwrap_or_default();
                        let Some(base) = generic.get(name) else {
                            continue;
                        };
                        base
                    }
                    None if response["content"].get(PROBLEM_JSON).is_some() => response,
                    None => continue,
                };
                let mut codes = generic_codes(status, op);
                codes.extend(
                    described
                        .iter()
                        .copied()
                        .filter(|c| status_of(*c).as_str() == status),
                );
                codes.dedup();
                let listed: Vec<String> = codes.iter().map(|c| format!("`{c}`")).collect();
                let mut inline = base.clone();
                if !listed.is_empty() {
                    inline["description"] = json!(format!(
                        "{}. Codes: {}.",
                        base["description"].as_str().unwrap_or_default(),
                        listed.join(", ")
                    ));
                }
                rewritten.insert(status.clone(), inline);
                all.extend(codes);
            }
            all.sort_by_key(|c| c.code());
            all.dedup();
            op["responses"] = Value::Object(rewritten);
            op["x-problem-codes"] = json!(all.iter().map(|c| c.code()).collect::<Vec<_>>());
        }
    }
}

fn is_empty_requirement(req: &utoipa::openapi::security::SecurityRequirement) -> bool {
    serde_json::to_value(req)
        .ok()
        .and_then(|v| v.as_object().map(|o| o.is_empty()))
        .unwrap_or(false)
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use std::collections::{BTreeSet, HashMap};

    use guwen_domain::{Labelled, ProblemCode};
    use serde_json::Value;

    use crate::app::openapi_document;

    const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

    fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
        let mut ops = Vec::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    ops.push((method.to_owned(), path.clone(), op));
                }
            }
        }
        ops
    }

    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_operation_has_a_unique_camel_case_operation_id_and_a_short_summary() {
        let doc = openapi_document();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (method, path, op) in operations(&doc) {
            let id = op["operationId"].as_str().unwrap_or_default().to_owned();
            assert!(
                id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && id.chars().all(|c| c.is_ascii_alphanumeric()),
                "{method} {path}: operationId `{id}` is not camelCase"
            );
            if let Some(other) = seen.insert(id.clone(), format!("{method} {path}")) {
                panic!("operationId `{id}` is shared by {other} and {method} {path}");
            }
            let summary = op["summary"].as_str().unwrap_or_default();
            assert!(
                !summary.is_empty() && summary.len() <= 60 && !summary.contains('\n'),
                "{method} {path}: summary should be one short line, is {summary:?}"
            );
        }
    }

    /// utoipa names a schema after its type and silently lets a later type of the same name
    /// replace an earlier one: every type that derives `ToSchema` has a name of its own.
    #[test]
    fn schema_names_are_unique_across_the_crates() {
        fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    rust_files(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        rust_files(&root.join("api/src"), &mut files);
        rust_files(&root.join("domain/src"), &mut files);
        let mut seen: HashMap<String, String> = HashMap::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let mut derives_schema = false;
            for line in text.lines().map(str::trim_start) {
                if line.starts_with("#[") {
                    derives_schema |= line.contains("ToSchema") && line.contains("derive");
                    continue;
                }
                if line.starts_with("///") || line.is_empty() {
                    continue;
                }
                if derives_schema
                    && let Some(rest) = line
                        .strip_prefix("pub struct ")
                        .or_else(|| line.strip_prefix("pub enum "))
                {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let here = file.display().to_string();
                    if let Some(other) = seen.insert(name.clone(), here.clone()) {
                        panic!("two schemas named {name}: {other} and {here}");
                    }
                }
                derives_schema = false;
            }
        }
        assert!(
            seen.contains_key("Problem") && seen.len() > 50,
            "{}",
            seen.len()
        );
    }

    #[test]
    fn every_ref_resolves() {
        let doc = openapi_document();
        let mut found = Vec::new();
        refs(&doc, &mut found);
        assert!(!found.is_empty());
        for r in found {
            let pointer = r
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("external ref {r}"));
            assert!(doc.pointer(pointer).is_some(), "dangling $ref {r}");
        }
    }

    #[test]
    fn page_items_refer_to_their_named_schema() {
        let doc = openapi_document();
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        let pages: Vec<_> = schemas.keys().filter(|k| k.starts_with("Page_")).collect();
        assert!(!pages.is_empty());
        for page in pages {
            let items = &schemas[page]["properties"]["items"]["items"];
            assert_eq!(
                items["$ref"].as_str(),
                Some(format!("#/components/schemas/{}", &page["Page_".len()..]).as_str()),
                "{page} inlines its items"
            );
        }
    }

    #[test]
    fn the_problem_code_schema_is_the_whole_catalogue() {
        let doc = openapi_document();
        let published: BTreeSet<&str> = doc["components"]["schemas"]["ProblemCode"]["enum"]
            .as_array()
            .expect("ProblemCode is a string enum")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let catalogue: BTreeSet<&str> = ProblemCode::all().iter().map(|c| c.code()).collect();
        assert_eq!(published, catalogue);
        assert_eq!(
            doc["components"]["schemas"]["Problem"]["properties"]["code"]["$ref"],
            "#/components/schemas/ProblemCode"
        );
        // Every labelled enum's schema lists its codes, dots and all.
        let events: Vec<&str> = doc["components"]["schemas"]["EventType"]["enum"]
            .as_array()
            .expect("EventType is a string enum")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(events.contains(&"advisor.appointed"), "{events:?}");
    }

    /// Every code an operation lists is in the catalogue and is answered with the status of
    /// the response that lists it; every code of a rule is listed by some operation.
    #[test]
    fn operations_publish_the_problem_codes_they_can_answer() {
        let doc = openapi_document();
        let mut listed = BTreeSet::new();
        for (method, path, op) in operations(&doc) {
            let codes = op["x-problem-codes"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path} has no x-problem-codes"));
            for code in codes.iter().filter_map(Value::as_str) {
                let code = ProblemCode::from_code(code)
                    .unwrap_or_else(|| panic!("{method} {path}: `{code}` is not in the catalogue"));
                let status = super::status_of(code).as_u16().to_string();
                let response = op["responses"][&status]["description"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{method} {path}: `{code}` but no {status}"));
                assert!(
                    response.contains(&format!("`{code}`")),
                    "{method} {path} {status}"
                );
                listed.insert(code);
            }
            if method != "get" {
                assert!(listed.contains(&ProblemCode::InvalidTransition));
            }
        }
        // Codes only the framework or the token check gives are listed generically; every
        // other code belongs to a rule or a request check and must be published somewhere.
        let framework = [
            ProblemCode::BadRequest,
            ProblemCode::HttpError,
            ProblemCode::NotAcceptable,
            ProblemCode::UriTooLong,
            ProblemCode::HeadersTooLarge,
            ProblemCode::RequestTimeout,
            ProblemCode::MethodNotAllowed,
            ProblemCode::TooManyRequests,
            ProblemCode::Duplicate,
            // The confidentiality rule's own refusal is answered as `validation_failed` on
            // the field (only a state-secret marking keeps its code).
            ProblemCode::InvalidConfidentiality,
        ];
        for code in ProblemCode::all() {
            assert!(
                listed.contains(code) || framework.contains(code),
                "`{code}` is in the catalogue but no operation lists it"
            );
        }
    }
}
