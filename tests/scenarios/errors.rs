//! Errors are RFC 9457 problem documents with a stable `code`, for every class of failure;
//! idempotent retries return the first response and create nothing.

use guwen_tests::{audit_count_where, lead, nomination, spawn_app};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn unknown_route_and_wrong_method_are_problems() {
    let app = spawn_app().await;
    app.anonymous()
        .get("/api/v1/nothing-here")
        .await
        .assert_problem(404, "not_found");
    let res = app
        .auditor()
        .send(Method::POST, "/api/v1/audit-events", None, &[])
        .await;
    res.assert_problem(405, "method_not_allowed");
    assert_eq!(res.header("allow").unwrap(), "GET");
}

#[tokio::test]
async fn malformed_query_and_cursor_are_400() {
    let app = spawn_app().await;
    app.auditor()
        .get("/api/v1/audit-events?from=notadate")
        .await
        .assert_problem(400, "invalid_query");
    app.auditor()
        .get("/api/v1/audit-events?cursor=@@@")
        .await
        .assert_problem(400, "invalid_cursor");
}

#[tokio::test]
async fn body_errors_are_problems_and_come_after_auth() {
    let app = spawn_app().await;
    let hrss = app.hrss();
    hrss.raw(
        Method::POST,
        "/api/v1/candidates",
        "application/json",
        "{\"channel\":",
    )
    .await
    .assert_problem(400, "malformed_json");
    hrss.raw(Method::POST, "/api/v1/candidates", "text/plain", "hello")
        .await
        .assert_problem(415, "unsupported_media_type");
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(300 * 1024));
    hrss.raw(Method::POST, "/api/v1/candidates", "application/json", huge)
        .await
        .assert_problem(413, "payload_too_large");

    let mut body = nomination(&app, "王建国", 50, 20);
    body["channel"] = json!("bribery");
    let res = hrss.post("/api/v1/candidates", &body).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["field"], "channel");

    let mut body = nomination(&app, "王建国", 50, 20);
    body["experience_years"] = json!(-1);
    let res = hrss.post("/api/v1/candidates", &body).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["field"], "experience_years");

    let mut body = nomination(&app, "", 50, 20);
    body["name"] = json!("");
    let res = hrss.post("/api/v1/candidates", &body).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["field"], "name");

    // The same malformed body: no token → 401, wrong role → 403.
    app.anonymous()
        .raw(
            Method::POST,
            "/api/v1/candidates",
            "application/json",
            "{\"channel\":",
        )
        .await
        .assert_problem(401, "missing_token");
    app.finance()
        .raw(
            Method::POST,
            "/api/v1/candidates",
            "application/json",
            "{\"channel\":",
        )
        .await
        .assert_problem(403, "forbidden");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_echoes_a_sane_one() {
    let app = spawn_app().await;
    let res = app.anonymous().get("/api/v1/meta/enums").await;
    assert!(res.header("x-request-id").is_some_and(|id| !id.is_empty()));
    let res = app.anonymous().get("/nowhere").await;
    assert!(res.header("x-request-id").is_some());
    let res = app
        .anonymous()
        .send(
            Method::GET,
            "/healthz",
            None,
            &[("X-Request-Id", "trace-42")],
        )
        .await;
    assert_eq!(res.header("x-request-id").unwrap(), "trace-42");
}

#[tokio::test]
async fn enums_carry_english_and_chinese_labels() {
    let app = spawn_app().await;
    let res = app.anonymous().get("/api/v1/meta/enums").await;
    res.assert_status(200);
    let enums = &res.json()["enums"];
    let hrss = enums["role"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "hrss")
        .unwrap();
    assert_eq!(hrss["zh_cn"], "市人力资源和社会保障局");
    assert!(
        enums["audit_action"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["value"] == "candidate_appointed")
    );
    let in_notice = enums["candidate_state"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "in_notice")
        .unwrap();
    assert_eq!(in_notice["zh_cn"], "公示中");
    assert_eq!(enums["nomination_channel"].as_array().unwrap().len(), 4);
}

/// API.md: a retry with the same Idempotency-Key returns the first response and creates nothing.
#[tokio::test]
async fn idempotent_retries_create_nothing() {
    let app = spawn_app().await;
    let dept = lead(&app);
    let body = nomination(&app, "王建国", 50, 20);
    let first = dept
        .post_idempotent("/api/v1/candidates", "key-1", &body)
        .await;
    first.assert_status(201);
    let again = dept
        .post_idempotent("/api/v1/candidates", "key-1", &body)
        .await;
    again.assert_status(201);
    assert_eq!(again.json()["id"], first.json()["id"]);
    assert_eq!(again.header("idempotent-replayed").unwrap(), "true");
    assert_eq!(again.header("location"), first.header("location"));

    let mut other = body.clone();
    other["name"] = json!("李四");
    dept.post_idempotent("/api/v1/candidates", "key-1", &other)
        .await
        .assert_problem(422, "idempotency_key_reused");

    // Another caller may use the same key for its own request.
    let hrss = app
        .hrss()
        .post_idempotent("/api/v1/candidates", "key-1", &other)
        .await;
    hrss.assert_status(201);
    assert_ne!(hrss.json()["id"], first.json()["id"]);

    // The same key fired twice at once still creates one candidate.
    let (a, b) = tokio::join!(
        dept.post_idempotent("/api/v1/candidates", "key-2", &other),
        dept.post_idempotent("/api/v1/candidates", "key-2", &other)
    );
    a.assert_status(201);
    b.assert_status(201);
    assert_eq!(a.json()["id"], b.json()["id"]);

    let list = app.hrss().get("/api/v1/candidates").await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
    let events = audit_count_where(&app, None, "candidate_nominated").await;
    assert_eq!(events, 3);
}
