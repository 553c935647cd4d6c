//! Confidentiality labels given by clients (Art. 7.1).

use guwen_domain::work::{self, Confidentiality};

use crate::prelude::*;

/// Parses a confidentiality label; a state-secret marking is refused with its own code,
/// since this system may not hold state secrets (Art. 7.1).
pub fn parse_confidentiality(raw: &str) -> Result<Confidentiality, ApiError> {
    work::check_confidentiality_label(raw).map_err(|v| {
        let mut e = ApiError::from(v.clone());
        if v.code != ProblemCode::StateSecretNotAllowed {
            e = ApiError::invalid_field("confidentiality", v.message).with_article(v.article);
        }
        e
    })
}

/// An optional confidentiality label: `internal` when absent (Art. 7.1).
pub fn confidentiality_or_internal(raw: Option<&str>) -> Result<Confidentiality, ApiError> {
    match raw {
        Some(raw) => parse_confidentiality(raw),
        None => Ok(Confidentiality::Internal),
    }
}
