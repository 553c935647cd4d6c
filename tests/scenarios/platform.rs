//! The platform: spec drift, health, docs, errors.

use guwen_tests::spawn_app;

/// The committed `openapi/openapi.json` is exactly what the code generates.
/// Regenerate with `cargo run -p guwen-api --bin guwen -- openapi --output openapi/openapi.json`.
#[test]
fn committed_spec_matches_generated() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = guwen_api::openapi_json();
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p guwen-tests committed_spec` or `guwen openapi --output openapi/openapi.json`"
    );
}

#[tokio::test]
async fn readyz_reports_the_database() {
    let app = spawn_app().await;
    let res = app.anonymous().get("/readyz").await;
    res.assert_status(200);
    assert_eq!(res.json()["status"], "ok");
}

/// `guwen serve` with no configuration: embedded SQLite under ./data, a development secret
/// kept there, migrations applied, and a token minted with that secret works.
#[tokio::test]
async fn zero_config_start_creates_the_embedded_database_and_dev_secret() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = guwen_api::Config::from_lookup(|_| None, dir.path()).unwrap();
    assert!(config.embedded_database);
    config.bind_addr = "127.0.0.1:0".parse().unwrap();
    config.ensure_dev_secret().unwrap();
    let app = guwen_api::Application::build(config.clone(), None)
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    assert!(dir.path().join("data/guwen.db").exists());
    let secret = std::fs::read_to_string(dir.path().join("data/dev-jwt-secret")).unwrap();
    let ready: serde_json::Value = reqwest::get(format!("{base}/readyz"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "ok");
    assert_eq!(ready["database"], "SQLite");
    let now = chrono::Utc::now().timestamp();
    let token = guwen_api::auth::mint_hs256(
        secret.trim().as_bytes(),
        &guwen_api::auth::Claims {
            sub: "audra".into(),
            roles: vec![guwen_domain::role::Role::Auditor],
            org_id: None,
            advisor_id: None,
            iss: config.jwt_issuer.clone(),
            aud: config.jwt_audience.clone(),
            exp: now + 60,
            iat: now,
            nbf: None,
            jti: None,
        },
    )
    .unwrap();
    let res = reqwest::Client::new()
        .get(format!("{base}/api/v1/audit-events"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    // The same secret is reused on the next start.
    let mut again = guwen_api::Config::from_lookup(|_| None, dir.path()).unwrap();
    again.ensure_dev_secret().unwrap();
    assert_eq!(again.jwt_secret.unwrap(), secret.trim().as_bytes());
}

#[test]
fn a_public_bind_without_keys_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = guwen_api::Config::from_lookup(
        |k| (k == "BIND_ADDR").then(|| "0.0.0.0:8080".to_owned()),
        dir.path(),
    )
    .unwrap();
    let err = config.ensure_dev_secret().unwrap_err().to_string();
    assert!(err.contains("refusing to start"), "{err}");
}

/// An unreachable PostgreSQL fails within the connect deadline, naming host and database but
/// never the password.
#[tokio::test]
async fn an_unreachable_database_fails_fast_without_the_password() {
    // A listener that accepts connections and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let url = format!("postgres://guwen:supersecret@127.0.0.1:{port}/nodb");
    let started = std::time::Instant::now();
    let result = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        guwen_persistence::connect(&url, None),
    )
    .await;
    let err = match result {
        Ok(Err(e)) => e.to_string(),
        Ok(Ok(_)) => panic!("connected to a silent port"),
        Err(_) => panic!("connect did not give up within 30 s"),
    };
    assert!(
        started.elapsed() < std::time::Duration::from_secs(8),
        "took {:?}",
        started.elapsed()
    );
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert!(err.contains("nodb"), "{err}");
    assert!(!err.contains("supersecret"), "{err}");
    drop(silent);
}

#[tokio::test]
async fn health_metrics_docs_and_spec_are_served() {
    let app = spawn_app().await;
    app.anonymous().get("/healthz").await.assert_status(200);
    app.anonymous()
        .get("/api/v1/meta/enums")
        .await
        .assert_status(200);
    let metrics = app.anonymous().get("/metrics").await;
    metrics.assert_status(200);
    assert!(
        metrics.text.contains(
            r#"guwen_http_requests_total{method="GET",route="/api/v1/meta/enums",status="200"} 1"#
        ),
        "{}",
        metrics.text
    );
    assert!(
        metrics
            .text
            .contains("guwen_http_request_duration_seconds_bucket")
    );
    let docs = app.anonymous().get("/docs").await;
    assert_eq!(docs.status.as_u16(), 308);
    assert_eq!(docs.header("location").unwrap(), "/docs/");
    let page = app.anonymous().get("/docs/").await;
    page.assert_status(200);
    assert!(page.text.contains("swagger-ui-bundle.js"));
    app.anonymous()
        .get("/docs/swagger-ui-bundle.js")
        .await
        .assert_status(200);
    let served = app.anonymous().get("/openapi.json").await.json();
    let generated: serde_json::Value = serde_json::from_str(&guwen_api::openapi_json()).unwrap();
    assert_eq!(served, generated);
}

/// Every operation documents its summary, tag, security (the roles) and problem responses.
#[test]
fn every_operation_documents_summary_tag_security_and_problems() {
    let spec: serde_json::Value = serde_json::from_str(&guwen_api::openapi_json()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let name = format!("{method} {path}");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{name} has no summary"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{name} has no tag"
            );
            let security = op["security"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} has no security"));
            let public = security
                .iter()
                .any(|r| r.as_object().is_some_and(|o| o.is_empty()));
            if !public {
                assert!(
                    security[0]["bearer"]
                        .as_array()
                        .is_some_and(|r| !r.is_empty()),
                    "{name} lists no roles"
                );
                for status in ["401", "403"] {
                    assert!(op["responses"][status].is_object(), "{name} lacks {status}");
                }
            }
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') {
                    let resolved = match response["$ref"].as_str() {
                        Some(r) => {
                            &spec["components"]["responses"]
                                [r.trim_start_matches("#/components/responses/")]
                        }
                        None => response,
                    };
                    let schema = &resolved["content"]["application/problem+json"]["schema"]["$ref"];
                    assert_eq!(
                        schema, "#/components/schemas/Problem",
                        "{name} {status} is not a problem"
                    );
                }
            }
        }
    }
}
