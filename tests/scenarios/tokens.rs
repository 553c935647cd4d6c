//! Tokens have limits: a maximum lifetime (12 h for people, longer for service accounts),
//! no `iat` or `nbf` in the future beyond the leeway, only access-token `typ`s, no short
//! secret off loopback, and revocation by `jti` or subject that every replica honours within
//! about a second.

use std::time::{Duration, Instant};

use guwen_api::{Application, auth::Claims};
use guwen_domain::role::Role;
use guwen_tests::{TEST_SECRET, TestApp, audit_count_where, spawn_app, spawn_app_with};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{Value, json};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Signs arbitrary claims (and header `typ`) with the test secret.
fn sign_raw(claims: &Value, typ: Option<&str>) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.typ = typ.map(str::to_owned);
    jsonwebtoken::encode(
        &header,
        claims,
        &EncodingKey::from_secret(TEST_SECRET.as_bytes()),
    )
    .unwrap()
}

fn raw_claims(app: &TestApp, iat: i64, exp: i64) -> Value {
    json!({
        "sub": "auditor-user", "roles": ["auditor"], "iss": app.config.jwt_issuer,
        "aud": app.config.jwt_audience, "iat": iat, "exp": exp
    })
}

async fn audit_list(app: &TestApp, token: String) -> guwen_tests::TestResponse {
    app.client(Some(token)).get("/api/v1/audit-events").await
}

#[tokio::test]
async fn tokens_living_too_long_or_issued_in_the_future_are_refused() {
    let app = spawn_app().await;
    let t = now();
    // Twelve hours is the default maximum for people.
    audit_list(
        &app,
        sign_raw(&raw_claims(&app, t, t + 12 * 3600 - 60), None),
    )
    .await
    .assert_status(200);
    audit_list(&app, sign_raw(&raw_claims(&app, t, t + 13 * 3600), None))
        .await
        .assert_problem(401, "token_lifetime_too_long");
    audit_list(&app, sign_raw(&raw_claims(&app, t, i64::MAX), None))
        .await
        .assert_problem(401, "token_lifetime_too_long");
    audit_list(
        &app,
        sign_raw(&raw_claims(&app, t + 86_400, t + 90_000), None),
    )
    .await
    .assert_problem(401, "token_not_yet_valid");
    let mut c = raw_claims(&app, t, t + 600);
    c["nbf"] = json!(t + 120);
    audit_list(&app, sign_raw(&c, None))
        .await
        .assert_problem(401, "token_not_yet_valid");
    // A service account (integration only) may hold a token for longer.
    let mut c = raw_claims(&app, t, t + 3 * 24 * 3600);
    c["roles"] = json!(["integration"]);
    c["sub"] = json!("roster-sync");
    app.client(Some(sign_raw(&c, None)))
        .get("/api/v1/roster")
        .await
        .assert_status(200);
}

#[tokio::test]
async fn the_maximum_lifetime_is_configurable() {
    let app = spawn_app_with(|c| c.token_max_ttl_secs = 600).await;
    let t = now();
    audit_list(&app, sign_raw(&raw_claims(&app, t, t + 600), None))
        .await
        .assert_status(200);
    let res = audit_list(&app, sign_raw(&raw_claims(&app, t, t + 3600), None)).await;
    res.assert_problem(401, "token_lifetime_too_long");
    assert!(res.json()["detail"].as_str().unwrap().contains("600 s"));
}

#[tokio::test]
async fn only_access_token_types_are_accepted() {
    let app = spawn_app().await;
    let t = now();
    let c = raw_claims(&app, t, t + 600);
    for typ in [
        None,
        Some("JWT"),
        Some("at+jwt"),
        Some("application/at+jwt"),
    ] {
        audit_list(&app, sign_raw(&c, typ)).await.assert_status(200);
    }
    for typ in ["id+jwt", "logout+jwt", "JWE"] {
        audit_list(&app, sign_raw(&c, Some(typ)))
            .await
            .assert_problem(401, "invalid_token_type");
    }
}

#[tokio::test]
async fn a_short_secret_is_refused_off_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = guwen_tests::test_config(dir.path());
    config.jwt_secret = Some(b"short".to_vec());
    config.bind_addr = "0.0.0.0:0".parse().unwrap();
    let schema = match config.database_url.starts_with("postgres") {
        true => Some(guwen_tests::create_schema(&config.database_url).await),
        false => None,
    };
    let err = Application::build(config.clone(), schema.as_deref())
        .await
        .err()
        .expect("a short secret off loopback is refused");
    assert!(err.to_string().contains("JWT_SECRET has 5 bytes"), "{err}");
    // On loopback it starts (with a warning): development only.
    config.bind_addr = "127.0.0.1:0".parse().unwrap();
    assert!(Application::build(config, schema.as_deref()).await.is_ok());
}

/// A token of `sub` with roles, `jti` and issued at `iat`.
fn token(app: &TestApp, roles: &[Role], sub: &str, jti: Option<&str>, iat: i64) -> String {
    let mut c: Claims = app.claims(roles, sub);
    c.jti = jti.map(str::to_owned);
    c.iat = iat;
    c.exp = iat + 3600;
    app.sign(&c)
}

#[tokio::test]
async fn hrss_revokes_a_token_by_jti_and_lifts_the_revocation() {
    let app = spawn_app().await;
    let hrss = app.hrss();
    let victim = app.client(Some(token(
        &app,
        &[Role::Auditor],
        "audra",
        Some("lost-laptop"),
        now(),
    )));
    let other = app.client(Some(token(
        &app,
        &[Role::Auditor],
        "audra",
        Some("desk"),
        now(),
    )));
    victim.get("/api/v1/audit-events").await.assert_status(200);

    // Only HRSS revokes; the auditor reads the list.
    app.auditor()
        .post(
            "/api/v1/token-revocations",
            &json!({"jti": "lost-laptop", "reason": "x"}),
        )
        .await
        .assert_problem(403, "forbidden");
    for bad in [
        json!({"reason": "neither"}),
        json!({"jti": "a", "sub": "b", "reason": "both"}),
        json!({"jti": "a\u{0}b", "reason": "NUL"}),
        json!({"sub": "\u{200B}", "reason": "invisible"}),
        json!({"jti": "lost-laptop", "reason": "\u{3000}"}),
    ] {
        hrss.post("/api/v1/token-revocations", &bad)
            .await
            .assert_problem(422, "validation_failed");
    }
    let res = hrss
        .post(
            "/api/v1/token-revocations",
            &json!({"jti": "lost-laptop", "reason": "笔记本电脑遗失"}),
        )
        .await;
    res.assert_status(201);
    let revocation = res.json();
    assert_eq!(revocation["kind"], "jti");
    assert_eq!(revocation["revoked_by"], "hrss-user");
    let id = revocation["id"].as_str().unwrap().to_owned();
    assert_eq!(
        res.header("location").unwrap(),
        format!("/api/v1/token-revocations/{id}")
    );

    // The replica that recorded it refuses the token at once; other tokens still work.
    victim
        .get("/api/v1/audit-events")
        .await
        .assert_problem(401, "token_revoked");
    other.get("/api/v1/audit-events").await.assert_status(200);
    let list = app.auditor().get("/api/v1/token-revocations").await;
    list.assert_status(200);
    assert_eq!(list.json()["items"][0]["id"], id.as_str());
    assert_eq!(audit_count_where(&app, Some(&id), "token_revoked").await, 1);

    // Lifting it lets the token in again.
    let res = hrss
        .send(
            Method::DELETE,
            &format!("/api/v1/token-revocations/{id}"),
            None,
            &[],
        )
        .await;
    res.assert_status(200);
    victim.get("/api/v1/audit-events").await.assert_status(200);
    hrss.send(
        Method::DELETE,
        &format!("/api/v1/token-revocations/{id}"),
        None,
        &[],
    )
    .await
    .assert_problem(404, "not_found");
    assert_eq!(
        audit_count_where(&app, Some(&id), "token_revocation_lifted").await,
        1
    );
}

/// The replica keeps answers per token and gives one again without checking the token anew
/// while nothing changed: a revocation is a change, so the next request checks the token and
/// is refused, and a token that may not call the route is refused whatever is kept for others.
#[tokio::test]
async fn a_revoked_token_is_refused_where_its_answer_was_kept() {
    let app = spawn_app().await;
    let victim = app.client(Some(token(
        &app,
        &[Role::Integration],
        "nightly-sync",
        Some("leaked"),
        now(),
    )));
    let first = victim.get("/api/v1/roster").await;
    first.assert_status(200);
    // The same request again: answered from what this replica keeps, the same bytes.
    let again = victim.get("/api/v1/roster").await;
    again.assert_status(200);
    assert_eq!(again.json(), first.json());
    assert_eq!(again.header("cache-control").as_deref(), Some("no-store"));
    // Another token, of a role the roster is not for, is refused for the same target.
    let advisor = app.client(Some(token(&app, &[Role::Advisor], "adv", None, now())));
    advisor
        .get("/api/v1/roster")
        .await
        .assert_problem(403, "forbidden");
    app.hrss()
        .post(
            "/api/v1/token-revocations",
            &json!({"jti": "leaked", "reason": "令牌泄露"}),
        )
        .await
        .assert_status(201);
    victim
        .get("/api/v1/roster")
        .await
        .assert_problem(401, "token_revoked");
}

#[tokio::test]
async fn a_revoked_subject_loses_the_tokens_issued_until_then() {
    let app = spawn_app().await;
    let before = app.client(Some(token(
        &app,
        &[Role::Auditor],
        "leaver",
        None,
        now() - 10,
    )));
    before.get("/api/v1/audit-events").await.assert_status(200);
    let res = app
        .hrss()
        .post(
            "/api/v1/token-revocations",
            &json!({"sub": "leaver", "reason": "调离岗位"}),
        )
        .await;
    res.assert_status(201);
    let revoked_at =
        chrono::DateTime::parse_from_rfc3339(res.json()["revoked_at"].as_str().unwrap())
            .unwrap()
            .timestamp();
    before
        .get("/api/v1/audit-events")
        .await
        .assert_problem(401, "token_revoked");
    // A token issued after the revocation is accepted.
    let after = app.client(Some(token(
        &app,
        &[Role::Auditor],
        "leaver",
        None,
        revoked_at + 1,
    )));
    after.get("/api/v1/audit-events").await.assert_status(200);
}

#[tokio::test]
async fn every_replica_refuses_a_revoked_token_within_about_a_second() {
    let app = spawn_app().await;
    // A second replica on the same database.
    let replica = Application::build(app.config.clone(), app.schema.as_deref())
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", replica.port());
    tokio::spawn(replica.run_until_stopped());
    let victim = token(&app, &[Role::Auditor], "audra", Some("stolen"), now());
    let on_replica = app.client_at(&base, Some(victim));
    on_replica
        .get("/api/v1/audit-events")
        .await
        .assert_status(200);

    app.hrss()
        .post(
            "/api/v1/token-revocations",
            &json!({"jti": "stolen", "reason": "令牌泄露"}),
        )
        .await
        .assert_status(201);
    let started = Instant::now();
    loop {
        let res = on_replica.get("/api/v1/audit-events").await;
        if res.status.as_u16() == 401 {
            res.assert_problem(401, "token_revoked");
            break;
        }
        res.assert_status(200);
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "the other replica still accepts the revoked token"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
}
