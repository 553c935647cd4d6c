//! The refusal of a domain rule: a stable machine code, the article it cites and a message.
//!
//! The API renders every [`RuleViolation`] as HTTP 409 Conflict with the code and article in
//! the problem body, so codes are part of the public contract: never rename one.
use crate::problem::ProblemCode;

/// A domain rule refused the request.
///
/// `code` is a stable snake_case machine code (`invalid_transition`, `ineligible_age`,
/// `notice_window_open`, ...), `article` the article of the regulation the rule implements
/// ("Art. 4.5"), `message` a human explanation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[error("{message}")]
pub struct RuleViolation {
    /// Stable snake_case machine code, from the catalogue.
    pub code: ProblemCode,
    /// The article the rule implements, e.g. "Art. 4.5".
    pub article: &'static str,
    /// Human-readable explanation.
    pub message: String,
}

impl RuleViolation {
    /// A refusal with its code, article and message.
    pub fn new(code: ProblemCode, article: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            article,
            message: message.into(),
        }
    }
}

/// The result of a domain rule.
pub type RuleResult<T> = Result<T, RuleViolation>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn art_4_violation_displays_its_message_and_keeps_code_and_article() {
        let v = RuleViolation::new(
            ProblemCode::NoticeWindowOpen,
            "Art. 4.5",
            "the notice is still open",
        );
        assert_eq!(v.to_string(), "the notice is still open");
        assert_eq!(v.code, "notice_window_open");
        assert_eq!(v.article, "Art. 4.5");
    }
}
