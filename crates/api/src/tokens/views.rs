//! What HRSS sends to revoke tokens and what the list of revocations shows.

use chrono::{DateTime, FixedOffset};
use guwen_domain::token::RevocationKind;
use guwen_persistence::store::tokens::TokenRevocation;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{JTI_MAX, SUB_MAX};
use crate::prelude::*;

/// A revocation: one token by its `jti`, or every token of a subject issued until now. Exactly
/// one of `jti` and `sub`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct RevocationRequest {
    /// The `jti` of the one token to revoke.
    #[schema(example = "0190f3c4-0000-7000-8000-000000000001", max_length = 200)]
    pub jti: Option<String>,
    /// A token subject: every token of it issued until now is revoked (tokens issued later
    /// are not).
    #[schema(example = "hr-officer", max_length = 196)]
    pub sub: Option<String>,
    /// Why (a lost device, a departure).
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
}

impl RevocationRequest {
    /// What is revoked: exactly one of `jti` and `sub`, each a clean identifier (422).
    pub fn target(&self) -> Result<(RevocationKind, String), ApiError> {
        match (self.jti.as_deref(), self.sub.as_deref()) {
            (Some(jti), None) => Ok((
                RevocationKind::Jti,
                identifier("jti", jti, JTI_MAX)?.to_owned(),
            )),
            (None, Some(sub)) => Ok((
                RevocationKind::Subject,
                identifier("sub", sub, SUB_MAX)?.to_owned(),
            )),
            _ => Err(ApiError::invalid_field(
                "body",
                "name exactly one of `jti` and `sub`",
            )),
        }
    }
}

/// A revocation in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevocationView {
    pub id: String,
    pub kind: RevocationKind,
    /// The revoked `jti`, or the revoked subject.
    pub value: String,
    pub reason: String,
    pub revoked_by: String,
    /// Tokens of a revoked subject issued at or before this instant are refused.
    pub revoked_at: DateTime<FixedOffset>,
}

crate::view::from_record!(TokenRevocation => RevocationView {
    id, kind, value, reason, revoked_by;
    revoked_at
});
