//! Authentication (API.md "Authentication"): every way a token can be wrong is a 401
//! problem with `WWW-Authenticate`; a wrong role is a 403; both come before the body is read.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use guwen_domain::role::Role;
use guwen_tests::{TEST_SECRET, TestApp, fixtures, spawn_app, spawn_app_with};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

const AUDIT: &str = "/api/v1/audit-events";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Valid claims for role auditor, as JSON to tamper with.
fn claims(app: &TestApp) -> Value {
    json!({
        "sub": "audra", "roles": ["auditor"], "iss": app.config.jwt_issuer, "aud": app.config.jwt_audience,
        "exp": now() + 600, "iat": now()
    })
}

fn hs256(claims: &Value) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(TEST_SECRET.as_bytes()),
    )
    .unwrap()
}

fn rs256(claims: &Value, kid: &str, key_file: &str) -> String {
    let pem = std::fs::read(fixtures().join("keys").join(key_file)).unwrap();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.into());
    encode(&header, claims, &EncodingKey::from_rsa_pem(&pem).unwrap()).unwrap()
}

fn es256(claims: &Value, kid: &str) -> String {
    let pem = std::fs::read(fixtures().join("keys/ec-1.pem")).unwrap();
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some(kid.into());
    encode(&header, claims, &EncodingKey::from_ec_pem(&pem).unwrap()).unwrap()
}

/// A token built by hand: any header, any payload, signed HMAC-SHA256 with `key`.
fn hand_signed(header: &Value, claims: &Value, key: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let h = URL_SAFE_NO_PAD.encode(header.to_string());
    let p = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(format!("{h}.{p}").as_bytes());
    format!(
        "{h}.{p}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

async fn rejected(app: &TestApp, token: &str, code: &str) {
    let res = app.client(Some(token.to_owned())).get(AUDIT).await;
    res.assert_problem(401, code);
    let challenge = res.header("www-authenticate").unwrap_or_default();
    assert!(challenge.starts_with("Bearer"), "challenge: {challenge}");
}

fn with_rsa_pem_key(c: &mut guwen_api::Config) {
    c.jwt_public_keys = Some(format!(
        "rsa-1={}",
        fixtures().join("keys/rsa-1.pub.pem").display()
    ));
}

#[tokio::test]
async fn a_valid_hs256_token_is_accepted() {
    let app = spawn_app().await;
    app.client(Some(hs256(&claims(&app))))
        .get(AUDIT)
        .await
        .assert_status(200);
}

#[tokio::test]
async fn no_token_or_another_scheme_is_401_with_a_challenge() {
    let app = spawn_app().await;
    let res = app.anonymous().get(AUDIT).await;
    res.assert_problem(401, "missing_token");
    assert_eq!(
        res.header("www-authenticate").unwrap(),
        r#"Bearer realm="guwen""#
    );
    let basic = app
        .anonymous()
        .send(
            reqwest::Method::GET,
            AUDIT,
            None,
            &[("Authorization", "Basic YWxpY2U6c2VjcmV0")],
        )
        .await;
    basic.assert_problem(401, "missing_token");
}

#[tokio::test]
async fn alg_none_is_rejected() {
    let app = spawn_app().await;
    let h = URL_SAFE_NO_PAD.encode(json!({"alg": "none", "typ": "JWT"}).to_string());
    let p = URL_SAFE_NO_PAD.encode(claims(&app).to_string());
    rejected(&app, &format!("{h}.{p}."), "unsupported_algorithm").await;
}

#[tokio::test]
async fn hs256_signed_with_the_rsa_public_key_is_rejected() {
    let app = spawn_app_with(with_rsa_pem_key).await;
    let public_pem = std::fs::read(fixtures().join("keys/rsa-1.pub.pem")).unwrap();
    let token = hand_signed(
        &json!({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}),
        &claims(&app),
        &public_pem,
    );
    rejected(&app, &token, "algorithm_mismatch").await;
    // The real RS256 token with that kid is accepted.
    app.client(Some(rs256(&claims(&app), "rsa-1", "rsa-1.pem")))
        .get(AUDIT)
        .await
        .assert_status(200);
}

#[tokio::test]
async fn expired_and_not_yet_valid_tokens_are_rejected() {
    let app = spawn_app().await;
    let mut expired = claims(&app);
    expired["exp"] = json!(now() - 600);
    expired["iat"] = json!(now() - 1200);
    rejected(&app, &hs256(&expired), "token_expired").await;
    let mut early = claims(&app);
    early["nbf"] = json!(now() + 600);
    rejected(&app, &hs256(&early), "token_not_yet_valid").await;
}

#[tokio::test]
async fn wrong_issuer_or_audience_is_rejected() {
    let app = spawn_app().await;
    let mut iss = claims(&app);
    iss["iss"] = json!("someone-else");
    rejected(&app, &hs256(&iss), "wrong_issuer").await;
    let mut aud = claims(&app);
    aud["aud"] = json!("another-api");
    rejected(&app, &hs256(&aud), "wrong_audience").await;
    let mut missing = claims(&app);
    missing.as_object_mut().unwrap().remove("exp");
    rejected(&app, &hs256(&missing), "missing_claim").await;
}

#[tokio::test]
async fn unknown_kid_is_rejected() {
    let app = spawn_app_with(with_rsa_pem_key).await;
    rejected(
        &app,
        &rs256(&claims(&app), "rsa-9", "rsa-1.pem"),
        "unknown_kid",
    )
    .await;
    // A known kid with another key's signature does not verify either.
    rejected(
        &app,
        &rs256(&claims(&app), "rsa-1", "rsa-2.pem"),
        "invalid_signature",
    )
    .await;
}

#[tokio::test]
async fn a_tampered_payload_is_rejected() {
    let app = spawn_app().await;
    let token = hs256(&claims(&app));
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload = claims(&app);
    payload["roles"] = json!(["hrss"]);
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2]
    );
    rejected(&app, &forged, "invalid_signature").await;
}

#[tokio::test]
async fn tokens_without_roles_or_with_unknown_roles_are_rejected() {
    let app = spawn_app().await;
    let mut none = claims(&app);
    none["roles"] = json!([]);
    rejected(&app, &hs256(&none), "no_roles").await;
    let mut unknown = claims(&app);
    unknown["roles"] = json!(["mayor"]);
    let res = app.client(Some(hs256(&unknown))).get(AUDIT).await;
    assert_eq!(res.status.as_u16(), 401, "{}", res.text);
    rejected(&app, "not-a-jwt", "malformed_token").await;
}

#[tokio::test]
async fn es256_keys_come_from_a_jwks_file() {
    let app = spawn_app_with(|c| {
        c.jwt_jwks_url = Some(fixtures().join("keys/jwks.json").display().to_string())
    })
    .await;
    app.client(Some(es256(&claims(&app), "ec-1")))
        .get(AUDIT)
        .await
        .assert_status(200);
    app.client(Some(rs256(&claims(&app), "rsa-2", "rsa-2.pem")))
        .get(AUDIT)
        .await
        .assert_status(200);
    // An RS256 token claiming the EC key's kid does not verify.
    rejected(
        &app,
        &rs256(&claims(&app), "ec-1", "rsa-2.pem"),
        "algorithm_mismatch",
    )
    .await;
}

#[tokio::test]
async fn jwks_is_fetched_over_http_from_the_identity_provider() {
    let jwks = std::fs::read_to_string(fixtures().join("keys/jwks.json")).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
                jwks.len(),
                jwks
            );
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    let app =
        spawn_app_with(move |c| c.jwt_jwks_url = Some(format!("http://{addr}/jwks.json"))).await;
    app.client(Some(es256(&claims(&app), "ec-1")))
        .get(AUDIT)
        .await
        .assert_status(200);
}

/// API.md: 401 → 403 → validation. A caller without the role learns nothing about the query.
#[tokio::test]
async fn unauthenticated_before_forbidden_before_validation() {
    let app = spawn_app().await;
    let bad = "/api/v1/audit-events?limit=0";
    app.anonymous()
        .get(bad)
        .await
        .assert_problem(401, "missing_token");
    app.finance()
        .get(bad)
        .await
        .assert_problem(403, "forbidden");
    let res = app.auditor().get(bad).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["field"], "limit");
    app.hrss().get(AUDIT).await.assert_status(200);
    for role in [
        Role::Department,
        Role::Integration,
        Role::Advisor,
        Role::Government,
    ] {
        app.as_role(role)
            .get(AUDIT)
            .await
            .assert_problem(403, "forbidden");
        app.as_role(role)
            .get("/api/v1/audit-events/verification")
            .await
            .assert_problem(403, "forbidden");
    }
}

/// RFC 7235 §2.1: the scheme name is case-insensitive.
#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let app = spawn_app().await;
    let token = hs256(&claims(&app));
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let header = format!("{scheme} {token}");
        app.anonymous()
            .send(
                reqwest::Method::GET,
                AUDIT,
                None,
                &[("Authorization", header.as_str())],
            )
            .await
            .assert_status(200);
    }
}

/// Signing keys are never fetched over plain HTTP from another host.
#[tokio::test]
async fn a_plain_http_jwks_off_loopback_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = guwen_tests::test_config(dir.path());
    config.database_url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    config.jwt_jwks_url = Some("http://idp.example/jwks.json".into());
    let err = guwen_api::Application::build(config, None)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("authentication keys"), "{err}");
}
