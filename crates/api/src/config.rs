//! Configuration from environment variables (API.md "Authentication").

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

/// Everything the service reads from its environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`; default: the SQLite file `<data dir>/guwen.db`.
    pub database_url: String,
    /// Whether `database_url` is the embedded default.
    pub embedded_database: bool,
    /// `BIND_ADDR`; default `127.0.0.1:8080`.
    pub bind_addr: SocketAddr,
    /// `GUWEN_DATA_DIR`; default `./data`.
    pub data_dir: PathBuf,
    /// `JWT_SECRET`: HS256 shared secret.
    pub jwt_secret: Option<Vec<u8>>,
    /// `JWT_PUBLIC_KEYS`: `kid=/path/key.pem,...` (RS256 or ES256 by key type).
    pub jwt_public_keys: Option<String>,
    /// `JWT_JWKS_URL`: `https://…`, `file:///…` or a path.
    pub jwt_jwks_url: Option<String>,
    /// `JWT_ISSUER`; default `guwen`.
    pub jwt_issuer: String,
    /// `JWT_AUDIENCE`; default `guwen-api`.
    pub jwt_audience: String,
    /// `JWT_JWKS_REFRESH_SECS`; default 300.
    pub jwks_refresh_secs: u64,
    /// Set when the HS256 secret is the generated development secret under the data dir.
    pub dev_secret_file: Option<PathBuf>,
    /// `GUWEN_ADVISOR_CAP`: most advisors in office at once ("few but excellent", Art. 4.1);
    /// default [`guwen_domain::appointment::DEFAULT_ADVISOR_CAP`].
    pub advisor_cap: u32,
    /// `GUWEN_PUBLIC_RATE_LIMIT`: public self-nominations and objections accepted per client
    /// address and hour (each counted separately); default 10.
    pub public_rate_limit: u32,
    /// `GUWEN_PUBLIC_READ_RATE_LIMIT`: public reads (the API's `GET`s without a token) per
    /// client address and minute; default 600.
    pub public_read_rate_limit: u32,
    /// `GUWEN_TRUSTED_PROXIES`: the reverse proxies (CIDRs or addresses) believed about the
    /// client they forward for; `GUWEN_TRUST_PROXY=1` (the former switch) adds loopback.
    /// Default: none, the peer is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `GUWEN_TOKEN_MAX_TTL_SECS`: the longest a token may live (`exp - iat`); default 12 h.
    pub token_max_ttl_secs: i64,
    /// `GUWEN_SERVICE_TOKEN_MAX_TTL_SECS`: the longest a service account's token may live (one
    /// whose only role is `integration`); default 7 days.
    pub service_token_max_ttl_secs: i64,
    /// `GUWEN_AUDIT_KEY`: the Ed25519 seed (64 hex digits) that signs the audit chain's head;
    /// on loopback without one, a development key is generated under the data dir.
    pub audit_key: Option<[u8; 32]>,
    /// Set when the audit key is the generated development key under the data dir.
    pub dev_audit_key_file: Option<PathBuf>,
    /// `GUWEN_METRICS_TOKEN`: when set, `/metrics` answers only a request carrying
    /// `Authorization: Bearer <it>`.
    pub metrics_token: Option<String>,
    /// `GUWEN_DOCS`: `on` (default) serves `/docs` and `/openapi.json`; `off` does not.
    pub docs: bool,
    /// `GUWEN_SUBSIDY_BANDS`: the work-subsidy band of each final grade in fen, e.g.
    /// `excellent=3000000-5000000,competent=1500000-3000000,basically_competent=500000-1500000`
    /// (the default); `incompetent` gives none (Art. 14, 16).
    pub subsidy_bands: guwen_domain::office::SubsidyBands,
    /// `GUWEN_CORS_ORIGINS`: the browser origins (`https://host[:port]`, comma-separated) whose
    /// pages may call the API; none by default, and then no CORS headers at all.
    pub cors_origins: Vec<String>,
    /// `GUWEN_BACKGROUND_JOBS`: run the calendar job, the webhook deliveries, the audit
    /// checkpoints and the take-over of abandoned re-verification jobs in this process
    /// (`0` turns them off); default on. Every replica runs them: they share their state
    /// through the database.
    pub background_jobs: bool,
    /// `GUWEN_CALENDAR_INTERVAL_SECS`: how often the calendar job looks for terms and notice
    /// windows that ended; default 60.
    pub calendar_interval_secs: u64,
    /// `GUWEN_CHANGE_POLL_MS`: how often a replica reads the change sequence, which bounds how
    /// long another replica's change takes to reach its cached answers and `ETag`s; default 200.
    pub change_poll_ms: u64,
    /// Webhook delivery settings.
    pub webhooks: WebhookConfig,
    /// Where the audit trail's signed checkpoints are published (`GUWEN_AUDIT_CHECKPOINTS`):
    /// an append-only JSON-lines file; default `<data dir>/audit-checkpoints.jsonl`. Every
    /// replica should name the same file (shared storage).
    pub audit_checkpoints: PathBuf,
    /// `GUWEN_AUDIT_CHECKPOINT_EVERY`: a checkpoint after this many new events; default 1000.
    pub audit_checkpoint_every: u64,
    /// `GUWEN_AUDIT_CHECKPOINT_SECONDS`: a checkpoint at least this often while the chain
    /// grows; default 5.
    pub audit_checkpoint_secs: u64,
    /// `GUWEN_OBJECT_STORE_URL`: where attachments' bytes are kept: `s3://bucket[/prefix]` (an
    /// S3-compatible bucket, configured by the usual `AWS_*` variables: `AWS_ENDPOINT`,
    /// `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP`) or
    /// `file:///abs/dir`; default: the directory `attachments` under the data dir.
    pub object_store_url: Option<String>,
    /// `GUWEN_ATTACHMENT_MAX_BYTES`: the largest file one upload may carry; default 25 MiB.
    pub attachment_max_bytes: u64,
}

/// The default of `GUWEN_ATTACHMENT_MAX_BYTES`: 25 MiB.
pub const DEFAULT_ATTACHMENT_MAX_BYTES: u64 = 25 * 1024 * 1024;

/// How webhooks are delivered (`GUWEN_WEBHOOK_*`).
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// `GUWEN_WEBHOOK_ALLOW_PRIVATE`: allow `http://` targets and loopback, private and
    /// link-local addresses (tests, on-premise receivers); default off.
    pub allow_private: bool,
    /// `GUWEN_WEBHOOK_RETRY_WINDOW_SECS`: how long an event is retried before the subscription
    /// is marked `failed`; default 86,400 (24 hours).
    pub retry_window_secs: u64,
    /// `GUWEN_WEBHOOK_BACKOFF_MS`: the first retry's delay; it doubles with every attempt (with
    /// jitter) up to an hour; default 5,000.
    pub backoff_base_ms: u64,
    /// `GUWEN_WEBHOOK_TIMEOUT_SECS`: connect-and-answer timeout of one delivery; default 10.
    pub timeout_secs: u64,
    /// `GUWEN_WEBHOOK_LEASE_SECS`: how long a replica holds a subscription while delivering; a
    /// replica that dies loses it after this long and another takes over; default 60 (at
    /// least twice the timeout).
    pub lease_secs: u64,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            allow_private: false,
            retry_window_secs: 86_400,
            backoff_base_ms: 5_000,
            timeout_secs: 10,
            lease_secs: 60,
        }
    }
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error(
        "refusing to start: BIND_ADDR {0} is not a loopback address and no JWT_SECRET, JWT_PUBLIC_KEYS or JWT_JWKS_URL is configured (the generated development secret is only for loopback)"
    )]
    NoKeysOffLoopback(SocketAddr),
    #[error("cannot use the data directory {path}: {reason}")]
    DataDir { path: String, reason: String },
    #[error(
        "refusing to start: BIND_ADDR {0} is not a loopback address and no GUWEN_AUDIT_KEY is configured (64 hex digits, e.g. `openssl rand -hex 32`; the generated development key is only for loopback)"
    )]
    NoAuditKeyOffLoopback(SocketAddr),
    #[error(
        "refusing to start: JWT_SECRET has {len} bytes, fewer than {min}, and BIND_ADDR {addr} is not a loopback address (use e.g. `openssl rand -hex 32`)"
    )]
    WeakSecret {
        len: usize,
        min: usize,
        addr: SocketAddr,
    },
    #[error(
        "no JWT_SECRET is set and there is no development secret at {path}: `guwen token` signs with the secret `guwen serve` created in its data directory. Run it from the directory where the server runs, or set GUWEN_DATA_DIR to the server's data directory (or JWT_SECRET to the server's secret)"
    )]
    NoDevSecret { path: String },
}

/// The longest lifetime either token maximum may be set to: a year.
const MAX_TOKEN_TTL_SETTING: i64 = 366 * 24 * 3600;

impl Config {
    /// Reads the process environment; relative paths are relative to the working directory.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(
            |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()),
            Path::new("."),
        )
    }

    /// Reads configuration through `lookup`, resolving the default data dir against `base`.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        base: &Path,
    ) -> Result<Self, ConfigError> {
        let data_dir = lookup("GUWEN_DATA_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| base.join("data"));
        let (database_url, embedded_database) = match lookup("DATABASE_URL") {
            Some(url) => (url, false),
            None => (
                format!("sqlite://{}?mode=rwc", data_dir.join("guwen.db").display()),
                true,
            ),
        };
        let bind_addr = lookup("BIND_ADDR")
            .unwrap_or_else(|| "127.0.0.1:8080".into())
            .parse()
            .map_err(|e: std::net::AddrParseError| ConfigError::Invalid {
                name: "BIND_ADDR",
                reason: e.to_string(),
            })?;
        let jwks_refresh_secs = match lookup("JWT_JWKS_REFRESH_SECS") {
            Some(v) => v.parse().map_err(|_| ConfigError::Invalid {
                name: "JWT_JWKS_REFRESH_SECS",
                reason: "must be a whole number of seconds".into(),
            })?,
            None => 300,
        };
        let number = |name: &'static str, default: u32| -> Result<u32, ConfigError> {
            match lookup(name) {
                Some(v) => v.trim().parse().map_err(|_| ConfigError::Invalid {
                    name,
                    reason: "must be a whole number".into(),
                }),
                None => Ok(default),
            }
        };
        let ttl = |name: &'static str, default: i64| -> Result<i64, ConfigError> {
            match lookup(name) {
                Some(v) => match v.trim().parse::<i64>() {
                    Ok(n) if (60..=MAX_TOKEN_TTL_SETTING).contains(&n) => Ok(n),
                    _ => Err(ConfigError::Invalid {
                        name,
                        reason: format!(
                            "must be a whole number of seconds from 60 to {MAX_TOKEN_TTL_SETTING}"
                        ),
                    }),
                },
                None => Ok(default),
            }
        };
        Ok(Self {
            audit_key: match lookup("GUWEN_AUDIT_KEY") {
                Some(v) => Some(parse_audit_key(&v).map_err(|reason| ConfigError::Invalid {
                    name: "GUWEN_AUDIT_KEY",
                    reason,
                })?),
                None => None,
            },
            dev_audit_key_file: None,
            object_store_url: lookup("GUWEN_OBJECT_STORE_URL").map(|v| v.trim().to_owned()),
            attachment_max_bytes: match lookup("GUWEN_ATTACHMENT_MAX_BYTES") {
                Some(v) => match v.trim().parse::<u64>() {
                    Ok(n) if n > 0 => n,
                    _ => {
                        return Err(ConfigError::Invalid {
                            name: "GUWEN_ATTACHMENT_MAX_BYTES",
                            reason: "must be a whole number of bytes above 0".into(),
                        });
                    }
                },
                None => DEFAULT_ATTACHMENT_MAX_BYTES,
            },
            metrics_token: lookup("GUWEN_METRICS_TOKEN").map(|t| t.trim().to_owned()),
            docs: match lookup("GUWEN_DOCS").as_deref().map(str::trim) {
                None | Some("on" | "1" | "true" | "yes") => true,
                Some("off" | "0" | "false" | "no") => false,
                Some(_) => {
                    return Err(ConfigError::Invalid {
                        name: "GUWEN_DOCS",
                        reason: "must be `on` or `off`".into(),
                    });
                }
            },
            token_max_ttl_secs: ttl(
                "GUWEN_TOKEN_MAX_TTL_SECS",
                crate::auth::DEFAULT_MAX_TTL_SECS,
            )?,
            service_token_max_ttl_secs: ttl(
                "GUWEN_SERVICE_TOKEN_MAX_TTL_SECS",
                crate::auth::DEFAULT_SERVICE_MAX_TTL_SECS,
            )?,
            advisor_cap: number(
                "GUWEN_ADVISOR_CAP",
                guwen_domain::appointment::DEFAULT_ADVISOR_CAP,
            )?,
            public_rate_limit: number("GUWEN_PUBLIC_RATE_LIMIT", 10)?,
            public_read_rate_limit: number("GUWEN_PUBLIC_READ_RATE_LIMIT", 600)?,
            subsidy_bands: match lookup("GUWEN_SUBSIDY_BANDS") {
                Some(spec) => {
                    guwen_domain::office::SubsidyBands::parse(&spec).map_err(|reason| {
                        ConfigError::Invalid {
                            name: "GUWEN_SUBSIDY_BANDS",
                            reason,
                        }
                    })?
                }
                None => guwen_domain::office::SubsidyBands::default(),
            },
            trusted_proxies: {
                let mut nets = match lookup("GUWEN_TRUSTED_PROXIES") {
                    Some(spec) => {
                        crate::http::client_addr::parse_trusted(&spec).map_err(|reason| {
                            ConfigError::Invalid {
                                name: "GUWEN_TRUSTED_PROXIES",
                                reason,
                            }
                        })?
                    }
                    None => Vec::new(),
                };
                if lookup("GUWEN_TRUST_PROXY")
                    .is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes"))
                {
                    nets.extend(crate::http::client_addr::loopback());
                }
                nets
            },
            cors_origins: match lookup("GUWEN_CORS_ORIGINS") {
                Some(list) => cors_origins(&list).map_err(|reason| ConfigError::Invalid {
                    name: "GUWEN_CORS_ORIGINS",
                    reason,
                })?,
                None => Vec::new(),
            },
            background_jobs: !lookup("GUWEN_BACKGROUND_JOBS")
                .is_some_and(|v| matches!(v.trim(), "0" | "false" | "no" | "off")),
            calendar_interval_secs: u64::from(number("GUWEN_CALENDAR_INTERVAL_SECS", 60)?).max(1),
            change_poll_ms: u64::from(number("GUWEN_CHANGE_POLL_MS", 200)?).clamp(10, 1000),
            webhooks: {
                let d = WebhookConfig::default();
                let timeout_secs =
                    u64::from(number("GUWEN_WEBHOOK_TIMEOUT_SECS", d.timeout_secs as u32)?).max(1);
                WebhookConfig {
                    allow_private: lookup("GUWEN_WEBHOOK_ALLOW_PRIVATE")
                        .is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes")),
                    retry_window_secs: u64::from(number(
                        "GUWEN_WEBHOOK_RETRY_WINDOW_SECS",
                        d.retry_window_secs as u32,
                    )?),
                    backoff_base_ms: u64::from(number(
                        "GUWEN_WEBHOOK_BACKOFF_MS",
                        d.backoff_base_ms as u32,
                    )?)
                    .max(1),
                    timeout_secs,
                    lease_secs: u64::from(number("GUWEN_WEBHOOK_LEASE_SECS", d.lease_secs as u32)?)
                        .max(2 * timeout_secs),
                }
            },
            audit_checkpoints: lookup("GUWEN_AUDIT_CHECKPOINTS")
                .map(PathBuf::from)
                .unwrap_or_else(|| data_dir.join("audit-checkpoints.jsonl")),
            audit_checkpoint_every: u64::from(number("GUWEN_AUDIT_CHECKPOINT_EVERY", 1000)?).max(1),
            audit_checkpoint_secs: u64::from(number("GUWEN_AUDIT_CHECKPOINT_SECONDS", 5)?).max(1),
            database_url,
            embedded_database,
            bind_addr,
            data_dir,
            jwt_secret: lookup("JWT_SECRET").map(String::into_bytes),
            jwt_public_keys: lookup("JWT_PUBLIC_KEYS"),
            jwt_jwks_url: lookup("JWT_JWKS_URL"),
            jwt_issuer: lookup("JWT_ISSUER").unwrap_or_else(|| "guwen".into()),
            jwt_audience: lookup("JWT_AUDIENCE").unwrap_or_else(|| "guwen-api".into()),
            jwks_refresh_secs,
            dev_secret_file: None,
        })
    }

    /// True when some verification key is configured.
    pub fn has_configured_keys(&self) -> bool {
        self.jwt_secret.is_some() || self.jwt_public_keys.is_some() || self.jwt_jwks_url.is_some()
    }

    /// The audit key's seed if there is one: the configured one, or the development key already
    /// under the data dir (never created here).
    pub fn existing_audit_key(&self) -> Option<[u8; 32]> {
        self.audit_key.or_else(|| {
            std::fs::read_to_string(self.data_dir.join("dev-audit-key"))
                .ok()
                .and_then(|s| parse_audit_key(&s).ok())
        })
    }

    /// The audit key's seed: the configured one, or on loopback the development key under the
    /// data dir (created on first use); off loopback without one, a refusal.
    pub fn ensure_audit_key(&mut self) -> Result<[u8; 32], ConfigError> {
        if let Some(seed) = self.audit_key {
            return Ok(seed);
        }
        if !self.bind_addr.ip().is_loopback() {
            return Err(ConfigError::NoAuditKeyOffLoopback(self.bind_addr));
        }
        self.ensure_data_dir()?;
        let path = self.data_dir.join("dev-audit-key");
        let seed = match std::fs::read_to_string(&path)
            .ok()
            .and_then(|s| parse_audit_key(&s).ok())
        {
            Some(seed) => seed,
            None => {
                let seed: [u8; 32] = rand::random();
                write_private(&path, &hex::encode(seed)).map_err(|e| ConfigError::DataDir {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?;
                seed
            }
        };
        self.audit_key = Some(seed);
        self.dev_audit_key_file = Some(path);
        Ok(seed)
    }

    /// Refuses an HS256 secret shorter than [`crate::auth::MIN_SECRET_LEN`] bytes unless the
    /// service listens on loopback only (where it is accepted with a warning).
    pub fn check_secret(&self) -> Result<(), ConfigError> {
        let min = crate::auth::MIN_SECRET_LEN;
        match &self.jwt_secret {
            Some(secret) if secret.len() < min && !self.bind_addr.ip().is_loopback() => {
                Err(ConfigError::WeakSecret {
                    len: secret.len(),
                    min,
                    addr: self.bind_addr,
                })
            }
            _ => Ok(()),
        }
    }

    /// The longest lifetime of a token holding `roles` (a service account's when its only
    /// role is `integration`).
    pub fn max_ttl_for(&self, roles: &[guwen_domain::role::Role]) -> i64 {
        crate::auth::max_ttl_for(
            roles,
            self.token_max_ttl_secs,
            self.service_token_max_ttl_secs,
        )
    }

    /// Creates the data directory when the embedded database or the dev secret need it.
    pub fn ensure_data_dir(&self) -> Result<(), ConfigError> {
        std::fs::create_dir_all(&self.data_dir).map_err(|e| ConfigError::DataDir {
            path: self.data_dir.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// Without configured keys: on loopback, load or create the development HS256 secret under
    /// the data dir; elsewhere refuse, since anyone could then mint tokens.
    pub fn ensure_dev_secret(&mut self) -> Result<(), ConfigError> {
        if self.has_configured_keys() {
            return Ok(());
        }
        if !self.bind_addr.ip().is_loopback() {
            return Err(ConfigError::NoKeysOffLoopback(self.bind_addr));
        }
        self.ensure_data_dir()?;
        let path = self.dev_secret_path();
        let secret = match read_dev_secret(&path) {
            Some(s) => s,
            None => {
                let bytes: [u8; 32] = rand::random();
                let s = hex::encode(bytes);
                write_private(&path, &s).map_err(|e| ConfigError::DataDir {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?;
                s
            }
        };
        self.jwt_secret = Some(secret.into_bytes());
        self.dev_secret_file = Some(path);
        Ok(())
    }

    /// For `guwen token`: `JWT_SECRET`, or else the development secret that `guwen serve`
    /// created under the data dir. Never creates one: a token signed with a new secret would
    /// be refused by the running server.
    pub fn signing_secret(&self) -> Result<Vec<u8>, ConfigError> {
        if let Some(secret) = &self.jwt_secret {
            return Ok(secret.clone());
        }
        let path = self.dev_secret_path();
        read_dev_secret(&path)
            .map(String::into_bytes)
            .ok_or_else(|| ConfigError::NoDevSecret {
                path: std::path::absolute(&path)
                    .unwrap_or(path)
                    .display()
                    .to_string(),
            })
    }

    /// Where the generated development secret lives.
    pub fn dev_secret_path(&self) -> PathBuf {
        self.data_dir.join("dev-jwt-secret")
    }
}

/// The development secret in `path`, if there is a usable one (32 characters or more).
fn read_dev_secret(path: &Path) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| s.len() >= 32)
}

/// Parses `GUWEN_CORS_ORIGINS`: comma-separated origins, each a scheme (`http` or `https`),
/// a host and an optional port, with nothing after (a browser's `Origin` never has a path).
fn cors_origins(list: &str) -> Result<Vec<String>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|origin| {
            let url = url::Url::parse(origin).map_err(|e| format!("`{origin}`: {e}"))?;
            let bare = matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some()
                && url.path() == "/"
                && !origin.ends_with('/')
                && url.query().is_none()
                && url.fragment().is_none()
                && url.username().is_empty();
            if bare {
                Ok(origin.to_owned())
            } else {
                Err(format!(
                    "`{origin}` is not an origin like https://portal.example.gov.cn or http://localhost:5173"
                ))
            }
        })
        .collect()
}

/// An audit key seed: 64 hex digits.
fn parse_audit_key(text: &str) -> Result<[u8; 32], String> {
    hex::decode(text.trim())
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes.as_slice()).ok())
        .ok_or_else(|| "must be 64 hex digits (32 bytes), e.g. `openssl rand -hex 32`".into())
}

#[cfg(unix)]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // `mode` applies only to a new file: tighten one that already existed too.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.write_all(content.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    std::fs::write(path, content)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)], base: &Path) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned(), base)
    }

    #[test]
    fn zero_config_is_embedded_sqlite_on_loopback_8080() {
        let c = config(&[], Path::new("/srv/guwen")).map_err(|e| e.to_string());
        let Ok(c) = c else { panic!("{c:?}") };
        assert!(c.embedded_database);
        assert_eq!(c.database_url, "sqlite:///srv/guwen/data/guwen.db?mode=rwc");
        assert_eq!(c.bind_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(
            (c.jwt_issuer.as_str(), c.jwt_audience.as_str()),
            ("guwen", "guwen-api")
        );
    }

    #[test]
    fn a_short_secret_is_refused_off_loopback_only() {
        let dir = std::env::temp_dir();
        let short = [("JWT_SECRET", "short")];
        let Ok(c) = config(&short, &dir) else {
            panic!("config")
        };
        assert!(
            c.check_secret().is_ok(),
            "loopback accepts it with a warning"
        );
        let Ok(c) = config(
            &[("JWT_SECRET", "short"), ("BIND_ADDR", "0.0.0.0:8080")],
            &dir,
        ) else {
            panic!("config")
        };
        assert!(matches!(
            c.check_secret(),
            Err(ConfigError::WeakSecret { len: 5, .. })
        ));
        let long = "x".repeat(32);
        let Ok(c) = config(
            &[("JWT_SECRET", &long), ("BIND_ADDR", "0.0.0.0:8080")],
            &dir,
        ) else {
            panic!("config")
        };
        assert!(c.check_secret().is_ok());
    }

    #[test]
    fn token_lifetimes_default_to_12_hours_and_7_days_and_are_bounded() {
        let dir = std::env::temp_dir();
        let Ok(c) = config(&[], &dir) else {
            panic!("config")
        };
        assert_eq!(c.token_max_ttl_secs, 12 * 3600);
        assert_eq!(c.service_token_max_ttl_secs, 7 * 24 * 3600);
        assert_eq!(
            c.max_ttl_for(&[guwen_domain::role::Role::Integration]),
            7 * 24 * 3600
        );
        assert_eq!(
            c.max_ttl_for(&[
                guwen_domain::role::Role::Integration,
                guwen_domain::role::Role::Hrss
            ]),
            12 * 3600
        );
        for bad in ["0", "-5", "abc", "99999999999"] {
            assert!(
                config(&[("GUWEN_TOKEN_MAX_TTL_SECS", bad)], &dir).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn cors_origins_are_bare_origins_and_none_by_default() {
        let base = Path::new("/srv/guwen");
        let none = config(&[], base).map_err(|e| e.to_string());
        assert_eq!(none.map(|c| c.cors_origins), Ok(Vec::new()));
        let two = config(
            &[(
                "GUWEN_CORS_ORIGINS",
                "https://portal.example.gov.cn, http://localhost:5173",
            )],
            base,
        )
        .map_err(|e| e.to_string());
        assert_eq!(
            two.map(|c| c.cors_origins),
            Ok(vec![
                "https://portal.example.gov.cn".to_owned(),
                "http://localhost:5173".to_owned()
            ])
        );
        for bad in [
            "*",
            "portal.example.gov.cn",
            "https://x.cn/app",
            "ftp://x.cn",
        ] {
            assert!(
                config(&[("GUWEN_CORS_ORIGINS", bad)], base).is_err(),
                "{bad} accepted"
            );
        }
    }

    #[test]
    fn trusted_proxies_are_cidrs_and_the_former_switch_trusts_loopback() {
        let dir = std::env::temp_dir();
        let Ok(c) = config(
            &[("GUWEN_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.5")],
            &dir,
        ) else {
            panic!("config")
        };
        let shown: Vec<String> = c.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.168.1.5/32"]);
        let Ok(c) = config(&[("GUWEN_TRUST_PROXY", "1")], &dir) else {
            panic!("config")
        };
        let shown: Vec<String> = c.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["127.0.0.0/8", "::1/128"]);
        assert!(config(&[("GUWEN_TRUSTED_PROXIES", "proxy.internal")], &dir).is_err());
        let Ok(c) = config(&[], &dir) else {
            panic!("config")
        };
        assert!(c.trusted_proxies.is_empty());
    }

    #[test]
    fn the_audit_key_is_configured_or_generated_on_loopback_only() {
        let dir = tempfile_dir();
        let seed = "11".repeat(32);
        let Ok(mut c) = config(
            &[("GUWEN_AUDIT_KEY", &seed), ("BIND_ADDR", "0.0.0.0:8080")],
            &dir,
        ) else {
            panic!("config")
        };
        assert_eq!(c.ensure_audit_key().ok(), Some([0x11; 32]));
        assert!(config(&[("GUWEN_AUDIT_KEY", "short")], &dir).is_err());
        let Ok(mut c) = config(&[("BIND_ADDR", "0.0.0.0:8080")], &dir) else {
            panic!("config")
        };
        assert!(matches!(
            c.ensure_audit_key(),
            Err(ConfigError::NoAuditKeyOffLoopback(_))
        ));
        // On loopback a development key is generated once and kept.
        let Ok(mut c) = config(&[], &dir) else {
            panic!("config")
        };
        let first = c.ensure_audit_key().ok();
        let Ok(mut again) = config(&[], &dir) else {
            panic!("config")
        };
        assert!(first.is_some());
        assert_eq!(again.ensure_audit_key().ok(), first);
        std::fs::remove_dir_all(&dir).ok();
    }

    /// A fresh directory under the system's temporary one.
    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("guwen-config-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).ok();
        dir
    }

    #[test]
    fn public_bind_without_keys_is_refused() {
        let dir = std::env::temp_dir();
        let c = config(&[("BIND_ADDR", "0.0.0.0:8080")], &dir);
        let Ok(mut c) = c else { panic!("config") };
        assert!(matches!(
            c.ensure_dev_secret(),
            Err(ConfigError::NoKeysOffLoopback(_))
        ));
    }
}
