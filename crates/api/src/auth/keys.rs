//! Verification keys: each is bound to exactly one algorithm (HS256, RS256 or ES256).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, DecodingKeyKind};

use super::error::AuthSetupError;

/// RSA moduli below this many bits are refused.
const MIN_RSA_BITS: usize = 2048;

/// A public key (or the shared secret) together with the only algorithm it may verify.
#[derive(Clone)]
pub(crate) struct VerifyKey {
    pub alg: Algorithm,
    pub key: DecodingKey,
}

impl std::fmt::Debug for VerifyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyKey")
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

/// Keys by kid.
pub(crate) type KeyMap = HashMap<String, Arc<VerifyKey>>;

/// Loads a PEM public key file; the algorithm follows from the key type (RSA → RS256,
/// EC P-256 → ES256).
pub(crate) fn load_pem_key(kid: &str, path: &Path) -> Result<VerifyKey, AuthSetupError> {
    let bytes = std::fs::read(path).map_err(|source| AuthSetupError::ReadKey {
        path: path.to_owned(),
        source,
    })?;
    let bad = |reason: &'static str| AuthSetupError::InvalidKey {
        kid: kid.to_owned(),
        path: path.to_owned(),
        reason,
    };
    let text = String::from_utf8_lossy(&bytes);
    if text.contains("PRIVATE KEY-----") {
        return Err(bad(
            "it holds a private key; configure the public key (openssl pkey -pubout)",
        ));
    }
    if !text.contains("-----BEGIN PUBLIC KEY-----")
        && !text.contains("-----BEGIN RSA PUBLIC KEY-----")
    {
        return Err(bad("expected a PEM `PUBLIC KEY` or `RSA PUBLIC KEY` block"));
    }

    // `from_rsa_pem` / `from_ec_pem` classify the SPKI by its algorithm OID and refuse the
    // other family, so trying RSA first then EC identifies the type.
    if let Ok(key) = DecodingKey::from_rsa_pem(&bytes) {
        let key = rsa_key_checked(key).map_err(bad)?;
        return Ok(VerifyKey {
            alg: Algorithm::RS256,
            key,
        });
    }
    if let Ok(key) = DecodingKey::from_ec_pem(&bytes) {
        check_p256(&key).map_err(bad)?;
        return Ok(VerifyKey {
            alg: Algorithm::ES256,
            key,
        });
    }
    Err(bad("not an RSA or EC P-256 public key"))
}

/// Parses an RSA key's modulus and exponent now (so a broken key fails at startup, not on
/// every request), enforces the minimum size, and returns it in (n, e) form.
fn rsa_key_checked(key: DecodingKey) -> Result<DecodingKey, &'static str> {
    let (n, e) = match key.kind() {
        DecodingKeyKind::RsaModulusExponent { n, e } => (n.clone(), e.clone()),
        DecodingKeyKind::SecretOrDer(_) => {
            // Parses the PKCS#1 DER through the active crypto provider.
            let jwk = Jwk::from_decoding_key(&key, None).map_err(|_| "malformed RSA public key")?;
            let AlgorithmParameters::RSA(rsa) = jwk.algorithm else {
                return Err("malformed RSA public key");
            };
            let key = DecodingKey::from_rsa_components(&rsa.n, &rsa.e)
                .map_err(|_| "malformed RSA public key")?;
            return rsa_key_checked(key);
        }
    };
    let n_bits = bit_len(&n);
    if n_bits < MIN_RSA_BITS {
        return Err("RSA modulus is shorter than 2048 bits");
    }
    if bit_len(&e) < 2 || e.len() > 8 {
        return Err("RSA public exponent is invalid");
    }
    Ok(DecodingKey::from_rsa_raw_components(&n, &e))
}

fn bit_len(be: &[u8]) -> usize {
    match be.iter().position(|&b| b != 0) {
        None => 0,
        Some(i) => (be.len() - i - 1) * 8 + (8 - be[i].leading_zeros() as usize),
    }
}

/// Checks that an EC key is an uncompressed point on P-256.
fn check_p256(key: &DecodingKey) -> Result<(), &'static str> {
    match key.kind() {
        DecodingKeyKind::SecretOrDer(point) if point.len() == 65 && point[0] == 0x04 => {}
        _ => return Err("EC key is not on curve P-256 (only ES256 is supported)"),
    }
    // Building an ES256 verifier parses the SEC1 point and checks it lies on P-256; it errors
    // (rather than returning `false`) only when the key itself is unusable. This rejects
    // other 256-bit curves such as secp256k1.
    match jsonwebtoken::crypto::verify("AA", b"probe", key, Algorithm::ES256) {
        Ok(_) => Ok(()),
        Err(_) => Err("EC key is not a valid P-256 point"),
    }
}

/// Converts one JWK into a verification key, or says why it is skipped.
pub(crate) fn jwk_to_key(jwk: &Jwk) -> Result<(String, Arc<VerifyKey>), String> {
    let Some(kid) = jwk.common.key_id.clone().filter(|k| !k.is_empty()) else {
        return Err("it has no kid".to_owned());
    };
    let skip = |why: &str| Err(format!("kid `{kid}`: {why}"));
    if let Some(use_) = &jwk.common.public_key_use
        && *use_ != PublicKeyUse::Signature
    {
        return skip("its `use` is not `sig`");
    }

    let inferred = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Some(Algorithm::RS256),
        AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => {
            Some(Algorithm::ES256)
        }
        _ => None,
    };
    let alg = match (jwk.common.key_algorithm, inferred) {
        (Some(KeyAlgorithm::RS256), Some(Algorithm::RS256)) => Algorithm::RS256,
        (Some(KeyAlgorithm::ES256), Some(Algorithm::ES256)) => Algorithm::ES256,
        (None, Some(alg)) => alg,
        (Some(KeyAlgorithm::RS256 | KeyAlgorithm::ES256), _) => {
            return skip("its `alg` does not match its key type");
        }
        (Some(_), _) => return skip("its `alg` is not RS256 or ES256"),
        (None, None) => return skip("it is neither an RSA nor an EC P-256 key"),
    };

    let key = DecodingKey::from_jwk(jwk).map_err(|_| format!("kid `{kid}`: malformed key"))?;
    let key = match alg {
        Algorithm::RS256 => rsa_key_checked(key),
        _ => check_p256(&key).map(|()| key),
    }
    .map_err(|why| format!("kid `{kid}`: {why}"))?;
    Ok((kid, Arc::new(VerifyKey { alg, key })))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn bit_len_counts_significant_bits() {
        assert_eq!(bit_len(&[]), 0);
        assert_eq!(bit_len(&[0, 0]), 0);
        assert_eq!(bit_len(&[1]), 1);
        assert_eq!(bit_len(&[0, 0x80, 0]), 16);
        assert_eq!(bit_len(&[1, 0, 1]), 17);
    }

    #[test]
    fn jwk_without_kid_or_with_other_alg_is_skipped() {
        let rsa = r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#;
        let jwk: Jwk = serde_json::from_str(rsa).unwrap();
        assert!(jwk_to_key(&jwk).unwrap_err().contains("no kid"));

        let hs = r#"{"kty":"oct","kid":"h","alg":"HS256","k":"c2VjcmV0"}"#;
        let jwk: Jwk = serde_json::from_str(hs).unwrap();
        assert!(jwk_to_key(&jwk).is_err());

        let ps = r#"{"kty":"RSA","kid":"p","alg":"PS256","n":"AQAB","e":"AQAB"}"#;
        let jwk: Jwk = serde_json::from_str(ps).unwrap();
        assert!(jwk_to_key(&jwk).unwrap_err().contains("not RS256 or ES256"));

        let small = r#"{"kty":"RSA","kid":"s","alg":"RS256","n":"AQAB","e":"AQAB"}"#;
        let jwk: Jwk = serde_json::from_str(small).unwrap();
        assert!(jwk_to_key(&jwk).unwrap_err().contains("2048"));
    }
}
