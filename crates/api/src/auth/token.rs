//! Token framing: the pre-verification header read (to pick a key) and HS256 minting.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::Value;

use super::claims::Claims;
use super::error::TokenError;

/// Tokens longer than this are rejected before any parsing (a DoS guard; real tokens are ~1 KiB).
pub(crate) const MAX_TOKEN_LEN: usize = 16 * 1024;

/// What the unverified header tells us: which algorithm and which key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenHead {
    pub alg: Algorithm,
    pub kid: Option<String>,
}

/// Reads the JOSE header of a compact JWS without verifying anything.
///
/// We parse it ourselves rather than with `jsonwebtoken::decode_header` so that `alg: "none"`
/// and other algorithms unknown to `jsonwebtoken` are reported as `unsupported_algorithm`
/// instead of a generic JSON error.
pub(crate) fn read_head(token: &str) -> Result<TokenHead, TokenError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenError::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    if header.is_empty() || payload.is_empty() {
        return Err(TokenError::Malformed);
    }
    let bytes = b64url_decode(header).ok_or(TokenError::Malformed)?;
    let Ok(Value::Object(header)) = serde_json::from_slice::<Value>(&bytes) else {
        return Err(TokenError::Malformed);
    };

    // We implement no JWS extensions, so any critical header parameter is one we don't know.
    if header.contains_key("crit") {
        return Err(TokenError::Malformed);
    }
    let alg = match header.get("alg") {
        Some(Value::String(alg)) => match alg.as_str() {
            "HS256" => Algorithm::HS256,
            "RS256" => Algorithm::RS256,
            "ES256" => Algorithm::ES256,
            // `none`, `None`, HS384, PS256, EdDSA, garbage...: none of them are accepted.
            _ => return Err(TokenError::UnsupportedAlgorithm),
        },
        _ => return Err(TokenError::Malformed),
    };
    // RFC 7515 §4.1.9: `typ` is compared case-insensitively, with or without `application/`.
    match header.get("typ") {
        None | Some(Value::Null) => {}
        Some(Value::String(typ)) if is_access_token_type(typ) => {}
        Some(Value::String(_)) => return Err(TokenError::WrongType),
        Some(_) => return Err(TokenError::Malformed),
    }
    let kid = match header.get("kid") {
        None | Some(Value::Null) => None,
        Some(Value::String(kid)) => Some(kid.clone()),
        Some(_) => return Err(TokenError::Malformed),
    };
    Ok(TokenHead { alg, kid })
}

/// Whether a header `typ` names an access token: `JWT` (RFC 7519) or `at+jwt` (RFC 9068),
/// in any case, with or without the `application/` prefix.
fn is_access_token_type(typ: &str) -> bool {
    let typ = typ.to_ascii_lowercase();
    let typ = typ.strip_prefix("application/").unwrap_or(&typ);
    matches!(typ, "jwt" | "at+jwt")
}

/// Strict unpadded base64url (RFC 7515 §2), as used by compact JWS.
pub(crate) fn b64url_decode(input: &str) -> Option<Vec<u8>> {
    fn sextet(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'-' => Some(62),
            b'_' => Some(63),
            _ => None,
        }
    }
    let bytes = input.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut acc: u32 = 0;
        for &c in chunk {
            acc = (acc << 6) | sextet(c)?;
        }
        match chunk.len() {
            4 => out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]),
            3 => {
                // 18 bits: two bytes and two zero padding bits.
                if acc & 0b11 != 0 {
                    return None;
                }
                out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]);
            }
            2 => {
                // 12 bits: one byte and four zero padding bits.
                if acc & 0b1111 != 0 {
                    return None;
                }
                out.push((acc >> 4) as u8);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Signs `claims` as an HS256 JWT with `secret`. The header carries no `kid`, which is what
/// routes such a token to the shared secret on verification.
pub fn mint_hs256(secret: &[u8], claims: &Claims) -> Result<String, TokenError> {
    if secret.is_empty() {
        return Err(TokenError::NoKeyConfigured);
    }
    if claims.roles.is_empty() {
        return Err(TokenError::NoRoles);
    }
    let header = Header::new(Algorithm::HS256);
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(secret))
        .map_err(|_| TokenError::InvalidClaims("the claims could not be encoded".to_owned()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn b64url_round_trips_known_vectors() {
        assert_eq!(b64url_decode("").unwrap(), b"");
        assert_eq!(b64url_decode("Zg").unwrap(), b"f");
        assert_eq!(b64url_decode("Zm8").unwrap(), b"fo");
        assert_eq!(b64url_decode("Zm9v").unwrap(), b"foo");
        assert_eq!(b64url_decode("Zm9vYg").unwrap(), b"foob");
        assert_eq!(b64url_decode("-_8").unwrap(), [0xfb, 0xff]);
        assert!(b64url_decode("Zm9vY").is_none());
        assert!(b64url_decode("Zg==").is_none());
        assert!(b64url_decode("Zh").is_none(), "non-zero padding bits");
        assert!(b64url_decode("Zm+v").is_none(), "standard alphabet");
    }

    #[test]
    fn head_reads_alg_and_kid() {
        // {"alg":"RS256","kid":"k1","typ":"JWT"}
        let h = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0";
        let head = read_head(&format!("{h}.e30.sig")).unwrap();
        assert_eq!(head.alg, Algorithm::RS256);
        assert_eq!(head.kid.as_deref(), Some("k1"));
        assert_eq!(read_head("abc"), Err(TokenError::Malformed));
        assert_eq!(read_head(&format!("{h}.e30")), Err(TokenError::Malformed));
        assert_eq!(
            read_head(&format!("{h}.e30.s.x")),
            Err(TokenError::Malformed)
        );
        assert_eq!(read_head(&format!("{h}..sig")), Err(TokenError::Malformed));
    }

    #[test]
    fn head_accepts_only_access_token_types() {
        let head = |typ: &str| {
            let json = format!(r#"{{"alg":"HS256","typ":{typ}}}"#);
            let b64 = base64_url(json.as_bytes());
            read_head(&format!("{b64}.e30.sig")).map(|h| h.alg)
        };
        for ok in [
            "\"JWT\"",
            "\"jwt\"",
            "\"at+jwt\"",
            "\"application/at+JWT\"",
            "null",
        ] {
            assert_eq!(head(ok), Ok(Algorithm::HS256), "{ok}");
        }
        for bad in ["\"id+jwt\"", "\"secevent+jwt\"", "\"JWE\"", "\"\""] {
            assert_eq!(head(bad), Err(TokenError::WrongType), "{bad}");
        }
        assert_eq!(head("1"), Err(TokenError::Malformed));
    }

    fn base64_url(bytes: &[u8]) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }
}
