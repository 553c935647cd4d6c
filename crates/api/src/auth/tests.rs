//! End-to-end tests of the verifier with the test-only keys in `tests/fixtures/keys/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use guwen_domain::role::Role;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use super::token::b64url_decode;
use super::*;

const ISS: &str = "https://idp.guwen.test";
const AUD: &str = "guwen-api";
const SECRET: &[u8] = b"test-only-hs256-secret-0123456789abcdef";

// ---------------------------------------------------------------- fixtures and helpers

/// `tests/fixtures/keys`, found by walking up from the crate (works in the scratch crate and
/// in `crates/api` of the workspace).
fn keys_dir() -> PathBuf {
    let start = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    start
        .ancestors()
        .map(|dir| dir.join("tests/fixtures/keys"))
        .find(|dir| dir.join("jwks.json").is_file())
        .expect("tests/fixtures/keys/jwks.json above CARGO_MANIFEST_DIR")
}

fn key_path(name: &str) -> PathBuf {
    keys_dir().join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(key_path(name)).unwrap()
}

fn rsa1() -> EncodingKey {
    EncodingKey::from_rsa_pem(&read("rsa-1.pem")).unwrap()
}

fn rsa2() -> EncodingKey {
    EncodingKey::from_rsa_pem(&read("rsa-2.pem")).unwrap()
}

fn ec1() -> EncodingKey {
    EncodingKey::from_ec_pem(&read("ec-1.pem")).unwrap()
}

fn hs() -> EncodingKey {
    EncodingKey::from_secret(SECRET)
}

/// The fixture JWKS restricted to the given kids.
fn jwks_with(kids: &[&str]) -> String {
    let doc: Value = serde_json::from_slice(&read("jwks.json")).unwrap();
    let keys: Vec<Value> = doc["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| kids.contains(&k["kid"].as_str().unwrap()))
        .cloned()
        .collect();
    assert_eq!(keys.len(), kids.len());
    json!({ "keys": keys }).to_string()
}

fn now() -> i64 {
    i64::try_from(jsonwebtoken::get_current_timestamp()).unwrap()
}

fn claims() -> Value {
    json!({
        "sub": "user-1",
        "roles": ["hrss", "auditor"],
        "org_id": "org-9",
        "iss": ISS,
        "aud": AUD,
        "exp": now() + 300,
        "iat": now(),
    })
}

fn with(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

fn without(mut claims: Value, key: &str) -> Value {
    claims.as_object_mut().unwrap().remove(key);
    claims
}

fn sign(alg: Algorithm, kid: Option<&str>, claims: &Value, key: &EncodingKey) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, key).unwrap()
}

fn b64url(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// A unique scratch directory for one test.
fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "guwen-auth-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes atomically so a concurrent reader never sees half a file.
fn write_file(path: &Path, body: &str) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, body).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Secret + rsa-1 PEM + the fixture JWKS file (rsa-2, ec-1).
fn full_config() -> AuthConfig {
    let mut cfg = AuthConfig::new(ISS, AUD);
    cfg.hs256_secret = Some(SECRET.to_vec());
    cfg.public_keys = vec![("rsa-1".to_owned(), key_path("rsa-1.pub.pem"))];
    cfg.jwks_url = Some(key_path("jwks.json").display().to_string());
    cfg
}

async fn full_verifier() -> Verifier {
    Verifier::new(full_config()).await.unwrap()
}

/// A loopback HTTP server answering every request with the current (status, body).
struct JwksServer {
    url: String,
    response: Arc<Mutex<(u16, String)>>,
    hits: Arc<AtomicUsize>,
}

impl JwksServer {
    fn start(body: String) -> JwksServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
        let response = Arc::new(Mutex::new((200u16, body)));
        let hits = Arc::new(AtomicUsize::new(0));
        let (resp, count) = (response.clone(), hits.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    request.extend_from_slice(&buf[..n]);
                    if request.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
                count.fetch_add(1, Ordering::SeqCst);
                let (status, body) = resp.lock().unwrap().clone();
                let reply = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        JwksServer {
            url,
            response,
            hits,
        }
    }

    fn set(&self, status: u16, body: String) {
        *self.response.lock().unwrap() = (status, body);
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

fn jwks_only_config(url: String) -> AuthConfig {
    let mut cfg = AuthConfig::new(ISS, AUD);
    cfg.jwks_url = Some(url);
    cfg
}

// ---------------------------------------------------------------- valid tokens

#[tokio::test]
async fn hs256_minted_token_verifies() {
    let v = full_verifier().await;
    let claims = Claims {
        sub: "user-1".to_owned(),
        roles: vec![Role::Department],
        org_id: Some("org-1".to_owned()),
        advisor_id: None,
        iss: ISS.to_owned(),
        aud: AUD.to_owned(),
        exp: now() + 60,
        iat: now(),
        nbf: Some(now() - 5),
        jti: Some("t-1".to_owned()),
    };
    let token = mint_hs256(SECRET, &claims).unwrap();
    assert_eq!(super::token::read_head(&token).unwrap().kid, None);
    assert_eq!(*v.verify(&token).await.unwrap(), claims);
}

#[tokio::test]
async fn rs256_pem_token_verifies() {
    let v = full_verifier().await;
    let token = sign(Algorithm::RS256, Some("rsa-1"), &claims(), &rsa1());
    let got = v.verify(&token).await.unwrap();
    assert_eq!(got.sub, "user-1");
    assert_eq!(got.roles, vec![Role::Hrss, Role::Auditor]);
    assert_eq!(got.org_id.as_deref(), Some("org-9"));
    assert_eq!(got.advisor_id, None);
    assert_eq!((got.iss.as_str(), got.aud.as_str()), (ISS, AUD));
    assert!(got.has_role(Role::Auditor) && !got.has_role(Role::Finance));
}

#[tokio::test]
async fn es256_and_rs256_jwks_file_tokens_verify() {
    let v = full_verifier().await;
    let token = sign(Algorithm::ES256, Some("ec-1"), &claims(), &ec1());
    assert_eq!(v.verify(&token).await.unwrap().sub, "user-1");
    let token = sign(Algorithm::RS256, Some("rsa-2"), &claims(), &rsa2());
    assert_eq!(v.verify(&token).await.unwrap().sub, "user-1");
}

#[tokio::test]
async fn file_url_jwks_source_works() {
    let mut cfg = jwks_only_config(format!("file://{}", key_path("jwks.json").display()));
    cfg.leeway_secs = 0;
    let v = Verifier::new(cfg).await.unwrap();
    let token = sign(Algorithm::ES256, Some("ec-1"), &claims(), &ec1());
    assert!(v.verify(&token).await.is_ok());
}

#[tokio::test]
async fn jwks_over_http_from_loopback() {
    let server = JwksServer::start(jwks_with(&["ec-1"]));
    let v = Verifier::new(jwks_only_config(server.url.clone()))
        .await
        .unwrap();
    assert_eq!(server.hits(), 1);
    assert!(v.has_any_key());
    let token = sign(Algorithm::ES256, Some("ec-1"), &claims(), &ec1());
    assert_eq!(
        v.verify(&token).await.unwrap().roles,
        vec![Role::Hrss, Role::Auditor]
    );
    // Kid-less tokens have no key here (no secret configured).
    let token = sign(Algorithm::HS256, None, &claims(), &hs());
    assert_eq!(v.verify(&token).await, Err(TokenError::UnknownKid));
}

#[tokio::test]
async fn aud_array_containing_ours_is_accepted_and_normalised() {
    let v = full_verifier().await;
    let c = with(claims(), "aud", json!(["other-api", AUD]));
    let got = v
        .verify(&sign(Algorithm::HS256, None, &c, &hs()))
        .await
        .unwrap();
    assert_eq!(got.aud, AUD);
}

#[tokio::test]
async fn nbf_within_leeway_and_float_dates_are_accepted() {
    let v = full_verifier().await; // default leeway 30 s
    let c = with(claims(), "nbf", json!(now() + 10));
    assert!(
        v.verify(&sign(Algorithm::HS256, None, &c, &hs()))
            .await
            .is_ok()
    );
    let c = with(claims(), "exp", json!(now() as f64 + 100.5));
    let got = v
        .verify(&sign(Algorithm::HS256, None, &c, &hs()))
        .await
        .unwrap();
    assert_eq!(got.exp, now() + 100);
    let c = with(claims(), "exp", json!(now() - 10)); // expired but within leeway
    assert!(
        v.verify(&sign(Algorithm::HS256, None, &c, &hs()))
            .await
            .is_ok()
    );
}

// ---------------------------------------------------------------- key selection and refresh

#[tokio::test]
async fn unknown_kid_refreshes_from_jwks_after_file_gains_key() {
    let dir = temp_dir("gain");
    let path = dir.join("jwks.json");
    write_file(&path, &jwks_with(&["ec-1"]));
    let v = Verifier::new(jwks_only_config(path.display().to_string()))
        .await
        .unwrap();
    let token = sign(Algorithm::RS256, Some("rsa-2"), &claims(), &rsa2());

    write_file(&path, &jwks_with(&["ec-1", "rsa-2"]));
    assert_eq!(v.verify(&token).await.unwrap().sub, "user-1");
    // Still verifies without another refresh.
    assert!(v.verify(&token).await.is_ok());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_kid_refresh_is_shared_and_rate_limited() {
    let server = JwksServer::start(jwks_with(&["ec-1"]));
    let v = Verifier::new(jwks_only_config(server.url.clone()))
        .await
        .unwrap();
    assert_eq!(server.hits(), 1);

    server.set(200, jwks_with(&["ec-1", "rsa-2"]));
    let token = sign(Algorithm::RS256, Some("rsa-2"), &claims(), &rsa2());
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (v, token) = (v.clone(), token.clone());
            tokio::spawn(async move { v.verify(&token).await })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap().is_ok());
    }
    assert_eq!(
        server.hits(),
        2,
        "16 concurrent unknown-kid lookups, one fetch"
    );

    // Another unknown kid within 10 s: no fetch, rejected.
    let ghost = sign(Algorithm::RS256, Some("ghost"), &claims(), &rsa2());
    assert_eq!(v.verify(&ghost).await, Err(TokenError::UnknownKid));
    assert_eq!(server.hits(), 2);

    // Once the interval has passed, an unknown kid triggers one fetch again.
    let v = v.with_unknown_kid_interval(Duration::ZERO);
    assert_eq!(v.verify(&ghost).await, Err(TokenError::UnknownKid));
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn scheduled_refresh_picks_up_new_keys() {
    let dir = temp_dir("sched");
    let path = dir.join("jwks.json");
    write_file(&path, &jwks_with(&["ec-1"]));
    let v = Verifier::new(jwks_only_config(path.display().to_string()))
        .await
        .unwrap();

    // Use up the unknown-kid refresh allowance.
    let ghost = sign(Algorithm::RS256, Some("ghost"), &claims(), &rsa2());
    assert_eq!(v.verify(&ghost).await, Err(TokenError::UnknownKid));

    write_file(&path, &jwks_with(&["rsa-2"]));
    let token = sign(Algorithm::RS256, Some("rsa-2"), &claims(), &rsa2());
    assert_eq!(
        v.verify(&token).await,
        Err(TokenError::UnknownKid),
        "rate-limited"
    );

    v.spawn_refresh(Duration::from_millis(1)); // raised to MIN_SCHEDULED_REFRESH
    tokio::time::sleep(MIN_SCHEDULED_REFRESH + Duration::from_millis(1500)).await;
    assert!(v.verify(&token).await.is_ok());
    // Keys removed from the JWKS are dropped.
    let es = sign(Algorithm::ES256, Some("ec-1"), &claims(), &ec1());
    assert_eq!(v.verify(&es).await, Err(TokenError::UnknownKid));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn failed_refresh_keeps_previous_keys() {
    let server = JwksServer::start(jwks_with(&["ec-1"]));
    let v = Verifier::new(jwks_only_config(server.url.clone()))
        .await
        .unwrap();
    let token = sign(Algorithm::ES256, Some("ec-1"), &claims(), &ec1());

    server.set(500, "oops".to_owned());
    assert!(!v.refresh_now().await);
    assert!(v.verify(&token).await.is_ok());

    server.set(200, "{\"keys\": \"not an array\"}".to_owned());
    assert!(!v.refresh_now().await);
    server.set(
        200,
        r#"{"keys":[{"kty":"oct","kid":"h","k":"c2VjcmV0"}]}"#.to_owned(),
    );
    assert!(!v.refresh_now().await, "no usable key counts as a failure");
    assert!(v.verify(&token).await.is_ok());
}

#[tokio::test]
async fn jwks_failure_at_startup_is_an_error() {
    let dir = temp_dir("missing");
    let missing = dir.join("nope.json");
    let err = Verifier::new(jwks_only_config(missing.display().to_string()))
        .await
        .unwrap_err();
    let _ = std::fs::remove_dir_all(dir);
    assert!(matches!(err, AuthSetupError::JwksFetch { .. }), "{err}");
    assert!(err.to_string().contains("nope.json"), "{err}");

    let server = JwksServer::start(String::new());
    server.set(503, "down".to_owned());
    let err = Verifier::new(jwks_only_config(server.url.clone()))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("503"), "{err}");
}

#[tokio::test]
async fn unknown_kid_without_jwks_is_rejected() {
    let mut cfg = full_config();
    cfg.jwks_url = None;
    let v = Verifier::new(cfg).await.unwrap();
    let token = sign(Algorithm::RS256, Some("rsa-2"), &claims(), &rsa2());
    assert_eq!(v.verify(&token).await, Err(TokenError::UnknownKid));
}

#[tokio::test]
async fn unknown_kid_with_jwks_is_rejected_after_refresh() {
    let v = full_verifier().await;
    let token = sign(Algorithm::RS256, Some("nobody"), &claims(), &rsa2());
    assert_eq!(v.verify(&token).await, Err(TokenError::UnknownKid));
}

#[tokio::test]
async fn no_key_configured() {
    let v = Verifier::new(AuthConfig::new(ISS, AUD)).await.unwrap();
    assert!(!v.has_any_key());
    let token = sign(Algorithm::HS256, None, &claims(), &hs());
    assert_eq!(v.verify(&token).await, Err(TokenError::NoKeyConfigured));
}

// ---------------------------------------------------------------- algorithm attacks

#[tokio::test]
async fn alg_none_is_rejected() {
    let v = full_verifier().await;
    let payload = b64url(claims().to_string().as_bytes());
    for header in [
        json!({"alg": "none", "typ": "JWT"}),
        json!({"alg": "None"}),
        json!({"alg": "none", "kid": "rsa-1"}),
    ] {
        let head = b64url(header.to_string().as_bytes());
        for token in [
            format!("{head}.{payload}."),
            format!("{head}.{payload}.c2ln"),
        ] {
            assert_eq!(
                v.verify(&token).await,
                Err(TokenError::UnsupportedAlgorithm)
            );
        }
    }
}

#[tokio::test]
async fn other_algorithms_are_unsupported() {
    let v = full_verifier().await;
    let hs384 = sign(Algorithm::HS384, None, &claims(), &hs());
    assert_eq!(
        v.verify(&hs384).await,
        Err(TokenError::UnsupportedAlgorithm)
    );
    let ps256 = sign(Algorithm::PS256, Some("rsa-1"), &claims(), &rsa1());
    assert_eq!(
        v.verify(&ps256).await,
        Err(TokenError::UnsupportedAlgorithm)
    );
}

#[tokio::test]
async fn hs256_signed_with_rsa_public_key_bytes_is_rejected() {
    let v = full_verifier().await;
    let pem = read("rsa-1.pub.pem");
    let forged = sign(
        Algorithm::HS256,
        Some("rsa-1"),
        &claims(),
        &EncodingKey::from_secret(&pem),
    );
    assert_eq!(v.verify(&forged).await, Err(TokenError::AlgorithmMismatch));
    // Same from a JWKS key.
    let forged = sign(
        Algorithm::HS256,
        Some("rsa-2"),
        &claims(),
        &EncodingKey::from_secret(&read("rsa-2.pub.pem")),
    );
    assert_eq!(v.verify(&forged).await, Err(TokenError::AlgorithmMismatch));
    // Without the kid it is checked against the shared secret, and fails.
    let forged = sign(
        Algorithm::HS256,
        None,
        &claims(),
        &EncodingKey::from_secret(&pem),
    );
    assert_eq!(v.verify(&forged).await, Err(TokenError::InvalidSignature));
}

#[tokio::test]
async fn algorithm_must_match_the_key() {
    let v = full_verifier().await;
    // ES256 token naming an RSA key.
    let token = sign(Algorithm::ES256, Some("rsa-1"), &claims(), &ec1());
    assert_eq!(v.verify(&token).await, Err(TokenError::AlgorithmMismatch));
    // RS256 token naming the EC key.
    let token = sign(Algorithm::RS256, Some("ec-1"), &claims(), &rsa1());
    assert_eq!(v.verify(&token).await, Err(TokenError::AlgorithmMismatch));
    // Kid-less RS256 token: kid-less means the HS256 secret.
    let token = sign(Algorithm::RS256, None, &claims(), &rsa1());
    assert_eq!(v.verify(&token).await, Err(TokenError::AlgorithmMismatch));
}

#[tokio::test]
async fn wrong_key_is_an_invalid_signature() {
    let v = full_verifier().await;
    let token = sign(Algorithm::RS256, Some("rsa-1"), &claims(), &rsa2());
    assert_eq!(v.verify(&token).await, Err(TokenError::InvalidSignature));
    let token = sign(
        Algorithm::HS256,
        None,
        &claims(),
        &EncodingKey::from_secret(b"another-secret-another-secret-xx"),
    );
    assert_eq!(v.verify(&token).await, Err(TokenError::InvalidSignature));
}

#[tokio::test]
async fn tampered_payload_is_rejected() {
    let v = full_verifier().await;
    for token in [
        sign(Algorithm::RS256, Some("rsa-1"), &claims(), &rsa1()),
        sign(Algorithm::ES256, Some("ec-1"), &claims(), &ec1()),
        sign(Algorithm::HS256, None, &claims(), &hs()),
    ] {
        let parts: Vec<&str> = token.split('.').collect();
        let mut payload: Value = serde_json::from_slice(&b64url_decode(parts[1]).unwrap()).unwrap();
        payload["roles"] = json!(["government"]);
        let tampered = format!(
            "{}.{}.{}",
            parts[0],
            b64url(payload.to_string().as_bytes()),
            parts[2]
        );
        assert_eq!(v.verify(&tampered).await, Err(TokenError::InvalidSignature));
        // Flipping a signature bit fails too (the first character: the last one may carry
        // padding bits, whose change is a base64 error, i.e. `malformed_token`).
        let first = if parts[2].starts_with('A') { "B" } else { "A" };
        let bad_sig = format!("{}.{}.{first}{}", parts[0], parts[1], &parts[2][1..]);
        assert_eq!(v.verify(&bad_sig).await, Err(TokenError::InvalidSignature));
    }
}

// ---------------------------------------------------------------- claim checks

async fn hs_verify(claims: &Value) -> Result<Arc<Claims>, TokenError> {
    full_verifier()
        .await
        .verify(&sign(Algorithm::HS256, None, claims, &hs()))
        .await
}

#[tokio::test]
async fn expired_token_is_rejected() {
    let c = with(claims(), "exp", json!(now() - 120));
    assert_eq!(hs_verify(&c).await, Err(TokenError::Expired));
    // Also through an asymmetric key.
    let v = full_verifier().await;
    let token = sign(Algorithm::ES256, Some("ec-1"), &c, &ec1());
    assert_eq!(v.verify(&token).await, Err(TokenError::Expired));
}

#[tokio::test]
async fn token_not_yet_valid_is_rejected() {
    let c = with(claims(), "nbf", json!(now() + 120));
    assert_eq!(hs_verify(&c).await, Err(TokenError::NotYetValid));
}

#[tokio::test]
async fn leeway_is_configurable() {
    let mut cfg = full_config();
    cfg.leeway_secs = 0;
    let v = Verifier::new(cfg).await.unwrap();
    let c = with(claims(), "exp", json!(now() - 5));
    let token = sign(Algorithm::HS256, None, &c, &hs());
    assert_eq!(v.verify(&token).await, Err(TokenError::Expired));
    assert!(full_verifier().await.verify(&token).await.is_ok());
}

#[tokio::test]
async fn wrong_issuer_is_rejected() {
    let c = with(claims(), "iss", json!("https://evil.test"));
    assert_eq!(hs_verify(&c).await, Err(TokenError::WrongIssuer));
    let c = with(claims(), "iss", json!([ISS, "https://evil.test"]));
    assert_eq!(hs_verify(&c).await, Err(TokenError::WrongIssuer));
    let c = without(claims(), "iss");
    assert_eq!(hs_verify(&c).await, Err(TokenError::MissingClaim("iss")));
}

#[tokio::test]
async fn wrong_audience_is_rejected() {
    let c = with(claims(), "aud", json!("other-api"));
    assert_eq!(hs_verify(&c).await, Err(TokenError::WrongAudience));
    let c = with(claims(), "aud", json!(["other-api", "third"]));
    assert_eq!(hs_verify(&c).await, Err(TokenError::WrongAudience));
    let c = without(claims(), "aud");
    assert_eq!(hs_verify(&c).await, Err(TokenError::MissingClaim("aud")));
}

#[tokio::test]
async fn missing_exp_is_rejected() {
    let c = without(claims(), "exp");
    assert_eq!(hs_verify(&c).await, Err(TokenError::MissingClaim("exp")));
    let c = with(claims(), "exp", json!("tomorrow"));
    assert_eq!(hs_verify(&c).await, Err(TokenError::MissingClaim("exp")));
}

#[tokio::test]
async fn missing_sub_or_iat_is_rejected() {
    let c = without(claims(), "sub");
    assert_eq!(hs_verify(&c).await, Err(TokenError::MissingClaim("sub")));
    let c = without(claims(), "iat");
    assert_eq!(hs_verify(&c).await, Err(TokenError::MissingClaim("iat")));
    let c = with(claims(), "org_id", json!(42));
    assert_eq!(hs_verify(&c).await.unwrap_err().code(), "invalid_claims");
}

#[tokio::test]
async fn missing_or_empty_roles_are_rejected() {
    let c = without(claims(), "roles");
    assert_eq!(hs_verify(&c).await, Err(TokenError::NoRoles));
    let c = with(claims(), "roles", json!([]));
    assert_eq!(hs_verify(&c).await, Err(TokenError::NoRoles));
    let c = with(claims(), "roles", json!(null));
    assert_eq!(hs_verify(&c).await, Err(TokenError::NoRoles));
}

#[tokio::test]
async fn unknown_role_is_rejected() {
    let c = with(claims(), "roles", json!(["hrss", "mayor"]));
    let err = hs_verify(&c).await.unwrap_err();
    assert_eq!(err.code(), "invalid_claims");
    assert!(
        !err.description().contains("mayor"),
        "no token content echoed"
    );
    let c = with(claims(), "roles", json!("hrss"));
    assert_eq!(hs_verify(&c).await.unwrap_err().code(), "invalid_claims");
    let c = with(claims(), "roles", json!(["HRSS"]));
    assert_eq!(hs_verify(&c).await.unwrap_err().code(), "invalid_claims");
}

#[tokio::test]
async fn every_role_code_is_accepted() {
    let codes = [
        "hrss",
        "department",
        "government",
        "finance",
        "advisor",
        "integration",
        "auditor",
    ];
    let c = with(claims(), "roles", json!(codes));
    assert_eq!(hs_verify(&c).await.unwrap().roles.len(), codes.len());
}

#[tokio::test]
async fn malformed_tokens_are_rejected() {
    let v = full_verifier().await;
    let good = sign(Algorithm::HS256, None, &claims(), &hs());
    let parts: Vec<&str> = good.split('.').collect();
    for token in [
        String::new(),
        "abc".to_owned(),
        "a.b".to_owned(),
        format!("{good}.extra"),
        format!("Bearer {good}"),
        format!("{}.{}.{}", "!!!", parts[1], parts[2]),
        format!("{}.{}.{}", b64url(b"[1,2]"), parts[1], parts[2]),
        format!("{}.{}.{}", b64url(br#"{"typ":"JWT"}"#), parts[1], parts[2]),
        format!(
            "{}.{}.{}",
            b64url(br#"{"alg":"HS256","kid":7}"#),
            parts[1],
            parts[2]
        ),
        format!(
            "{}.{}.{}",
            b64url(br#"{"alg":"HS256","crit":["exp"]}"#),
            parts[1],
            parts[2]
        ),
        "x".repeat(super::token::MAX_TOKEN_LEN + 1),
    ] {
        assert_eq!(
            v.verify(&token).await,
            Err(TokenError::Malformed),
            "{token:.40}"
        );
    }
    // A payload that is validly signed but not JSON.
    let head = b64url(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = b64url(b"not json");
    let sig = jsonwebtoken::crypto::sign(
        format!("{head}.{payload}").as_bytes(),
        &hs(),
        Algorithm::HS256,
    )
    .unwrap();
    let token = format!("{head}.{payload}.{sig}");
    assert_eq!(v.verify(&token).await, Err(TokenError::Malformed));
}

// ---------------------------------------------------------------- setup

#[test]
fn parse_public_keys_accepts_the_documented_form() {
    let keys =
        AuthConfig::parse_public_keys(" rsa-1=/keys/a.pem , ec-1 = /keys/b=c.pem,,").unwrap();
    assert_eq!(
        keys,
        vec![
            ("rsa-1".to_owned(), PathBuf::from("/keys/a.pem")),
            ("ec-1".to_owned(), PathBuf::from("/keys/b=c.pem")),
        ]
    );
    assert!(AuthConfig::parse_public_keys("").unwrap().is_empty());
    for bad in ["rsa-1", "=/a.pem", "rsa-1=", "a=/x,b"] {
        assert!(
            matches!(
                AuthConfig::parse_public_keys(bad),
                Err(AuthSetupError::InvalidPublicKeySpec { .. })
            ),
            "{bad}"
        );
    }
    assert!(matches!(
        AuthConfig::parse_public_keys("a=/x,a=/y"),
        Err(AuthSetupError::DuplicateKid { .. })
    ));
}

#[tokio::test]
async fn setup_errors_are_reported() {
    let mut cfg = full_config();
    cfg.leeway_secs = 61;
    assert!(matches!(
        Verifier::new(cfg).await,
        Err(AuthSetupError::LeewayTooLarge { .. })
    ));

    let mut cfg = full_config();
    cfg.hs256_secret = Some(Vec::new());
    assert!(matches!(
        Verifier::new(cfg).await,
        Err(AuthSetupError::EmptySecret)
    ));

    let mut cfg = full_config();
    cfg.audience = " ".to_owned();
    assert!(matches!(
        Verifier::new(cfg).await,
        Err(AuthSetupError::MissingSetting(_))
    ));

    // A private key given where a public key belongs.
    let mut cfg = full_config();
    cfg.public_keys = vec![("rsa-1".to_owned(), key_path("rsa-1.pem"))];
    let err = Verifier::new(cfg).await.unwrap_err();
    assert!(matches!(err, AuthSetupError::InvalidKey { .. }), "{err}");
    assert!(err.to_string().contains("rsa-1.pem"), "{err}");
    assert!(
        !err.to_string().contains("MII"),
        "no key material in messages: {err}"
    );

    let mut cfg = full_config();
    cfg.public_keys = vec![("x".to_owned(), key_path("does-not-exist.pem"))];
    let err = Verifier::new(cfg).await.unwrap_err();
    assert!(matches!(err, AuthSetupError::ReadKey { .. }));
    assert!(err.to_string().contains("does-not-exist.pem"), "{err}");

    // Not a PEM at all.
    let mut cfg = full_config();
    cfg.public_keys = vec![("x".to_owned(), key_path("jwks.json"))];
    assert!(matches!(
        Verifier::new(cfg).await,
        Err(AuthSetupError::InvalidKey { .. })
    ));

    let mut cfg = full_config();
    cfg.jwks_url = Some("ftp://idp.test/jwks".to_owned());
    assert!(matches!(
        Verifier::new(cfg).await,
        Err(AuthSetupError::InvalidJwksUrl { .. })
    ));
}

#[tokio::test]
async fn pem_key_types_are_inferred() {
    let mut cfg = AuthConfig::new(ISS, AUD);
    cfg.public_keys = vec![
        ("r".to_owned(), key_path("rsa-2.pub.pem")),
        ("e".to_owned(), key_path("ec-1.pub.pem")),
    ];
    let v = Verifier::new(cfg).await.unwrap();
    assert!(v.has_any_key());
    let token = sign(Algorithm::RS256, Some("r"), &claims(), &rsa2());
    assert!(v.verify(&token).await.is_ok());
    let token = sign(Algorithm::ES256, Some("e"), &claims(), &ec1());
    assert!(v.verify(&token).await.is_ok());
    let token = sign(Algorithm::ES256, Some("r"), &claims(), &ec1());
    assert_eq!(v.verify(&token).await, Err(TokenError::AlgorithmMismatch));
}

#[test]
fn config_debug_hides_the_secret() {
    let mut cfg = full_config();
    cfg.jwks_url = Some("https://u:hunter2@idp.test/jwks".to_owned());
    let shown = format!("{cfg:?}");
    assert!(!shown.contains("test-only-hs256-secret"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
}

#[test]
fn error_codes_are_distinct_and_descriptions_safe() {
    let all = [
        TokenError::Malformed,
        TokenError::UnsupportedAlgorithm,
        TokenError::AlgorithmMismatch,
        TokenError::UnknownKid,
        TokenError::InvalidSignature,
        TokenError::Expired,
        TokenError::NotYetValid,
        TokenError::WrongIssuer,
        TokenError::WrongAudience,
        TokenError::MissingClaim("exp"),
        TokenError::NoRoles,
        TokenError::InvalidClaims("`sub` is empty".to_owned()),
        TokenError::NoKeyConfigured,
    ];
    let codes: std::collections::HashSet<_> = all.iter().map(TokenError::code).collect();
    assert_eq!(codes.len(), all.len());
    for e in &all {
        assert!(e.description().ends_with('.'), "{e:?}");
        assert!(
            e.code()
                .as_str()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_')
        );
    }
    assert_eq!(TokenError::Expired.code(), "token_expired");
    assert_eq!(TokenError::Malformed.code(), "malformed_token");
}

#[tokio::test]
async fn mint_refuses_unusable_input() {
    let claims = Claims {
        sub: "s".to_owned(),
        roles: vec![],
        org_id: None,
        advisor_id: None,
        iss: ISS.to_owned(),
        aud: AUD.to_owned(),
        exp: now() + 60,
        iat: now(),
        nbf: None,
        jti: None,
    };
    assert_eq!(mint_hs256(SECRET, &claims), Err(TokenError::NoRoles));
    let claims = Claims {
        roles: vec![Role::Advisor],
        advisor_id: Some("adv-1".to_owned()),
        ..claims
    };
    assert_eq!(mint_hs256(b"", &claims), Err(TokenError::NoKeyConfigured));
    let token = mint_hs256(SECRET, &claims).unwrap();
    let got = full_verifier().await.verify(&token).await.unwrap();
    assert_eq!(got.advisor_id.as_deref(), Some("adv-1"));
}

// ---------------------------------------------------------------- lifetime and type

#[tokio::test]
async fn a_token_living_longer_than_the_maximum_is_refused() {
    let c = with(claims(), "exp", json!(now() + DEFAULT_MAX_TTL_SECS + 10));
    assert_eq!(
        hs_verify(&c).await,
        Err(TokenError::LifetimeTooLong {
            max_secs: DEFAULT_MAX_TTL_SECS
        })
    );
    let c = with(claims(), "exp", json!(i64::MAX));
    assert!(matches!(
        hs_verify(&c).await,
        Err(TokenError::LifetimeTooLong { .. })
    ));
    // An `iat` a year back cannot stretch a token expiring in an hour.
    let c = with(claims(), "iat", json!(now() - 365 * 24 * 3600));
    let c = with(c, "exp", json!(now() + 3600));
    assert!(matches!(
        hs_verify(&c).await,
        Err(TokenError::LifetimeTooLong { .. })
    ));
}

#[tokio::test]
async fn a_token_issued_in_the_future_is_refused() {
    let c = with(claims(), "iat", json!(now() + 86_400));
    let c = with(c, "exp", json!(now() + 90_000));
    assert_eq!(hs_verify(&c).await, Err(TokenError::IssuedInFuture));
    let c = with(claims(), "nbf", json!(now() + 120));
    assert_eq!(hs_verify(&c).await, Err(TokenError::NotYetValid));
    // Within the leeway both pass.
    let c = with(claims(), "iat", json!(now() + 20));
    let c = with(c, "nbf", json!(now() + 20));
    assert!(hs_verify(&c).await.is_ok());
}

#[tokio::test]
async fn a_service_accounts_token_may_live_longer_than_a_persons() {
    let v = full_verifier().await;
    let week = with(claims(), "exp", json!(now() + 6 * 24 * 3600));
    let service = with(week.clone(), "roles", json!(["integration"]));
    assert!(
        v.verify(&sign(Algorithm::HS256, None, &service, &hs()))
            .await
            .is_ok()
    );
    let person = with(week, "roles", json!(["integration", "hrss"]));
    assert!(matches!(
        v.verify(&sign(Algorithm::HS256, None, &person, &hs()))
            .await,
        Err(TokenError::LifetimeTooLong { .. })
    ));
}

#[tokio::test]
async fn only_access_token_types_are_accepted() {
    let v = full_verifier().await;
    for (typ, ok) in [
        ("JWT", true),
        ("at+jwt", true),
        ("id+jwt", false),
        ("secevent+jwt", false),
    ] {
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(typ.to_owned());
        let token = jsonwebtoken::encode(&header, &claims(), &hs()).unwrap();
        let got = v.verify(&token).await;
        if ok {
            assert!(got.is_ok(), "{typ}: {got:?}");
        } else {
            assert_eq!(got, Err(TokenError::WrongType), "{typ}");
        }
    }
}

// ---------------------------------------------------------------- remembered tokens

#[tokio::test]
async fn a_remembered_token_is_refused_once_it_expires() {
    let mut cfg = full_config();
    cfg.leeway_secs = 0;
    let v = Verifier::new(cfg).await.unwrap();
    let token = sign(
        Algorithm::HS256,
        None,
        &with(claims(), "exp", json!(now() + 1)),
        &hs(),
    );
    assert!(v.verify(&token).await.is_ok());
    assert!(v.verify(&token).await.is_ok(), "seen again, from memory");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(v.verify(&token).await, Err(TokenError::Expired));
}

#[tokio::test]
async fn a_remembered_token_is_refused_once_its_key_leaves_the_jwks() {
    let dir = temp_dir("forget");
    let path = dir.join("jwks.json");
    write_file(&path, &jwks_with(&["ec-1", "rsa-2"]));
    let v = Verifier::new(jwks_only_config(path.display().to_string()))
        .await
        .unwrap();
    let token = sign(Algorithm::ES256, Some("ec-1"), &claims(), &ec1());
    assert!(v.verify(&token).await.is_ok());
    assert!(v.verify(&token).await.is_ok(), "seen again, from memory");
    write_file(&path, &jwks_with(&["rsa-2"]));
    assert!(v.refresh_now().await);
    assert_eq!(v.verify(&token).await, Err(TokenError::UnknownKid));
    let _ = std::fs::remove_dir_all(dir);
}
