//! Work of advisors in office: tasks, assignments, opinions, meetings and minutes
//! (DOMAIN.md §3; Art. 6–11).
//!
//! ```text
//! task:        open ─assign─> assigned ─assign─> assigned (more advisors)
//!              assigned ─(every active assignment delivered)─> delivered
//!              open | assigned | delivered ─close─> closed
//!              open | assigned ─cancel─> cancelled
//! assignment:  active ─deliver─> delivered
//!              active ─report_inability (before the deadline)─> released   (Art. 7.6)
//!              active ─request_recusal─> (pending) ─decide_recusal: granted─> recused (Art. 10)
//! ```
//!
//! The task's state after an assignment changes is not chosen by the caller: it is computed
//! from the counts of active and delivered assignments by [`task_state_after_assignments`].
//!
//! Every date here is a calendar date in China Standard Time (see [`crate::time`]); the caller
//! turns "now" into `today_cst` with [`crate::time::cst_date`].

use crate::problem::ProblemCode;
use chrono::NaiveDate;

use crate::rule::{RuleResult, RuleViolation};

// ---------------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------------

crate::labelled_enum! {
    /// What a task (工作事项) asks of the advisors: the duties of Art. 6 (1)–(6).
    pub enum TaskKind("task_kind") {
        /// Art. 6 (1).
        Consultation = ("consultation", "Information and policy or legal consultation", "信息动态和政策法律咨询"),
        /// Art. 6 (2).
        Suggestion = ("suggestion", "Opinions and suggestions", "意见建议"),
        /// Art. 6 (3).
        MajorResearch = ("major_research", "Research and appraisal of a major decision, project or social-stability matter", "重大决策、重大课题、重大项目、涉及社会稳定重要事项的研究论证"),
        /// Art. 6 (4).
        Investigation = ("investigation", "Investigation and research", "调查研究"),
        /// Art. 6 (5).
        ExternalExchange = ("external_exchange", "External exchange and publicity", "对外交流宣传"),
        /// Art. 6 (6).
        Other = ("other", "Other work befitting an advisor", "其他符合顾问身份的工作"),
    }
}

crate::labelled_enum! {
    /// The confidentiality level of a task, an opinion or minutes (Art. 7.1).
    ///
    /// State secrets (国家秘密) have no level here: they are not allowed in this system at all
    /// (see [`check_confidentiality_label`]).
    pub enum Confidentiality("confidentiality") {
        Internal = ("internal", "Internal", "内部"),
        WorkSecret = ("work_secret", "Work secret", "工作秘密"),
        CommercialSecret = ("commercial_secret", "Commercial secret", "商业秘密"),
    }
}

crate::labelled_enum! {
    /// Where a task stands (Art. 11; DOMAIN.md §3).
    pub enum TaskState("task_state") {
        Open = ("open", "Open: needs an advisor", "待指派"),
        Assigned = ("assigned", "Assigned", "已指派"),
        Delivered = ("delivered", "Delivered by every assigned advisor", "已完成"),
        Closed = ("closed", "Closed", "已办结"),
        Cancelled = ("cancelled", "Cancelled", "已撤销"),
    }
}

impl TaskState {
    /// `closed` and `cancelled` end the task: no action is legal from them (Art. 11).
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Closed | Self::Cancelled)
    }
}

crate::labelled_enum! {
    /// Where one advisor's assignment to a task stands (Art. 7.6, 10, 11).
    pub enum AssignmentState("assignment_state") {
        Active = ("active", "Active", "承办中"),
        /// Art. 7.6: the advisor told HRSS they cannot complete it; HRSS reassigns.
        Released = ("released", "Released: advisor unable to complete", "无法完成，另行指派"),
        /// Art. 10: recusal granted for a conflict of interest.
        Recused = ("recused", "Recused", "已回避"),
        Delivered = ("delivered", "Delivered", "已完成"),
    }
}

/// Art. 7.6, 10: the assignment states in which an advisor still sees the task: `active` and
/// `delivered`. A released advisor (Art. 7.6) handed the work back and a recused one (Art. 10)
/// no longer works on it, so neither sees it any more.
pub const ASSIGNMENT_STATES_SEEING_TASK: [AssignmentState; 2] =
    [AssignmentState::Active, AssignmentState::Delivered];

crate::labelled_enum! {
    /// HRSS's decision on a recusal request (Art. 10).
    pub enum RecusalDecision("recusal_decision") {
        Granted = ("granted", "Granted", "准予回避"),
        Refused = ("refused", "Refused", "不予回避"),
    }
}

crate::labelled_enum! {
    /// Where a recusal request stands (Art. 10).
    pub enum RecusalState("recusal_state") {
        Pending = ("pending", "Pending", "待决定"),
        Granted = ("granted", "Granted", "准予回避"),
        Refused = ("refused", "Refused", "不予回避"),
    }
}

crate::labelled_enum! {
    /// How an opinion reached the government (Art. 9: 书面意见；信件、电话、电子邮件、研究报告).
    pub enum OpinionChannel("opinion_channel") {
        Letter = ("letter", "Letter", "信件"),
        Phone = ("phone", "Phone", "电话"),
        Email = ("email", "Email", "电子邮件"),
        ResearchReport = ("research_report", "Research report", "研究报告"),
        WrittenOpinion = ("written_opinion", "Written opinion", "书面意见"),
    }
}

crate::labelled_enum! {
    /// Who holds a meeting (Art. 8).
    pub enum MeetingOrganizer("meeting_organizer") {
        /// Art. 8 ¶1: invited advisors must attend (应当按要求参加).
        Government = ("government", "City government: attendance required", "市政府举办（应当参加）"),
        /// Art. 8 ¶2: advisors may attend on invitation (可应邀参加).
        Department = ("department", "Department: attendance optional", "部门、单位举办（可应邀参加）"),
    }
}

crate::labelled_enum! {
    /// An invited advisor's attendance at a meeting (Art. 8; Art. 12.3).
    pub enum Attendance("attendance") {
        Attended = ("attended", "Attended", "出席"),
        Excused = ("excused", "Excused, with a reason", "请假（有正当理由）"),
        Absent = ("absent", "Absent without a reason", "缺席（无正当理由）"),
    }
}

crate::labelled_enum! {
    /// Whether a deliverable came in by its deadline (Art. 7.5; Art. 12.3 按期提供书面意见).
    pub enum Timeliness("timeliness") {
        OnTime = ("on_time", "On time", "按期"),
        Overdue = ("overdue", "Overdue", "逾期"),
    }
}

crate::labelled_enum! {
    /// One recorded step of the work chapter (Art. 7.5–11).
    pub enum WorkAction("work_action") {
        Assign = ("assign", "Assign an advisor", "指派顾问"),
        Deliver = ("deliver", "Deliver the work", "完成工作任务"),
        Close = ("close", "Close the task", "办结工作事项"),
        Cancel = ("cancel", "Cancel the task", "撤销工作事项"),
        ReportInability = ("report_inability", "Report inability to complete", "报告无法完成"),
        RequestRecusal = ("request_recusal", "Request recusal", "申请回避"),
        DecideRecusal = ("decide_recusal", "Decide a recusal", "回避决定"),
        RecordAttendance = ("record_attendance", "Record attendance", "登记出席情况"),
        WriteMinutes = ("write_minutes", "Write the minutes", "撰写会议纪要"),
        FinalizeMinutes = ("finalize_minutes", "Finalise the minutes and forward them to the government", "会议纪要定稿并报送市政府"),
    }
}

/// The article each action implements.
///
/// Assignment, closing and cancelling a task: Art. 11 (HRSS organises or assigns advisors at the
/// request of the government or a department). Delivery: Art. 7.5 (认真完成工作任务).
/// Inability: Art. 7.6. Recusal: Art. 10. Attendance: Art. 8. Minutes: Art. 11 (会议纪要).
pub fn article_of_work(action: WorkAction) -> &'static str {
    match action {
        WorkAction::Assign | WorkAction::Close | WorkAction::Cancel => "Art. 11",
        WorkAction::Deliver => "Art. 7.5",
        WorkAction::ReportInability => "Art. 7.6",
        WorkAction::RequestRecusal | WorkAction::DecideRecusal => "Art. 10",
        WorkAction::RecordAttendance => "Art. 8",
        WorkAction::WriteMinutes | WorkAction::FinalizeMinutes => "Art. 11",
    }
}

// ---------------------------------------------------------------------------------------------
// Confidentiality (Art. 7.1)
// ---------------------------------------------------------------------------------------------

/// Markers of a state secret (国家秘密) and its grades (绝密、机密、秘密), in English and
/// Chinese. Compared after trimming, ASCII lower-casing and turning `-` and spaces into `_`.
const STATE_SECRET_MARKERS: &[&str] = &[
    "state_secret",
    "top_secret",
    "secret",
    "confidential",
    "国家秘密",
    "绝密",
    "机密",
    "秘密",
];

/// Art. 7.1: parses a confidentiality level given by a client.
///
/// - `internal`, `work_secret` and `commercial_secret` are accepted;
/// - a state-secret marker (`state_secret`, `top_secret`, `secret`, `confidential`, `国家秘密`,
///   `绝密`, `机密`, `秘密`) is refused with `state_secret_not_allowed`: state secrets must never
///   be put in this system, whatever their grade;
/// - anything else, including an empty string, is `invalid_confidentiality`.
///
/// Surrounding whitespace is ignored; the three accepted codes must otherwise be exact, while the
/// state-secret markers are also recognised in upper case or with `-` or spaces
/// (`TOP SECRET`, `State-Secret`) so that a mislabelled secret is named as such.
pub fn check_confidentiality_label(raw: &str) -> RuleResult<Confidentiality> {
    let trimmed = raw.trim();
    if let Some(level) = <Confidentiality as crate::Labelled>::from_code(trimmed) {
        return Ok(level);
    }
    let normalized: String = trimmed
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    if STATE_SECRET_MARKERS.contains(&normalized.as_str()) {
        return Err(RuleViolation::new(
            ProblemCode::StateSecretNotAllowed,
            "Art. 7.1",
            format!(
                "`{trimmed}` marks a state secret; state secrets must not be entered into the advisor work system"
            ),
        ));
    }
    Err(RuleViolation::new(
        ProblemCode::InvalidConfidentiality,
        "Art. 7.1",
        format!(
            "`{trimmed}` is not a confidentiality level; use internal, work_secret or commercial_secret"
        ),
    ))
}

/// Art. 7.1: whether items of this level may be shown to integrated government systems. Only
/// `internal` items are; work and commercial secrets stay within the people who handle them.
pub fn confidentiality_visible_to_integration(level: Confidentiality) -> bool {
    level == Confidentiality::Internal
}

// ---------------------------------------------------------------------------------------------
// Task lifecycle (Art. 11)
// ---------------------------------------------------------------------------------------------

/// The single table of legal actions on a task per state (Art. 11; DOMAIN.md §3).
///
/// - `open`: assign, close, cancel;
/// - `assigned`: assign (more advisors), deliver, report_inability, request_recusal,
///   decide_recusal (the actions of its active assignments), close, cancel;
/// - `delivered`: close;
/// - `closed`, `cancelled`: nothing.
///
/// Meeting actions (attendance, minutes) are never task actions.
pub fn task_allowed_from(state: TaskState) -> &'static [WorkAction] {
    use TaskState as S;
    use WorkAction as A;
    match state {
        S::Open => &[A::Assign, A::Close, A::Cancel],
        S::Assigned => &[
            A::Assign,
            A::Deliver,
            A::ReportInability,
            A::RequestRecusal,
            A::DecideRecusal,
            A::Close,
            A::Cancel,
        ],
        S::Delivered => &[A::Close],
        S::Closed | S::Cancelled => &[],
    }
}

/// Art. 11: the next state of a task after `action`, by the table of [`task_allowed_from`].
///
/// An action outside the table is refused with `invalid_transition`, citing Art. 11 (the article
/// of the task lifecycle; `closed` and `cancelled` are terminal).
///
/// `assign` gives `assigned`; `close` gives `closed`; `cancel` gives `cancelled`. The
/// assignment-level actions (`deliver`, `report_inability`, `request_recusal`,
/// `decide_recusal`) leave the task `assigned` here: once the assignment has changed, the
/// caller computes the task's real state with [`task_state_after_assignments`] (which turns it
/// `delivered` when the last active assignment is delivered, or back to `open` when the last one
/// is released or recused without any delivery).
pub fn task_transition(state: TaskState, action: WorkAction) -> RuleResult<TaskState> {
    if !task_allowed_from(state).contains(&action) {
        let why = if state.is_terminal() {
            "the task is finished"
        } else {
            "the action does not apply to a task in this state"
        };
        return Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 11",
            format!("`{action}` is not allowed from the task state `{state}`: {why}"),
        ));
    }
    let next = match action {
        WorkAction::Close => TaskState::Closed,
        WorkAction::Cancel => TaskState::Cancelled,
        WorkAction::Assign
        | WorkAction::Deliver
        | WorkAction::ReportInability
        | WorkAction::RequestRecusal
        | WorkAction::DecideRecusal => TaskState::Assigned,
        WorkAction::RecordAttendance | WorkAction::WriteMinutes | WorkAction::FinalizeMinutes => {
            // Not in the table of any state: refused above.
            state
        }
    };
    Ok(next)
}

/// Art. 7.6, 10, 11: the state of a task computed from its assignments.
///
/// `active` counts the assignments still `active`, `delivered` those `delivered` (released and
/// recused assignments count in neither).
///
/// - a terminal task (`closed`, `cancelled`) stays as it is;
/// - some assignment still active → `assigned`;
/// - none active and at least one delivered → `delivered`;
/// - none active and none delivered → `open`: the task needs an advisor again (after an
///   inability, Art. 7.6, or a recusal, Art. 10, HRSS reassigns).
pub fn task_state_after_assignments(current: TaskState, active: u32, delivered: u32) -> TaskState {
    if current.is_terminal() {
        current
    } else if active > 0 {
        TaskState::Assigned
    } else if delivered > 0 {
        TaskState::Delivered
    } else {
        TaskState::Open
    }
}

// ---------------------------------------------------------------------------------------------
// Inability (Art. 7.6) and recusal (Art. 10)
// ---------------------------------------------------------------------------------------------

/// Art. 7.6: an advisor who cannot complete a task must tell HRSS in advance
/// (需提前与市人力资源和社会保障局沟通), so that HRSS can assign someone else.
///
/// - only an `active` assignment can be given up (`invalid_transition`);
/// - the notice must come strictly before the deadline: `today_cst < deadline`, otherwise
///   `inability_after_deadline`.
///
/// Design decision: on the deadline day itself it is too late. "In advance" means before the day
/// the work is due, so that there is at least one day to reassign; on or after the deadline the
/// work is simply overdue (Art. 12.3) and HRSS handles it as such.
pub fn check_inability(
    assignment: AssignmentState,
    deadline: NaiveDate,
    today_cst: NaiveDate,
) -> RuleResult<()> {
    if assignment != AssignmentState::Active {
        return Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 7.6",
            format!(
                "inability can only be reported on an active assignment, not a `{assignment}` one"
            ),
        ));
    }
    if today_cst >= deadline {
        return Err(RuleViolation::new(
            ProblemCode::InabilityAfterDeadline,
            "Art. 7.6",
            format!(
                "inability must be reported to HRSS before the deadline {deadline}; on {today_cst} it is too late"
            ),
        ));
    }
    Ok(())
}

/// Art. 10: an advisor with a conflict of interest in a task must apply for recusal
/// (应当主动申请回避).
///
/// - only on an `active` assignment (`invalid_transition`);
/// - one pending request at a time (`recusal_pending`): `pending` says whether a request on this
///   assignment awaits HRSS's decision.
pub fn check_recusal_request(assignment: AssignmentState, pending: bool) -> RuleResult<()> {
    if assignment != AssignmentState::Active {
        return Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 10",
            format!(
                "recusal can only be requested on an active assignment, not a `{assignment}` one"
            ),
        ));
    }
    if pending {
        return Err(RuleViolation::new(
            ProblemCode::RecusalPending,
            "Art. 10",
            "a recusal request on this assignment already awaits HRSS's decision",
        ));
    }
    Ok(())
}

/// Art. 10: HRSS decides a recusal request. Only a `pending` request can be decided
/// (`invalid_transition`); the result is `granted` or `refused`. A granted recusal turns the
/// assignment `recused` (the caller records that; see [`check_can_deliver`]).
pub fn decide_recusal(state: RecusalState, decision: RecusalDecision) -> RuleResult<RecusalState> {
    if state != RecusalState::Pending {
        return Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 10",
            format!(
                "the recusal request is already `{state}`; only a pending request can be decided"
            ),
        ));
    }
    Ok(match decision {
        RecusalDecision::Granted => RecusalState::Granted,
        RecusalDecision::Refused => RecusalState::Refused,
    })
}

// ---------------------------------------------------------------------------------------------
// Opinions and delivery (Art. 7.5, 8, 9, 10)
// ---------------------------------------------------------------------------------------------

/// Art. 9: an opinion on a major issue of the city's economic and social development must be
/// written (书面意见): `written_opinion` or `research_report`; otherwise
/// `major_issue_needs_written_opinion`. Everyday opinions may use any channel (信件、电话、
/// 电子邮件、研究报告).
///
/// Design decision: a `letter` is one of the everyday channels Art. 9 lists beside the written
/// opinion, so it does not count as one.
pub fn check_opinion_channel(channel: OpinionChannel, major_issue: bool) -> RuleResult<()> {
    if major_issue
        && !matches!(
            channel,
            OpinionChannel::WrittenOpinion | OpinionChannel::ResearchReport
        )
    {
        return Err(RuleViolation::new(
            ProblemCode::MajorIssueNeedsWrittenOpinion,
            "Art. 9",
            format!(
                "an opinion on a major issue must be a written opinion or a research report, not `{channel}`"
            ),
        ));
    }
    Ok(())
}

/// Art. 7.5 and Art. 12.3 (不按期提供书面意见): `on_time` when delivered on or before the deadline
/// day (China Standard Time), `overdue` from the day after.
pub fn delivery_timeliness(deadline: NaiveDate, delivered_on_cst: NaiveDate) -> Timeliness {
    if delivered_on_cst <= deadline {
        Timeliness::OnTime
    } else {
        Timeliness::Overdue
    }
}

/// Art. 7.5, 7.6, 10: whether an advisor may deliver on an assignment.
///
/// - `active`: yes;
/// - `recused`: no, `recused` (Art. 10: a recused advisor no longer works on the task);
/// - `released`: no, `invalid_transition` (Art. 7.6: the work was handed back to HRSS);
/// - `delivered`: no, `invalid_transition` (Art. 7.5: already delivered).
pub fn check_can_deliver(assignment: AssignmentState) -> RuleResult<()> {
    match assignment {
        AssignmentState::Active => Ok(()),
        AssignmentState::Recused => Err(RuleViolation::new(
            ProblemCode::Recused,
            "Art. 10",
            "the advisor has recused themselves from this task and can no longer deliver on it",
        )),
        AssignmentState::Released => Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 7.6",
            "the advisor reported being unable to complete this assignment; it has been released",
        )),
        AssignmentState::Delivered => Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 7.5",
            "this assignment has already been delivered",
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Meetings and minutes (Art. 8, 11)
// ---------------------------------------------------------------------------------------------

/// Art. 8: whether invited advisors must attend. Government meetings: yes (¶1, 应当按要求参加);
/// department meetings: no, advisors may attend on invitation (¶2, 可应邀参加).
pub fn attendance_required(organizer: MeetingOrganizer) -> bool {
    organizer == MeetingOrganizer::Government
}

/// Art. 8, in view of Art. 12.3 (无正当理由不参加顾问会议): an `excused` absence needs a
/// non-blank reason (`excuse_reason_missing`). `attended` and `absent` need none (a note may still
/// be given).
pub fn check_attendance(att: Attendance, reason: Option<&str>) -> RuleResult<()> {
    let has_reason = reason.is_some_and(|r| !r.trim().is_empty());
    if att == Attendance::Excused && !has_reason {
        return Err(RuleViolation::new(
            ProblemCode::ExcuseReasonMissing,
            "Art. 8",
            "an excused absence needs the reason the advisor gave",
        ));
    }
    Ok(())
}

/// Art. 8 and Art. 12.3: whether an attendance record counts as an unexcused absence from an
/// advisor meeting, i.e. evidence of inactivity. Only `absent` at a government meeting counts:
/// attendance at a department meeting is optional (Art. 8 ¶2), so missing one counts against no
/// one.
pub fn is_unexcused_absence(organizer: MeetingOrganizer, att: Attendance) -> bool {
    attendance_required(organizer) && att == Attendance::Absent
}

/// What the minutes of a meeting record, for the completeness check of Art. 11.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MinutesCompleteness<'a> {
    /// Invited advisors whose attendance was never recorded.
    pub unrecorded_attendance: &'a [String],
    /// Advisors who attended the meeting.
    pub attending_advisors: &'a [String],
    /// Advisor ids with an opinion recorded in the minutes.
    pub advisor_opinions: &'a [String],
    /// Departments that took part in the meeting.
    pub participating_departments: &'a [String],
    /// Department ids with an opinion recorded in the minutes.
    pub department_opinions: &'a [String],
}

/// Art. 11: the minutes must record the opinions of the attending advisors and the participating
/// departments (载明与会顾问和参会部门意见) before they are finalised; Art. 11 and 12.3: and the
/// attendance of every invited advisor (attended, excused or absent), since finalising locks
/// it and an unrecorded absence could then never count as evidence.
///
/// Refused with `minutes_incomplete`, naming every invitee without attendance, and every
/// attending advisor and participating department without an opinion (each once, in the order
/// given). Opinions of people who are not on the attendance lists (e.g. a written opinion sent
/// in advance) are allowed.
pub fn check_minutes_complete(c: &MinutesCompleteness) -> RuleResult<()> {
    let missing_advisors = missing(c.attending_advisors, c.advisor_opinions);
    let missing_departments = missing(c.participating_departments, c.department_opinions);
    if c.unrecorded_attendance.is_empty()
        && missing_advisors.is_empty()
        && missing_departments.is_empty()
    {
        return Ok(());
    }
    let mut parts = Vec::new();
    if !c.unrecorded_attendance.is_empty() {
        parts.push(format!(
            "attendance of advisors {}",
            c.unrecorded_attendance.join(", ")
        ));
    }
    if !missing_advisors.is_empty() {
        parts.push(format!("advisors {}", missing_advisors.join(", ")));
    }
    if !missing_departments.is_empty() {
        parts.push(format!("departments {}", missing_departments.join(", ")));
    }
    Err(RuleViolation::new(
        ProblemCode::MinutesIncomplete,
        "Art. 11",
        format!(
            "the minutes must record the attendance of every invited advisor and the opinion of every attending advisor and participating department; missing: {}",
            parts.join("; ")
        ),
    ))
}

/// The ids of `expected` that are not in `present`, each once, in the order of `expected`.
fn missing<'a>(expected: &'a [String], present: &[String]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for id in expected {
        if !present.contains(id) && !out.contains(&id.as_str()) {
            out.push(id);
        }
    }
    out
}

/// Art. 11: only written minutes can be finalised: without any, no opinion is recorded
/// (`minutes_incomplete`).
pub fn check_minutes_written(written: bool) -> RuleResult<()> {
    if !written {
        return Err(RuleViolation::new(
            ProblemCode::MinutesIncomplete,
            "Art. 11",
            "no minutes have been written",
        ));
    }
    Ok(())
}

/// Art. 11: finalised minutes are forwarded to the government and are immutable
/// (`minutes_finalized`).
pub fn check_minutes_editable(finalized: bool) -> RuleResult<()> {
    if finalized {
        return Err(RuleViolation::new(
            ProblemCode::MinutesFinalized,
            "Art. 11",
            "the minutes have been finalised and forwarded to the government; they can no longer change",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Matching (Art. 11)
// ---------------------------------------------------------------------------------------------

/// One advisor considered for a task (Art. 11).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchCandidate {
    pub advisor_id: String,
    /// The advisor's field (a field code such as `port_trade`).
    pub field_code: String,
    /// Assignments of this advisor still `active`.
    pub open_assignments: u32,
    /// Whether the advisor has a granted recusal on record on matters of the task's requester
    /// (Art. 10): a conflict of interest on record.
    pub recused_from_requester: bool,
    /// Whether the advisor is in office (`active`).
    pub active: bool,
}

/// One advisor in the ranked list offered to HRSS (Art. 11).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ranked {
    pub advisor_id: String,
    /// 1 for the best match.
    pub rank: u32,
    /// A summary for display: [`FIELD_MATCH_SCORE`] for a field match, minus the open
    /// assignments (capped at 999). Never increases down the list; the order itself is
    /// field match, then fewest open assignments, then advisor id.
    pub score: i64,
    pub field_match: bool,
    pub open_assignments: u32,
    /// Short English sentences explaining the rank.
    pub reasons: Vec<String>,
}

/// The part of a [`Ranked::score`] that a field match is worth.
pub const FIELD_MATCH_SCORE: i64 = 1000;

/// Art. 11: ranks the advisors HRSS may assign to a task in `task_field` (具有相关专业特长的顾问).
///
/// - advisors not in office (`active == false`) and advisors with a recusal on record from the
///   same requester's matters (Art. 10) are left out;
/// - the rest are ordered by field match first, then fewest open assignments (workload), then
///   advisor id for a stable order, and ranked from 1;
/// - an empty `task_field` matches no one.
pub fn rank_advisors(task_field: &str, candidates: &[MatchCandidate]) -> Vec<Ranked> {
    let mut eligible: Vec<(&MatchCandidate, bool)> = candidates
        .iter()
        .filter(|c| c.active && !c.recused_from_requester)
        .map(|c| (c, !task_field.is_empty() && c.field_code == task_field))
        .collect();
    eligible.sort_by(|(a, a_match), (b, b_match)| {
        b_match
            .cmp(a_match)
            .then(a.open_assignments.cmp(&b.open_assignments))
            .then_with(|| a.advisor_id.cmp(&b.advisor_id))
    });
    eligible
        .into_iter()
        .zip(1u32..)
        .map(|((c, field_match), rank)| {
            let field_reason = if field_match {
                format!("works in the task's field {task_field}")
            } else {
                format!(
                    "works in the field {}, not the task's field {task_field}",
                    c.field_code
                )
            };
            let load_reason = match c.open_assignments {
                0 => "no open assignments".to_owned(),
                1 => "1 open assignment".to_owned(),
                n => format!("{n} open assignments"),
            };
            let score = if field_match { FIELD_MATCH_SCORE } else { 0 }
                - i64::from(c.open_assignments.min(999));
            Ranked {
                advisor_id: c.advisor_id.clone(),
                rank,
                score,
                field_match,
                open_assignments: c.open_assignments,
                reasons: vec![
                    field_reason,
                    load_reason,
                    "no recusal on record for this requester".to_owned(),
                ],
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Assignment (Art. 10, 11)
// ---------------------------------------------------------------------------------------------

/// Art. 10: an advisor whose recusal was granted on a matter of the task's requester has a
/// conflict of interest on record and is not assigned to that requester's matters
/// (`conflict_of_interest`).
pub fn check_no_conflict_of_interest(recused_from_requester: bool) -> RuleResult<()> {
    if recused_from_requester {
        return Err(RuleViolation::new(
            ProblemCode::ConflictOfInterest,
            "Art. 10",
            "the advisor is recused from this requester's matters",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Temporary experts (Art. 8 ¶3)
// ---------------------------------------------------------------------------------------------

/// Art. 8 ¶3: the longest engagement of a temporary expert, in calendar days counting both the
/// first and the last day.
pub const MAX_ENGAGEMENT_DAYS: i64 = 366;

/// Art. 8 ¶3: the government may engage an expert temporarily (临时聘请) for one matter.
///
/// `ends_on` must not be before `starts_on`, and the engagement lasts at most
/// [`MAX_ENGAGEMENT_DAYS`] days counting both ends (`invalid_engagement_period`).
///
/// Design decision: "temporary" is read as at most one year; 366 days so that a year containing
/// 29 February fits (2028-01-01 ..= 2028-12-31). Anything longer belongs in the appointment
/// pipeline (Art. 4).
pub fn check_engagement_dates(starts_on: NaiveDate, ends_on: NaiveDate) -> RuleResult<()> {
    if ends_on < starts_on {
        return Err(RuleViolation::new(
            ProblemCode::InvalidEngagementPeriod,
            "Art. 8",
            format!("the engagement cannot end ({ends_on}) before it starts ({starts_on})"),
        ));
    }
    let days = (ends_on - starts_on).num_days() + 1;
    if days > MAX_ENGAGEMENT_DAYS {
        return Err(RuleViolation::new(
            ProblemCode::InvalidEngagementPeriod,
            "Art. 8",
            format!(
                "a temporary engagement lasts at most {MAX_ENGAGEMENT_DAYS} days; {starts_on} to {ends_on} is {days} days"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Labelled;
    use crate::testing::{code_of, d};

    fn violation<T: std::fmt::Debug>(r: RuleResult<T>) -> RuleViolation {
        match r {
            Err(v) => v,
            Ok(x) => panic!("expected a refusal, got {x:?}"),
        }
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    // --- enums -------------------------------------------------------------------------------

    #[test]
    fn art_6_to_11_every_enum_round_trips_and_has_labels() {
        fn check<T: Labelled + std::fmt::Debug + PartialEq + std::str::FromStr>() {
            assert!(!T::all().is_empty());
            for v in T::all() {
                assert_eq!(T::from_code(v.code()), Some(*v));
                assert!(!v.label_en().is_empty() && !v.label_zh().is_empty());
            }
        }
        check::<TaskKind>();
        check::<Confidentiality>();
        check::<TaskState>();
        check::<AssignmentState>();
        check::<RecusalDecision>();
        check::<RecusalState>();
        check::<OpinionChannel>();
        check::<MeetingOrganizer>();
        check::<Attendance>();
        check::<Timeliness>();
        check::<WorkAction>();
        assert_eq!(TaskKind::all().len(), 6);
        assert_eq!(TaskKind::Consultation.label_zh(), "信息动态和政策法律咨询");
        assert_eq!(TaskKind::NAME, "task_kind");
        assert_eq!(Confidentiality::NAME, "confidentiality");
        assert_eq!(OpinionChannel::WrittenOpinion.label_zh(), "书面意见");
        assert_eq!(WorkAction::all().len(), 10);
        assert_eq!(RecusalState::NAME, "recusal_state");
    }

    #[test]
    fn art_6_task_kinds_serialise_as_their_codes() {
        assert_eq!(
            "major_research".parse::<TaskKind>(),
            Ok(TaskKind::MajorResearch)
        );
        assert_eq!(TaskKind::ExternalExchange.to_string(), "external_exchange");
        assert!("state_secret".parse::<Confidentiality>().is_err());
    }

    #[test]
    fn art_7_to_11_every_action_cites_an_article() {
        for a in WorkAction::all() {
            assert!(article_of_work(*a).starts_with("Art. "), "{a}");
        }
        assert_eq!(article_of_work(WorkAction::Assign), "Art. 11");
        assert_eq!(article_of_work(WorkAction::Deliver), "Art. 7.5");
        assert_eq!(article_of_work(WorkAction::ReportInability), "Art. 7.6");
        assert_eq!(article_of_work(WorkAction::RequestRecusal), "Art. 10");
        assert_eq!(article_of_work(WorkAction::DecideRecusal), "Art. 10");
        assert_eq!(article_of_work(WorkAction::RecordAttendance), "Art. 8");
        assert_eq!(article_of_work(WorkAction::FinalizeMinutes), "Art. 11");
    }

    // --- confidentiality ---------------------------------------------------------------------

    #[test]
    fn art_7_1_the_three_levels_are_accepted() {
        assert_eq!(
            check_confidentiality_label("internal"),
            Ok(Confidentiality::Internal)
        );
        assert_eq!(
            check_confidentiality_label("work_secret"),
            Ok(Confidentiality::WorkSecret)
        );
        assert_eq!(
            check_confidentiality_label(" commercial_secret "),
            Ok(Confidentiality::CommercialSecret)
        );
    }

    #[test]
    fn art_7_1_state_secret_markers_are_refused() {
        let spelled_otherwise = ["TOP SECRET", "State-Secret", " 机密 "];
        for raw in STATE_SECRET_MARKERS.iter().chain(&spelled_otherwise) {
            let v = violation(check_confidentiality_label(raw));
            assert_eq!(v.code, "state_secret_not_allowed", "{raw}");
            assert_eq!(v.article, "Art. 7.1");
        }
    }

    #[test]
    fn art_7_1_unknown_levels_are_invalid() {
        for raw in ["", "  ", "public", "Internal", "work secret", "商业秘密x"] {
            let v = violation(check_confidentiality_label(raw));
            assert_eq!(v.code, "invalid_confidentiality", "{raw:?}");
            assert_eq!(v.article, "Art. 7.1");
        }
    }

    #[test]
    fn art_7_1_only_internal_items_are_visible_to_integration() {
        assert!(confidentiality_visible_to_integration(
            Confidentiality::Internal
        ));
        assert!(!confidentiality_visible_to_integration(
            Confidentiality::WorkSecret
        ));
        assert!(!confidentiality_visible_to_integration(
            Confidentiality::CommercialSecret
        ));
    }

    // --- task lifecycle ----------------------------------------------------------------------

    #[test]
    fn art_11_task_happy_path() {
        use TaskState as S;
        use WorkAction as A;
        assert_eq!(task_transition(S::Open, A::Assign), Ok(S::Assigned));
        assert_eq!(task_transition(S::Assigned, A::Assign), Ok(S::Assigned));
        assert_eq!(task_transition(S::Assigned, A::Deliver), Ok(S::Assigned));
        assert_eq!(task_transition(S::Delivered, A::Close), Ok(S::Closed));
    }

    #[test]
    fn art_11_close_and_cancel_from_the_right_states() {
        use TaskState as S;
        use WorkAction as A;
        for s in [S::Open, S::Assigned, S::Delivered] {
            assert_eq!(task_transition(s, A::Close), Ok(S::Closed), "{s}");
        }
        for s in [S::Open, S::Assigned] {
            assert_eq!(task_transition(s, A::Cancel), Ok(S::Cancelled), "{s}");
        }
        assert_eq!(
            code_of(task_transition(S::Delivered, A::Cancel)),
            "invalid_transition"
        );
    }

    #[test]
    fn art_11_closed_and_cancelled_are_terminal() {
        for s in [TaskState::Closed, TaskState::Cancelled] {
            assert!(s.is_terminal());
            assert!(task_allowed_from(s).is_empty());
            for a in WorkAction::all() {
                let v = violation(task_transition(s, *a));
                assert_eq!(v.code, "invalid_transition");
                assert_eq!(v.article, "Art. 11");
            }
        }
        assert!(!TaskState::Delivered.is_terminal());
    }

    #[test]
    fn art_11_every_action_outside_the_table_is_an_invalid_transition() {
        for s in TaskState::all() {
            for a in WorkAction::all() {
                let r = task_transition(*s, *a);
                if task_allowed_from(*s).contains(a) {
                    assert!(r.is_ok(), "{s} --{a}--> should be legal");
                } else {
                    let v = violation(r);
                    assert_eq!(v.code, "invalid_transition", "{s} --{a}-->");
                    assert_eq!(v.article, "Art. 11");
                }
            }
        }
    }

    #[test]
    fn art_11_open_task_cannot_be_delivered_and_meeting_actions_are_not_task_actions() {
        use WorkAction as A;
        assert_eq!(
            code_of(task_transition(TaskState::Open, A::Deliver)),
            "invalid_transition"
        );
        for s in TaskState::all() {
            for a in [A::RecordAttendance, A::WriteMinutes, A::FinalizeMinutes] {
                assert!(!task_allowed_from(*s).contains(&a));
            }
        }
    }

    #[test]
    fn art_11_task_state_follows_its_assignments() {
        use TaskState as S;
        assert_eq!(task_state_after_assignments(S::Open, 1, 0), S::Assigned);
        assert_eq!(task_state_after_assignments(S::Assigned, 2, 1), S::Assigned);
        assert_eq!(
            task_state_after_assignments(S::Assigned, 0, 2),
            S::Delivered
        );
        assert_eq!(task_state_after_assignments(S::Assigned, 0, 0), S::Open);
    }

    #[test]
    fn art_7_6_and_art_10_task_reopens_when_its_only_advisor_leaves() {
        // The only advisor is released (Art. 7.6) or recused (Art. 10): no active, none
        // delivered, so HRSS must assign someone else.
        assert_eq!(
            task_state_after_assignments(TaskState::Assigned, 0, 0),
            TaskState::Open
        );
    }

    #[test]
    fn art_11_terminal_task_keeps_its_state_whatever_its_assignments() {
        for s in [TaskState::Closed, TaskState::Cancelled] {
            assert_eq!(task_state_after_assignments(s, 3, 0), s);
            assert_eq!(task_state_after_assignments(s, 0, 3), s);
            assert_eq!(task_state_after_assignments(s, 0, 0), s);
        }
    }

    // --- inability ---------------------------------------------------------------------------

    #[test]
    fn art_7_6_inability_before_the_deadline_is_accepted() {
        let deadline = d(2026, 5, 20);
        assert_eq!(
            check_inability(AssignmentState::Active, deadline, d(2026, 5, 19)),
            Ok(())
        );
        assert_eq!(
            check_inability(AssignmentState::Active, deadline, d(2026, 4, 1)),
            Ok(())
        );
    }

    #[test]
    fn art_7_6_inability_on_or_after_the_deadline_is_too_late() {
        let deadline = d(2026, 5, 20);
        for today in [deadline, d(2026, 5, 21), d(2027, 1, 1)] {
            let v = violation(check_inability(AssignmentState::Active, deadline, today));
            assert_eq!(v.code, "inability_after_deadline", "{today}");
            assert_eq!(v.article, "Art. 7.6");
        }
    }

    #[test]
    fn art_7_6_inability_only_on_an_active_assignment() {
        for s in [
            AssignmentState::Released,
            AssignmentState::Recused,
            AssignmentState::Delivered,
        ] {
            let v = violation(check_inability(s, d(2026, 5, 20), d(2026, 5, 1)));
            assert_eq!(v.code, "invalid_transition", "{s}");
            assert_eq!(v.article, "Art. 7.6");
        }
    }

    // --- recusal -----------------------------------------------------------------------------

    #[test]
    fn art_10_recusal_request_on_an_active_assignment_is_accepted() {
        assert_eq!(
            check_recusal_request(AssignmentState::Active, false),
            Ok(())
        );
    }

    #[test]
    fn art_10_only_one_pending_recusal_at_a_time() {
        let v = violation(check_recusal_request(AssignmentState::Active, true));
        assert_eq!(v.code, "recusal_pending");
        assert_eq!(v.article, "Art. 10");
    }

    #[test]
    fn art_10_recusal_only_on_an_active_assignment() {
        for s in [
            AssignmentState::Released,
            AssignmentState::Recused,
            AssignmentState::Delivered,
        ] {
            let v = violation(check_recusal_request(s, false));
            assert_eq!(v.code, "invalid_transition", "{s}");
            assert_eq!(v.article, "Art. 10");
        }
    }

    #[test]
    fn art_10_pending_recusal_is_granted_or_refused() {
        assert_eq!(
            decide_recusal(RecusalState::Pending, RecusalDecision::Granted),
            Ok(RecusalState::Granted)
        );
        assert_eq!(
            decide_recusal(RecusalState::Pending, RecusalDecision::Refused),
            Ok(RecusalState::Refused)
        );
    }

    #[test]
    fn art_10_decided_recusal_cannot_be_decided_again() {
        for s in [RecusalState::Granted, RecusalState::Refused] {
            for decision in RecusalDecision::all() {
                let v = violation(decide_recusal(s, *decision));
                assert_eq!(v.code, "invalid_transition");
                assert_eq!(v.article, "Art. 10");
            }
        }
    }

    // --- opinions and delivery ---------------------------------------------------------------

    #[test]
    fn art_9_major_issue_in_writing_is_accepted() {
        assert_eq!(
            check_opinion_channel(OpinionChannel::WrittenOpinion, true),
            Ok(())
        );
        assert_eq!(
            check_opinion_channel(OpinionChannel::ResearchReport, true),
            Ok(())
        );
    }

    #[test]
    fn art_9_major_issue_by_letter_phone_or_email_is_refused() {
        for ch in [
            OpinionChannel::Letter,
            OpinionChannel::Phone,
            OpinionChannel::Email,
        ] {
            let v = violation(check_opinion_channel(ch, true));
            assert_eq!(v.code, "major_issue_needs_written_opinion", "{ch}");
            assert_eq!(v.article, "Art. 9");
        }
    }

    #[test]
    fn art_9_everyday_opinion_may_use_any_channel() {
        for ch in OpinionChannel::all() {
            assert_eq!(check_opinion_channel(*ch, false), Ok(()), "{ch}");
        }
    }

    #[test]
    fn art_7_5_delivery_on_the_deadline_day_is_on_time() {
        let deadline = d(2026, 6, 30);
        assert_eq!(
            delivery_timeliness(deadline, d(2026, 6, 1)),
            Timeliness::OnTime
        );
        assert_eq!(delivery_timeliness(deadline, deadline), Timeliness::OnTime);
    }

    #[test]
    fn art_12_3_delivery_after_the_deadline_is_overdue() {
        assert_eq!(
            delivery_timeliness(d(2026, 6, 30), d(2026, 7, 1)),
            Timeliness::Overdue
        );
    }

    #[test]
    fn art_7_5_active_assignment_can_deliver() {
        assert_eq!(check_can_deliver(AssignmentState::Active), Ok(()));
    }

    #[test]
    fn art_10_recused_advisor_cannot_deliver() {
        let v = violation(check_can_deliver(AssignmentState::Recused));
        assert_eq!(v.code, "recused");
        assert_eq!(v.article, "Art. 10");
    }

    #[test]
    fn art_7_6_released_assignment_cannot_deliver() {
        let v = violation(check_can_deliver(AssignmentState::Released));
        assert_eq!(v.code, "invalid_transition");
        assert_eq!(v.article, "Art. 7.6");
    }

    #[test]
    fn art_7_5_delivered_assignment_cannot_deliver_twice() {
        let v = violation(check_can_deliver(AssignmentState::Delivered));
        assert_eq!(v.code, "invalid_transition");
        assert_eq!(v.article, "Art. 7.5");
    }

    // --- meetings and minutes ----------------------------------------------------------------

    #[test]
    fn art_8_government_meetings_require_attendance_department_meetings_do_not() {
        assert!(attendance_required(MeetingOrganizer::Government));
        assert!(!attendance_required(MeetingOrganizer::Department));
    }

    #[test]
    fn art_8_excused_absence_with_a_reason_is_accepted() {
        assert_eq!(
            check_attendance(Attendance::Excused, Some("hospitalised")),
            Ok(())
        );
        assert_eq!(check_attendance(Attendance::Attended, None), Ok(()));
        assert_eq!(check_attendance(Attendance::Absent, None), Ok(()));
        assert_eq!(
            check_attendance(Attendance::Absent, Some("no answer")),
            Ok(())
        );
    }

    #[test]
    fn art_8_excused_absence_without_a_reason_is_refused() {
        for reason in [None, Some(""), Some("   \n")] {
            let v = violation(check_attendance(Attendance::Excused, reason));
            assert_eq!(v.code, "excuse_reason_missing", "{reason:?}");
            assert_eq!(v.article, "Art. 8");
        }
    }

    #[test]
    fn art_12_3_only_absence_from_a_government_meeting_counts() {
        use Attendance as A;
        use MeetingOrganizer as M;
        assert!(is_unexcused_absence(M::Government, A::Absent));
        assert!(!is_unexcused_absence(M::Government, A::Excused));
        assert!(!is_unexcused_absence(M::Government, A::Attended));
        for a in Attendance::all() {
            assert!(!is_unexcused_absence(M::Department, *a), "{a}");
        }
    }

    #[test]
    fn art_11_complete_minutes_pass() {
        let advisors = ids(&["adv-1", "adv-2"]);
        let departments = ids(&["dept-port"]);
        let c = MinutesCompleteness {
            unrecorded_attendance: &[],
            attending_advisors: &advisors,
            advisor_opinions: &ids(&["adv-2", "adv-1", "adv-9"]),
            participating_departments: &departments,
            department_opinions: &departments,
        };
        assert_eq!(check_minutes_complete(&c), Ok(()));
        let empty: Vec<String> = Vec::new();
        let none = MinutesCompleteness {
            unrecorded_attendance: &[],
            attending_advisors: &empty,
            advisor_opinions: &empty,
            participating_departments: &empty,
            department_opinions: &empty,
        };
        assert_eq!(check_minutes_complete(&none), Ok(()));
    }

    #[test]
    fn art_11_minutes_missing_an_advisor_opinion_are_incomplete() {
        let c = MinutesCompleteness {
            unrecorded_attendance: &[],
            attending_advisors: &ids(&["adv-1", "adv-2", "adv-2"]),
            advisor_opinions: &ids(&["adv-1"]),
            participating_departments: &ids(&["dept-port"]),
            department_opinions: &ids(&["dept-port"]),
        };
        let v = violation(check_minutes_complete(&c));
        assert_eq!(v.code, "minutes_incomplete");
        assert_eq!(v.article, "Art. 11");
        assert!(v.message.contains("advisors adv-2"), "{}", v.message);
        assert_eq!(v.message.matches("adv-2").count(), 1);
        assert!(!v.message.contains("adv-1"));
        assert!(!v.message.contains("departments"));
    }

    #[test]
    fn art_11_12_3_minutes_with_an_unrecorded_attendance_are_incomplete() {
        let advisors = ids(&["adv-1"]);
        let c = MinutesCompleteness {
            unrecorded_attendance: &ids(&["adv-7"]),
            attending_advisors: &advisors,
            advisor_opinions: &advisors,
            participating_departments: &[],
            department_opinions: &[],
        };
        let v = violation(check_minutes_complete(&c));
        assert_eq!(v.code, "minutes_incomplete");
        assert!(
            v.message.contains("attendance of advisors adv-7"),
            "{}",
            v.message
        );
        assert!(!v.message.contains("adv-1"));
    }

    #[test]
    fn art_11_minutes_missing_a_department_opinion_are_incomplete() {
        let c = MinutesCompleteness {
            unrecorded_attendance: &[],
            attending_advisors: &ids(&["adv-1"]),
            advisor_opinions: &ids(&[]),
            participating_departments: &ids(&["dept-port", "dept-finance"]),
            department_opinions: &ids(&["dept-port"]),
        };
        let v = violation(check_minutes_complete(&c));
        assert_eq!(v.code, "minutes_incomplete");
        assert!(v.message.contains("advisors adv-1"), "{}", v.message);
        assert!(
            v.message.contains("departments dept-finance"),
            "{}",
            v.message
        );
        assert!(!v.message.contains("dept-port"));
    }

    #[test]
    fn art_11_draft_minutes_are_editable_finalised_minutes_are_not() {
        assert_eq!(check_minutes_editable(false), Ok(()));
        let v = violation(check_minutes_editable(true));
        assert_eq!(v.code, "minutes_finalized");
        assert_eq!(v.article, "Art. 11");
    }

    // --- matching ----------------------------------------------------------------------------

    fn cand(id: &str, field: &str, open: u32) -> MatchCandidate {
        MatchCandidate {
            advisor_id: id.to_owned(),
            field_code: field.to_owned(),
            open_assignments: open,
            recused_from_requester: false,
            active: true,
        }
    }

    #[test]
    fn art_11_field_match_first_then_workload_then_id() {
        let candidates = [
            cand("c", "agriculture", 0),
            cand("b", "port_trade", 2),
            cand("a", "port_trade", 2),
            cand("d", "port_trade", 0),
            cand("e", "agriculture", 1),
        ];
        let ranked = rank_advisors("port_trade", &candidates);
        let order: Vec<(&str, u32)> = ranked
            .iter()
            .map(|r| (r.advisor_id.as_str(), r.rank))
            .collect();
        assert_eq!(order, [("d", 1), ("a", 2), ("b", 3), ("c", 4), ("e", 5)]);
        assert!(ranked[..3].iter().all(|r| r.field_match));
        assert!(ranked[3..].iter().all(|r| !r.field_match));
        assert!(ranked.windows(2).all(|w| w[0].score >= w[1].score));
        assert_eq!(ranked[0].score, FIELD_MATCH_SCORE);
        assert_eq!(ranked[1].score, FIELD_MATCH_SCORE - 2);
        assert_eq!(ranked[3].score, 0);
    }

    #[test]
    fn art_11_reasons_explain_the_rank() {
        let ranked = rank_advisors(
            "port_trade",
            &[cand("a", "port_trade", 2), cand("b", "energy", 1)],
        );
        assert!(
            ranked[0]
                .reasons
                .contains(&"works in the task's field port_trade".to_owned())
        );
        assert!(ranked[0].reasons.contains(&"2 open assignments".to_owned()));
        assert!(ranked[1].reasons.contains(&"1 open assignment".to_owned()));
        assert!(ranked[1].reasons.iter().any(|r| r.contains("energy")));
        assert_eq!(ranked[0].open_assignments, 2);
    }

    #[test]
    fn art_10_and_art_11_inactive_and_recused_advisors_are_left_out() {
        let mut inactive = cand("inactive", "port_trade", 0);
        inactive.active = false;
        let mut recused = cand("recused", "port_trade", 0);
        recused.recused_from_requester = true;
        let ranked = rank_advisors("port_trade", &[inactive, recused, cand("ok", "energy", 5)]);
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].advisor_id, "ok");
        assert_eq!(ranked[0].rank, 1);
    }

    #[test]
    fn art_11_empty_field_matches_no_one_and_no_candidates_rank_nothing() {
        let ranked = rank_advisors("", &[cand("a", "", 0)]);
        assert!(!ranked[0].field_match);
        assert!(rank_advisors("port_trade", &[]).is_empty());
    }

    // --- assignment --------------------------------------------------------------------------

    #[test]
    fn art_10_a_released_or_recused_advisor_no_longer_sees_the_task() {
        assert!(ASSIGNMENT_STATES_SEEING_TASK.contains(&AssignmentState::Active));
        assert!(ASSIGNMENT_STATES_SEEING_TASK.contains(&AssignmentState::Delivered));
        assert!(!ASSIGNMENT_STATES_SEEING_TASK.contains(&AssignmentState::Released));
        assert!(!ASSIGNMENT_STATES_SEEING_TASK.contains(&AssignmentState::Recused));
    }

    #[test]
    fn art_10_a_recusal_on_record_is_a_conflict_of_interest() {
        assert_eq!(check_no_conflict_of_interest(false), Ok(()));
        let v = violation(check_no_conflict_of_interest(true));
        assert_eq!(v.code, "conflict_of_interest");
        assert_eq!(v.article, "Art. 10");
    }

    #[test]
    fn art_11_unwritten_minutes_cannot_be_finalised() {
        assert_eq!(check_minutes_written(true), Ok(()));
        let v = violation(check_minutes_written(false));
        assert_eq!(v.code, "minutes_incomplete");
        assert_eq!(v.article, "Art. 11");
    }

    // --- temporary experts -------------------------------------------------------------------

    #[test]
    fn art_8_engagement_of_one_day_to_one_leap_year_is_accepted() {
        assert_eq!(check_engagement_dates(d(2026, 3, 1), d(2026, 3, 1)), Ok(()));
        assert_eq!(
            check_engagement_dates(d(2028, 1, 1), d(2028, 12, 31)),
            Ok(())
        );
        assert_eq!(check_engagement_dates(d(2026, 3, 1), d(2027, 3, 1)), Ok(()));
    }

    #[test]
    fn art_8_engagement_ending_before_it_starts_is_refused() {
        let v = violation(check_engagement_dates(d(2026, 3, 2), d(2026, 3, 1)));
        assert_eq!(v.code, "invalid_engagement_period");
        assert_eq!(v.article, "Art. 8");
    }

    #[test]
    fn art_8_engagement_longer_than_366_days_is_refused() {
        assert_eq!(
            code_of(check_engagement_dates(d(2026, 3, 1), d(2027, 3, 2))),
            "invalid_engagement_period"
        );
        assert_eq!(
            code_of(check_engagement_dates(d(2028, 1, 1), d(2029, 1, 1))),
            "invalid_engagement_period"
        );
    }
}
