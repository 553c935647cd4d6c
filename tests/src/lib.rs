//! The test harness: each test gets its own app, on port 0, with its own database (a
//! temporary SQLite file, or with `TEST_DATABASE_URL` a fresh PostgreSQL schema), and a
//! client per kind of caller. The fixture builders the scenarios share live in [`fixtures`]
//! (one module per part of the regulation) and the audit-trail readers in [`audit`]; both are
//! re-exported here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod audit;
pub mod fixtures;
pub mod receiver;
pub mod replicas;

pub use audit::*;
pub use fixtures::{
    allowed_actions, created_id, funds::*, id_of, integration::*, office::*, pipeline::*,
    this_year, today, work::*,
};

use std::path::PathBuf;

use guwen_api::{Application, Config, auth::Claims, state::AppState};
use guwen_domain::role::Role;
use reqwest::{Method, StatusCode, header::HeaderMap};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

/// The HS256 secret every test app trusts.
pub const TEST_SECRET: &str = "test-secret-of-at-least-thirty-two-bytes!!";

/// The audit key every test app signs the chain's head with (`GUWEN_AUDIT_KEY` of the `guwen`
/// processes a scenario starts on the same database).
pub const TEST_AUDIT_KEY: &str = "7a1f0c9e3b5d2a4f6e8c0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a";

/// A running app and what a test needs to talk to it.
pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub http: reqwest::Client,
    pub config: Config,
    /// The PostgreSQL schema of this test (none on SQLite).
    pub schema: Option<String>,
    /// Keeps the temporary directory (SQLite file, data dir) alive for the test.
    pub dir: tempfile::TempDir,
}

/// The fixtures directory (`tests/fixtures`).
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A configuration for a test app in `dir`: port 0, the test secret, and the test database.
pub fn test_config(dir: &std::path::Path) -> Config {
    let mut config = Config::from_lookup(|_| None, dir).expect("default config");
    config.bind_addr = "127.0.0.1:0".parse().expect("addr");
    config.jwt_secret = Some(TEST_SECRET.as_bytes().to_vec());
    config.audit_key = Some(test_audit_seed());
    // Tests run the calendar job and deliveries themselves, or ask for them.
    config.background_jobs = false;
    // CI runs the attachment scenarios against an S3-compatible server as well.
    if let Ok(url) = std::env::var("GUWEN_OBJECT_STORE_URL")
        && !url.is_empty()
    {
        config.object_store_url = Some(url);
    }
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            config.database_url = url;
            config.embedded_database = false;
        }
        _ => {}
    }
    config
}

/// The seed of [`TEST_AUDIT_KEY`].
pub fn test_audit_seed() -> [u8; 32] {
    let mut seed = [0u8; 32];
    for (i, byte) in seed.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&TEST_AUDIT_KEY[2 * i..2 * i + 2], 16).expect("hex");
    }
    seed
}

/// Starts an app with the default test configuration.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts an app after `adjust` has changed its configuration.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = test_config(dir.path());
    adjust(&mut config);
    let schema = if config.database_url.starts_with("postgres") {
        Some(create_schema(&config.database_url).await)
    } else {
        None
    };
    let app = Application::build(config.clone(), schema.as_deref())
        .await
        .expect("app starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        base,
        state,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // Idle connections are dropped before the server's 5 s keep-alive closes them, so a
            // request never goes out on a connection the server is closing.
            .pool_idle_timeout(std::time::Duration::from_secs(2))
            .build()
            .expect("client"),
        config,
        schema,
        dir,
    }
}

/// A PostgreSQL URL whose connections use `schema` (through the `options` parameter).
pub fn url_with_schema(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{schema}")
}

/// Creates a fresh schema for one test on PostgreSQL.
pub async fn create_schema(url: &str) -> String {
    let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
    let db = Database::connect(url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    db.execute_unprepared(&format!("CREATE SCHEMA {schema}"))
        .await
        .expect("create schema");
    db.close().await.ok();
    schema
}

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as sent (a spreadsheet, or text with its byte order mark).
    pub bytes: Vec<u8>,
    /// The body as UTF-8 text (lossy).
    pub text: String,
}

impl TestResponse {
    /// The body as JSON (`Value::Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// The problem `code` of an error response.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }

    /// Asserts the status, printing the body when it differs.
    #[track_caller]
    pub fn assert_status(&self, expected: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            expected,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// Asserts a problem+json error with this status and code.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, code: &str) -> &Self {
        self.assert_status(status);
        let ct = self.header("content-type").unwrap_or_default();
        assert!(
            ct.starts_with("application/problem+json"),
            "content-type {ct}; body {}",
            self.text
        );
        assert_eq!(self.code(), code, "unexpected code; body: {}", self.text);
        let body = self.json();
        for field in ["type", "title", "status", "detail", "code"] {
            assert!(
                !body[field].is_null(),
                "problem lacks `{field}`: {}",
                self.text
            );
        }
        assert_eq!(body["status"].as_u64(), Some(u64::from(status)));
        self
    }
}

/// A client acting as one caller.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub token: Option<String>,
}

impl Client {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        read(req).await
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Method::GET, path, None, &[]).await
    }

    /// A GET with extra headers (`Accept`, `If-None-Match`, `Origin`, …).
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> TestResponse {
        self.send(Method::GET, path, None, headers).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> TestResponse {
        self.send(Method::POST, path, Some(body), &[]).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> TestResponse {
        self.send(Method::PUT, path, Some(body), &[]).await
    }

    /// A POST with an `Idempotency-Key`.
    pub async fn post_idempotent(&self, path: &str, key: &str, body: &Value) -> TestResponse {
        self.send(Method::POST, path, Some(body), &[("Idempotency-Key", key)])
            .await
    }

    /// A raw request with a text body and content type.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> TestResponse {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        read(req).await
    }
}

/// Sends a request and reads its response whole.
///
/// An idempotent request (`GET`, `HEAD`, `PUT`, `DELETE`) is sent again once when the
/// connection it went out on was closed before an answer began, as HTTP clients do with a
/// pooled connection the server closed at the same moment (RFC 9110 §9.2.2).
async fn read(req: reqwest::RequestBuilder) -> TestResponse {
    let idempotent = req
        .try_clone()
        .and_then(|r| r.build().ok())
        .is_some_and(|r| matches!(r.method().as_str(), "GET" | "HEAD" | "PUT" | "DELETE"));
    let retry = if idempotent { req.try_clone() } else { None };
    let res = match (req.send().await, retry) {
        (Ok(res), _) => res,
        (Err(e), Some(again)) if e.is_request() => again.send().await.expect("request sent"),
        (Err(e), _) => panic!("request sent: {e:?}"),
    };
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
    TestResponse {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

impl TestApp {
    /// Claims for a caller, valid for an hour.
    pub fn claims(&self, roles: &[Role], sub: &str) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: sub.to_owned(),
            roles: roles.to_vec(),
            org_id: None,
            advisor_id: None,
            iss: self.config.jwt_issuer.clone(),
            aud: self.config.jwt_audience.clone(),
            exp: now + 3600,
            iat: now,
            nbf: None,
            jti: None,
        }
    }

    /// Signs claims with the test secret.
    pub fn sign(&self, claims: &Claims) -> String {
        guwen_api::auth::mint_hs256(TEST_SECRET.as_bytes(), claims).expect("token")
    }

    /// A client carrying this token (or none).
    pub fn client(&self, token: Option<String>) -> Client {
        Client {
            base: self.base.clone(),
            http: self.http.clone(),
            token,
        }
    }

    /// A client for one role with a default subject.
    pub fn as_role(&self, role: Role) -> Client {
        let sub = format!("{role}-user");
        self.client(Some(self.sign(&self.claims(&[role], &sub))))
    }

    pub fn anonymous(&self) -> Client {
        self.client(None)
    }

    pub fn hrss(&self) -> Client {
        self.as_role(Role::Hrss)
    }

    pub fn government(&self) -> Client {
        self.as_role(Role::Government)
    }

    pub fn finance(&self) -> Client {
        self.as_role(Role::Finance)
    }

    pub fn auditor(&self) -> Client {
        self.as_role(Role::Auditor)
    }

    pub fn integration(&self) -> Client {
        self.as_role(Role::Integration)
    }

    /// A department of organisation `org_id`.
    pub fn department(&self, org_id: &str) -> Client {
        let mut c = self.claims(&[Role::Department], &format!("dept-{org_id}"));
        c.org_id = Some(org_id.to_owned());
        self.client(Some(self.sign(&c)))
    }

    /// The advisor `advisor_id`.
    pub fn advisor(&self, advisor_id: &str) -> Client {
        let mut c = self.claims(&[Role::Advisor], &format!("advisor-{advisor_id}"));
        c.advisor_id = Some(advisor_id.to_owned());
        self.client(Some(self.sign(&c)))
    }

    /// The app's own database pool (for tampering tests and direct checks).
    pub fn db(&self) -> &sea_orm::DatabaseConnection {
        &self.state.db
    }

    /// The database URL another process uses to reach this test's database (its schema
    /// selected through the connection's `options` on PostgreSQL).
    pub fn database_url_for_another_process(&self) -> String {
        match &self.schema {
            None => self.config.database_url.clone(),
            Some(schema) => url_with_schema(&self.config.database_url, schema),
        }
    }

    /// A client like [`TestApp::client`] talking to another server at `base`.
    pub fn client_at(&self, base: &str, token: Option<String>) -> Client {
        Client {
            base: base.to_owned(),
            http: self.http.clone(),
            token,
        }
    }

    /// Moves the app's clock.
    pub fn advance_days(&self, days: i64) {
        self.state.clock.advance(chrono::Duration::days(days));
    }
}
