//! The token verifier: key selection, signature and claim checks, JWKS refresh.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use tokio::time::Instant;

use guwen_domain::token::LifetimeError;

use super::AuthConfig;
use super::claims::Claims;
use super::error::{AuthSetupError, TokenError};
use super::jwks::JwksSource;
use super::keys::{KeyMap, VerifyKey, load_pem_key};
use super::token::{TokenHead, read_head};

/// Largest accepted clock-skew leeway.
pub const MAX_LEEWAY_SECS: u64 = 60;
/// Leeway used when none is configured.
pub const DEFAULT_LEEWAY_SECS: u64 = 30;
/// At most one JWKS refresh triggered by unknown kids per this interval.
pub const UNKNOWN_KID_REFRESH_INTERVAL: Duration = Duration::from_secs(10);
/// Scheduled refresh intervals below this are raised to it.
pub const MIN_SCHEDULED_REFRESH: Duration = Duration::from_secs(1);
/// The most verified tokens a process remembers; when full, it forgets them all.
pub const MAX_VERIFIED_TOKENS: usize = 4096;
/// HS256 secrets shorter than this are refused off loopback and accepted with a warning on
/// it (RFC 7518 §3.2: a key at least as long as the hash).
pub const MIN_SECRET_LEN: usize = 32;

/// Verifies bearer tokens against the configured keys. Cheap to clone (an `Arc` inside).
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("hs256", &self.inner.hs256.is_some())
            .field(
                "pem_kids",
                &self.inner.static_keys.keys().collect::<Vec<_>>(),
            )
            .field("jwks", &self.inner.jwks.as_ref().map(|j| j.source.name()))
            .field("issuer", &self.inner.issuer)
            .field("audience", &self.inner.audience)
            .finish_non_exhaustive()
    }
}

struct Inner {
    /// The shared secret, used only for tokens without a `kid`.
    hs256: Option<Arc<VerifyKey>>,
    /// PEM keys by kid; fixed for the verifier's life. They shadow JWKS keys of the same kid.
    static_keys: KeyMap,
    jwks: Option<JwksState>,
    issuer: String,
    audience: String,
    leeway_secs: i64,
    max_ttl_secs: i64,
    service_max_ttl_secs: i64,
    validation_hs256: Validation,
    validation_rs256: Validation,
    validation_es256: Validation,
    verified: Mutex<Verified>,
}

/// Tokens this process verified, with their claims. A token's signature, issuer, audience,
/// roles, `nbf`, `iat` and lifetime were checked once and cannot become wrong while the keys
/// stay the same; only its expiry can. So a token seen again is only checked for expiry, and
/// the memory is dropped whole whenever the key set may have changed (a JWKS refresh).
/// Revocation is not remembered here: it is checked on every request.
#[derive(Default)]
struct Verified {
    /// The JWKS generation the tokens were verified under.
    keys_generation: u64,
    claims: HashMap<Box<str>, Arc<Claims>>,
}

struct JwksState {
    source: JwksSource,
    /// The current key set; swapped whole on a successful refresh.
    keys: RwLock<Arc<KeyMap>>,
    /// Serialises refreshes and remembers the last unknown-kid refresh.
    gate: tokio::sync::Mutex<RefreshGate>,
    /// Bumped after every refresh attempt; lets waiters see that a refresh just happened.
    generation: AtomicU64,
    /// kids taken by PEM keys; JWKS keys with these kids are ignored.
    reserved: HashSet<String>,
    unknown_kid_interval: Duration,
}

#[derive(Default)]
struct RefreshGate {
    last_unknown_kid_refresh: Option<Instant>,
}

impl Verifier {
    /// Builds a verifier: loads the PEM keys and the JWKS once. Any unreadable key file or a
    /// JWKS that cannot be fetched or holds no usable key is an error.
    pub async fn new(cfg: AuthConfig) -> Result<Verifier, AuthSetupError> {
        let issuer = cfg.issuer.trim().to_owned();
        let audience = cfg.audience.trim().to_owned();
        if issuer.is_empty() {
            return Err(AuthSetupError::MissingSetting("the JWT issuer"));
        }
        if audience.is_empty() {
            return Err(AuthSetupError::MissingSetting("the JWT audience"));
        }
        if cfg.leeway_secs > MAX_LEEWAY_SECS {
            return Err(AuthSetupError::LeewayTooLarge {
                leeway_secs: cfg.leeway_secs,
                max_secs: MAX_LEEWAY_SECS,
            });
        }

        let hs256 = match cfg.hs256_secret.as_deref() {
            None => None,
            Some([]) => return Err(AuthSetupError::EmptySecret),
            Some(secret) => {
                if secret.len() < MIN_SECRET_LEN {
                    tracing::warn!(
                        "JWT_SECRET is shorter than {MIN_SECRET_LEN} bytes; use a longer random secret"
                    );
                }
                Some(Arc::new(VerifyKey {
                    alg: Algorithm::HS256,
                    key: DecodingKey::from_secret(secret),
                }))
            }
        };

        let mut static_keys = KeyMap::new();
        for (kid, path) in &cfg.public_keys {
            if static_keys.contains_key(kid) {
                return Err(AuthSetupError::DuplicateKid { kid: kid.clone() });
            }
            let key = load_pem_key(kid, path)?;
            tracing::info!(kid, alg = ?key.alg, path = %path.display(), "loaded JWT public key");
            static_keys.insert(kid.clone(), Arc::new(key));
        }

        let jwks = match cfg.jwks_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(spec) => {
                let source = JwksSource::parse(spec)?;
                let reserved: HashSet<String> = static_keys.keys().cloned().collect();
                let keys = without_reserved(source.load().await?, &reserved, &source.name());
                tracing::info!(jwks = %source.name(), keys = keys.len(), "loaded JWKS");
                Some(JwksState {
                    source,
                    keys: RwLock::new(Arc::new(keys)),
                    gate: tokio::sync::Mutex::new(RefreshGate::default()),
                    generation: AtomicU64::new(0),
                    reserved,
                    unknown_kid_interval: UNKNOWN_KID_REFRESH_INTERVAL,
                })
            }
        };

        let validation = |alg| {
            let mut v = Validation::new(alg);
            v.leeway = cfg.leeway_secs;
            v.validate_exp = true;
            v.validate_nbf = true; // off by default in jsonwebtoken; checked only when present
            v.validate_aud = true;
            v.set_issuer(&[&issuer]);
            v.set_audience(&[&audience]);
            v.set_required_spec_claims(&["exp", "iss", "aud"]);
            v
        };
        let inner = Inner {
            validation_hs256: validation(Algorithm::HS256),
            validation_rs256: validation(Algorithm::RS256),
            validation_es256: validation(Algorithm::ES256),
            hs256,
            static_keys,
            jwks,
            issuer,
            audience,
            leeway_secs: i64::try_from(cfg.leeway_secs).unwrap_or(0),
            max_ttl_secs: cfg.max_ttl_secs,
            service_max_ttl_secs: cfg.service_max_ttl_secs,
            verified: Mutex::default(),
        };
        Ok(Verifier {
            inner: Arc::new(inner),
        })
    }

    /// Whether any key (secret, PEM or JWKS) is configured.
    pub fn has_any_key(&self) -> bool {
        self.inner.hs256.is_some()
            || !self.inner.static_keys.is_empty()
            || self
                .inner
                .jwks
                .as_ref()
                .is_some_and(|j| !j.snapshot().is_empty())
    }

    /// Verifies a compact JWT (without any `Bearer ` prefix) and returns its claims.
    pub async fn verify(&self, token: &str) -> Result<Arc<Claims>, TokenError> {
        let keys_generation = self.keys_generation();
        if let Some(claims) = self.remembered(token, keys_generation) {
            return Ok(claims);
        }
        let result = self.verify_inner(token).await.map(Arc::new);
        match &result {
            Ok(claims) => self.remember(token, keys_generation, claims),
            Err(err) => tracing::debug!(code = err.code().as_str(), "rejected bearer token"),
        }
        result
    }

    /// The generation of the key set: moves whenever the JWKS may have changed.
    fn keys_generation(&self) -> u64 {
        self.inner
            .jwks
            .as_ref()
            .map_or(0, |j| j.generation.load(Ordering::Acquire))
    }

    fn verified(&self) -> std::sync::MutexGuard<'_, Verified> {
        self.inner
            .verified
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// The claims of `token` if this process verified it under the same keys and it has not
    /// expired since (the same leeway as a full check); anything else is verified in full.
    fn remembered(&self, token: &str, keys_generation: u64) -> Option<Arc<Claims>> {
        let now = i64::try_from(jsonwebtoken::get_current_timestamp()).unwrap_or(i64::MAX);
        let verified = self.verified();
        if verified.keys_generation != keys_generation {
            return None;
        }
        let claims = verified.claims.get(token)?;
        (claims.exp >= now.saturating_sub(self.inner.leeway_secs)).then(|| claims.clone())
    }

    fn remember(&self, token: &str, keys_generation: u64, claims: &Arc<Claims>) {
        let mut verified = self.verified();
        if verified.keys_generation != keys_generation
            || verified.claims.len() >= MAX_VERIFIED_TOKENS
        {
            verified.claims.clear();
            verified.keys_generation = keys_generation;
        }
        verified.claims.insert(token.into(), claims.clone());
    }

    async fn verify_inner(&self, token: &str) -> Result<Claims, TokenError> {
        if !self.has_any_key() {
            return Err(TokenError::NoKeyConfigured);
        }
        let head = read_head(token)?;
        let key = self.select_key(&head).await?;
        // Each key verifies exactly one algorithm. This is what defeats the RS256→HS256
        // confusion attack: an HS256 token naming an RSA key's kid stops here.
        if key.alg != head.alg {
            return Err(TokenError::AlgorithmMismatch);
        }
        let validation = self.inner.validation(key.alg)?;
        let data =
            jsonwebtoken::decode::<Value>(token, &key.key, validation).map_err(map_jwt_error)?;
        let claims =
            Claims::from_validated_payload(data.claims, &self.inner.issuer, &self.inner.audience)?;
        let now = i64::try_from(jsonwebtoken::get_current_timestamp()).unwrap_or(i64::MAX);
        let max = super::max_ttl_for(
            &claims.roles,
            self.inner.max_ttl_secs,
            self.inner.service_max_ttl_secs,
        );
        guwen_domain::token::check_lifetime(
            claims.iat,
            claims.exp,
            now,
            max,
            self.inner.leeway_secs,
        )
        .map_err(|e| match e {
            LifetimeError::IssuedInFuture => TokenError::IssuedInFuture,
            LifetimeError::TooLong { max_secs } => TokenError::LifetimeTooLong { max_secs },
        })?;
        Ok(claims)
    }

    async fn select_key(&self, head: &TokenHead) -> Result<Arc<VerifyKey>, TokenError> {
        let Some(kid) = &head.kid else {
            // Only kid-less tokens may use the shared secret.
            return self.inner.hs256.clone().ok_or(TokenError::UnknownKid);
        };
        if let Some(key) = self.inner.static_keys.get(kid) {
            return Ok(key.clone());
        }
        let Some(jwks) = &self.inner.jwks else {
            return Err(TokenError::UnknownKid);
        };
        let seen = jwks.generation.load(Ordering::Acquire);
        if let Some(key) = jwks.snapshot().get(kid) {
            return Ok(key.clone());
        }
        jwks.refresh_for_unknown_kid(seen).await;
        jwks.snapshot()
            .get(kid)
            .cloned()
            .ok_or(TokenError::UnknownKid)
    }

    /// Spawns a tokio task that refreshes the JWKS every `every` (at least
    /// [`MIN_SCHEDULED_REFRESH`]). Does nothing without a JWKS source or outside a tokio
    /// runtime. The task ends once every clone of this verifier is dropped.
    pub fn spawn_refresh(&self, every: Duration) {
        if self.inner.jwks.is_none() {
            tracing::debug!("no JWKS source configured; scheduled refresh not started");
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!("spawn_refresh called outside a tokio runtime; JWKS will not refresh");
            return;
        };
        let every = every.max(MIN_SCHEDULED_REFRESH);
        let weak: Weak<Inner> = Arc::downgrade(&self.inner);
        runtime.spawn(async move {
            let mut ticker = tokio::time::interval_at(Instant::now() + every, every);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                let Some(inner) = weak.upgrade() else {
                    break;
                };
                if let Some(jwks) = &inner.jwks {
                    jwks.refresh_scheduled().await;
                }
            }
        });
    }

    /// Test hook: shortens the unknown-kid refresh rate limit.
    #[cfg(test)]
    pub(crate) fn with_unknown_kid_interval(self, interval: Duration) -> Verifier {
        match Arc::try_unwrap(self.inner) {
            Ok(mut inner) => {
                if let Some(jwks) = &mut inner.jwks {
                    jwks.unknown_kid_interval = interval;
                }
                Verifier {
                    inner: Arc::new(inner),
                }
            }
            Err(inner) => Verifier { inner },
        }
    }

    /// Test hook: runs one refresh as the scheduler would.
    #[cfg(test)]
    pub(crate) async fn refresh_now(&self) -> bool {
        match &self.inner.jwks {
            Some(jwks) => jwks.refresh_scheduled().await,
            None => false,
        }
    }
}

impl Inner {
    fn validation(&self, alg: Algorithm) -> Result<&Validation, TokenError> {
        match alg {
            Algorithm::HS256 => Ok(&self.validation_hs256),
            Algorithm::RS256 => Ok(&self.validation_rs256),
            Algorithm::ES256 => Ok(&self.validation_es256),
            _ => Err(TokenError::UnsupportedAlgorithm),
        }
    }
}

impl JwksState {
    fn snapshot(&self) -> Arc<KeyMap> {
        match self.keys.read() {
            Ok(keys) => keys.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// A refresh on behalf of a token whose kid was not found. At most one per
    /// `unknown_kid_interval`; concurrent callers wait for the one in flight instead of
    /// fetching again. `seen` is the generation observed before the failed lookup.
    async fn refresh_for_unknown_kid(&self, seen: u64) {
        let mut gate = self.gate.lock().await;
        if self.generation.load(Ordering::Acquire) != seen {
            // A refresh finished after our lookup: just look again.
            return;
        }
        if gate
            .last_unknown_kid_refresh
            .is_some_and(|at| at.elapsed() < self.unknown_kid_interval)
        {
            return;
        }
        gate.last_unknown_kid_refresh = Some(Instant::now());
        self.refresh_locked("unknown kid").await;
    }

    async fn refresh_scheduled(&self) -> bool {
        let _gate = self.gate.lock().await;
        self.refresh_locked("scheduled").await
    }

    /// Fetches the JWKS and swaps the key set; on failure keeps the old keys. The caller holds
    /// the gate.
    async fn refresh_locked(&self, reason: &'static str) -> bool {
        let name = self.source.name();
        let ok = match self.source.load().await {
            Ok(keys) => {
                let keys = without_reserved(keys, &self.reserved, &name);
                tracing::debug!(jwks = %name, keys = keys.len(), reason, "refreshed JWKS");
                match self.keys.write() {
                    Ok(mut current) => *current = Arc::new(keys),
                    Err(poisoned) => *poisoned.into_inner() = Arc::new(keys),
                }
                true
            }
            Err(err) => {
                tracing::warn!(jwks = %name, reason, "JWKS refresh failed, keeping the previous keys: {err}");
                false
            }
        };
        self.generation.fetch_add(1, Ordering::Release);
        ok
    }
}

fn without_reserved(mut keys: KeyMap, reserved: &HashSet<String>, source: &str) -> KeyMap {
    keys.retain(|kid, _| {
        let clash = reserved.contains(kid);
        if clash {
            tracing::warn!(
                jwks = source,
                kid,
                "JWKS key ignored: a PEM key has the same kid"
            );
        }
        !clash
    });
    keys
}

fn map_jwt_error(err: jsonwebtoken::errors::Error) -> TokenError {
    match err.kind() {
        ErrorKind::InvalidSignature => TokenError::InvalidSignature,
        ErrorKind::ExpiredSignature => TokenError::Expired,
        ErrorKind::ImmatureSignature => TokenError::NotYetValid,
        ErrorKind::InvalidIssuer => TokenError::WrongIssuer,
        ErrorKind::InvalidAudience => TokenError::WrongAudience,
        ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm => TokenError::AlgorithmMismatch,
        ErrorKind::UnsupportedAlgorithm | ErrorKind::InvalidAlgorithmName => {
            TokenError::UnsupportedAlgorithm
        }
        ErrorKind::MissingRequiredClaim(claim) => TokenError::MissingClaim(claim_name(claim)),
        ErrorKind::InvalidClaimFormat(claim) => {
            TokenError::InvalidClaims(format!("`{}` has an invalid format", claim_name(claim)))
        }
        ErrorKind::InvalidEcdsaKey
        | ErrorKind::InvalidRsaKey(_)
        | ErrorKind::InvalidEddsaKey
        | ErrorKind::InvalidKeyFormat => {
            tracing::error!("a configured JWT key could not be used for verification");
            TokenError::InvalidSignature
        }
        _ => TokenError::Malformed,
    }
}

fn claim_name(claim: &str) -> &'static str {
    match claim {
        "exp" => "exp",
        "nbf" => "nbf",
        "iss" => "iss",
        "aud" => "aud",
        "sub" => "sub",
        _ => "claim",
    }
}
