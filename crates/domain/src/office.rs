//! Advisors in office (DOMAIN.md §2, §5; Art. 3, 12, 13, 16): dismissal, resignation, expiry,
//! renewal and the annual assessment with its subsidy bands.

use crate::problem::ProblemCode;
use chrono::NaiveDate;

use crate::appointment::Term;
use crate::rule::{RuleResult, RuleViolation};
use crate::work::{
    AssignmentState, Attendance, MeetingOrganizer, Timeliness, is_unexcused_absence,
};

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

/// Art. 3, 4.6: the statuses of an advisor in office (on the public roster, assignable, counted
/// against the cap) while the term runs: every status but expired, dismissed and resigned. A
/// pending dismissal or resignation keeps the advisor in office until the government decides.
pub const IN_OFFICE: [AdvisorStatus; 4] = [
    AdvisorStatus::Active,
    AdvisorStatus::DismissalProposed,
    AdvisorStatus::ResignationRequested,
    AdvisorStatus::ResignationProposed,
];

/// Art. 3, 4.6: whether a shown status is one of [`IN_OFFICE`].
pub fn is_in_office(status: AdvisorStatus) -> bool {
    IN_OFFICE.contains(&status)
}

/// The dates of one term as the history keeps it (Art. 3): renewals add terms, none is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermDates {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl TermDates {
    /// Whether the term runs on `day` (both ends included).
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && day <= self.ends_on
    }
}

/// One step of a dismissal or resignation that moved the advisor's stored status (Art. 12,
/// 13), dated in China Standard Time: proposed, requested, decided (approved or rejected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub on: NaiveDate,
    pub to: AdvisorStatus,
}

/// Where an advisor stood on one day: the status shown that day, the term then in force and
/// whether they were in office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub status: AdvisorStatus,
    /// Index into the terms given: the term running that day; when none ran, the last one
    /// begun by then (an ended term), or the first (not yet begun); `None` without terms.
    pub term: Option<usize>,
    pub in_office: bool,
}

/// Art. 3, 12, 13: where an advisor stood at the end of `day` (China Standard Time), from the
/// record alone, so any past date answers the same on every replica:
///
/// - the status is the one the last step taken on or before `day` left (`changes`, oldest
///   first), `active` before any; a dismissal or resignation takes effect on the day the
///   government decides it;
/// - the term is the one running that day; when none ran, the last one begun (the advisor then
///   shows as `expired`, Art. 3, unless they had already left), or the first if none had begun;
/// - in office means a term ran that day and the status was one of [`IN_OFFICE`].
pub fn standing_on(terms: &[TermDates], changes: &[StatusChange], day: NaiveDate) -> Standing {
    let stored = changes
        .iter()
        .take_while(|c| c.on <= day)
        .last()
        .map_or(AdvisorStatus::Active, |c| c.to);
    let running = terms.iter().position(|t| t.covers(day));
    let term = running
        .or_else(|| terms.iter().rposition(|t| t.starts_on <= day))
        .or_else(|| (!terms.is_empty()).then_some(0));
    let status = match term {
        Some(i) => effective_status(stored, terms[i].ends_on, day),
        None => stored,
    };
    Standing {
        status,
        term,
        in_office: running.is_some() && is_in_office(status),
    }
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

/// Art. 3: the steps legal from a shown status, plus the decision of a pending renewal: a
/// renewal proposal does not change the status, and the government decides it while the
/// renewal itself is still legal.
pub fn office_actions(status: AdvisorStatus, pending_renewal: bool) -> Vec<OfficeAction> {
    let mut actions = office_allowed_from(status).to_vec();
    if pending_renewal && check_office_action(status, OfficeAction::ProposeRenewal).is_ok() {
        actions.push(OfficeAction::DecideRenewal);
    }
    actions
}

/// Refuses a step not legal from the shown status (`invalid_transition`).
pub fn check_office_action(status: AdvisorStatus, action: OfficeAction) -> RuleResult<()> {
    if office_allowed_from(status).contains(&action) {
        Ok(())
    } else {
        Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
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
    if crate::text::is_blank(statement) {
        return Err(RuleViolation::new(
            ProblemCode::EvidenceRequired,
            "Art. 12",
            "a dismissal proposal must state its evidence",
        ));
    }
    if ground == DismissalGround::Inactive && inactivity_items == 0 {
        return Err(RuleViolation::new(
            ProblemCode::EvidenceRequired,
            "Art. 12.3",
            "no unexcused absence or overdue deliverable is on record for the period",
        ));
    }
    Ok(())
}

/// Art. 12: the status the government's decision on a dismissal leaves: dismissed, or back to
/// active when rejected.
pub fn after_dismissal_decision(approved: bool) -> AdvisorStatus {
    if approved {
        AdvisorStatus::Dismissed
    } else {
        AdvisorStatus::Active
    }
}

/// Art. 13: the status the government's decision on a resignation leaves: resigned, or back to
/// active when rejected.
pub fn after_resignation_decision(approved: bool) -> AdvisorStatus {
    if approved {
        AdvisorStatus::Resigned
    } else {
        AdvisorStatus::Active
    }
}

/// Art. 3, 12, 13: the state the government's decision gives a proposal.
pub fn decided(approved: bool) -> ProposalState {
    if approved {
        ProposalState::Approved
    } else {
        ProposalState::Rejected
    }
}

/// Art. 13: a resignation moves requested → proposed (HRSS, 提出拟解聘意见) → approved or
/// rejected (the government); any other step is `invalid_transition`.
pub fn check_resignation_step(
    state: ResignationState,
    to: ResignationState,
) -> RuleResult<ResignationState> {
    let (needed, what) = match to {
        ResignationState::Proposed => (ResignationState::Requested, "requested"),
        ResignationState::Approved | ResignationState::Rejected => {
            (ResignationState::Proposed, "proposed by HRSS")
        }
        ResignationState::Requested => {
            return Err(RuleViolation::new(
                ProblemCode::InvalidTransition,
                "Art. 13",
                "a resignation is requested only once, by the advisor",
            ));
        }
    };
    if state == needed {
        Ok(to)
    } else {
        Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 13",
            format!("the resignation is `{state}`, not {what}"),
        ))
    }
}

/// Art. 3: one renewal proposal at a time awaits the government (`renewal_pending`).
pub fn check_no_pending_renewal(pending: bool) -> RuleResult<()> {
    if pending {
        Err(RuleViolation::new(
            ProblemCode::RenewalPending,
            "Art. 3",
            "a renewal proposal for this advisor awaits the government",
        ))
    } else {
        Ok(())
    }
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

// ---------------------------------------------------------------------------------------------
// Inactivity evidence (Art. 12.3)
// ---------------------------------------------------------------------------------------------

/// What kind of inactivity an item shows.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InactivityKind {
    /// Absent without a valid reason from a government meeting (无正当理由不参加顾问会议).
    UnexcusedAbsence,
    /// Delivered after the deadline (不按期提供书面意见).
    OverdueDelivery,
    /// Still not delivered after the deadline.
    Undelivered,
    /// Still not delivered after the deadline, and no progress ever reported on it (Art. 7(5)
    /// 及时反馈工作进展, Art. 12.3).
    UndeliveredWithoutProgress,
    /// A final annual grade of `incompetent` (考核不称职, Art. 16).
    IncompetentGrade,
}

/// One item of inactivity evidence.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InactivityItem {
    pub kind: InactivityKind,
    /// The meeting or task.
    pub object_id: String,
    pub title: String,
    /// The meeting day or the task deadline (China Standard Time).
    pub date: NaiveDate,
}

/// The computed evidence for a period.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InactivityEvidence {
    pub advisor_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub unexcused_absences: u32,
    pub overdue_deliveries: u32,
    /// Undelivered after the deadline, with or without progress reported.
    pub undelivered: u32,
    /// Of those undelivered, the ones on which no progress was ever reported (Art. 7(5)).
    pub without_progress: u32,
    /// Final `incompetent` grades decided in the period (Art. 16).
    pub incompetent_grades: u32,
    pub items: Vec<InactivityItem>,
}

/// A meeting the advisor was invited to, held in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRecord {
    pub meeting_id: String,
    pub title: String,
    /// The meeting day (China Standard Time).
    pub held_on: NaiveDate,
    pub organizer: MeetingOrganizer,
    /// `None` while attendance is not recorded.
    pub attendance: Option<Attendance>,
}

/// An assignment of the advisor whose task's deadline falls in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRecord {
    pub task_id: String,
    pub title: String,
    pub deadline: NaiveDate,
    pub state: AssignmentState,
    pub timeliness: Option<Timeliness>,
    /// How many progress reports the advisor made on it (Art. 7(5)).
    pub progress_reports: u32,
}

/// An annual assessment of the advisor decided in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRecord {
    pub assessment_id: String,
    pub year: i32,
    /// The day of the government's decision (China Standard Time).
    pub decided_on: NaiveDate,
    pub final_grade: Grade,
}

/// What the evidence of a period is computed from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InactivityFacts {
    pub meetings: Vec<MeetingRecord>,
    pub assignments: Vec<AssignmentRecord>,
    pub assessments: Vec<AssessmentRecord>,
}

/// Art. 12.3 (不按期提供书面意见): what an assignment shows of inactivity on `today`: a
/// deliverable handed in late, or one still missing after its deadline; missing without any
/// progress ever reported on it (Art. 7(5) 及时反馈工作进展) is told apart.
pub fn assignment_inactivity(a: &AssignmentRecord, today_cst: NaiveDate) -> Option<InactivityKind> {
    match (a.state, a.timeliness) {
        (AssignmentState::Delivered, Some(Timeliness::Overdue)) => {
            Some(InactivityKind::OverdueDelivery)
        }
        (AssignmentState::Active, _) if a.deadline < today_cst && a.progress_reports == 0 => {
            Some(InactivityKind::UndeliveredWithoutProgress)
        }
        (AssignmentState::Active, _) if a.deadline < today_cst => Some(InactivityKind::Undelivered),
        _ => None,
    }
}

/// Art. 12.3 (不积极履行顾问职责): the evidence of inactivity in a period, item by item and
/// by date: every unexcused absence from a government meeting (无正当理由不参加顾问会议, see
/// [`is_unexcused_absence`]), every overdue or undelivered deliverable, and (Art. 12.3, 16)
/// every final annual grade of `incompetent` (考核不称职) decided in the period.
pub fn inactivity_evidence(
    advisor_id: &str,
    (from, to): (NaiveDate, NaiveDate),
    today_cst: NaiveDate,
    facts: InactivityFacts,
) -> InactivityEvidence {
    let InactivityFacts {
        meetings,
        assignments,
        assessments,
    } = facts;
    let absences = meetings.into_iter().filter(|m| {
        m.attendance
            .is_some_and(|att| is_unexcused_absence(m.organizer, att))
    });
    let mut items: Vec<InactivityItem> = absences
        .map(|m| InactivityItem {
            kind: InactivityKind::UnexcusedAbsence,
            object_id: m.meeting_id,
            title: m.title,
            date: m.held_on,
        })
        .collect();
    for a in assignments {
        if let Some(kind) = assignment_inactivity(&a, today_cst) {
            items.push(InactivityItem {
                kind,
                object_id: a.task_id,
                title: a.title,
                date: a.deadline,
            });
        }
    }
    for a in assessments {
        if a.final_grade == Grade::Incompetent {
            items.push(InactivityItem {
                kind: InactivityKind::IncompetentGrade,
                object_id: a.assessment_id,
                title: format!("{} annual assessment: incompetent (不称职)", a.year),
                date: a.decided_on,
            });
        }
    }
    items.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.object_id.cmp(&b.object_id))
    });
    let count = |k: InactivityKind| {
        u32::try_from(items.iter().filter(|i| i.kind == k).count()).unwrap_or(u32::MAX)
    };
    InactivityEvidence {
        advisor_id: advisor_id.to_owned(),
        from,
        to,
        unexcused_absences: count(InactivityKind::UnexcusedAbsence),
        overdue_deliveries: count(InactivityKind::OverdueDelivery),
        undelivered: count(InactivityKind::Undelivered)
            + count(InactivityKind::UndeliveredWithoutProgress),
        without_progress: count(InactivityKind::UndeliveredWithoutProgress),
        incompetent_grades: count(InactivityKind::IncompetentGrade),
        items,
    }
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
            ProblemCode::InvalidAssessmentYear,
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
            ProblemCode::InvalidTransition,
            "Art. 16",
            format!("an assessment that is `{state}` cannot become `{to}`"),
        ))
    }
}

/// Art. 11 (with Art. 3, 4.6): HRSS assigns advisors in office (`advisor_not_in_office`
/// otherwise).
///
/// `stored` is the advisor's stored status; the status shown on `today_cst` is computed with
/// [`effective_status`] (an ended term shows as expired) and must be in office by
/// [`is_in_office`]. A term that has not started yet does not count either.
pub fn check_advisor_in_office(
    stored: AdvisorStatus,
    term_starts_on: NaiveDate,
    term_ends_on: NaiveDate,
    today_cst: NaiveDate,
) -> RuleResult<()> {
    if !in_office_on(stored, term_starts_on, term_ends_on, today_cst) {
        return Err(RuleViolation::new(
            ProblemCode::AdvisorNotInOffice,
            "Art. 11",
            "only an advisor in office can be assigned",
        ));
    }
    Ok(())
}

/// Art. 12, 13: only an advisor in office acts as one: files opinions, delivers, reports
/// inability, asks to recuse, claims expenses. A dismissed, resigned or expired advisor (or
/// one whose term has not started) is refused with `advisor_not_in_office`, whatever their
/// token says: the status of record decides.
pub fn check_acting_advisor(
    stored: AdvisorStatus,
    term_starts_on: NaiveDate,
    office_ends_on: NaiveDate,
    today_cst: NaiveDate,
) -> RuleResult<()> {
    if !in_office_on(stored, term_starts_on, office_ends_on, today_cst) {
        let status = effective_status(stored, office_ends_on, today_cst);
        return Err(RuleViolation::new(
            ProblemCode::AdvisorNotInOffice,
            "Art. 12",
            format!(
                "the advisor is `{status}`, not in office, and can no longer act as an advisor"
            ),
        ));
    }
    Ok(())
}

/// In office on `today_cst`: the shown status is one in office and the term has started.
fn in_office_on(
    stored: AdvisorStatus,
    term_starts_on: NaiveDate,
    office_ends_on: NaiveDate,
    today_cst: NaiveDate,
) -> bool {
    is_in_office(effective_status(stored, office_ends_on, today_cst)) && term_starts_on <= today_cst
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{code_of as code, d};

    #[test]
    fn art_12_13_only_an_advisor_in_office_acts_as_one() {
        let (start, end) = (d(2026, 1, 1), d(2027, 12, 31));
        let today = d(2026, 6, 1);
        assert_eq!(
            check_acting_advisor(AdvisorStatus::Active, start, end, today),
            Ok(())
        );
        for stored in [AdvisorStatus::Dismissed, AdvisorStatus::Resigned] {
            let Err(v) = check_acting_advisor(stored, start, end, today) else {
                panic!("refused")
            };
            assert_eq!(v.code, "advisor_not_in_office");
            assert!(v.message.contains(&stored.to_string()), "{}", v.message);
        }
        let Err(v) = check_acting_advisor(AdvisorStatus::Active, start, end, d(2028, 1, 1)) else {
            panic!("refused")
        };
        assert!(v.message.contains("expired"), "{}", v.message);
        assert!(check_acting_advisor(AdvisorStatus::Active, start, end, d(2025, 12, 31)).is_err());
    }

    fn term(from: NaiveDate, to: NaiveDate) -> TermDates {
        TermDates {
            starts_on: from,
            ends_on: to,
        }
    }

    fn change(on: NaiveDate, to: AdvisorStatus) -> StatusChange {
        StatusChange { on, to }
    }

    #[test]
    fn art_3_standing_on_a_past_day_takes_the_term_then_in_force() {
        let terms = [
            term(d(2026, 1, 1), d(2026, 12, 31)),
            term(d(2027, 1, 1), d(2028, 12, 31)),
        ];
        let on = |day| standing_on(&terms, &[], day);
        assert_eq!(
            on(d(2026, 6, 1)),
            Standing {
                status: AdvisorStatus::Active,
                term: Some(0),
                in_office: true
            }
        );
        assert_eq!(on(d(2027, 1, 1)).term, Some(1));
        // Before the first term begins: on record, not yet in office.
        let before = on(d(2025, 12, 31));
        assert_eq!((before.term, before.in_office), (Some(0), false));
        // After the last term: expired, with the term that ended.
        let after = on(d(2029, 1, 1));
        assert_eq!(
            (after.status, after.term, after.in_office),
            (AdvisorStatus::Expired, Some(1), false)
        );
    }

    #[test]
    fn art_3_a_gap_between_terms_shows_as_expired() {
        let terms = [
            term(d(2026, 1, 1), d(2026, 12, 31)),
            term(d(2027, 3, 1), d(2028, 2, 29)),
        ];
        let gap = standing_on(&terms, &[], d(2027, 2, 1));
        assert_eq!(
            (gap.status, gap.term, gap.in_office),
            (AdvisorStatus::Expired, Some(0), false)
        );
        assert!(standing_on(&terms, &[], d(2027, 3, 1)).in_office);
    }

    #[test]
    fn art_12_a_dismissal_ends_office_on_the_day_the_government_decides() {
        let terms = [term(d(2026, 1, 1), d(2027, 12, 31))];
        let changes = [
            change(d(2026, 5, 10), AdvisorStatus::DismissalProposed),
            change(d(2026, 6, 1), AdvisorStatus::Dismissed),
        ];
        let on = |day| standing_on(&terms, &changes, day);
        assert_eq!(on(d(2026, 5, 9)).status, AdvisorStatus::Active);
        let proposed = on(d(2026, 5, 31));
        assert_eq!(proposed.status, AdvisorStatus::DismissalProposed);
        assert!(proposed.in_office, "in office until the government decides");
        let dismissed = on(d(2026, 6, 1));
        assert_eq!(
            (dismissed.status, dismissed.term, dismissed.in_office),
            (AdvisorStatus::Dismissed, Some(0), false)
        );
        // Leaving is final: after the term's end the advisor still shows as dismissed.
        assert_eq!(on(d(2028, 1, 1)).status, AdvisorStatus::Dismissed);
    }

    #[test]
    fn art_13_a_rejected_resignation_leaves_the_advisor_active_again() {
        let terms = [term(d(2026, 1, 1), d(2027, 12, 31))];
        let changes = [
            change(d(2026, 3, 1), AdvisorStatus::ResignationRequested),
            change(d(2026, 3, 5), AdvisorStatus::ResignationProposed),
            change(d(2026, 3, 5), AdvisorStatus::Active),
        ];
        let on = |day| standing_on(&terms, &changes, day);
        assert_eq!(
            on(d(2026, 3, 2)).status,
            AdvisorStatus::ResignationRequested
        );
        // Two steps on one day: the day ends with the later one.
        assert_eq!(on(d(2026, 3, 5)).status, AdvisorStatus::Active);
        assert!(on(d(2026, 3, 5)).in_office);
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
    fn art_3_4_6_in_office_are_the_four_stored_statuses_of_a_running_term() {
        for s in IN_OFFICE {
            assert!(is_in_office(s));
        }
        for s in [
            AdvisorStatus::Expired,
            AdvisorStatus::Dismissed,
            AdvisorStatus::Resigned,
        ] {
            assert!(!is_in_office(s));
        }
    }

    #[test]
    fn art_3_a_pending_renewal_is_decided_while_the_renewal_is_legal() {
        assert!(
            office_actions(AdvisorStatus::Expired, true).contains(&OfficeAction::DecideRenewal)
        );
        assert!(
            !office_actions(AdvisorStatus::Expired, false).contains(&OfficeAction::DecideRenewal)
        );
        assert!(
            !office_actions(AdvisorStatus::Dismissed, true).contains(&OfficeAction::DecideRenewal)
        );
        assert_eq!(code(check_no_pending_renewal(true)), "renewal_pending");
        assert!(check_no_pending_renewal(false).is_ok());
    }

    #[test]
    fn art_12_13_the_governments_decision_sets_the_status() {
        assert_eq!(after_dismissal_decision(true), AdvisorStatus::Dismissed);
        assert_eq!(after_dismissal_decision(false), AdvisorStatus::Active);
        assert_eq!(after_resignation_decision(true), AdvisorStatus::Resigned);
        assert_eq!(after_resignation_decision(false), AdvisorStatus::Active);
        assert_eq!(decided(true), ProposalState::Approved);
        assert_eq!(decided(false), ProposalState::Rejected);
    }

    #[test]
    fn art_13_a_resignation_is_requested_then_proposed_then_decided() {
        use ResignationState::*;
        assert_eq!(check_resignation_step(Requested, Proposed), Ok(Proposed));
        assert_eq!(check_resignation_step(Proposed, Approved), Ok(Approved));
        assert_eq!(check_resignation_step(Proposed, Rejected), Ok(Rejected));
        let early = check_resignation_step(Requested, Approved);
        assert_eq!(early.as_ref().map_err(|v| v.article), Err("Art. 13"));
        assert_eq!(code(early), "invalid_transition");
        assert_eq!(
            code(check_resignation_step(Approved, Proposed)),
            "invalid_transition"
        );
        assert_eq!(
            code(check_resignation_step(Requested, Requested)),
            "invalid_transition"
        );
    }

    #[test]
    fn art_12_3_16_inactivity_is_unexcused_absence_late_or_missing_deliverables_or_an_incompetent_grade()
     {
        let today = d(2026, 6, 10);
        let meeting = |id: &str, organizer, attendance| MeetingRecord {
            meeting_id: id.into(),
            title: id.into(),
            held_on: d(2026, 5, 1),
            organizer,
            attendance,
        };
        let assignment = |id: &str, deadline, state, timeliness| AssignmentRecord {
            task_id: id.into(),
            title: id.into(),
            deadline,
            state,
            timeliness,
            progress_reports: 0,
        };
        let evidence = inactivity_evidence(
            "a-1",
            (d(2025, 6, 10), today),
            today,
            InactivityFacts {
                meetings: vec![
                    meeting(
                        "m-gov",
                        MeetingOrganizer::Government,
                        Some(Attendance::Absent),
                    ),
                    meeting(
                        "m-dept",
                        MeetingOrganizer::Department,
                        Some(Attendance::Absent),
                    ),
                    meeting(
                        "m-excused",
                        MeetingOrganizer::Government,
                        Some(Attendance::Excused),
                    ),
                    meeting("m-open", MeetingOrganizer::Government, None),
                ],
                assignments: vec![
                    assignment(
                        "t-late",
                        d(2026, 4, 1),
                        AssignmentState::Delivered,
                        Some(Timeliness::Overdue),
                    ),
                    assignment(
                        "t-ok",
                        d(2026, 4, 2),
                        AssignmentState::Delivered,
                        Some(Timeliness::OnTime),
                    ),
                    assignment("t-missing", d(2026, 6, 9), AssignmentState::Active, None),
                    assignment("t-due", d(2026, 6, 10), AssignmentState::Active, None),
                    assignment("t-released", d(2026, 1, 1), AssignmentState::Released, None),
                ],
                assessments: vec![
                    AssessmentRecord {
                        assessment_id: "as-2025".into(),
                        year: 2025,
                        decided_on: d(2026, 1, 20),
                        final_grade: Grade::Incompetent,
                    },
                    AssessmentRecord {
                        assessment_id: "as-2024".into(),
                        year: 2024,
                        decided_on: d(2025, 12, 20),
                        final_grade: Grade::Competent,
                    },
                ],
            },
        );
        assert_eq!(evidence.incompetent_grades, 1);
        assert!(
            evidence
                .items
                .iter()
                .any(|i| i.kind == InactivityKind::IncompetentGrade && i.object_id == "as-2025")
        );
        assert_eq!(
            (
                evidence.unexcused_absences,
                evidence.overdue_deliveries,
                evidence.undelivered
            ),
            (1, 1, 1)
        );
        let ids: Vec<&str> = evidence
            .items
            .iter()
            .map(|i| i.object_id.as_str())
            .collect();
        assert_eq!(ids, ["as-2025", "t-late", "m-gov", "t-missing"], "by date");
    }

    #[test]
    fn art_7_5_12_3_an_overdue_assignment_without_any_progress_is_told_apart() {
        let today = d(2026, 6, 10);
        let record = |id: &str, progress_reports| AssignmentRecord {
            task_id: id.into(),
            title: id.into(),
            deadline: d(2026, 6, 1),
            state: AssignmentState::Active,
            timeliness: None,
            progress_reports,
        };
        let silent = record("t-silent", 0);
        let reporting = record("t-reporting", 2);
        assert_eq!(
            assignment_inactivity(&silent, today),
            Some(InactivityKind::UndeliveredWithoutProgress)
        );
        assert_eq!(
            assignment_inactivity(&reporting, today),
            Some(InactivityKind::Undelivered)
        );
        assert_eq!(assignment_inactivity(&silent, d(2026, 6, 1)), None);
        let evidence = inactivity_evidence(
            "a-1",
            (d(2026, 1, 1), today),
            today,
            InactivityFacts {
                meetings: Vec::new(),
                assignments: vec![silent, reporting],
                assessments: Vec::new(),
            },
        );
        assert_eq!((evidence.undelivered, evidence.without_progress), (2, 1));
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

    fn refusal<T: std::fmt::Debug>(r: RuleResult<T>) -> RuleViolation {
        match r {
            Err(v) => v,
            Ok(x) => panic!("expected a refusal, got {x:?}"),
        }
    }

    #[test]
    fn art_11_an_advisor_in_office_can_be_assigned() {
        let today = d(2026, 5, 1);
        for s in [
            AdvisorStatus::Active,
            AdvisorStatus::DismissalProposed,
            AdvisorStatus::ResignationRequested,
            AdvisorStatus::ResignationProposed,
        ] {
            assert_eq!(
                check_advisor_in_office(s, d(2025, 1, 1), d(2026, 12, 31), today),
                Ok(()),
                "{s}"
            );
        }
        // The last day of the term still counts.
        assert_eq!(
            check_advisor_in_office(AdvisorStatus::Active, d(2025, 1, 1), today, today),
            Ok(())
        );
    }

    #[test]
    fn art_11_an_advisor_out_of_office_cannot_be_assigned() {
        let today = d(2026, 5, 1);
        for s in [
            AdvisorStatus::Expired,
            AdvisorStatus::Dismissed,
            AdvisorStatus::Resigned,
        ] {
            let v = refusal(check_advisor_in_office(
                s,
                d(2025, 1, 1),
                d(2026, 12, 31),
                today,
            ));
            assert_eq!(v.code, "advisor_not_in_office", "{s}");
            assert_eq!(v.article, "Art. 11");
        }
    }

    #[test]
    fn art_11_an_ended_or_future_term_is_not_in_office() {
        let today = d(2026, 5, 1);
        assert_eq!(
            refusal(check_advisor_in_office(
                AdvisorStatus::Active,
                d(2024, 1, 1),
                d(2026, 4, 30),
                today
            ))
            .code,
            "advisor_not_in_office"
        );
        assert_eq!(
            refusal(check_advisor_in_office(
                AdvisorStatus::Active,
                d(2026, 5, 2),
                d(2027, 5, 1),
                today
            ))
            .code,
            "advisor_not_in_office"
        );
    }
}
