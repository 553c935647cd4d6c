//! Advisors in office (DOMAIN.md §2, §5; Art. 3, 12, 13, 16): dismissal, resignation, expiry,
//! renewal and the annual assessment with its subsidy bands.

use chrono::NaiveDate;

use crate::appointment::Term;
use crate::rule::{RuleResult, RuleViolation};

crate::labelled_enum! {
    /// Where an advisor stands. `expired` is never stored: an advisor whose term has ended is
    /// shown as expired everywhere at once (Art. 3).
    pub enum AdvisorStatus("advisor_status") {
        Active = ("active", "In office", "在聘"),
        Expired = ("expired", "Term ended", "聘期届满"),
        DismissalProposed = ("dismissal_proposed", "Dismissal proposed", "拟解聘"),
        ResignationRequested = ("resignation_requested", "Resignation requested", "申请辞聘"),
        ResignationProposed = ("resignation_proposed", "Resignation proposed to the government", "拟同意辞聘"),
        Dismissed = ("dismissed", "Dismissed", "已解聘"),
        Resigned = ("resigned", "Resigned", "已辞聘"),
    }
}

crate::labelled_enum! {
    /// The grounds for dismissal of Art. 12.
    pub enum DismissalGround("dismissal_ground") {
        /// Art. 12.1.
        CriminalLiability = ("criminal_liability", "Held criminally liable", "被依法追究刑事责任"),
        /// Art. 12.2.
        QualificationRevoked = ("qualification_revoked", "Professional qualification revoked", "被剥夺职业资格、专业资格或专业职称"),
        /// Art. 12.3.
        Inactive = ("inactive", "Not actively performing the duties", "不积极履行顾问职责"),
        /// Art. 12.4.
        LeakedSecrets = ("leaked_secrets", "Leaked secrets or private information", "泄漏国家秘密、商业秘密和个人隐私"),
        /// Art. 12.5.
        ConductUnbecoming = ("conduct_unbecoming", "Conduct unbecoming an advisor", "从事与顾问身份不相符的活动"),
        /// Art. 12.6.
        Other = ("other", "Otherwise unfit to continue", "其他不适宜继续担任顾问的情况"),
    }
}

crate::labelled_enum! {
    /// Where a proposal decided by the government stands (Art. 3, 12, 13).
    pub enum ProposalState("proposal_state") {
        Pending = ("pending", "Awaiting the government", "待市政府批准"),
        Approved = ("approved", "Approved", "已批准"),
        Rejected = ("rejected", "Rejected", "未批准"),
    }
}

crate::labelled_enum! {
    /// Where a resignation stands (Art. 13).
    pub enum ResignationState("resignation_state") {
        Requested = ("requested", "Requested in writing", "已书面申请"),
        Proposed = ("proposed", "Proposed by HRSS", "人社局已提出意见"),
        Approved = ("approved", "Approved", "已批准"),
        Rejected = ("rejected", "Rejected", "未批准"),
    }
}

crate::labelled_enum! {
    /// Annual assessment grades (Art. 16; design decision).
    pub enum Grade("grade") {
        Excellent = ("excellent", "Excellent", "优秀"),
        Competent = ("competent", "Competent", "称职"),
        BasicallyCompetent = ("basically_competent", "Basically competent", "基本称职"),
        Incompetent = ("incompetent", "Incompetent", "不称职"),
    }
}

crate::labelled_enum! {
    /// Where an annual assessment stands (Art. 16).
    pub enum AssessmentState("assessment_state") {
        Draft = ("draft", "Drafting with the service units", "初评中"),
        Preliminary = ("preliminary", "Preliminary grade proposed", "已提出初评意见"),
        Decided = ("decided", "Decided by the government", "市政府已确定"),
    }
}

crate::labelled_enum! {
    /// Steps on an advisor in office.
    pub enum OfficeAction("office_action") {
        ProposeDismissal = ("propose_dismissal", "Propose dismissal", "提出拟解聘意见"),
        DecideDismissal = ("decide_dismissal", "Decide the dismissal", "批准解聘"),
        RequestResignation = ("request_resignation", "Request resignation", "申请辞聘"),
        ProposeResignation = ("propose_resignation", "Propose the resignation", "提出辞聘意见"),
        DecideResignation = ("decide_resignation", "Decide the resignation", "批准辞聘"),
        ProposeRenewal = ("propose_renewal", "Propose a renewal", "提出续聘意见"),
        DecideRenewal = ("decide_renewal", "Decide the renewal", "批准续聘"),
        Assess = ("assess", "Open the annual assessment", "年度考核"),
    }
}

/// The article behind each step.
pub fn article_of_office(action: OfficeAction) -> &'static str {
    match action {
        OfficeAction::ProposeDismissal | OfficeAction::DecideDismissal => "Art. 12",
        OfficeAction::RequestResignation
        | OfficeAction::ProposeResignation
        | OfficeAction::DecideResignation => "Art. 13",
        OfficeAction::ProposeRenewal | OfficeAction::DecideRenewal => "Art. 3",
        OfficeAction::Assess => "Art. 16",
    }
}

/// Art. 3: the status to show: a term that ended before `today` shows as `expired` unless the
/// advisor already left (dismissed or resigned).
pub fn effective_status(
    stored: AdvisorStatus,
    term_ends_on: NaiveDate,
    today_cst: NaiveDate,
) -> AdvisorStatus {
    match stored {
        AdvisorStatus::Dismissed | AdvisorStatus::Resigned | AdvisorStatus::Expired => stored,
        _ if term_ends_on < today_cst => AdvisorStatus::Expired,
        _ => stored,
    }
}

/// Art. 3, 4.6: in office (on the public roster, assignable): every status but expired,
/// dismissed and resigned.
pub fn is_in_office(status: AdvisorStatus) -> bool {
    !matches!(
        status,
        AdvisorStatus::Expired | AdvisorStatus::Dismissed | AdvisorStatus::Resigned
    )
}

/// The steps legal from a shown status (Art. 3, 12, 13, 16).
pub fn office_allowed_from(status: AdvisorStatus) -> &'static [OfficeAction] {
    match status {
        AdvisorStatus::Active => &[
            OfficeAction::ProposeDismissal,
            OfficeAction::RequestResignation,
            OfficeAction::ProposeRenewal,
            OfficeAction::Assess,
        ],
        AdvisorStatus::Expired => &[OfficeAction::ProposeRenewal, OfficeAction::Assess],
        AdvisorStatus::DismissalProposed => &[OfficeAction::DecideDismissal],
        AdvisorStatus::ResignationRequested => &[OfficeAction::ProposeResignation],
        AdvisorStatus::ResignationProposed => &[OfficeAction::DecideResignation],
        AdvisorStatus::Dismissed | AdvisorStatus::Resigned => &[],
    }
}

/// Refuses a step not legal from the shown status (`invalid_transition`).
pub fn check_office_action(status: AdvisorStatus, action: OfficeAction) -> RuleResult<()> {
    if office_allowed_from(status).contains(&action) {
        Ok(())
    } else {
        Err(RuleViolation::new(
            "invalid_transition",
            article_of_office(action),
            format!("`{action}` is not allowed for an advisor who is `{status}`"),
        ))
    }
}

/// Art. 12: a dismissal proposal needs evidence: a statement, and for `inactive` (Art. 12.3)
/// at least one item of computed inactivity evidence (`evidence_required`).
pub fn check_dismissal_evidence(
    ground: DismissalGround,
    statement: &str,
    inactivity_items: usize,
) -> RuleResult<()> {
    if statement.trim().is_empty() {
        return Err(RuleViolation::new(
            "evidence_required",
            "Art. 12",
            "a dismissal proposal must state its evidence",
        ));
    }
    if ground == DismissalGround::Inactive && inactivity_items == 0 {
        return Err(RuleViolation::new(
            "evidence_required",
            "Art. 12.3",
            "no unexcused absence or overdue deliverable is on record for the period",
        ));
    }
    Ok(())
}

/// Art. 3: a renewal term of 1 to 3 whole years. A renewal of an advisor still in office
/// starts the day after the current term; of an expired one, today.
pub fn renewal_term(
    current_ends_on: NaiveDate,
    today_cst: NaiveDate,
    years: u32,
) -> RuleResult<Term> {
    let start = if current_ends_on >= today_cst {
        current_ends_on.succ_opt().unwrap_or(current_ends_on)
    } else {
        today_cst
    };
    Term::new(start, years)
}

/// A subsidy band in fen (Art. 14, 16): inclusive bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    pub min_fen: i64,
    pub max_fen: i64,
}

/// Art. 14: the work subsidy ranges from 5,000 to 50,000 CNY.
pub const SUBSIDY_MIN_FEN: i64 = 500_000;
/// Art. 14: the top of the ordinary range.
pub const SUBSIDY_MAX_FEN: i64 = 5_000_000;

/// Art. 14, 16 (design decision, configurable): the subsidy band of each final grade, in fen.
/// `incompetent` gives no subsidy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsidyBands {
    pub excellent: Band,
    pub competent: Band,
    pub basically_competent: Band,
}

impl Default for SubsidyBands {
    fn default() -> Self {
        Self {
            excellent: Band {
                min_fen: 3_000_000,
                max_fen: 5_000_000,
            },
            competent: Band {
                min_fen: 1_500_000,
                max_fen: 3_000_000,
            },
            basically_competent: Band {
                min_fen: 500_000,
                max_fen: 1_500_000,
            },
        }
    }
}

impl SubsidyBands {
    /// The band of a grade; `None` for `incompetent` (no subsidy).
    pub fn band(&self, grade: Grade) -> Option<Band> {
        match grade {
            Grade::Excellent => Some(self.excellent),
            Grade::Competent => Some(self.competent),
            Grade::BasicallyCompetent => Some(self.basically_competent),
            Grade::Incompetent => None,
        }
    }

    /// Parses `excellent=3000000-5000000,competent=…,basically_competent=…` (fen); every band
    /// must lie within Art. 14's 5,000–50,000 CNY.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut bands = Self::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, range) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not grade=min-max"))?;
            let (lo, hi) = range
                .split_once('-')
                .ok_or_else(|| format!("`{range}` is not min-max"))?;
            let band = Band {
                min_fen: lo
                    .trim()
                    .parse()
                    .map_err(|_| format!("`{lo}` is not an amount in fen"))?,
                max_fen: hi
                    .trim()
                    .parse()
                    .map_err(|_| format!("`{hi}` is not an amount in fen"))?,
            };
            if band.min_fen > band.max_fen
                || band.min_fen < SUBSIDY_MIN_FEN
                || band.max_fen > SUBSIDY_MAX_FEN
            {
                return Err(format!(
                    "the band of {name} must lie within {SUBSIDY_MIN_FEN}-{SUBSIDY_MAX_FEN} fen"
                ));
            }
            match name.trim() {
                "excellent" => bands.excellent = band,
                "competent" => bands.competent = band,
                "basically_competent" => bands.basically_competent = band,
                other => return Err(format!("`{other}` has no subsidy band")),
            }
        }
        Ok(bands)
    }
}

/// Art. 16 (每年对顾问开展考核): one assessment per advisor and year.
pub fn check_assessment_year(
    year: i32,
    today_cst: NaiveDate,
    appointed_on: NaiveDate,
) -> RuleResult<()> {
    use chrono::Datelike;
    if year > today_cst.year() || year < appointed_on.year() {
        return Err(RuleViolation::new(
            "invalid_assessment_year",
            "Art. 16",
            format!(
                "the advisor can be assessed for {} to {}",
                appointed_on.year(),
                today_cst.year()
            ),
        ));
    }
    Ok(())
}

/// Art. 16: HRSS proposes the preliminary grade of a draft; the government decides a
/// preliminary one (`invalid_transition` otherwise).
pub fn assessment_transition(
    state: AssessmentState,
    to: AssessmentState,
) -> RuleResult<AssessmentState> {
    let ok = matches!(
        (state, to),
        (AssessmentState::Draft, AssessmentState::Preliminary)
            | (AssessmentState::Preliminary, AssessmentState::Preliminary)
            | (AssessmentState::Preliminary, AssessmentState::Decided)
    );
    if ok {
        Ok(to)
    } else {
        Err(RuleViolation::new(
            "invalid_transition",
            "Art. 16",
            format!("an assessment that is `{state}` cannot become `{to}`"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn code<T: std::fmt::Debug>(r: RuleResult<T>) -> &'static str {
        match r {
            Err(v) => v.code,
            Ok(v) => panic!("expected a refusal, got {v:?}"),
        }
    }

    #[test]
    fn art_3_an_ended_term_shows_as_expired() {
        let end = d(2027, 6, 30);
        assert_eq!(
            effective_status(AdvisorStatus::Active, end, d(2027, 6, 30)),
            AdvisorStatus::Active
        );
        assert_eq!(
            effective_status(AdvisorStatus::Active, end, d(2027, 7, 1)),
            AdvisorStatus::Expired
        );
        assert_eq!(
            effective_status(AdvisorStatus::Dismissed, end, d(2027, 7, 1)),
            AdvisorStatus::Dismissed
        );
        assert!(!is_in_office(AdvisorStatus::Expired));
        assert!(is_in_office(AdvisorStatus::DismissalProposed));
    }

    #[test]
    fn art_12_dismissal_needs_evidence() {
        assert_eq!(
            code(check_dismissal_evidence(
                DismissalGround::CriminalLiability,
                " ",
                0
            )),
            "evidence_required"
        );
        assert_eq!(
            code(check_dismissal_evidence(
                DismissalGround::Inactive,
                "缺席",
                0
            )),
            "evidence_required"
        );
        assert!(check_dismissal_evidence(DismissalGround::Inactive, "缺席", 2).is_ok());
        assert_eq!(
            code(check_office_action(
                AdvisorStatus::Dismissed,
                OfficeAction::ProposeDismissal
            )),
            "invalid_transition"
        );
        assert!(check_office_action(AdvisorStatus::Expired, OfficeAction::ProposeRenewal).is_ok());
        assert_eq!(
            code(check_office_action(
                AdvisorStatus::Expired,
                OfficeAction::RequestResignation
            )),
            "invalid_transition"
        );
    }

    #[test]
    fn art_3_renewals_are_one_to_three_years_after_the_current_term() {
        let t = renewal_term(d(2027, 6, 30), d(2027, 5, 1), 2);
        assert_eq!(t.as_ref().map(|t| t.starts_on), Ok(d(2027, 7, 1)));
        let expired = renewal_term(d(2027, 6, 30), d(2027, 9, 1), 1);
        assert_eq!(expired.map(|t| t.starts_on), Ok(d(2027, 9, 1)));
        assert_eq!(
            code(renewal_term(d(2027, 6, 30), d(2027, 5, 1), 4)),
            "term_out_of_range"
        );
    }

    #[test]
    fn art_14_16_subsidy_bands_follow_the_grade() {
        let bands = SubsidyBands::default();
        assert_eq!(bands.band(Grade::Incompetent), None);
        assert_eq!(
            bands.band(Grade::Excellent).map(|b| b.max_fen),
            Some(SUBSIDY_MAX_FEN)
        );
        let custom = SubsidyBands::parse("excellent=4000000-5000000");
        assert_eq!(custom.map(|b| b.excellent.min_fen), Ok(4_000_000));
        assert!(SubsidyBands::parse("excellent=100-5000000").is_err());
        assert!(SubsidyBands::parse("incompetent=500000-600000").is_err());
    }

    #[test]
    fn art_16_one_assessment_per_year_moves_draft_preliminary_decided() {
        assert!(check_assessment_year(2026, d(2026, 12, 1), d(2025, 3, 1)).is_ok());
        assert_eq!(
            code(check_assessment_year(2027, d(2026, 12, 1), d(2025, 3, 1))),
            "invalid_assessment_year"
        );
        assert_eq!(
            assessment_transition(AssessmentState::Draft, AssessmentState::Preliminary),
            Ok(AssessmentState::Preliminary)
        );
        assert_eq!(
            code(assessment_transition(
                AssessmentState::Draft,
                AssessmentState::Decided
            )),
            "invalid_transition"
        );
        assert_eq!(
            code(assessment_transition(
                AssessmentState::Decided,
                AssessmentState::Preliminary
            )),
            "invalid_transition"
        );
    }
}
