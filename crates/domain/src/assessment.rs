//! The annual assessment (DOMAIN.md §5, Art. 16): the year's facts, the service units'
//! opinions and the refusals of the assessment steps. The states, grades, subsidy bands, the
//! assessable years and the state transitions are in [`crate::office`].

use crate::problem::ProblemCode;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::office::{AssessmentState, Band};
use crate::rule::{RuleResult, RuleViolation};

/// The year's facts, computed from the work records (Art. 16).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentFacts {
    pub tasks_assigned: u32,
    pub tasks_delivered: u32,
    /// Delivered late, or still undelivered after the deadline.
    pub tasks_overdue: u32,
    /// Opinions by channel.
    pub opinions_by_channel: BTreeMap<String, u32>,
    pub meetings_invited: u32,
    pub meetings_attended: u32,
    pub meetings_excused: u32,
    pub meetings_absent: u32,
    /// The departments the advisor worked for this year (the service units, 服务单位).
    pub service_units: Vec<String>,
}

/// A subsidy band in fen.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BandView {
    pub min_fen: i64,
    pub max_fen: i64,
}

impl From<Band> for BandView {
    fn from(b: Band) -> Self {
        Self {
            min_fen: b.min_fen,
            max_fen: b.max_fen,
        }
    }
}

/// Art. 16 (每年对顾问开展考核): one assessment per advisor and year; the refusal of a second
/// (`assessment_exists`).
pub fn assessment_exists(advisor_id: &str, year: i32) -> RuleViolation {
    RuleViolation::new(
        ProblemCode::AssessmentExists,
        "Art. 16",
        format!("advisor {advisor_id} already has an assessment for {year}"),
    )
}

/// Art. 16 (会同服务单位): only a department the advisor worked for in the assessed year gives
/// an opinion (`not_a_service_unit`).
pub fn check_service_unit(facts: &AssessmentFacts, org_id: &str) -> RuleResult<()> {
    if facts.service_units.iter().any(|u| u == org_id) {
        Ok(())
    } else {
        Err(RuleViolation::new(
            ProblemCode::NotAServiceUnit,
            "Art. 16",
            "the advisor did not work for this department in the assessed year",
        ))
    }
}

/// Art. 16 (市人力资源和社会保障局会同服务单位组织考核): HRSS grades preliminarily only
/// once every service unit of the year has given its opinion, or HRSS has recorded, unit by
/// unit, that it did not respond (`excused`, with a note kept in the audit trail). Refused
/// with `service_unit_opinions_missing`, naming the units still unheard.
pub fn check_service_units_heard(
    facts: &AssessmentFacts,
    heard: &[String],
    excused: &[String],
) -> RuleResult<()> {
    let unheard: Vec<&str> = facts
        .service_units
        .iter()
        .filter(|u| !heard.contains(u) && !excused.contains(u))
        .map(String::as_str)
        .collect();
    if unheard.is_empty() {
        return Ok(());
    }
    Err(RuleViolation::new(
        ProblemCode::ServiceUnitOpinionsMissing,
        "Art. 16",
        format!(
            "the preliminary grade needs the opinion of every service unit of the year, or a note that it did not respond; not heard: {}",
            unheard.join(", ")
        ),
    ))
}

/// Art. 16 (报市政府确定): once the government has decided, the service units' opinions are
/// closed (`invalid_transition`).
pub fn check_open_for_opinions(state: AssessmentState) -> RuleResult<()> {
    if state == AssessmentState::Decided {
        Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 16",
            "the assessment is decided",
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::code_of as code;

    #[test]
    fn art_16_the_preliminary_grade_waits_for_every_service_unit_or_a_note() {
        let facts = AssessmentFacts {
            service_units: vec!["org-port".into(), "org-trade".into()],
            ..AssessmentFacts::default()
        };
        let heard = vec!["org-port".to_owned()];
        let Err(v) = check_service_units_heard(&facts, &heard, &[]) else {
            panic!("refused")
        };
        assert_eq!(v.code, "service_unit_opinions_missing");
        assert!(v.message.contains("org-trade") && !v.message.contains("org-port"));
        assert_eq!(
            check_service_units_heard(&facts, &heard, &["org-trade".to_owned()]),
            Ok(())
        );
        assert_eq!(
            check_service_units_heard(&AssessmentFacts::default(), &[], &[]),
            Ok(())
        );
    }

    #[test]
    fn art_16_only_the_service_units_give_opinions() {
        let facts = AssessmentFacts {
            service_units: vec!["org-port".into(), "org-trade".into()],
            ..AssessmentFacts::default()
        };
        assert!(check_service_unit(&facts, "org-trade").is_ok());
        let refused = check_service_unit(&facts, "org-other");
        assert_eq!(
            refused.as_ref().map_err(|v| v.article),
            Err("Art. 16"),
            "cites Art. 16"
        );
        assert_eq!(code(refused), "not_a_service_unit");
    }

    #[test]
    fn art_16_a_decided_assessment_takes_no_more_opinions() {
        assert!(check_open_for_opinions(AssessmentState::Draft).is_ok());
        assert!(check_open_for_opinions(AssessmentState::Preliminary).is_ok());
        assert_eq!(
            code(check_open_for_opinions(AssessmentState::Decided)),
            "invalid_transition"
        );
    }

    #[test]
    fn art_16_one_assessment_per_advisor_and_year() {
        let v = assessment_exists("adv-1", 2026);
        assert_eq!(
            (v.code.as_str(), v.article),
            ("assessment_exists", "Art. 16")
        );
        assert!(v.message.contains("adv-1") && v.message.contains("2026"));
    }
}
