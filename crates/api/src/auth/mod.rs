//! JWT authentication core: typed claims, key sources and token verification.
//!
//! Keys come from three sources, each key bound to exactly one algorithm:
//!
//! * `JWT_SECRET` — an HS256 shared secret, used **only** for tokens whose header has no `kid`;
//! * `JWT_PUBLIC_KEYS` — `kid=/path/to/key.pem,...`; RSA keys verify RS256, EC P-256 keys ES256;
//! * `JWT_JWKS_URL` — an http(s) URL, `file://` URL or path of a JWKS; each JWK with a `kid`
//!   and alg RS256 / ES256 (given, or inferred from its type) becomes a key. The set is
//!   refreshed on a schedule ([`Verifier::spawn_refresh`]) and, at most once per 10 s, when a
//!   token names an unknown `kid`.
//!
//! A token's header `alg` must equal the selected key's algorithm; `none` and every other
//! algorithm are refused; its `typ`, when present, is `JWT` or `at+jwt`. `exp`, `iat`, `iss`
//! and `aud` are required, `nbf` is honoured when present, `roles` must hold at least one
//! known role, and the token may not live longer than the configured maximum (see
//! `guwen_domain::token`). Revoked tokens are refused by [`Revocations`], the per-process
//! copy of the revocations kept in the database.

#![deny(clippy::unwrap_used, clippy::expect_used)]

mod claims;
mod error;
mod jwks;
mod keys;
mod revocation;
mod token;
mod verifier;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub use claims::{ADVISOR_ID_MAX, Claims, JTI_MAX, ORG_ID_MAX, SUB_MAX};
pub use error::{AuthSetupError, TokenError};
pub use revocation::{RevocationSet, Revocations};
pub use token::mint_hs256;
pub use verifier::{
    DEFAULT_LEEWAY_SECS, MAX_LEEWAY_SECS, MIN_SCHEDULED_REFRESH, MIN_SECRET_LEN,
    UNKNOWN_KID_REFRESH_INTERVAL, Verifier,
};

/// Authentication settings. `Debug` never prints the secret.
#[derive(Clone)]
pub struct AuthConfig {
    /// HS256 shared secret (`JWT_SECRET`), for tokens without a `kid`.
    pub hs256_secret: Option<Vec<u8>>,
    /// PEM public keys by kid (`JWT_PUBLIC_KEYS`, see [`AuthConfig::parse_public_keys`]).
    pub public_keys: Vec<(String, PathBuf)>,
    /// JWKS location (`JWT_JWKS_URL`): `http(s)://...`, `file://...` or a file path.
    pub jwks_url: Option<String>,
    /// The only accepted `iss`.
    pub issuer: String,
    /// Our audience; a token's `aud` must be it or an array containing it.
    pub audience: String,
    /// Clock-skew leeway for `exp`, `nbf` and `iat`, at most [`MAX_LEEWAY_SECS`].
    pub leeway_secs: u64,
    /// The longest a token may live, `exp - iat` (`GUWEN_TOKEN_MAX_TTL_SECS`).
    pub max_ttl_secs: i64,
    /// The longest a service account's token may live: one whose only role is `integration`
    /// (`GUWEN_SERVICE_TOKEN_MAX_TTL_SECS`).
    pub service_max_ttl_secs: i64,
}

/// The default longest lifetime of a person's token: 12 hours.
pub const DEFAULT_MAX_TTL_SECS: i64 = 12 * 3600;
/// The default longest lifetime of a service account's token: 7 days.
pub const DEFAULT_SERVICE_MAX_TTL_SECS: i64 = 7 * 24 * 3600;

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field(
                "hs256_secret",
                &self.hs256_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("public_keys", &self.public_keys)
            .field("jwks_url", &self.jwks_url.as_deref().map(jwks::redact))
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("leeway_secs", &self.leeway_secs)
            .field("max_ttl_secs", &self.max_ttl_secs)
            .field("service_max_ttl_secs", &self.service_max_ttl_secs)
            .finish()
    }
}

impl AuthConfig {
    /// A configuration with no keys and the default leeway; fill in the key fields.
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>) -> AuthConfig {
        AuthConfig {
            hs256_secret: None,
            public_keys: Vec::new(),
            jwks_url: None,
            issuer: issuer.into(),
            audience: audience.into(),
            leeway_secs: DEFAULT_LEEWAY_SECS,
            max_ttl_secs: DEFAULT_MAX_TTL_SECS,
            service_max_ttl_secs: DEFAULT_SERVICE_MAX_TTL_SECS,
        }
    }

    /// Parses `JWT_PUBLIC_KEYS`: comma-separated `kid=/path/to/key.pem` entries. Whitespace
    /// around entries, kids and paths is ignored, as are empty entries; an empty spec yields no
    /// keys. A kid may not contain `=` or `,`; a path may contain `=`.
    pub fn parse_public_keys(spec: &str) -> Result<Vec<(String, PathBuf)>, AuthSetupError> {
        let mut keys: Vec<(String, PathBuf)> = Vec::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let invalid = || AuthSetupError::InvalidPublicKeySpec {
                entry: entry.to_owned(),
            };
            let (kid, path) = entry.split_once('=').ok_or_else(invalid)?;
            let (kid, path) = (kid.trim(), path.trim());
            if kid.is_empty() || path.is_empty() {
                return Err(invalid());
            }
            if keys.iter().any(|(k, _)| k == kid) {
                return Err(AuthSetupError::DuplicateKid {
                    kid: kid.to_owned(),
                });
            }
            keys.push((kid.to_owned(), PathBuf::from(path)));
        }
        Ok(keys)
    }
}

/// The longest lifetime of a token with `roles`: `service` when `integration` is its only
/// role, `person` otherwise.
pub fn max_ttl_for(roles: &[guwen_domain::role::Role], person: i64, service: i64) -> i64 {
    let only_integration = !roles.is_empty()
        && roles
            .iter()
            .all(|r| *r == guwen_domain::role::Role::Integration);
    if only_integration { service } else { person }
}
