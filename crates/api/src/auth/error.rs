//! Errors of the authentication core: setup errors (configuration, key files, JWKS) and token
//! errors (why a bearer token was rejected).

use guwen_domain::ProblemCode;
use std::path::PathBuf;

/// Why the verifier could not be built, or why a JWKS (re)load failed.
///
/// Messages name the offending file, URL (with any password removed) or setting, never a
/// secret or key material.
#[derive(Debug, thiserror::Error)]
pub enum AuthSetupError {
    /// `JWT_SECRET` was given but is empty.
    #[error("JWT_SECRET is set but empty")]
    EmptySecret,
    /// A required setting is missing or empty (issuer, audience).
    #[error("{0} must be set and non-empty")]
    MissingSetting(&'static str),
    /// The configured leeway exceeds the maximum.
    #[error("JWT leeway of {leeway_secs} s exceeds the maximum of {max_secs} s")]
    LeewayTooLarge { leeway_secs: u64, max_secs: u64 },
    /// An entry of `JWT_PUBLIC_KEYS` is not `kid=/path/to/key.pem`.
    #[error("JWT_PUBLIC_KEYS entry `{entry}` is not of the form kid=/path/to/key.pem")]
    InvalidPublicKeySpec { entry: String },
    /// The same kid is configured twice.
    #[error("key id `{kid}` is configured more than once")]
    DuplicateKid { kid: String },
    /// A PEM key file could not be read.
    #[error("cannot read public key file {}: {source}", path.display())]
    ReadKey {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A PEM key file does not hold a usable public key.
    #[error("public key file {} (kid `{kid}`) is not usable: {reason}", path.display())]
    InvalidKey {
        kid: String,
        path: PathBuf,
        reason: &'static str,
    },
    /// `JWT_JWKS_URL` is neither an http(s) URL nor a file path / `file://` URL.
    #[error("JWT_JWKS_URL `{url}` is not an http(s) URL, a file:// URL or a file path")]
    InvalidJwksUrl { url: String },
    /// The HTTP client for JWKS fetching could not be built.
    #[error("cannot build the HTTP client for JWKS fetching: {0}")]
    HttpClient(String),
    /// The JWKS could not be fetched or read.
    #[error("cannot fetch JWKS from {source_name}: {reason}")]
    JwksFetch { source_name: String, reason: String },
    /// The JWKS document is not a JSON Web Key Set.
    #[error("JWKS from {source_name} is not a valid JSON Web Key Set: {reason}")]
    JwksParse { source_name: String, reason: String },
    /// The JWKS holds no key this service can use (RS256 / ES256 with a kid).
    #[error("JWKS from {source_name} holds no usable signing key (RS256 or ES256 with a kid)")]
    JwksNoUsableKeys { source_name: String },
}

/// Why a bearer token was rejected. [`TokenError::code`] is the stable machine code for API
/// error bodies; [`TokenError::description`] a short sentence that is safe to show a caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a compact JWS (three base64url parts, JSON header and payload).
    #[error("malformed token")]
    Malformed,
    /// The header's `alg` is `none` or an algorithm this service does not accept.
    #[error("unsupported algorithm")]
    UnsupportedAlgorithm,
    /// The header's `alg` differs from the algorithm bound to the selected key.
    #[error("algorithm does not match the key")]
    AlgorithmMismatch,
    /// The header names a key id that no configured key source knows.
    #[error("unknown key id")]
    UnknownKid,
    /// The signature does not verify.
    #[error("invalid signature")]
    InvalidSignature,
    /// `exp` is in the past (beyond the leeway).
    #[error("token expired")]
    Expired,
    /// `nbf` is in the future (beyond the leeway).
    #[error("token not yet valid")]
    NotYetValid,
    /// `iss` is not the configured issuer.
    #[error("wrong issuer")]
    WrongIssuer,
    /// `aud` does not contain the configured audience.
    #[error("wrong audience")]
    WrongAudience,
    /// A required claim is absent (or has a type that cannot be read).
    #[error("missing claim `{0}`")]
    MissingClaim(&'static str),
    /// `roles` is missing or empty.
    #[error("token carries no roles")]
    NoRoles,
    /// A claim is present but invalid; the text is authored by this crate, never copied from
    /// the token.
    #[error("invalid claims: {0}")]
    InvalidClaims(String),
    /// No key is configured that could verify this token.
    #[error("no key configured")]
    NoKeyConfigured,
    /// The header's `typ` names something other than an access token.
    #[error("not an access token")]
    WrongType,
    /// `iat` lies in the future beyond the leeway.
    #[error("issued in the future")]
    IssuedInFuture,
    /// The token lives longer than allowed (`exp - iat`, or `exp` too far ahead).
    #[error("lifetime too long")]
    LifetimeTooLong { max_secs: i64 },
    /// The token, or every token of its subject issued until then, was revoked.
    #[error("token revoked")]
    Revoked,
}

impl TokenError {
    /// Stable snake_case machine code, for API error bodies and metrics.
    pub fn code(&self) -> ProblemCode {
        match self {
            TokenError::Malformed => ProblemCode::MalformedToken,
            TokenError::UnsupportedAlgorithm => ProblemCode::UnsupportedAlgorithm,
            TokenError::AlgorithmMismatch => ProblemCode::AlgorithmMismatch,
            TokenError::UnknownKid => ProblemCode::UnknownKid,
            TokenError::InvalidSignature => ProblemCode::InvalidSignature,
            TokenError::Expired => ProblemCode::TokenExpired,
            TokenError::NotYetValid => ProblemCode::TokenNotYetValid,
            TokenError::WrongIssuer => ProblemCode::WrongIssuer,
            TokenError::WrongAudience => ProblemCode::WrongAudience,
            TokenError::MissingClaim(_) => ProblemCode::MissingClaim,
            TokenError::NoRoles => ProblemCode::NoRoles,
            TokenError::InvalidClaims(_) => ProblemCode::InvalidClaims,
            TokenError::NoKeyConfigured => ProblemCode::NoKeyConfigured,
            TokenError::WrongType => ProblemCode::InvalidTokenType,
            TokenError::IssuedInFuture => ProblemCode::TokenNotYetValid,
            TokenError::LifetimeTooLong { .. } => ProblemCode::TokenLifetimeTooLong,
            TokenError::Revoked => ProblemCode::TokenRevoked,
        }
    }

    /// A short human sentence that is safe to return to the caller: no key material, no
    /// configuration, nothing copied from the token.
    pub fn description(&self) -> String {
        match self {
            TokenError::Malformed => "The bearer token is not a well-formed JWT.".to_owned(),
            TokenError::UnsupportedAlgorithm => {
                "The token is signed with an algorithm this service does not accept.".to_owned()
            }
            TokenError::AlgorithmMismatch => {
                "The token's algorithm does not match its signing key.".to_owned()
            }
            TokenError::UnknownKid => "The token's signing key is not recognised.".to_owned(),
            TokenError::InvalidSignature => "The token's signature is invalid.".to_owned(),
            TokenError::Expired => "The token has expired.".to_owned(),
            TokenError::NotYetValid => "The token is not valid yet.".to_owned(),
            TokenError::WrongIssuer => "The token was issued by an untrusted issuer.".to_owned(),
            TokenError::WrongAudience => "The token is not intended for this service.".to_owned(),
            TokenError::MissingClaim(claim) => {
                format!("The token lacks the required `{claim}` claim.")
            }
            TokenError::NoRoles => "The token grants no roles.".to_owned(),
            TokenError::InvalidClaims(detail) => {
                format!("The token's claims are invalid: {detail}.")
            }
            TokenError::NoKeyConfigured => {
                "This service has no key configured to verify tokens.".to_owned()
            }
            TokenError::WrongType => {
                "The token's `typ` is not that of an access token (`JWT` or `at+jwt`).".to_owned()
            }
            TokenError::IssuedInFuture => "The token is issued in the future.".to_owned(),
            TokenError::LifetimeTooLong { max_secs } => format!(
                "The token lives longer than the {max_secs} s this service allows; request a shorter-lived one."
            ),
            TokenError::Revoked => "The token has been revoked.".to_owned(),
        }
    }
}
