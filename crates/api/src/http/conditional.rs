//! Conditional requests and content negotiation (RFC 9110 §12, §13): a validator computed from
//! what selects a representation (the change sequence, the date, the query, the media type)
//! instead of from the representation itself, so that `If-None-Match` is answered before any
//! row is read; and the choice among the media types an operation offers.

use actix_web::{
    HttpRequest,
    http::header::{self, Accept, Header, Quality},
};
use guwen_domain::ProblemCode;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::error::ApiError;

/// A weak entity tag (`W/"…"`): equal for two responses built from the same inputs. Weak,
/// because a body may carry the moment it was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validator(String);

impl Validator {
    /// The validator of a response determined by `inputs` (hashed as JSON).
    pub fn of(inputs: &impl Serialize) -> Self {
        let bytes = serde_json::to_vec(inputs).unwrap_or_default();
        let digest = Sha256::digest(&bytes);
        Self(format!("W/\"{}\"", hex::encode(&digest[..16])))
    }

    /// The `ETag` header value.
    pub fn etag(&self) -> &str {
        &self.0
    }

    /// Whether the request's `If-None-Match` names this validator (weak comparison) or is `*`.
    pub fn matches(&self, req: &HttpRequest) -> bool {
        fn opaque(tag: &str) -> &str {
            tag.trim().trim_start_matches("W/")
        }
        let ours = opaque(&self.0);
        req.headers()
            .get_all(header::IF_NONE_MATCH)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|tag| tag.trim() == "*" || opaque(tag) == ours)
    }
}

/// The media type to answer with: the first of `offered` (the default when the request has no
/// `Accept`, or one that does not parse) that the request's `Accept` ranks highest, wildcards
/// included; `406 not_acceptable` naming the offer when it accepts none of them.
pub fn negotiate<'a>(req: &HttpRequest, offered: &[&'a str]) -> Result<&'a str, ApiError> {
    let default = offered.first().copied().unwrap_or("application/json");
    if !req.headers().contains_key(header::ACCEPT) {
        return Ok(default);
    }
    let Ok(accept) = Accept::parse(req) else {
        return Ok(default);
    };
    // `q=0` refuses a type: it takes no part in the ranking.
    let refused: Vec<String> = accept
        .iter()
        .filter(|item| item.quality == Quality::ZERO)
        .map(|item| item.item.essence_str().to_owned())
        .collect();
    for range in accept.ranked() {
        if refused.iter().any(|r| r == range.essence_str()) {
            continue;
        }
        let found = offered.iter().copied().find(|media| {
            let (kind, sub) = media.split_once('/').unwrap_or((media, ""));
            (range.type_() == "*" || range.type_() == kind)
                && (range.subtype() == "*" || range.subtype() == sub)
        });
        if let Some(media) = found {
            return Ok(media);
        }
    }
    Err(ApiError::new(
        ProblemCode::NotAcceptable,
        format!("this resource is available as {}", offered.join(", ")),
    ))
}
