//! JWKS source: an http(s) URL or a local file; fetching and turning the set into keys.

use std::collections::hash_map::Entry;
use std::path::PathBuf;
use std::time::Duration;

use jsonwebtoken::jwk::Jwk;
use serde_json::Value;
use url::Url;

use super::error::AuthSetupError;
use super::keys::{KeyMap, jwk_to_key};

/// Timeout of one JWKS HTTP fetch (connect + response).
pub(crate) const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// A JWKS document larger than this is refused.
const MAX_JWKS_BYTES: usize = 1024 * 1024;

/// Where the JWKS comes from.
#[derive(Debug, Clone)]
pub(crate) enum JwksSource {
    Http { url: Url, client: reqwest::Client },
    File(PathBuf),
}

impl JwksSource {
    /// Parses `JWT_JWKS_URL`: `http(s)://...`, `file://...`, or a plain file path.
    pub(crate) fn parse(spec: &str) -> Result<JwksSource, AuthSetupError> {
        let spec = spec.trim();
        let invalid = || AuthSetupError::InvalidJwksUrl { url: redact(spec) };
        if spec.is_empty() {
            return Err(invalid());
        }
        let lower = spec.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let url = Url::parse(spec).map_err(|_| invalid())?;
            if url.host_str().is_none_or(str::is_empty) {
                return Err(invalid());
            }
            // Signing keys over plain HTTP could be swapped in transit: only on loopback.
            let loopback = match url.host() {
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                None => false,
            };
            if url.scheme() == "http" && !loopback {
                return Err(invalid());
            }
            let client = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(FETCH_TIMEOUT)
                .connect_timeout(FETCH_TIMEOUT)
                // Fetches are rare; a fresh connection each time also keeps the client safe
                // to share between actix's per-worker runtimes.
                .pool_max_idle_per_host(0)
                .build()
                .map_err(|e| AuthSetupError::HttpClient(e.without_url().to_string()))?;
            Ok(JwksSource::Http { url, client })
        } else if lower.starts_with("file:") {
            let url = Url::parse(spec).map_err(|_| invalid())?;
            let path = url.to_file_path().map_err(|()| invalid())?;
            Ok(JwksSource::File(path))
        } else if spec.contains("://") {
            Err(invalid())
        } else {
            Ok(JwksSource::File(PathBuf::from(spec)))
        }
    }

    /// A printable name for logs and errors: the URL without credentials, or the path.
    pub(crate) fn name(&self) -> String {
        match self {
            JwksSource::Http { url, .. } => redact(url.as_str()),
            JwksSource::File(path) => path.display().to_string(),
        }
    }

    /// Fetches the document and converts it into keys. JWKs without a kid or with an
    /// algorithm other than RS256 / ES256 are skipped with a warning; a document with no
    /// usable key at all is an error (so a refresh keeps the previous keys).
    pub(crate) async fn load(&self) -> Result<KeyMap, AuthSetupError> {
        let body = self.fetch().await?;
        parse_jwks(&body, &self.name())
    }

    async fn fetch(&self) -> Result<Vec<u8>, AuthSetupError> {
        let fetch_err = |reason: String| AuthSetupError::JwksFetch {
            source_name: self.name(),
            reason,
        };
        match self {
            JwksSource::File(path) => {
                let body = tokio_read(path.clone())
                    .await
                    .map_err(|e| fetch_err(e.to_string()))?;
                if body.len() > MAX_JWKS_BYTES {
                    return Err(fetch_err("document too large".to_owned()));
                }
                Ok(body)
            }
            JwksSource::Http { url, client } => {
                let mut resp = client
                    .get(url.clone())
                    .header(reqwest::header::ACCEPT, "application/json")
                    .send()
                    .await
                    .map_err(|e| fetch_err(e.without_url().to_string()))?;
                let status = resp.status();
                if !status.is_success() {
                    return Err(fetch_err(format!("HTTP status {status}")));
                }
                if resp
                    .content_length()
                    .is_some_and(|len| len > MAX_JWKS_BYTES as u64)
                {
                    return Err(fetch_err("document too large".to_owned()));
                }
                let mut body = Vec::new();
                while let Some(chunk) = resp
                    .chunk()
                    .await
                    .map_err(|e| fetch_err(e.without_url().to_string()))?
                {
                    if body.len() + chunk.len() > MAX_JWKS_BYTES {
                        return Err(fetch_err("document too large".to_owned()));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(body)
            }
        }
    }
}

/// Reads a file without blocking the async runtime (tokio's `fs` feature is not enabled, so
/// this uses `spawn_blocking` directly).
async fn tokio_read(path: PathBuf) -> std::io::Result<Vec<u8>> {
    match tokio::task::spawn_blocking(move || std::fs::read(path)).await {
        Ok(result) => result,
        Err(join) => Err(std::io::Error::other(join.to_string())),
    }
}

/// Parses a JWKS document. Each JWK is parsed on its own, so one exotic key (an unknown `kty`
/// or curve) does not invalidate the whole set.
pub(crate) fn parse_jwks(body: &[u8], source_name: &str) -> Result<KeyMap, AuthSetupError> {
    let parse_err = |reason: &str| AuthSetupError::JwksParse {
        source_name: source_name.to_owned(),
        reason: reason.to_owned(),
    };
    let doc: Value = serde_json::from_slice(body).map_err(|_| parse_err("not JSON"))?;
    let Some(Value::Array(items)) = doc.get("keys") else {
        return Err(parse_err("no `keys` array"));
    };

    let mut keys = KeyMap::new();
    for item in items {
        let jwk: Jwk = match serde_json::from_value(item.clone()) {
            Ok(jwk) => jwk,
            Err(_) => {
                let kid = item.get("kid").and_then(Value::as_str).unwrap_or("<none>");
                tracing::warn!(jwks = source_name, kid, "skipping unparseable JWK");
                continue;
            }
        };
        match jwk_to_key(&jwk) {
            Ok((kid, key)) => match keys.entry(kid) {
                Entry::Occupied(dup) => {
                    let kid = dup.key();
                    tracing::warn!(jwks = source_name, kid, "skipping duplicate kid in JWKS");
                }
                Entry::Vacant(slot) => {
                    slot.insert(key);
                }
            },
            Err(why) => {
                tracing::warn!(jwks = source_name, "skipping JWK: {why}");
            }
        }
    }
    if keys.is_empty() {
        return Err(AuthSetupError::JwksNoUsableKeys {
            source_name: source_name.to_owned(),
        });
    }
    Ok(keys)
}

/// Removes the userinfo password and the query from a URL for display (a JWKS URL may carry
/// an access token in either). Non-URLs are returned unchanged.
pub(crate) fn redact(spec: &str) -> String {
    match Url::parse(spec) {
        Ok(mut url) => {
            if url.password().is_some() {
                let _ = url.set_password(Some("***"));
            }
            if url.query().is_some() {
                url.set_query(Some("***"));
            }
            url.to_string()
        }
        Err(_) => redact_unparsed(spec),
    }
}

/// Best-effort redaction of something that is not a valid URL: drops the query and any
/// userinfo before an `@` in the authority.
fn redact_unparsed(spec: &str) -> String {
    let before_query = spec.split(['?', '#']).next().unwrap_or_default();
    let Some((scheme, rest)) = before_query.split_once("://") else {
        return before_query.to_owned();
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((_, host)) => format!("***@{host}"),
        None => authority.to_owned(),
    };
    format!("{scheme}://{authority}{path}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn sources_parse() {
        assert!(matches!(
            JwksSource::parse("https://idp.example/.well-known/jwks.json").unwrap(),
            JwksSource::Http { .. }
        ));
        match JwksSource::parse("file:///etc/guwen/jwks.json").unwrap() {
            JwksSource::File(p) => assert_eq!(p, PathBuf::from("/etc/guwen/jwks.json")),
            other => panic!("{other:?}"),
        }
        match JwksSource::parse("./jwks.json").unwrap() {
            JwksSource::File(p) => assert_eq!(p, PathBuf::from("./jwks.json")),
            other => panic!("{other:?}"),
        }
        assert!(JwksSource::parse("ftp://x/jwks").is_err());
        assert!(JwksSource::parse("").is_err());
        assert!(JwksSource::parse("http://").is_err());
    }

    #[test]
    fn redact_hides_password_and_query() {
        let r = redact("https://user:hunter2@idp.example/jwks?token=abc");
        assert!(!r.contains("hunter2") && !r.contains("abc"), "{r}");
        assert!(r.contains("idp.example"));
        let err = JwksSource::parse("https://user:hunter2@/x").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn jwks_without_usable_keys_is_an_error() {
        let err = parse_jwks(br#"{"keys":[{"kty":"oct","kid":"x","k":"AAAA"}]}"#, "t").unwrap_err();
        assert!(matches!(err, AuthSetupError::JwksNoUsableKeys { .. }));
        assert!(matches!(
            parse_jwks(b"[]", "t").unwrap_err(),
            AuthSetupError::JwksParse { .. }
        ));
    }
}
