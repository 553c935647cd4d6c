//! Helpers shared by the rule tests of every chapter.

use chrono::NaiveDate;

use crate::rule::RuleResult;

/// A calendar date (China Standard Time is implied everywhere in the rules).
pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// The problem code of a refused rule; a rule that passes fails the test.
pub(crate) fn code_of<T: std::fmt::Debug>(r: RuleResult<T>) -> &'static str {
    match r {
        Err(v) => v.code.as_str(),
        Ok(x) => panic!("expected a refusal, got {x:?}"),
    }
}
