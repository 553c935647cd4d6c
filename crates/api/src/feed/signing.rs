//! Standard Webhooks signatures: `webhook-signature: v1,<base64 HMAC-SHA256>` over
//! `"{webhook-id}.{webhook-timestamp}.{body}"`, keyed by the secret `whsec_<base64 key>`.

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The prefix of a secret in its Standard Webhooks form.
pub const PREFIX: &str = "whsec_";
/// Key lengths accepted in a given secret (bytes).
const KEY_BYTES: std::ops::RangeInclusive<usize> = 24..=64;

/// A new random secret: 32 bytes, `whsec_` + base64.
pub fn generate_secret() -> String {
    let key: [u8; 32] = rand::random();
    format!("{PREFIX}{}", STANDARD.encode(key))
}

/// The key of a secret in its `whsec_<base64>` form, or why it is not one.
pub fn key_of(secret: &str) -> Result<Vec<u8>, String> {
    let encoded = secret
        .strip_prefix(PREFIX)
        .ok_or_else(|| format!("must start with `{PREFIX}`"))?;
    let key = STANDARD
        .decode(encoded)
        .map_err(|_| format!("must be `{PREFIX}` followed by standard base64"))?;
    if !KEY_BYTES.contains(&key.len()) {
        return Err(format!(
            "the key must be {} to {} bytes",
            KEY_BYTES.start(),
            KEY_BYTES.end()
        ));
    }
    Ok(key)
}

/// The `webhook-signature` header value of one delivery.
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        // HMAC takes keys of any length: this cannot happen.
        return String::new();
    };
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_webhooks_example_signs_as_published() {
        // The example of the Standard Webhooks specification.
        let key = key_of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap_or_default();
        let sig = signature(
            &key,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn secrets_are_whsec_and_base64() {
        let s = generate_secret();
        assert!(s.starts_with(PREFIX));
        assert_eq!(key_of(&s).map(|k| k.len()), Ok(32));
        assert!(key_of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_err());
        assert!(key_of("whsec_not base64!").is_err());
        assert!(key_of("whsec_c2hvcnQ=").is_err());
    }
}
