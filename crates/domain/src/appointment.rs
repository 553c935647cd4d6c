//! Public notice, objections and appointment (Art. 3, 4.1, 4.4–4.6, 5.5).
//!
//! Every date here is a calendar date in China Standard Time (see [`crate::time`]); the caller
//! turns "now" into `today_cst` with [`crate::time::cst_date`].

use crate::problem::ProblemCode;
use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveTime};

use crate::nomination::{CandidateAction, CandidateState, check_allowed};
use crate::rule::{RuleResult, RuleViolation};

// ---------------------------------------------------------------------------------------------
// Notice window (Art. 4.5)
// ---------------------------------------------------------------------------------------------

/// Art. 4.5: the public notice lasts 7 days (公示期为7天).
pub const NOTICE_DAYS: u32 = 7;

/// Art. 4.5: the 7-day public notice window, in calendar days of China Standard Time.
///
/// Design decision: the day of publication counts as day 1, so a notice published on
/// `starts_on` covers the seven calendar days `starts_on ..= starts_on + 6` (`ends_on`), and is
/// over at the end of day 7, i.e. at [`closes_at`](Self::closes_at) = `starts_on + 7` 00:00
/// +08:00. A notice published on 1 March is open 1–7 March; objections are accepted through
/// 7 March 23:59:59 CST; appointment is possible from 8 March. Counting the publication day
/// gives the public seven full calendar days only if the notice goes out at the start of the
/// day; the government publishes during office hours, so the shortest real window is a little
/// over six days — the regulation's "7 days" is read as seven calendar days, not 168 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeWindow {
    /// The day of publication (day 1).
    pub starts_on: NaiveDate,
    /// The last day inside the window (day 7 = `starts_on + 6`).
    pub ends_on: NaiveDate,
}

impl NoticeWindow {
    /// Art. 4.5: the window of a notice published on `starts_on` (days 1 to 7).
    pub fn from_start(starts_on: NaiveDate) -> Self {
        Self {
            starts_on,
            ends_on: add_days(starts_on, NOTICE_DAYS - 1),
        }
    }

    /// Art. 4.5: whether objections may still be filed on `date` (`starts_on ..= ends_on`).
    pub fn is_open_on(&self, date: NaiveDate) -> bool {
        self.starts_on <= date && date <= self.ends_on
    }

    /// Art. 4.5–4.6: whether the window is over on `date` (from `starts_on + 7` on).
    pub fn is_over_on(&self, date: NaiveDate) -> bool {
        date > self.ends_on
    }

    /// Art. 4.5: the first day on which the window is over, `starts_on + 7`: the China Standard
    /// Time date of [`closes_at`](Self::closes_at). This is the `notice_ends_at_date` that
    /// [`crate::nomination::effective_state`] expects.
    pub fn closes_on(&self) -> NaiveDate {
        add_days(self.ends_on, 1)
    }

    /// Art. 4.5: the instant the window ends, `starts_on + 7` at 00:00 +08:00 (the end of day 7).
    pub fn closes_at(&self) -> DateTime<FixedOffset> {
        let local = self.closes_on().and_time(NaiveTime::MIN);
        DateTime::from_naive_utc_and_offset(local - crate::time::CST, crate::time::CST)
    }
}

/// Adds whole days, saturating at the end of chrono's calendar (year 262143), which no real date
/// of this system reaches.
fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

// ---------------------------------------------------------------------------------------------
// Objections (Art. 4.5–4.6)
// ---------------------------------------------------------------------------------------------

crate::labelled_enum! {
    /// Art. 4.5–4.6: where an objection to a public notice stands. HRSS resolves each one as
    /// upheld or dismissed, with a reason.
    pub enum ObjectionStatus("objection_status") {
        Open = ("open", "Open", "待处理"),
        Upheld = ("upheld", "Upheld", "异议成立"),
        Dismissed = ("dismissed", "Dismissed", "异议不成立"),
    }
}

crate::labelled_enum! {
    /// Art. 4.5–4.6: how HRSS resolves an objection. An upheld objection rejects the candidate.
    pub enum ObjectionResolution("objection_resolution") {
        Upheld = ("upheld", "Upheld", "异议成立"),
        Dismissed = ("dismissed", "Dismissed", "异议不成立"),
    }
}

impl ObjectionResolution {
    /// The objection's status after this resolution.
    pub fn status(self) -> ObjectionStatus {
        match self {
            Self::Upheld => ObjectionStatus::Upheld,
            Self::Dismissed => ObjectionStatus::Dismissed,
        }
    }
}

/// Art. 4.5: anyone may object while the notice is open, and only then
/// (`notice_window_closed`, also before the first day).
pub fn check_can_object(window: &NoticeWindow, today_cst: NaiveDate) -> RuleResult<()> {
    if window.is_open_on(today_cst) {
        return Ok(());
    }
    let when = if today_cst < window.starts_on {
        "has not started yet"
    } else {
        "is over"
    };
    Err(RuleViolation::new(
        ProblemCode::NoticeWindowClosed,
        "Art. 4.5",
        format!(
            "objections are accepted from {} to {} (China Standard Time); the notice {when}",
            window.starts_on, window.ends_on
        ),
    ))
}

/// Art. 4.5–4.6: resolves one objection of an `in_notice` candidate (`invalid_transition`
/// otherwise). Only an `open` objection can be resolved (`objection_already_resolved`).
/// Upheld: the candidate is `rejected`; dismissed: the candidate stays `in_notice`.
pub fn resolve_objection(
    state: CandidateState,
    current: ObjectionStatus,
    resolution: ObjectionResolution,
) -> RuleResult<CandidateState> {
    check_allowed(state, CandidateAction::ResolveObjection)?;
    if current != ObjectionStatus::Open {
        return Err(RuleViolation::new(
            ProblemCode::ObjectionAlreadyResolved,
            "Art. 4.5",
            format!("the objection is already `{current}`"),
        ));
    }
    crate::nomination::transition(
        state,
        CandidateAction::ResolveObjection,
        resolution == ObjectionResolution::Dismissed,
    )
}

/// Art. 4.5: an objection concerns a candidate still on notice: one whose notice was withdrawn
/// or who was rejected on another objection can no longer be objected to
/// (`invalid_transition`). Pass the stored state.
pub fn check_objection_target(state: CandidateState) -> RuleResult<()> {
    if state != CandidateState::InNotice {
        return Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 4.5",
            "the candidate is no longer on notice",
        ));
    }
    Ok(())
}

/// Art. 4.5–4.6: the candidate's state after HRSS resolves one of its objections. While the
/// candidate is stored `in_notice` this is [`resolve_objection`]. An objection still open when
/// its candidate left the notice (withdrawn, or rejected on another objection) can still be
/// closed and no longer changes the candidate; a resolved one cannot
/// (`objection_already_resolved`).
pub fn objection_outcome(
    stored: CandidateState,
    current: ObjectionStatus,
    resolution: ObjectionResolution,
) -> RuleResult<CandidateState> {
    if stored == CandidateState::InNotice {
        return resolve_objection(stored, current, resolution);
    }
    if current != ObjectionStatus::Open {
        return Err(RuleViolation::new(
            ProblemCode::ObjectionAlreadyResolved,
            "Art. 4.5",
            format!("the objection is already `{current}`"),
        ));
    }
    Ok(stored)
}

// ---------------------------------------------------------------------------------------------
// Publishing the notice (Art. 4.4–4.5)
// ---------------------------------------------------------------------------------------------

/// Art. 4.4–4.5: the notice of an `approved` candidate (`invalid_transition` otherwise) may be
/// published only once the executive meeting's list has been reported to the party committee
/// (审定……并上报市委, Art. 4.4; `party_committee_report_missing`). The candidate then becomes
/// `in_notice`.
pub fn check_publish_notice(
    state: CandidateState,
    party_committee_reported: bool,
) -> RuleResult<()> {
    check_allowed(state, CandidateAction::PublishNotice)?;
    if !party_committee_reported {
        return Err(RuleViolation::new(
            ProblemCode::PartyCommitteeReportMissing,
            "Art. 4.4",
            "the approved list must be reported to the party committee (市委) before the public notice",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Term (Art. 3)
// ---------------------------------------------------------------------------------------------

/// Art. 3: the shortest term, in whole years (聘期一般为1—3年).
pub const MIN_TERM_YEARS: u32 = 1;
/// Art. 3: the longest term, in whole years.
pub const MAX_TERM_YEARS: u32 = 3;

/// Art. 3: a term of office of 1 to 3 whole years.
///
/// `ends_on` is the last day of the term: the day before the anniversary `years` later. A term
/// starting on 1 July 2026 for 2 years ends on 30 June 2028. For a term starting on 29 February
/// the anniversary in a non-leap year is 1 March, so the term ends on 28 February (a term from
/// 29 Feb 2024 for 1 year ends on 28 Feb 2025; for 4 years it would end on 28 Feb 2028, not
/// 27 Feb). The same convention as [`age_on`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Term {
    /// First day of the term.
    pub starts_on: NaiveDate,
    /// Last day of the term (inclusive).
    pub ends_on: NaiveDate,
    /// Length in whole years, 1 to 3.
    pub years: u32,
}

impl Term {
    /// Art. 3: a term of `years` whole years from `starts_on`; fewer than 1 or more than 3 years
    /// are refused (`term_out_of_range`).
    pub fn new(starts_on: NaiveDate, years: u32) -> RuleResult<Self> {
        if !(MIN_TERM_YEARS..=MAX_TERM_YEARS).contains(&years) {
            return Err(RuleViolation::new(
                ProblemCode::TermOutOfRange,
                "Art. 3",
                format!(
                    "a term lasts {MIN_TERM_YEARS} to {MAX_TERM_YEARS} whole years; {years} requested"
                ),
            ));
        }
        let ends_on = anniversary(starts_on, years)
            .and_then(|a| a.pred_opt())
            .ok_or_else(|| {
                RuleViolation::new(
                    ProblemCode::TermOutOfRange,
                    "Art. 3",
                    "the term ends beyond the calendar",
                )
            })?;
        Ok(Self {
            starts_on,
            ends_on,
            years,
        })
    }

    /// Art. 3: whether `date` falls within the term (`starts_on ..= ends_on`).
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        self.starts_on <= date && date <= self.ends_on
    }

    /// Art. 3: whether the term is over on `date` (the day after `ends_on` and later).
    pub fn has_ended_on(&self, date: NaiveDate) -> bool {
        date > self.ends_on
    }
}

/// The same month and day `years` later; 29 February falls on 1 March in a non-leap year.
fn anniversary(date: NaiveDate, years: u32) -> Option<NaiveDate> {
    let year = date.year().checked_add(i32::try_from(years).ok()?)?;
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
}

// ---------------------------------------------------------------------------------------------
// Age (Art. 5.5)
// ---------------------------------------------------------------------------------------------

/// Art. 5.5: an advisor is, in principle, under 70 (原则上70周岁以下).
pub const MAX_AGE_EXCLUSIVE: u32 = 70;

/// Age in whole years on `date` (周岁). Someone born on 29 February turns a year older on
/// 1 March in a non-leap year (and on 29 February in a leap year). 0 before birth.
pub fn age_on(birth_date: NaiveDate, date: NaiveDate) -> u32 {
    if date < birth_date {
        return 0;
    }
    let mut years = date.year() - birth_date.year();
    if (date.month(), date.day()) < (birth_date.month(), birth_date.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// Art. 5.5: a recorded exception to the age limit (特殊情况可适当放宽): a reason and the
/// city government's approval.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgeException {
    pub reason: String,
    pub approved_by_government: bool,
}

impl AgeException {
    /// Art. 5.5: the exception counts only with a non-empty reason and the government's approval.
    pub fn is_valid(&self) -> bool {
        self.approved_by_government && !self.reason.trim().is_empty()
    }
}

/// Art. 5.5: a candidate aged 70 or more on the appointment date is refused (`ineligible_age`)
/// unless an [`AgeException`] with a non-empty reason has been approved by the government.
///
/// The regulation says "in principle under 70 (may be relaxed in special cases)"
/// (原则上70周岁以下（特殊情况可适当放宽）): the limit is the rule, the recorded and approved
/// exception is the "special case".
pub fn check_age(
    birth_date: NaiveDate,
    appointment_date: NaiveDate,
    exception: Option<&AgeException>,
) -> RuleResult<()> {
    let age = age_on(birth_date, appointment_date);
    if age < MAX_AGE_EXCLUSIVE {
        return Ok(());
    }
    match exception {
        Some(e) if e.is_valid() => Ok(()),
        Some(_) => Err(RuleViolation::new(
            ProblemCode::IneligibleAge,
            "Art. 5.5",
            format!(
                "the candidate is {age} on {appointment_date}; the age exception needs a reason and the government's approval"
            ),
        )),
        None => Err(RuleViolation::new(
            ProblemCode::IneligibleAge,
            "Art. 5.5",
            format!(
                "the candidate is {age} on {appointment_date}; advisors are under {MAX_AGE_EXCLUSIVE} unless the government approves an exception"
            ),
        )),
    }
}

/// Art. 5.5: the candidate's age on the earliest day a term could start (the day the public
/// notice closes, or `today_cst` if later; today when no notice is on record yet), when that
/// age is 70 or more: the age problem, known from the preliminary review onward.
pub fn age_on_earliest_start(
    birth_date: NaiveDate,
    notice: Option<&NoticeWindow>,
    today_cst: NaiveDate,
) -> Option<u32> {
    let earliest = notice.map_or(today_cst, |n| n.closes_on().max(today_cst));
    let age = age_on(birth_date, earliest);
    (age >= MAX_AGE_EXCLUSIVE).then_some(age)
}

// ---------------------------------------------------------------------------------------------
// Cap (Art. 4.1) and certificate (Art. 4.6)
// ---------------------------------------------------------------------------------------------

/// Art. 4.1 "few but excellent" (少而精). Design decision: the default cap on active advisors,
/// configurable.
pub const DEFAULT_ADVISOR_CAP: u32 = 30;

/// Art. 4.1 (少而精, design decision): refuses an appointment when `active_advisors` already
/// reaches `cap` (`advisor_cap_reached`).
pub fn check_cap(active_advisors: u32, cap: u32) -> RuleResult<()> {
    if active_advisors >= cap {
        return Err(RuleViolation::new(
            ProblemCode::AdvisorCapReached,
            "Art. 4.1",
            format!(
                "{active_advisors} advisors are active and the cap is {cap} (\"few but excellent\", 少而精)"
            ),
        ));
    }
    Ok(())
}

/// Shortest certificate number.
pub const CERTIFICATE_NO_MIN_LEN: usize = 3;
/// Longest certificate number.
pub const CERTIFICATE_NO_MAX_LEN: usize = 40;

/// Art. 4.6 (颁发聘书): the canonical form of a certificate number: trimmed, upper-cased,
/// 3 to 40 characters of `A-Z`, `0-9`, `-` and `/` (`invalid_certificate_no`). Its uniqueness
/// is enforced by the database.
pub fn normalize_certificate_no(raw: &str) -> RuleResult<String> {
    let no = raw.trim().to_ascii_uppercase();
    let valid_chars = no
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '/');
    let len = no.chars().count();
    if !valid_chars || !(CERTIFICATE_NO_MIN_LEN..=CERTIFICATE_NO_MAX_LEN).contains(&len) {
        return Err(RuleViolation::new(
            ProblemCode::InvalidCertificateNo,
            "Art. 4.6",
            format!(
                "a certificate number has {CERTIFICATE_NO_MIN_LEN} to {CERTIFICATE_NO_MAX_LEN} characters among A-Z, 0-9, '-' and '/'"
            ),
        ));
    }
    Ok(no)
}

// ---------------------------------------------------------------------------------------------
// The appointment gate (Art. 3, 4.1, 4.5, 4.6, 5.5)
// ---------------------------------------------------------------------------------------------

/// What the appointment gate needs to know about a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentFacts {
    /// The stored state (`in_notice`; `notice_passed` is accepted too).
    pub state: CandidateState,
    /// The public notice on record.
    pub notice: Option<NoticeWindow>,
    /// Objections still `open`.
    pub open_objections: u32,
    /// Whether the report to the party committee is on record (checked at publication).
    pub party_committee_reported: bool,
    pub birth_date: NaiveDate,
    pub age_exception: Option<AgeException>,
    /// Advisors currently in office.
    pub active_advisors: u32,
    /// The configured cap (see [`DEFAULT_ADVISOR_CAP`]).
    pub cap: u32,
}

/// Art. 4.6 (公示期满无异议后……聘任): the appointment gate. Checks, in this order:
///
/// 1. the candidate is stored `in_notice` (or shown `notice_passed`), else `invalid_transition`
///    (Art. 4.6);
/// 2. a notice is on record and its window is over on `today_cst`, else `notice_window_open`
///    (Art. 4.5: refused on days 1 to 7 of the window);
/// 3. no objection is open, else `objection_open` (Art. 4.6);
/// 4. the term is 1 to 3 whole years, else `term_out_of_range` (Art. 3);
/// 5. the candidate is under 70 on the term start date, or on `today_cst` if that is later,
///    unless an approved exception is recorded, else `ineligible_age` (Art. 5.5). Checking the
///    later of the two dates keeps a backdated term start from making a candidate younger;
/// 6. the number of active advisors is under the cap, else `advisor_cap_reached` (Art. 4.1).
///
/// On success the candidate becomes `appointed` and the returned [`Term`] is the first term.
pub fn check_appointment(
    facts: &AppointmentFacts,
    term_start: NaiveDate,
    term_years: u32,
    today_cst: NaiveDate,
) -> RuleResult<Term> {
    if !matches!(
        facts.state,
        CandidateState::InNotice | CandidateState::NoticePassed
    ) {
        return Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 4.6",
            format!(
                "only a candidate whose public notice has passed can be appointed; the candidate is `{}`",
                facts.state
            ),
        ));
    }
    let Some(notice) = facts.notice else {
        return Err(RuleViolation::new(
            ProblemCode::NoticeWindowOpen,
            "Art. 4.5",
            "no public notice is on record for the candidate",
        ));
    };
    if !notice.is_over_on(today_cst) {
        return Err(RuleViolation::new(
            ProblemCode::NoticeWindowOpen,
            "Art. 4.5",
            format!(
                "the public notice runs until {} inclusive (China Standard Time); appointment is possible from {}",
                notice.ends_on,
                notice.closes_on()
            ),
        ));
    }
    if facts.open_objections > 0 {
        return Err(RuleViolation::new(
            ProblemCode::ObjectionOpen,
            "Art. 4.6",
            format!(
                "{} objection(s) to the public notice are still open",
                facts.open_objections
            ),
        ));
    }
    if term_start < notice.closes_on() {
        return Err(RuleViolation::new(
            ProblemCode::NoticeWindowOpen,
            "Art. 4.6",
            format!(
                "the term cannot start before the public notice is over; the earliest start is {}",
                notice.closes_on()
            ),
        ));
    }
    let term = Term::new(term_start, term_years)?;
    check_age(
        facts.birth_date,
        term_start.max(today_cst),
        facts.age_exception.as_ref(),
    )?;
    check_cap(facts.active_advisors, facts.cap)?;
    Ok(term)
}

/// Art. 4.5, 4.6, 5.5: the refusal an appointment would meet on `today_cst` whatever the
/// request says (earliest possible start, shortest term): the notice still open, an objection
/// unresolved, the age limit without an approved exception. `None` when only the request
/// itself (its term, its certificate) or the cap at that moment can still refuse it. Used so
/// that an action certain to fail is not offered.
pub fn appointment_refusal(
    facts: &AppointmentFacts,
    today_cst: NaiveDate,
) -> Option<RuleViolation> {
    let earliest = facts
        .notice
        .as_ref()
        .map_or(today_cst, |n| n.closes_on().max(today_cst));
    let uncapped = AppointmentFacts {
        active_advisors: 0,
        cap: u32::MAX,
        ..facts.clone()
    };
    check_appointment(&uncapped, earliest, 1, today_cst).err()
}

// ---------------------------------------------------------------------------------------------
// An age exception after the executive meeting (Art. 5.5)
// ---------------------------------------------------------------------------------------------

crate::labelled_enum! {
    /// Art. 5.5 (特殊情况可适当放宽): where an exception to the age limit stands. One approved
    /// with the executive meeting's decision is `approved` from the start; one requested by
    /// HRSS later is `requested` until the government decides it.
    pub enum AgeExceptionStatus("age_exception_status") {
        Requested = ("requested", "Requested by HRSS, awaiting the government", "已申请，待市政府审定"),
        Approved = ("approved", "Approved by the government", "市政府已批准"),
        Refused = ("refused", "Refused by the government", "市政府未批准"),
    }
}

/// Art. 5.5: HRSS may ask the government for an exception to the age limit after the
/// executive meeting (the candidate `approved`, `in_notice` or `notice_passed`) without
/// withdrawing and nominating again, when the age problem is flagged (`age_flag`: the age on
/// the earliest possible term start, 70 or more; see [`age_on_earliest_start`]).
///
/// Refused with `invalid_transition` from another state or when an exception is already
/// approved, `age_exception_not_needed` when the candidate is under 70 on the earliest start,
/// and `age_exception_pending` while a request awaits the government. A refused exception may
/// be requested again (with a new reason).
pub fn check_age_exception_request(
    state: CandidateState,
    age_flag: Option<u32>,
    status: Option<AgeExceptionStatus>,
) -> RuleResult<()> {
    check_allowed(state, CandidateAction::RequestAgeException)?;
    match status {
        Some(AgeExceptionStatus::Approved) => {
            return Err(RuleViolation::new(
                ProblemCode::InvalidTransition,
                "Art. 5.5",
                "an exception to the age limit is already approved for this candidate",
            ));
        }
        Some(AgeExceptionStatus::Requested) => {
            return Err(RuleViolation::new(
                ProblemCode::AgeExceptionPending,
                "Art. 5.5",
                "an exception to the age limit is already awaiting the government's decision",
            ));
        }
        Some(AgeExceptionStatus::Refused) | None => {}
    }
    if age_flag.is_none() {
        return Err(RuleViolation::new(
            ProblemCode::AgeExceptionNotNeeded,
            "Art. 5.5",
            format!(
                "the candidate is under {MAX_AGE_EXCLUSIVE} on the earliest day a term could start; no exception is needed"
            ),
        ));
    }
    Ok(())
}

/// Art. 5.5: the government decides an exception HRSS requested after the executive meeting;
/// only a `requested` one, while the candidate is still `approved`, `in_notice` or
/// `notice_passed` (`invalid_transition` otherwise).
pub fn check_age_exception_decision(
    state: CandidateState,
    status: Option<AgeExceptionStatus>,
) -> RuleResult<()> {
    check_allowed(state, CandidateAction::DecideAgeException)?;
    if status != Some(AgeExceptionStatus::Requested) {
        return Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 5.5",
            "no exception to the age limit is awaiting the government's decision",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The term against the notice (Art. 4.5, 4.6)
// ---------------------------------------------------------------------------------------------

/// Art. 4.5–4.6 (公示……聘任……明确聘期): the public was told the proposed term with the notice.
///
/// Design decision (the regulation does not say the notice carries a term; DOMAIN.md puts the
/// proposed term on it): the appointment may set another term only with a recorded reason,
/// which is kept in the appointment's audit event. Refused
/// with `term_differs_from_notice` when the term differs and no non-blank reason is given.
/// Returns whether the term differs. A notice without a proposed term (none recorded) binds
/// nothing.
pub fn check_term_against_notice(
    proposed_years: Option<u32>,
    term_years: u32,
    reason: Option<&str>,
) -> RuleResult<bool> {
    let Some(proposed) = proposed_years else {
        return Ok(false);
    };
    if proposed == term_years {
        return Ok(false);
    }
    if reason.is_none_or(crate::text::is_blank) {
        return Err(RuleViolation::new(
            ProblemCode::TermDiffersFromNotice,
            "Art. 4.5",
            format!(
                "the public notice proposed a term of {proposed} year(s); a term of {term_years} year(s) needs `term_change_reason`"
            ),
        ));
    }
    Ok(true)
}

// ---------------------------------------------------------------------------------------------
// Outcomes on the public notice (Art. 4.5, 4.6)
// ---------------------------------------------------------------------------------------------

crate::labelled_enum! {
    /// Art. 4.5–4.6 (公示……并向社会公开): what the public notice shows of each listed candidate
    /// once the procedure has moved on. Never the reason of a rejection or withdrawal.
    pub enum NoticeOutcome("notice_outcome") {
        Pending = ("pending", "Not yet decided", "待定"),
        Appointed = ("appointed", "Appointed", "已聘任"),
        NotAppointed = ("not_appointed", "Not appointed", "未聘任"),
    }
}

/// Art. 4.5–4.6: the public outcome of a candidate listed on a notice: `appointed`,
/// `not_appointed` (rejected after an objection, withdrawn, or otherwise ended without
/// appointment), `pending` while the procedure runs.
pub fn notice_outcome(state: CandidateState) -> NoticeOutcome {
    match state {
        CandidateState::Appointed => NoticeOutcome::Appointed,
        CandidateState::Rejected | CandidateState::Withdrawn => NoticeOutcome::NotAppointed,
        _ => NoticeOutcome::Pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Labelled;
    use crate::testing::{code_of, d};

    /// Notice published 1 March 2026: open 1–7 March, over from 8 March.
    fn notice() -> NoticeWindow {
        NoticeWindow::from_start(d(2026, 3, 1))
    }

    fn facts() -> AppointmentFacts {
        AppointmentFacts {
            state: CandidateState::InNotice,
            notice: Some(notice()),
            open_objections: 0,
            party_committee_reported: true,
            birth_date: d(1960, 5, 10),
            age_exception: None,
            active_advisors: 10,
            cap: DEFAULT_ADVISOR_CAP,
        }
    }

    // --- Art. 4.5 notice window -------------------------------------------------------------

    #[test]
    fn art_4_5_window_covers_seven_calendar_days() {
        let w = notice();
        assert_eq!(w.starts_on, d(2026, 3, 1));
        assert_eq!(w.ends_on, d(2026, 3, 7));
        assert_eq!(w.closes_on(), d(2026, 3, 8));
        assert_eq!(w.closes_at().to_rfc3339(), "2026-03-08T00:00:00+08:00");
        let open_days = (0..30)
            .filter(|i| w.is_open_on(d(2026, 2, 20) + Days::new(*i)))
            .count();
        assert_eq!(open_days, usize::try_from(NOTICE_DAYS).unwrap_or_default());
    }

    #[test]
    fn art_4_5_window_is_open_on_days_1_to_7_and_over_from_day_8() {
        let w = notice();
        assert!(!w.is_open_on(d(2026, 2, 28)));
        assert!(!w.is_over_on(d(2026, 2, 28)));
        for day in 1..=7 {
            assert!(w.is_open_on(d(2026, 3, day)), "day {day}");
            assert!(!w.is_over_on(d(2026, 3, day)), "day {day}");
        }
        assert!(!w.is_open_on(d(2026, 3, 8)));
        assert!(w.is_over_on(d(2026, 3, 8)));
    }

    #[test]
    fn art_4_5_window_across_month_and_year_ends() {
        let w = NoticeWindow::from_start(d(2025, 12, 28));
        assert_eq!(w.ends_on, d(2026, 1, 3));
        assert_eq!(w.closes_at().to_rfc3339(), "2026-01-04T00:00:00+08:00");
        let leap = NoticeWindow::from_start(d(2028, 2, 25));
        assert_eq!(leap.ends_on, d(2028, 3, 2));
    }

    #[test]
    fn art_4_5_closes_at_is_utc_16_00_of_day_7() {
        let utc = notice().closes_at().with_timezone(&chrono::Utc);
        assert_eq!(utc.to_rfc3339(), "2026-03-07T16:00:00+00:00");
        // One second earlier is still 7 March in China: still open.
        let before = utc - chrono::Duration::seconds(1);
        assert!(notice().is_open_on(crate::time::cst_date(before)));
        assert!(notice().is_over_on(crate::time::cst_date(utc)));
    }

    // --- Art. 4.5 objections ----------------------------------------------------------------

    #[test]
    fn art_4_5_objection_accepted_on_days_1_and_7() {
        assert_eq!(check_can_object(&notice(), d(2026, 3, 1)), Ok(()));
        assert_eq!(check_can_object(&notice(), d(2026, 3, 7)), Ok(()));
    }

    #[test]
    fn art_4_5_objection_after_the_window_is_refused() {
        assert_eq!(
            code_of(check_can_object(&notice(), d(2026, 3, 8))),
            "notice_window_closed"
        );
    }

    #[test]
    fn art_4_5_objection_before_the_window_is_refused() {
        assert_eq!(
            code_of(check_can_object(&notice(), d(2026, 2, 28))),
            "notice_window_closed"
        );
    }

    #[test]
    fn art_4_5_upheld_objection_rejects_and_dismissed_keeps_in_notice() {
        assert_eq!(
            resolve_objection(
                CandidateState::InNotice,
                ObjectionStatus::Open,
                ObjectionResolution::Upheld
            ),
            Ok(CandidateState::Rejected)
        );
        assert_eq!(
            resolve_objection(
                CandidateState::InNotice,
                ObjectionStatus::Open,
                ObjectionResolution::Dismissed
            ),
            Ok(CandidateState::InNotice)
        );
        assert_eq!(
            ObjectionResolution::Upheld.status(),
            ObjectionStatus::Upheld
        );
        assert_eq!(
            ObjectionResolution::Dismissed.status(),
            ObjectionStatus::Dismissed
        );
    }

    #[test]
    fn art_4_5_resolving_a_resolved_objection_is_refused() {
        for current in [ObjectionStatus::Upheld, ObjectionStatus::Dismissed] {
            assert_eq!(
                code_of(resolve_objection(
                    CandidateState::InNotice,
                    current,
                    ObjectionResolution::Dismissed
                )),
                "objection_already_resolved"
            );
        }
    }

    #[test]
    fn art_4_5_resolving_an_objection_outside_the_notice_is_refused() {
        assert_eq!(
            code_of(resolve_objection(
                CandidateState::Approved,
                ObjectionStatus::Open,
                ObjectionResolution::Upheld
            )),
            "invalid_transition"
        );
    }

    #[test]
    fn art_4_5_only_a_candidate_on_notice_can_be_objected_to() {
        assert_eq!(check_objection_target(CandidateState::InNotice), Ok(()));
        for state in [
            CandidateState::Withdrawn,
            CandidateState::Rejected,
            CandidateState::Appointed,
        ] {
            let v = check_objection_target(state).err();
            assert_eq!(
                v.as_ref().map(|v| v.code.as_str()),
                Some("invalid_transition")
            );
            assert_eq!(v.map(|v| v.article), Some("Art. 4.5"));
        }
    }

    #[test]
    fn art_4_5_an_open_objection_of_a_candidate_off_notice_closes_without_changing_it() {
        for resolution in [ObjectionResolution::Upheld, ObjectionResolution::Dismissed] {
            assert_eq!(
                objection_outcome(CandidateState::Withdrawn, ObjectionStatus::Open, resolution),
                Ok(CandidateState::Withdrawn)
            );
        }
        assert_eq!(
            objection_outcome(
                CandidateState::InNotice,
                ObjectionStatus::Open,
                ObjectionResolution::Upheld
            ),
            Ok(CandidateState::Rejected)
        );
    }

    #[test]
    fn art_4_5_a_resolved_objection_of_a_candidate_off_notice_stays_resolved() {
        let v = objection_outcome(
            CandidateState::Rejected,
            ObjectionStatus::Upheld,
            ObjectionResolution::Dismissed,
        )
        .err();
        assert_eq!(
            v.as_ref().map(|v| v.code.as_str()),
            Some("objection_already_resolved")
        );
        assert_eq!(v.map(|v| v.article), Some("Art. 4.5"));
    }

    #[test]
    fn art_4_5_objection_enums_have_labels() {
        for s in ObjectionStatus::all() {
            assert_eq!(s.code().parse::<ObjectionStatus>(), Ok(*s));
        }
        for r in ObjectionResolution::all() {
            assert_eq!(r.code(), r.status().code());
            assert_eq!(r.label_zh(), r.status().label_zh());
        }
    }

    // --- Art. 4.4–4.5 publishing ------------------------------------------------------------

    #[test]
    fn art_4_4_publishing_after_the_party_committee_report_is_allowed() {
        assert_eq!(check_publish_notice(CandidateState::Approved, true), Ok(()));
    }

    #[test]
    fn art_4_4_publishing_without_the_party_committee_report_is_refused() {
        let Err(v) = check_publish_notice(CandidateState::Approved, false) else {
            panic!("expected a refusal")
        };
        assert_eq!(v.code, "party_committee_report_missing");
        assert_eq!(v.article, "Art. 4.4");
    }

    #[test]
    fn art_4_5_publishing_from_any_state_but_approved_is_refused() {
        for s in CandidateState::all() {
            if *s != CandidateState::Approved {
                assert_eq!(
                    code_of(check_publish_notice(*s, true)),
                    "invalid_transition",
                    "{s}"
                );
            }
        }
    }

    // --- Art. 3 term ------------------------------------------------------------------------

    #[test]
    fn art_3_terms_of_one_to_three_years_end_the_day_before_the_anniversary() {
        let one = Term::new(d(2026, 7, 1), 1);
        assert_eq!(
            one,
            Ok(Term {
                starts_on: d(2026, 7, 1),
                ends_on: d(2027, 6, 30),
                years: 1
            })
        );
        assert_eq!(
            Term::new(d(2026, 7, 1), 2).map(|t| t.ends_on),
            Ok(d(2028, 6, 30))
        );
        assert_eq!(
            Term::new(d(2026, 1, 1), 3).map(|t| t.ends_on),
            Ok(d(2028, 12, 31))
        );
    }

    #[test]
    fn art_3_term_of_zero_years_is_refused() {
        assert_eq!(code_of(Term::new(d(2026, 7, 1), 0)), "term_out_of_range");
    }

    #[test]
    fn art_3_term_of_four_years_or_more_is_refused() {
        assert_eq!(code_of(Term::new(d(2026, 7, 1), 4)), "term_out_of_range");
        assert_eq!(
            code_of(Term::new(d(2026, 7, 1), u32::MAX)),
            "term_out_of_range"
        );
    }

    #[test]
    fn art_3_term_starting_29_february_ends_28_february() {
        // Anniversary in a non-leap year is 1 March, so the last day is 28 February.
        assert_eq!(
            Term::new(d(2024, 2, 29), 1).map(|t| t.ends_on),
            Ok(d(2025, 2, 28))
        );
        assert_eq!(
            Term::new(d(2024, 2, 29), 3).map(|t| t.ends_on),
            Ok(d(2027, 2, 28))
        );
        // Starting 1 March of a leap year ends on 28 February (no 29th in 2025).
        assert_eq!(
            Term::new(d(2024, 3, 1), 1).map(|t| t.ends_on),
            Ok(d(2025, 2, 28))
        );
        // Starting 1 March before a leap year's February ends on 29 February.
        assert_eq!(
            Term::new(d(2027, 3, 1), 1).map(|t| t.ends_on),
            Ok(d(2028, 2, 29))
        );
    }

    #[test]
    fn art_3_term_is_active_from_first_to_last_day_then_ended() {
        let Ok(t) = Term::new(d(2026, 7, 1), 1) else {
            panic!("valid term")
        };
        assert!(!t.is_active_on(d(2026, 6, 30)));
        assert!(!t.has_ended_on(d(2026, 6, 30)));
        assert!(t.is_active_on(d(2026, 7, 1)));
        assert!(t.is_active_on(d(2027, 6, 30)));
        assert!(!t.has_ended_on(d(2027, 6, 30)));
        assert!(!t.is_active_on(d(2027, 7, 1)));
        assert!(t.has_ended_on(d(2027, 7, 1)));
    }

    // --- Art. 5.5 age -----------------------------------------------------------------------

    #[test]
    fn art_5_5_age_counts_whole_years() {
        let birth = d(1956, 7, 1);
        assert_eq!(age_on(birth, d(2026, 6, 30)), 69);
        assert_eq!(age_on(birth, d(2026, 7, 1)), 70);
        assert_eq!(age_on(birth, d(1956, 7, 1)), 0);
        assert_eq!(age_on(birth, d(1950, 1, 1)), 0);
    }

    #[test]
    fn art_5_5_born_29_february_turns_older_on_1_march_in_non_leap_years() {
        let birth = d(1956, 2, 29);
        assert_eq!(age_on(birth, d(2026, 2, 28)), 69);
        assert_eq!(age_on(birth, d(2026, 3, 1)), 70);
        assert_eq!(age_on(birth, d(2024, 2, 28)), 67);
        assert_eq!(age_on(birth, d(2024, 2, 29)), 68);
    }

    #[test]
    fn art_5_5_age_69_on_the_appointment_date_is_eligible() {
        assert_eq!(check_age(d(1956, 7, 1), d(2026, 6, 30), None), Ok(()));
    }

    #[test]
    fn art_5_5_age_70_on_the_appointment_date_is_refused() {
        let Err(v) = check_age(d(1956, 7, 1), d(2026, 7, 1), None) else {
            panic!("expected a refusal")
        };
        assert_eq!(v.code, "ineligible_age");
        assert_eq!(v.article, "Art. 5.5");
        assert_eq!(
            code_of(check_age(d(1940, 1, 1), d(2026, 7, 1), None)),
            "ineligible_age"
        );
    }

    #[test]
    fn art_5_5_approved_exception_with_reason_allows_age_70_or_more() {
        let e = AgeException {
            reason: "Leading authority on port logistics".to_owned(),
            approved_by_government: true,
        };
        assert_eq!(check_age(d(1950, 1, 1), d(2026, 7, 1), Some(&e)), Ok(()));
    }

    #[test]
    fn art_5_5_unapproved_or_unexplained_exception_is_refused() {
        let unapproved = AgeException {
            reason: "Leading authority".to_owned(),
            approved_by_government: false,
        };
        let unexplained = AgeException {
            reason: "   ".to_owned(),
            approved_by_government: true,
        };
        for e in [unapproved, unexplained] {
            assert!(!e.is_valid());
            assert_eq!(
                code_of(check_age(d(1950, 1, 1), d(2026, 7, 1), Some(&e))),
                "ineligible_age"
            );
        }
    }

    // --- Art. 4.1 cap, Art. 4.6 certificate -------------------------------------------------

    #[test]
    fn art_4_1_below_the_cap_is_allowed() {
        assert_eq!(check_cap(0, DEFAULT_ADVISOR_CAP), Ok(()));
        assert_eq!(check_cap(29, 30), Ok(()));
    }

    #[test]
    fn art_4_1_cap_reached_is_refused() {
        assert_eq!(code_of(check_cap(30, 30)), "advisor_cap_reached");
        assert_eq!(code_of(check_cap(31, 30)), "advisor_cap_reached");
        assert_eq!(code_of(check_cap(0, 0)), "advisor_cap_reached");
    }

    #[test]
    fn art_4_6_certificate_number_is_trimmed_and_upper_cased() {
        assert_eq!(
            normalize_certificate_no("  elht-gw/2026-001 "),
            Ok("ELHT-GW/2026-001".to_owned())
        );
        assert_eq!(normalize_certificate_no("A01"), Ok("A01".to_owned()));
        assert!(normalize_certificate_no(&"9".repeat(40)).is_ok());
    }

    #[test]
    fn art_4_6_invalid_certificate_numbers_are_refused() {
        for raw in [
            "",
            "   ",
            "AB",
            "ELHT 2026 001",
            "顾问2026-001",
            "ELHT_001",
            "ÄBC",
            &"9".repeat(41),
        ] {
            assert_eq!(
                code_of(normalize_certificate_no(raw)),
                "invalid_certificate_no",
                "{raw:?}"
            );
        }
    }

    // --- Art. 4.6 the appointment gate ------------------------------------------------------

    #[test]
    fn art_4_6_appointment_after_the_window_without_objection_succeeds() {
        let term = check_appointment(&facts(), d(2026, 4, 1), 3, d(2026, 3, 8));
        assert_eq!(
            term,
            Ok(Term {
                starts_on: d(2026, 4, 1),
                ends_on: d(2029, 3, 31),
                years: 3
            })
        );
        let mut shown_passed = facts();
        shown_passed.state = CandidateState::NoticePassed;
        assert!(check_appointment(&shown_passed, d(2026, 4, 1), 1, d(2026, 3, 8)).is_ok());
    }

    #[test]
    fn art_4_6_appointment_from_any_other_state_is_refused() {
        for s in CandidateState::all() {
            if matches!(s, CandidateState::InNotice | CandidateState::NoticePassed) {
                continue;
            }
            let mut f = facts();
            f.state = *s;
            assert_eq!(
                code_of(check_appointment(&f, d(2026, 4, 1), 1, d(2026, 4, 1))),
                "invalid_transition",
                "{s}"
            );
        }
    }

    #[test]
    fn art_4_5_appointment_on_day_6_is_refused() {
        assert_eq!(
            code_of(check_appointment(&facts(), d(2026, 4, 1), 1, d(2026, 3, 6))),
            "notice_window_open"
        );
    }

    #[test]
    fn art_4_5_appointment_on_day_7_is_refused() {
        let Err(v) = check_appointment(&facts(), d(2026, 4, 1), 1, d(2026, 3, 7)) else {
            panic!("expected a refusal")
        };
        assert_eq!(v.code, "notice_window_open");
        assert_eq!(v.article, "Art. 4.5");
    }

    #[test]
    fn art_4_5_appointment_without_a_notice_on_record_is_refused() {
        let mut f = facts();
        f.notice = None;
        assert_eq!(
            code_of(check_appointment(&f, d(2026, 4, 1), 1, d(2026, 4, 1))),
            "notice_window_open"
        );
    }

    #[test]
    fn art_4_6_appointment_with_an_open_objection_is_refused() {
        let mut f = facts();
        f.open_objections = 1;
        assert_eq!(
            code_of(check_appointment(&f, d(2026, 4, 1), 1, d(2026, 4, 1))),
            "objection_open"
        );
    }

    #[test]
    fn art_3_appointment_with_a_four_year_term_is_refused() {
        assert_eq!(
            code_of(check_appointment(&facts(), d(2026, 4, 1), 4, d(2026, 4, 1))),
            "term_out_of_range"
        );
    }

    #[test]
    fn art_5_5_appointment_of_a_70_year_old_is_refused_unless_excepted() {
        let mut f = facts();
        f.birth_date = d(1956, 4, 1);
        // 69 on the day of the decision, 70 on the term start date.
        assert_eq!(
            code_of(check_appointment(&f, d(2026, 4, 1), 1, d(2026, 3, 20))),
            "ineligible_age"
        );
        assert!(check_appointment(&f, d(2026, 3, 31), 1, d(2026, 3, 20)).is_ok());
        f.age_exception = Some(AgeException {
            reason: "Unique expertise".to_owned(),
            approved_by_government: true,
        });
        assert!(check_appointment(&f, d(2026, 4, 1), 1, d(2026, 3, 20)).is_ok());
    }

    #[test]
    fn art_5_5_backdated_term_start_does_not_make_a_candidate_younger() {
        let mut f = facts();
        f.birth_date = d(1956, 3, 15);
        // 70 on the appointment day (20 March 2026), 69 on a backdated start (10 March).
        assert_eq!(
            code_of(check_appointment(&f, d(2026, 3, 10), 1, d(2026, 3, 20))),
            "ineligible_age"
        );
    }

    #[test]
    fn art_4_1_appointment_beyond_the_cap_is_refused() {
        let mut f = facts();
        f.active_advisors = 30;
        assert_eq!(
            code_of(check_appointment(&f, d(2026, 4, 1), 1, d(2026, 4, 1))),
            "advisor_cap_reached"
        );
        f.cap = 31;
        assert!(check_appointment(&f, d(2026, 4, 1), 1, d(2026, 4, 1)).is_ok());
    }

    #[test]
    fn art_4_6_gate_checks_in_the_documented_order() {
        // Everything wrong at once: the first check wins, then the next, and so on.
        let mut f = facts();
        f.state = CandidateState::Approved;
        f.open_objections = 2;
        f.birth_date = d(1940, 1, 1);
        f.active_advisors = 99;
        let day_6 = d(2026, 3, 6);
        let after = d(2026, 3, 9);
        assert_eq!(
            code_of(check_appointment(&f, after, 9, day_6)),
            "invalid_transition"
        );
        f.state = CandidateState::InNotice;
        assert_eq!(
            code_of(check_appointment(&f, after, 9, day_6)),
            "notice_window_open"
        );
        assert_eq!(
            code_of(check_appointment(&f, after, 9, after)),
            "objection_open"
        );
        f.open_objections = 0;
        assert_eq!(
            code_of(check_appointment(&f, after, 9, after)),
            "term_out_of_range"
        );
        assert_eq!(
            code_of(check_appointment(&f, after, 1, after)),
            "ineligible_age"
        );
        f.birth_date = d(1970, 1, 1);
        assert_eq!(
            code_of(check_appointment(&f, after, 1, after)),
            "advisor_cap_reached"
        );
    }

    #[test]
    fn art_4_6_a_term_cannot_start_before_the_notice_is_over() {
        let notice_closes = facts().notice.map(|n| n.closes_on()).unwrap_or_default();
        let early = notice_closes.pred_opt().unwrap_or_default();
        assert_eq!(
            code_of(check_appointment(&facts(), early, 1, d(2026, 4, 1))),
            "notice_window_open"
        );
        assert!(check_appointment(&facts(), notice_closes, 1, d(2026, 4, 1)).is_ok());
    }

    // --- Art. 5.5 exception after the executive meeting --------------------------------------

    #[test]
    fn art_5_5_an_exception_is_requested_when_the_age_is_flagged_after_the_meeting() {
        use AgeExceptionStatus as X;
        use CandidateState as S;
        for s in [S::Approved, S::InNotice, S::NoticePassed] {
            assert_eq!(check_age_exception_request(s, Some(70), None), Ok(()));
            assert_eq!(
                check_age_exception_request(s, Some(71), Some(X::Refused)),
                Ok(())
            );
        }
        assert_eq!(
            code_of(check_age_exception_request(S::InNotice, None, None)),
            "age_exception_not_needed"
        );
        assert_eq!(
            code_of(check_age_exception_request(
                S::InNotice,
                Some(70),
                Some(X::Requested)
            )),
            "age_exception_pending"
        );
        assert_eq!(
            code_of(check_age_exception_request(
                S::InNotice,
                Some(70),
                Some(X::Approved)
            )),
            "invalid_transition"
        );
        for s in [S::Nominated, S::Submitted, S::Appointed, S::Withdrawn] {
            assert_eq!(
                code_of(check_age_exception_request(s, Some(70), None)),
                "invalid_transition"
            );
        }
    }

    #[test]
    fn art_5_5_only_a_requested_exception_is_decided() {
        use AgeExceptionStatus as X;
        use CandidateState as S;
        assert_eq!(
            check_age_exception_decision(S::NoticePassed, Some(X::Requested)),
            Ok(())
        );
        for status in [None, Some(X::Approved), Some(X::Refused)] {
            assert_eq!(
                code_of(check_age_exception_decision(S::InNotice, status)),
                "invalid_transition"
            );
        }
        assert_eq!(
            code_of(check_age_exception_decision(
                S::Appointed,
                Some(X::Requested)
            )),
            "invalid_transition"
        );
    }

    // --- Art. 4.5-4.6 term against the notice -------------------------------------------------

    #[test]
    fn art_4_5_a_term_differing_from_the_notice_needs_a_reason() {
        assert_eq!(check_term_against_notice(Some(2), 2, None), Ok(false));
        assert_eq!(check_term_against_notice(None, 3, None), Ok(false));
        assert_eq!(
            code_of(check_term_against_notice(Some(2), 3, None)),
            "term_differs_from_notice"
        );
        assert_eq!(
            code_of(check_term_against_notice(Some(2), 1, Some("  "))),
            "term_differs_from_notice"
        );
        assert_eq!(
            check_term_against_notice(Some(2), 1, Some("本人申请缩短聘期")),
            Ok(true)
        );
    }

    #[test]
    fn art_4_5_the_notice_shows_appointed_or_not_appointed_never_why() {
        use CandidateState as S;
        assert_eq!(notice_outcome(S::Appointed), NoticeOutcome::Appointed);
        assert_eq!(notice_outcome(S::Rejected), NoticeOutcome::NotAppointed);
        assert_eq!(notice_outcome(S::Withdrawn), NoticeOutcome::NotAppointed);
        for s in [S::InNotice, S::NoticePassed] {
            assert_eq!(notice_outcome(s), NoticeOutcome::Pending);
        }
    }
}
