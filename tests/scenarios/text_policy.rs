//! Bad text never reaches the database. One text policy (NFC, no control characters beyond
//! newline and tab in free text, not blank once invisible characters are removed, bounded by
//! its column) holds for every body field, path id, query filter, cursor and token claim, and
//! the sweep below sends NUL, over-long and invisible-only values to every one of them, for
//! every operation of the OpenAPI document, expecting a 4xx and never a 5xx.

use std::collections::BTreeMap;

use guwen_domain::role::Role;
use guwen_tests::{
    AdvisorSpec, Client, TestApp, appointed_advisor, assert_chain_valid, assign, background_check,
    create_meeting, create_task, created_id, file_objection, in_notice, lead, nominate, nomination,
    notice_body, objection, passing_review, self_nomination, set_budget, spawn_app_with,
    start_assessment, submit_expense, task_body, this_year, today, withdrawal,
};
use reqwest::Method;
use serde_json::{Value, json};

/// The NUL character PostgreSQL cannot store.
const NUL: &str = "a\u{0}b";
/// A zero-width space: blank to a reader.
const INVISIBLE: &str = "\u{200B}";

/// Longer than any field of any request may be (the longest free text is 50,000 characters).
fn overlong() -> String {
    "x".repeat(guwen_domain::text::MAX_LONG_TEXT + 1)
}

/// Objects the sweep's paths name, so that requests reach the database where they can.
struct World {
    advisor: String,
    candidate: String,
    list: String,
    notice: String,
    notice_candidate: String,
    objection: String,
    task: String,
    assignment: String,
    meeting: String,
    expense: String,
    assessment: String,
}

async fn world(app: &TestApp) -> World {
    let advisor = appointed_advisor(app, AdvisorSpec::named("赵顾问")).await;
    let candidate = nominate(app, &nomination(app, "钱候选", 50, 20)).await;
    let (_, list) = guwen_tests::approved(app, 52, None).await;
    let (notice_candidate, notice) = in_notice(app, 54, None).await;
    let objection = created_id(&file_objection(app, &notice, &notice_candidate).await);
    let task = create_task(
        &app.government(),
        &task_body(app, "logistics", "internal", 10),
    )
    .await;
    let assignment = assign(app, &task, &advisor).await;
    let meeting = create_meeting(&app.government(), &meeting_body(&advisor)).await;
    set_budget(app, 10_000_000).await;
    let expense = submit_expense(app, &advisor, "transport", 10_000).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let assessment = created_id(&start_assessment(app, &advisor, this_year(app)).await);
    World {
        advisor,
        candidate,
        list,
        notice,
        notice_candidate,
        objection,
        task,
        assignment,
        meeting,
        expense,
        assessment,
    }
}

fn meeting_body(advisor: &str) -> Value {
    json!({
        "title": "口岸高质量发展专题研讨会", "agenda": "讨论口岸扩能方案",
        "held_at": "2026-06-01T09:00:00+08:00", "location": "市政府三楼会议室",
        "invited_advisor_ids": [advisor]
    })
}

/// A valid body for the operations whose fixtures have one; the others get one generated from
/// their schema.
fn fixture_body(app: &TestApp, w: &World, operation: &str) -> Option<Value> {
    let today = today(app);
    Some(match operation {
        "createCandidate" => nomination(app, "孙提名", 50, 20),
        "selfNominate" => self_nomination(app),
        "fileObjection" => objection(&w.notice_candidate),
        "createTask" => task_body(app, "logistics", "internal", 10),
        "createMeeting" => meeting_body(&w.advisor),
        "createExpense" => guwen_tests::expense_body(app, Some(&w.advisor), "transport", 5_000),
        "createNotice" => notice_body(&w.candidate, today, 2),
        "createRecommendationList" => json!({"title": "第二批", "candidate_ids": [w.candidate]}),
        "recordPreliminaryReview" => passing_review(),
        "recordBackgroundCheck" => background_check(),
        "withdrawCandidate" => withdrawal(),
        "appointCandidate" => guwen_tests::appointment(app, 2, "EL-SWEEP-0001"),
        "putField" => {
            json!({"name_en": "Logistics", "name_zh": "物流", "lead_org_id": "transport"})
        }
        "setBudget" => json!({"total_fen": 10_000_000, "note": "年度预算"}),
        "createOpinion" => json!({
            "channel": "written_opinion", "subject": "通道论证意见", "content": "建议分期建设。",
            "assignment_id": w.assignment
        }),
        "engageTemporaryExpert" => json!({
            "name": "周专家", "employer": "内蒙古大学", "title": "教授", "scope": "评审口岸规划",
            "starts_on": today, "ends_on": today
        }),
        "createAssessment" => json!({"advisor_id": w.advisor, "year": this_year(app)}),
        "recordAttendance" => {
            json!({"entries": [{"advisor_id": w.advisor, "attendance": "excused", "excuse_reason": "出差"}]})
        }
        "putMinutes" => {
            json!({"summary": "会议纪要", "advisor_opinions": [{"advisor_id": w.advisor, "opinion": "同意"}], "department_opinions": [{"org_id": "commerce", "opinion": "同意"}]})
        }
        "resolveObjection" => json!({"resolution": "dismissed", "reason": "经核查不属实"}),
        _ => return None,
    })
}

/// The id a path parameter takes: the world's object of the collection it follows.
fn path_value(w: &World, app: &TestApp, collection: &str) -> String {
    match collection {
        "candidates" => w.candidate.clone(),
        "recommendation-lists" => w.list.clone(),
        "notices" => w.notice.clone(),
        "objections" => w.objection.clone(),
        "advisors" => w.advisor.clone(),
        "tasks" => w.task.clone(),
        "assignments" => w.assignment.clone(),
        "meetings" => w.meeting.clone(),
        "expenses" => w.expense.clone(),
        "assessments" => w.assessment.clone(),
        "fields" => "port_trade".to_owned(),
        "budgets" => this_year(app).to_string(),
        _ => "0190f3c4-0000-7000-8000-000000000000".to_owned(),
    }
}

/// Percent-encodes a path segment (every byte but the unreserved ones).
fn encode_segment(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The path of `template` with its parameters filled from the world, and `bad` (name, raw
/// value) in place of one of them.
fn fill_path(template: &str, w: &World, app: &TestApp, bad: Option<(&str, &str)>) -> String {
    let segments: Vec<&str> = template.split('/').collect();
    let mut out = Vec::with_capacity(segments.len());
    for (i, s) in segments.iter().enumerate() {
        match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => {
                let value = match bad {
                    Some((n, v)) if n == name => v.to_owned(),
                    _ => path_value(w, app, segments[i - 1]),
                };
                out.push(encode_segment(&value));
            }
            None => out.push((*s).to_owned()),
        }
    }
    out.join("/")
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => {
            for key in ["allOf", "oneOf", "anyOf"] {
                if let Some(items) = schema.get(key).and_then(Value::as_array)
                    && let Some(first) =
                        items.iter().find(|s| s.get("type") != Some(&json!("null")))
                {
                    return resolve(doc, first);
                }
            }
            schema
        }
    }
}

fn schema_type(schema: &Value) -> &str {
    match &schema["type"] {
        Value::String(t) => t,
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if schema.get("properties").is_some() => "object",
        _ if schema.get("enum").is_some() => "string",
        _ => "null",
    }
}

/// A value that fits `schema` (its example where it has one).
fn generate(doc: &Value, schema: &Value, app: &TestApp, depth: usize) -> Value {
    let schema = resolve(doc, schema);
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    match schema_type(schema) {
        "string" => match schema["format"].as_str() {
            Some("date") => json!(today(app)),
            Some("date-time") => json!(chrono::Utc::now().to_rfc3339()),
            _ => json!("顾问工作"),
        },
        "integer" => json!(schema["minimum"].as_i64().unwrap_or(1).max(1)),
        "number" => json!(1),
        "boolean" => json!(true),
        "array" if depth < 6 => json!([generate(doc, &schema["items"], app, depth + 1)]),
        "object" if depth < 6 => {
            let mut out = serde_json::Map::new();
            if let Some(props) = schema["properties"].as_object() {
                for (name, prop) in props {
                    out.insert(name.clone(), generate(doc, prop, app, depth + 1));
                }
            }
            Value::Object(out)
        }
        _ => Value::Null,
    }
}

/// One step into a JSON body.
#[derive(Debug, Clone)]
enum Step {
    Member(String),
    Item,
}

/// Every string property of `schema` (through nested objects and arrays), as steps and as the
/// field name a problem document gives it (`contact.phone`, `aspects[0].note`).
fn string_fields(
    doc: &Value,
    schema: &Value,
    prefix: (Vec<Step>, String),
    out: &mut Vec<(Vec<Step>, String)>,
    depth: usize,
) {
    if depth > 6 {
        return;
    }
    let schema = resolve(doc, schema);
    match schema_type(schema) {
        "string" => out.push(prefix),
        "array" => {
            let (mut steps, name) = prefix;
            steps.push(Step::Item);
            string_fields(
                doc,
                &schema["items"],
                (steps, format!("{name}[0]")),
                out,
                depth + 1,
            );
        }
        "object" => {
            if let Some(props) = schema["properties"].as_object() {
                for (member, prop) in props {
                    let mut steps = prefix.0.clone();
                    steps.push(Step::Member(member.clone()));
                    let name = if prefix.1.is_empty() {
                        member.clone()
                    } else {
                        format!("{}.{member}", prefix.1)
                    };
                    string_fields(doc, prop, (steps, name), out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// `body` with `value` at `steps` (creating members and a first item where needed).
fn with_value(body: &Value, steps: &[Step], value: &str) -> Value {
    let mut out = body.clone();
    let mut at = &mut out;
    for step in steps {
        at = match step {
            Step::Member(m) => {
                if !at.is_object() {
                    *at = json!({});
                }
                at.as_object_mut()
                    .unwrap()
                    .entry(m.clone())
                    .or_insert(Value::Null)
            }
            Step::Item => {
                if at.as_array().is_none_or(|a| a.is_empty()) {
                    *at = json!([Value::Null]);
                }
                &mut at.as_array_mut().unwrap()[0]
            }
        };
    }
    *at = json!(value);
    out
}

/// A client holding every role `op` allows, as the department `commerce` and the world's
/// advisor.
fn caller_for(app: &TestApp, w: &World, op: &Value) -> Client {
    let roles: Vec<Role> = op["security"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|req| req.get("bearer"))
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_str)
        .map(|r| r.parse().unwrap())
        .collect();
    if roles.is_empty() {
        return app.anonymous();
    }
    let mut claims = app.claims(&roles, "sweep-user");
    claims.org_id = Some("commerce".to_owned());
    claims.advisor_id = Some(w.advisor.clone());
    app.client(Some(app.sign(&claims)))
}

/// Asserts the answer to one bad value: never a 5xx; for NUL and over-long values a 4xx, and a
/// 422 names the field the policy refused (never the database's refusal); an invisible-only
/// value accepted is not stored as such.
#[track_caller]
fn judge(what: &str, kind: &str, field: &str, res: &guwen_tests::TestResponse) {
    let status = res.status.as_u16();
    assert!(
        status < 500,
        "{what}: {kind} in `{field}` gave {status}: {}",
        res.text
    );
    if kind == "invisible" {
        if res.status.is_success() {
            assert!(
                !res.text.contains(INVISIBLE),
                "{what}: an invisible-only `{field}` was stored: {}",
                res.text
            );
        }
        return;
    }
    assert!(
        (400..500).contains(&status),
        "{what}: {kind} in `{field}` was accepted: {}",
        res.text
    );
    if status == 422 && res.code() == "validation_failed" {
        let fields: Vec<String> = res.json()["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["field"].as_str().map(str::to_owned))
            .collect();
        assert!(
            !fields.is_empty(),
            "{what}: {kind} in `{field}` was refused by the database, not the text policy: {}",
            res.text
        );
        if kind == "NUL" {
            assert!(
                fields.iter().any(|f| f == field),
                "{what}: NUL in `{field}` refused as {fields:?}"
            );
        }
    }
}

#[tokio::test]
async fn every_text_input_of_every_operation_refuses_nul_overlong_and_invisible_values() {
    let app = spawn_app_with(|c| c.public_rate_limit = 100_000).await;
    let w = world(&app).await;
    let doc = guwen_api::openapi_document();
    let long = overlong();
    let bad_body = [("NUL", NUL), ("over-long", long.as_str())];
    let bad_param = [
        ("NUL", NUL.to_owned()),
        ("over-long", "x".repeat(1000)),
        ("invisible", INVISIBLE.to_owned()),
    ];
    let mut counted: BTreeMap<&str, usize> = BTreeMap::new();
    let mut invisible_last = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Ok(m) = Method::from_bytes(method.to_ascii_uppercase().as_bytes()) else {
                continue;
            };
            let id = op["operationId"].as_str().unwrap_or(method);
            let what = format!("{method} {template} ({id})");
            let client = caller_for(&app, &w, op);
            let body_schema = &op["requestBody"]["content"]["application/json"]["schema"];
            let body = (!body_schema.is_null()).then(|| {
                fixture_body(&app, &w, id).unwrap_or_else(|| generate(&doc, body_schema, &app, 0))
            });
            let path = fill_path(template, &w, &app, None);

            // Every string property of the body.
            if let Some(body) = &body {
                let mut fields = Vec::new();
                string_fields(
                    &doc,
                    body_schema,
                    (Vec::new(), String::new()),
                    &mut fields,
                    0,
                );
                for (steps, field) in fields {
                    for (kind, value) in bad_body {
                        let res = client
                            .send(
                                m.clone(),
                                &path,
                                Some(&with_value(body, &steps, value)),
                                &[],
                            )
                            .await;
                        judge(&what, kind, &field, &res);
                        *counted.entry("body").or_default() += 1;
                    }
                    invisible_last.push((
                        m.clone(),
                        path.clone(),
                        with_value(body, &steps, INVISIBLE),
                        what.clone(),
                        field,
                        client.clone(),
                    ));
                }
            }

            // Every path parameter.
            for name in template
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            {
                for (kind, value) in &bad_param {
                    let bad_path = fill_path(template, &w, &app, Some((name, value)));
                    let res = client.send(m.clone(), &bad_path, body.as_ref(), &[]).await;
                    judge(&what, kind, name, &res);
                    assert_eq!(
                        res.status.as_u16(),
                        422,
                        "{what}: {kind} in path `{name}`: {}",
                        res.text
                    );
                    *counted.entry("path").or_default() += 1;
                }
            }

            // Every query parameter.
            let params = op["parameters"].as_array().into_iter().flatten();
            for p in params.filter(|p| p["in"] == "query") {
                let name = p["name"].as_str().unwrap();
                for (kind, value) in &bad_param {
                    let query = format!("{name}={}", encode_segment(value));
                    let res = client
                        .send(m.clone(), &format!("{path}?{query}"), body.as_ref(), &[])
                        .await;
                    judge(&what, kind, name, &res);
                    if *kind != "invisible" {
                        res.assert_problem(422, "validation_failed");
                    }
                    *counted.entry("query").or_default() += 1;
                }
            }
        }
    }
    // Invisible-only values last: where one is accepted (an optional field left out), it may
    // change the world the other requests rely on.
    for (m, path, body, what, field, client) in invisible_last {
        let res = client.send(m, &path, Some(&body), &[]).await;
        judge(&what, "invisible", &field, &res);
        *counted.entry("body").or_default() += 1;
    }
    assert!(counted["body"] > 300, "{counted:?}");
    assert!(counted["path"] > 100, "{counted:?}");
    assert!(counted["query"] > 150, "{counted:?}");
    assert_chain_valid(&app).await;
}

#[tokio::test]
async fn names_are_stored_in_nfc_trimmed_of_invisible_characters_and_on_one_line() {
    let app = spawn_app_with(|_| {}).await;
    let dept = lead(&app);
    let mut body = nomination(&app, "\u{FEFF}\u{200B}Ame\u{301}lie 王\u{3000}", 50, 20);
    body["achievements"] = json!("第一行\r\n第二行\t完");
    let res = dept.post("/api/v1/candidates", &body).await;
    res.assert_status(201);
    let c = res.json();
    assert_eq!(c["name"], "Am\u{e9}lie 王");
    assert_eq!(c["achievements"], "第一行\n第二行\t完");

    for (name, message) in [
        ("\u{200B}", "must not be blank"),
        ("\u{FEFF}\u{2060}\u{3000}", "must not be blank"),
        ("王\n建国", "must be one line"),
        ("王\u{7}建国", "control character U+0007"),
        ("王\u{0}建国", "control character U+0000"),
    ] {
        let mut body = nomination(&app, "x", 50, 20);
        body["name"] = json!(name);
        let res = dept.post("/api/v1/candidates", &body).await;
        res.assert_problem(422, "validation_failed");
        let err = &res.json()["errors"][0];
        assert_eq!(err["field"], "name", "{name:?}: {}", res.text);
        assert!(
            err["message"].as_str().unwrap().contains(message),
            "{name:?}: {}",
            res.text
        );
    }

    // An invisible-only optional field is absent, not stored.
    let mut body = nomination(&app, "李四", 50, 20);
    body["contact"]["address"] = json!("\u{200B}\u{3000}");
    let c = dept.post("/api/v1/candidates", &body).await;
    c.assert_status(201);
    assert!(c.json()["contact"]["address"].is_null(), "{}", c.text);
}

#[tokio::test]
async fn nul_in_path_query_and_cursor_is_refused_before_the_database() {
    let app = spawn_app_with(|_| {}).await;
    let auditor = app.auditor();
    let res = auditor.get("/api/v1/audit-events?object_id=a%00b").await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["field"], "object_id");
    let res = app.hrss().get("/api/v1/candidates/a%00b").await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["field"], "id");
    app.hrss()
        .get(&format!("/api/v1/candidates/{}", "x".repeat(65)))
        .await
        .assert_problem(422, "validation_failed");
    // A cursor decoding to a key with NUL was not issued by the list.
    use base64::Engine;
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(r#"["audit-events",[1,"a\u0000b"]]"#);
    auditor
        .get(&format!("/api/v1/audit-events?cursor={forged}"))
        .await
        .assert_problem(400, "invalid_cursor");
    let res = app
        .anonymous()
        .get("/api/v1/public/notices/%E2%80%8B")
        .await;
    res.assert_problem(422, "validation_failed");
}

#[tokio::test]
async fn unusable_identifier_claims_are_401_invalid_claims() {
    let app = spawn_app_with(|_| {}).await;
    let mut cases = Vec::new();
    for sub in ["a\u{0}b", "\u{200B}", " hr", &"s".repeat(197)] {
        cases.push(app.claims(&[Role::Hrss], sub));
    }
    let mut c = app.claims(&[Role::Department], "dept");
    c.org_id = Some("o".repeat(101));
    cases.push(c);
    let mut c = app.claims(&[Role::Department], "dept");
    c.org_id = Some("comm\u{0}erce".to_owned());
    cases.push(c);
    let mut c = app.claims(&[Role::Advisor], "adv");
    c.advisor_id = Some("a".repeat(37));
    cases.push(c);
    for claims in cases {
        let res = app
            .client(Some(app.sign(&claims)))
            .get("/api/v1/candidates")
            .await;
        res.assert_problem(401, "invalid_claims");
    }
    // The longest usable subject writes to every column it reaches.
    let claims = app.claims(&[Role::Hrss], &"s".repeat(196));
    let client = app.client(Some(app.sign(&claims)));
    let res = client
        .send(
            Method::POST,
            "/api/v1/candidates",
            Some(&nomination(&app, "王五", 50, 20)),
            &[("Idempotency-Key", "longest-subject")],
        )
        .await;
    res.assert_status(201);
}
