//! What every answer carries and what every request leaves behind: `X-Content-Type-Options`,
//! `charset=utf-8` on JSON, `Cache-Control: no-store` on personal data, problem documents for
//! the framework's own refusals, `HEAD` on `GET` routes, bounded metrics that an operator
//! token can close, one structured access-log line per request, the network of anonymous
//! writers in the audit trail, and meetings convened by their own organiser only.

use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use guwen_domain::role::Role;
use guwen_tests::{
    AdvisorSpec, TEST_SECRET, TestApp, appointed_advisor, audit_events, in_notice, self_nomination,
    spawn_app, spawn_app_with,
};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn every_answer_says_nosniff_and_json_says_utf_8() {
    let app = spawn_app().await;
    for (client, path, status, media) in [
        (app.anonymous(), "/healthz", 200, "application/json"),
        (
            app.anonymous(),
            "/api/v1/public/notices",
            200,
            "application/json",
        ),
        (
            app.anonymous(),
            "/api/v1/nothing",
            404,
            "application/problem+json",
        ),
        (
            app.anonymous(),
            "/api/v1/audit-events",
            401,
            "application/problem+json",
        ),
        (
            app.auditor(),
            "/api/v1/audit-events",
            200,
            "application/json",
        ),
    ] {
        let res = client.get(path).await;
        res.assert_status(status);
        assert_eq!(
            res.header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            res.header("content-type").unwrap(),
            format!("{media}; charset=utf-8"),
            "{path}"
        );
    }
    let metrics = app.anonymous().get("/metrics").await;
    assert_eq!(
        metrics.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
}

#[tokio::test]
async fn answers_with_personal_data_are_not_stored_by_caches() {
    let app = spawn_app().await;
    for (client, path, status) in [
        (app.auditor(), "/api/v1/audit-events", 200),
        (app.hrss(), "/api/v1/candidates", 200),
        (app.anonymous(), "/api/v1/candidates", 401),
        (app.finance(), "/api/v1/candidates", 403),
    ] {
        let res = client.get(path).await;
        res.assert_status(status);
        assert_eq!(
            res.header("cache-control").as_deref(),
            Some("no-store"),
            "{path}"
        );
    }
    let public = app.anonymous().get("/api/v1/public/roster").await;
    public.assert_status(200);
    assert_eq!(public.header("cache-control"), None);
}

#[tokio::test]
async fn head_answers_every_get_route_without_a_body() {
    let app = spawn_app().await;
    for (client, path) in [
        (app.anonymous(), "/api/v1/public/notices"),
        (app.anonymous(), "/healthz"),
        (app.auditor(), "/api/v1/audit-events"),
    ] {
        let get = client.get(path).await;
        let head = client.send(Method::HEAD, path, None, &[]).await;
        head.assert_status(200);
        assert!(head.text.is_empty(), "{path}: {}", head.text);
        assert_eq!(
            head.header("content-type"),
            get.header("content-type"),
            "{path}"
        );
        assert_eq!(
            head.header("content-length").unwrap(),
            get.text.len().to_string(),
            "{path}"
        );
    }
    app.anonymous()
        .send(Method::HEAD, "/api/v1/audit-events", None, &[])
        .await
        .assert_status(401);
}

#[tokio::test]
async fn the_frameworks_refusals_are_problem_documents() {
    let app = spawn_app().await;
    let anonymous = app.anonymous();
    let long = format!("/api/v1/public/notices?x={}", "a".repeat(9000));
    anonymous
        .get(&long)
        .await
        .assert_problem(414, "uri_too_long");
    let big = "b".repeat(40_000);
    anonymous
        .send(
            Method::GET,
            "/api/v1/public/notices",
            None,
            &[("x-big", &big)],
        )
        .await
        .assert_problem(431, "headers_too_large");
    let made_up = Method::from_bytes(b"FROB").unwrap();
    let res = app
        .auditor()
        .send(made_up.clone(), "/api/v1/audit-events", None, &[])
        .await;
    res.assert_problem(405, "method_not_allowed");
    anonymous
        .send(made_up, "/no/such/place", None, &[])
        .await
        .assert_problem(404, "not_found");
    // A header value that is not text is not an error unless it is read.
    anonymous
        .send(
            Method::GET,
            "/api/v1/public/notices",
            None,
            &[("x-note", "caf\u{e9}")],
        )
        .await
        .assert_status(200);
}

#[tokio::test]
async fn metrics_fold_made_up_methods_and_unmatched_paths() {
    let app = spawn_app().await;
    let client = app.anonymous();
    for method in ["FROB", "BLAH", "ZORK"] {
        for i in 0..5 {
            let m = Method::from_bytes(method.as_bytes()).unwrap();
            client
                .send(m, &format!("/fuzz/{method}/{i}"), None, &[])
                .await;
            let m = Method::from_bytes(method.as_bytes()).unwrap();
            client.send(m, "/api/v1/public/notices", None, &[]).await;
        }
    }
    let text = client.get("/metrics").await.text;
    for made_up in ["FROB", "BLAH", "ZORK", "/fuzz"] {
        assert!(
            !text.contains(made_up),
            "{made_up} leaked into the metrics:\n{text}"
        );
    }
    let series: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("guwen_http_requests_total{") && l.contains("method=\"other\""))
        .collect();
    assert_eq!(series.len(), 2, "{series:?}");
    assert!(series.iter().any(|l| l.contains("route=\"unmatched\"")));
}

#[tokio::test]
async fn an_operator_token_closes_the_metrics_and_the_docs_can_be_turned_off() {
    let app = spawn_app_with(|c| {
        c.metrics_token = Some("operator-secret".to_owned());
        c.docs = false;
    })
    .await;
    let anonymous = app.anonymous();
    anonymous
        .get("/metrics")
        .await
        .assert_problem(401, "missing_token");
    app.client(Some("wrong".to_owned()))
        .get("/metrics")
        .await
        .assert_problem(401, "missing_token");
    let ok = app
        .client(Some("operator-secret".to_owned()))
        .get("/metrics")
        .await;
    ok.assert_status(200);
    assert!(ok.text.contains("guwen_http_requests_total"));
    anonymous
        .get("/docs/")
        .await
        .assert_problem(404, "not_found");
    anonymous
        .get("/openapi.json")
        .await
        .assert_problem(404, "not_found");
    // By default both are open.
    let open = spawn_app().await;
    open.anonymous().get("/metrics").await.assert_status(200);
    open.anonymous()
        .get("/openapi.json")
        .await
        .assert_status(200);
}

#[tokio::test]
async fn anonymous_writes_record_the_network_they_came_from() {
    let app = spawn_app_with(|c| {
        c.trusted_proxies = guwen_api::http::client_addr::parse_trusted("127.0.0.1").unwrap();
    })
    .await;
    let res = app
        .anonymous()
        .send(
            Method::POST,
            "/api/v1/public/self-nominations",
            Some(&self_nomination(&app)),
            &[("X-Forwarded-For", "203.0.113.77")],
        )
        .await;
    res.assert_status(201);
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let events = audit_events(&app, Some(&id), Some("candidate_nominated")).await;
    assert_eq!(events[0]["actor"]["sub"], "anonymous");
    assert_eq!(events[0]["details"]["client_network"], "203.0.113.0/24");

    let (candidate, notice) = in_notice(&app, 50, None).await;
    let res = app
        .anonymous()
        .send(
            Method::POST,
            &format!("/api/v1/public/notices/{notice}/objections"),
            Some(&guwen_tests::objection(&candidate)),
            &[("X-Forwarded-For", "2001:db8:1:2::5")],
        )
        .await;
    res.assert_status(201);
    let objection = res.json()["id"].as_str().unwrap().to_owned();
    let events = audit_events(&app, Some(&objection), Some("objection_filed")).await;
    assert_eq!(events[0]["details"]["client_network"], "2001:db8:1::/48");
    // Nothing more precise is kept in the trail.
    let text = serde_json::to_string(&audit_events(&app, None, None).await).unwrap();
    assert!(!text.contains("203.0.113.77") && !text.contains("2001:db8:1:2::5"));
}

#[tokio::test]
async fn a_meeting_is_convened_by_its_own_organiser_only() {
    let app = spawn_app().await;
    let advisor = appointed_advisor(&app, AdvisorSpec::named("孙顾问")).await;
    let body = |extra: Value| {
        let mut b = json!({
            "title": "口岸专题会", "agenda": "议程", "held_at": "2026-06-01T09:00:00+08:00",
            "invited_advisor_ids": [advisor]
        });
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let dept = app.department("commerce");
    for other in [
        json!({"organizer_org_id": "transport"}),
        json!({"organizer": "government"}),
        json!({"organizer": "department", "organizer_org_id": "transport"}),
    ] {
        dept.post("/api/v1/meetings", &body(other))
            .await
            .assert_problem(403, "forbidden");
    }
    let own = dept
        .post(
            "/api/v1/meetings",
            &body(json!({"organizer_org_id": "commerce"})),
        )
        .await;
    own.assert_status(201);
    assert_eq!(own.json()["organizer_org_id"], "commerce");
    app.government()
        .post(
            "/api/v1/meetings",
            &body(json!({"organizer": "department", "organizer_org_id": "commerce"})),
        )
        .await
        .assert_problem(403, "forbidden");
    // HRSS may name a department.
    app.hrss()
        .post(
            "/api/v1/meetings",
            &body(json!({"organizer": "department", "organizer_org_id": "transport"})),
        )
        .await
        .assert_status(201);
}

/// The `guwen` binary next to this test.
fn guwen_bin() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|d| d.parent()).unwrap();
    std::env::var("GUWEN_BIN")
        .map(Into::into)
        .unwrap_or_else(|_| dir.join(format!("guwen{}", std::env::consts::EXE_SUFFIX)))
}

#[tokio::test]
async fn one_json_access_log_line_per_request_and_refusals_with_their_code() {
    let app: TestApp = spawn_app().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let log_path = app.dir.path().join("json.log");
    let mut child = Command::new(guwen_bin())
        .arg("serve")
        .current_dir(app.dir.path())
        .env("DATABASE_URL", app.database_url_for_another_process())
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("JWT_SECRET", TEST_SECRET)
        .env("GUWEN_AUDIT_KEY", guwen_tests::TEST_AUDIT_KEY)
        .env("GUWEN_DATA_DIR", app.dir.path().join("logged"))
        .env("GUWEN_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env_remove("JWT_PUBLIC_KEYS")
        .env_remove("JWT_JWKS_URL")
        .env_remove("JWT_ISSUER")
        .env_remove("JWT_AUDIENCE")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .expect("start guwen serve");
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !app
        .http
        .get(format!("{base}/healthz"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let token = app.sign(&app.claims(&[Role::Auditor], "audra"));
    let finance = app.sign(&app.claims(&[Role::Finance], "fin"));
    let auditor = app.client_at(&base, Some(token.clone()));
    auditor
        .get("/api/v1/audit-events?limit=5")
        .await
        .assert_status(200);
    app.client_at(&base, None)
        .get("/api/v1/audit-events")
        .await
        .assert_status(401);
    app.client_at(&base, Some(finance))
        .get("/api/v1/audit-events")
        .await
        .assert_status(403);
    tokio::time::sleep(Duration::from_millis(300)).await;
    child.kill().ok();
    child.wait().ok();

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(!log.contains(&token), "the token was logged");
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let access: Vec<&Value> = lines
        .iter()
        .filter(|l| {
            l["target"] == "guwen::access" && l["fields"]["route"] == "/api/v1/audit-events"
        })
        .collect();
    assert_eq!(access.len(), 3, "{log}");
    let ok = access
        .iter()
        .find(|l| l["fields"]["status"] == 200)
        .unwrap();
    assert_eq!(ok["fields"]["method"], "GET");
    assert_eq!(ok["fields"]["sub"], "audra");
    assert!(ok["fields"]["latency_ms"].as_f64().is_some());
    assert_eq!(ok["fields"]["request_id"].as_str().unwrap().len(), 36);
    let refused_401 = lines
        .iter()
        .find(|l| l["fields"]["message"] == "authentication refused")
        .unwrap_or_else(|| panic!("no 401 line: {log}"));
    assert_eq!(refused_401["level"], "INFO");
    assert_eq!(refused_401["fields"]["code"], "missing_token");
    assert!(
        refused_401["span"]["request_id"].is_string(),
        "{refused_401}"
    );
    let refused_403 = lines
        .iter()
        .find(|l| l["fields"]["message"] == "authorisation refused")
        .unwrap_or_else(|| panic!("no 403 line: {log}"));
    assert_eq!(refused_403["level"], "WARN");
    assert_eq!(refused_403["fields"]["code"], "forbidden");
    assert_eq!(refused_403["fields"]["sub"], "fin");
}
