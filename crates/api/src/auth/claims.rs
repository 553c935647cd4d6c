//! The typed claims of a Guwen access token.

use guwen_domain::role::Role;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::TokenError;

/// The claims of a verified token.
///
/// `aud` holds this service's configured audience: a token may carry `aud` as a string or as an
/// array, and verification only succeeds when ours is among them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The caller's stable identifier.
    pub sub: String,
    /// The caller's roles; never empty in a verified token.
    pub roles: Vec<Role>,
    /// The caller's organisation (department) identifier, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The advisor record the caller is, if the caller is an advisor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisor_id: Option<String>,
    /// Issuer.
    pub iss: String,
    /// Audience (ours).
    pub aud: String,
    /// Expiry, seconds since the Unix epoch.
    pub exp: i64,
    /// Issued at, seconds since the Unix epoch.
    pub iat: i64,
    /// Not before, seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// The token's own id, by which it can be revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
}

impl Claims {
    /// Whether the caller holds `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Builds typed claims from a payload whose signature, `exp`, `nbf`, `iss` and `aud` have
    /// already been checked by `jsonwebtoken`. Checks the rest and normalises `aud` to ours.
    pub(crate) fn from_validated_payload(
        payload: Value,
        issuer: &str,
        audience: &str,
    ) -> Result<Claims, TokenError> {
        let Value::Object(map) = payload else {
            return Err(TokenError::Malformed);
        };

        // `iss`: jsonwebtoken also accepts an array of issuers; we want exactly ours.
        match map.get("iss") {
            None | Some(Value::Null) => return Err(TokenError::MissingClaim("iss")),
            Some(Value::String(iss)) if iss == issuer => {}
            Some(_) => return Err(TokenError::WrongIssuer),
        }
        // `aud`: a string equal to ours, or an array containing ours.
        let aud_ok = match map.get("aud") {
            None | Some(Value::Null) => return Err(TokenError::MissingClaim("aud")),
            Some(Value::String(aud)) => aud == audience,
            Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(audience)),
            Some(_) => false,
        };
        if !aud_ok {
            return Err(TokenError::WrongAudience);
        }

        let sub = match map.get("sub") {
            None | Some(Value::Null) => return Err(TokenError::MissingClaim("sub")),
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::String(_)) => return Err(invalid("`sub` is empty")),
            Some(_) => return Err(invalid("`sub` must be a string")),
        };
        usable_identifier("sub", &sub, SUB_MAX)?;

        let roles = roles(&map)?;
        let exp = numeric_date(&map, "exp")?.ok_or(TokenError::MissingClaim("exp"))?;
        let iat = numeric_date(&map, "iat")?.ok_or(TokenError::MissingClaim("iat"))?;
        let nbf = numeric_date(&map, "nbf")?;

        let org_id = optional_string(&map, "org_id")?;
        if let Some(org) = &org_id {
            usable_identifier("org_id", org, ORG_ID_MAX)?;
        }
        let advisor_id = optional_string(&map, "advisor_id")?;
        if let Some(advisor) = &advisor_id {
            usable_identifier("advisor_id", advisor, ADVISOR_ID_MAX)?;
        }
        let jti = optional_string(&map, "jti")?;
        if let Some(jti) = &jti {
            usable_identifier("jti", jti, JTI_MAX)?;
        }

        Ok(Claims {
            sub,
            roles,
            org_id,
            advisor_id,
            iss: issuer.to_owned(),
            aud: audience.to_owned(),
            exp,
            iat,
            nbf,
            jti,
        })
    }
}

/// The longest `sub`: the audit trail's actor column and every `*_by` column hold 200
/// characters, and the idempotency records key a caller as `sub:` followed by the subject in
/// 200.
pub const SUB_MAX: usize = 196;
/// The longest `org_id`: the organisation columns hold 100.
pub const ORG_ID_MAX: usize = 100;
/// The longest `advisor_id`: advisor ids are UUIDs, stored in 36-character columns.
pub const ADVISOR_ID_MAX: usize = 36;
/// The longest `jti`: a revocation stores it in 200.
pub const JTI_MAX: usize = 200;

/// A claim the service stores and compares as an identifier, under the text policy: no
/// control, white-space or invisible character, and no longer than its columns.
fn usable_identifier(name: &str, value: &str, max: usize) -> Result<(), TokenError> {
    guwen_domain::text::check_identifier(value, max)
        .map_err(|e| TokenError::InvalidClaims(format!("`{name}` {e}")))
}

fn invalid(detail: &str) -> TokenError {
    TokenError::InvalidClaims(detail.to_owned())
}

fn roles(map: &Map<String, Value>) -> Result<Vec<Role>, TokenError> {
    let items = match map.get("roles") {
        None | Some(Value::Null) => return Err(TokenError::NoRoles),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(invalid("`roles` must be an array of role codes")),
    };
    if items.is_empty() {
        return Err(TokenError::NoRoles);
    }
    let mut roles = Vec::with_capacity(items.len());
    for item in items {
        let Value::String(code) = item else {
            return Err(invalid("`roles` must be an array of role codes"));
        };
        // Role is a serde snake_case enum; reuse its Deserialize so the codes stay in one place.
        let role: Role = serde_json::from_value(Value::String(code.clone()))
            .map_err(|_| invalid("`roles` contains an unknown role"))?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    Ok(roles)
}

/// A NumericDate claim: an integer, or a finite non-integer number (truncated toward the past).
fn numeric_date(map: &Map<String, Value>, name: &'static str) -> Result<Option<i64>, TokenError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                Ok(Some(i))
            } else {
                match n.as_f64() {
                    // `as` saturates; the range check keeps the conversion meaningful.
                    Some(f) if f.is_finite() && f.abs() < 9.0e15 => Ok(Some(f.floor() as i64)),
                    _ => Err(TokenError::InvalidClaims(format!(
                        "`{name}` is not a valid timestamp"
                    ))),
                }
            }
        }
        Some(_) => Err(TokenError::InvalidClaims(format!(
            "`{name}` must be a number"
        ))),
    }
}

fn optional_string(
    map: &Map<String, Value>,
    name: &'static str,
) -> Result<Option<String>, TokenError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(TokenError::InvalidClaims(format!(
            "`{name}` must be a string"
        ))),
    }
}
