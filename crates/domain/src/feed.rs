//! The change feed (DOMAIN.md §6: "other systems follow every change through a gap-free,
//! commit-ordered event feed and signed webhooks"): which recorded actions other systems see,
//! under which public event type, how sensitive each type is, and the dates on which state
//! that changes with the calendar alone (a term, a notice window) is recorded as changed.
//!
//! The feed is the audit trail read through this mapping: every public event is one audit
//! event, so it has the audit event's sequence number and commit order.

use chrono::NaiveDate;

use crate::{appointment::NoticeWindow, audit::AuditAction};

crate::labelled_enum! {
    /// A public event type of the change feed and webhooks: `<object>.<what happened>`.
    pub enum EventType("event_type") {
        AdvisorAppointed = ("advisor.appointed", "Advisor appointed", "聘任顾问"),
        AdvisorDismissed = ("advisor.dismissed", "Advisor dismissed", "解聘顾问"),
        AdvisorResigned = ("advisor.resigned", "Advisor resigned", "顾问辞聘"),
        TermRenewed = ("term.renewed", "Term renewed", "续聘"),
        TermExpired = ("term.expired", "Term ended", "聘期届满"),
        NoticePublished = ("notice.published", "Candidate put on public notice", "发布公示"),
        NoticeEnded = ("notice.ended", "Public notice window ended", "公示期满"),
        TaskCreated = ("task.created", "Task requested", "提出工作事项"),
        TaskAssigned = ("task.assigned", "Advisor assigned to a task", "指派顾问"),
        TaskDelivered = ("task.delivered", "Assignment delivered", "完成工作任务"),
        TaskReleased = ("task.released", "Advisor released from a task on leaving office", "顾问离任，收回工作任务"),
        TaskClosed = ("task.closed", "Task closed", "工作事项办结"),
        TaskCancelled = ("task.cancelled", "Task cancelled", "工作事项撤销"),
        MeetingInvited = ("meeting.invited", "Meeting convened, advisors invited", "召开会议并邀请顾问"),
        MinutesFinalized = ("meeting.minutes_finalized", "Minutes finalised", "会议纪要定稿"),
        InvitationWithdrawn = ("meeting.invitation_withdrawn", "Invitation withdrawn on leaving office", "顾问离任，撤回会议邀请"),
        ExpenseSubmitted = ("expense.submitted", "Expense claim submitted", "提交经费报销申请"),
        ExpenseApproved = ("expense.approved", "Expense approved", "批准经费"),
        ExpenseRejected = ("expense.rejected", "Expense rejected", "驳回经费申请"),
        ExpensePaid = ("expense.paid", "Expense paid", "支付经费"),
        SubsidyApproved = ("subsidy.approved", "Work subsidy approved", "核定工作补贴"),
        SubsidyRejected = ("subsidy.rejected", "Special subsidy not approved", "未批准特殊贡献补贴"),
        SubsidyPaid = ("subsidy.paid", "Work subsidy paid", "发放工作补贴"),
        AssessmentDecided = ("assessment.decided", "Annual assessment decided", "考核结果确定"),
    }
}

/// How sensitive an event type is: the feed's policy decides from this who reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitivity {
    /// Public-level facts: the roster (name, employer, title, field, term, status) and the
    /// public notices (Art. 4.5, 4.6).
    Public,
    /// Work items (tasks, meetings, Art. 6–11): confidential by their level (Art. 7.1); that an
    /// `internal` one exists is internal information.
    Work,
    /// Money and grades about one advisor (Art. 14, 16).
    Personal,
}

/// The public event type of a recorded action, or `None` for actions the feed leaves out.
///
/// Left out, with why:
/// - the vetting of candidates before appointment (nomination, reviews, background check,
///   lists, the executive meeting's decision, the party-committee report, objections,
///   rejection, withdrawal): personal data of people who are not (yet) advisors, read in the
///   audit trail by HRSS and auditors; the public steps (`notice.published`, `notice.ended`,
///   `advisor.appointed`) are in the feed;
/// - proposals and requests still under deliberation (dismissal, resignation and renewal
///   proposals, their rejections): only the government's decision changes anything outside
///   (`advisor.dismissed`, `advisor.resigned`, `term.renewed`);
/// - the inner steps of work (task state bookkeeping, inability, recusal, opinions' content,
///   attendance, draft minutes), of assessments (opening, service-unit opinions, preliminary
///   grades) and of funds (the Finance Bureau's review, a special subsidy's proposal): drafts
///   and personal or confidential material; the outcome has its own type;
/// - configuration (fields, budgets, webhook subscriptions, token revocations) and temporary experts, who are
///   not advisors;
/// - an age exception requested or decided for a candidate: vetting of a person not yet an
///   advisor;
/// - answers to invitations and excuse decisions, consultation rounds and their answers, and
///   declarations of interest: personal or internal material read in the app by those entitled
///   (Art. 7, 8, 15), never pushed to other systems.
/// - the audit trail's own records: reads of sensitive data (who read a background check, a
///   secret task, a grade or an objector's contact) and the auditors' verifications.
/// - progress reports, attachments, the documents drafted from minutes and the certificates and
///   agreements of a term: confidential work material and personal records; the departure that revokes a certificate has its own type (`advisor.dismissed`,
///   `advisor.resigned`).
pub fn event_type(action: AuditAction) -> Option<EventType> {
    use AuditAction as A;
    use EventType as E;
    Some(match action {
        A::CandidateAppointed => E::AdvisorAppointed,
        A::AdvisorDismissed => E::AdvisorDismissed,
        A::AdvisorResigned => E::AdvisorResigned,
        A::AdvisorRenewed => E::TermRenewed,
        A::TermExpired => E::TermExpired,
        A::NoticePublished => E::NoticePublished,
        A::NoticeEnded => E::NoticeEnded,
        A::TaskCreated => E::TaskCreated,
        A::AdvisorAssigned => E::TaskAssigned,
        A::AssignmentDelivered => E::TaskDelivered,
        A::AssignmentReleased => E::TaskReleased,
        A::InvitationWithdrawn => E::InvitationWithdrawn,
        A::TaskClosed => E::TaskClosed,
        A::TaskCancelled => E::TaskCancelled,
        A::MeetingConvened => E::MeetingInvited,
        A::MinutesFinalized => E::MinutesFinalized,
        A::ExpenseSubmitted => E::ExpenseSubmitted,
        A::ExpenseApproved => E::ExpenseApproved,
        A::ExpenseRejected => E::ExpenseRejected,
        A::ExpensePaid => E::ExpensePaid,
        A::SubsidyApproved => E::SubsidyApproved,
        A::SubsidyRejected => E::SubsidyRejected,
        A::SubsidyPaid => E::SubsidyPaid,
        A::AssessmentDecided => E::AssessmentDecided,
        A::CandidateNominated
        | A::CandidatePreReviewed
        | A::CandidateBackgroundChecked
        | A::CandidateRejected
        | A::CandidateWithdrawn
        | A::CandidateSubmitted
        | A::CandidateApproved
        | A::RecommendationListSubmitted
        | A::RecommendationListDecided
        | A::PartyCommitteeReported
        | A::ObjectionFiled
        | A::ObjectionResolved
        | A::DismissalProposed
        | A::DismissalRejected
        | A::ResignationRequested
        | A::ResignationProposed
        | A::ResignationRejected
        | A::RenewalProposed
        | A::RenewalRejected
        | A::TaskStateChanged
        | A::InabilityReported
        | A::RecusalRequested
        | A::RecusalDecided
        | A::OpinionSubmitted
        | A::AttendanceRecorded
        | A::MinutesWritten
        | A::TemporaryExpertEngaged
        | A::AssessmentOpened
        | A::ServiceUnitOpinionGiven
        | A::AssessmentPreliminary
        | A::ExpenseFinanceReviewed
        | A::SubsidyProposed
        | A::BudgetSet
        | A::FieldConfigured
        | A::WebhookSubscribed
        | A::WebhookUnsubscribed
        | A::WebhookReplayed
        | A::TokenRevoked
        | A::TokenRevocationLifted
        | A::AgeExceptionRequested
        | A::AgeExceptionDecided
        | A::InvitationAnswered
        | A::ExcuseDecided
        | A::ConsultationOpened
        | A::ConsultationAnswered
        | A::ConsultationFollowedUp
        | A::InterestDeclared
        | A::SensitiveDataRead
        | A::AuditVerificationStarted
        | A::ProgressReported
        | A::AttachmentUploaded
        | A::MeetingDocumentRecorded
        | A::AdvisorDocumentIssued
        | A::AdvisorDocumentRevoked => return None,
    })
}

/// The recorded actions behind the given public types (every mapped action for none).
pub fn actions_of(types: &[EventType]) -> Vec<AuditAction> {
    use crate::Labelled;
    AuditAction::all()
        .iter()
        .copied()
        .filter(|a| event_type(*a).is_some_and(|t| types.is_empty() || types.contains(&t)))
        .collect()
}

impl EventType {
    /// How sensitive events of this type are.
    pub fn sensitivity(self) -> Sensitivity {
        use EventType as E;
        match self {
            E::AdvisorAppointed
            | E::AdvisorDismissed
            | E::AdvisorResigned
            | E::TermRenewed
            | E::TermExpired
            | E::NoticePublished
            | E::NoticeEnded => Sensitivity::Public,
            E::TaskCreated
            | E::TaskAssigned
            | E::TaskDelivered
            | E::TaskReleased
            | E::InvitationWithdrawn
            | E::TaskClosed
            | E::TaskCancelled
            | E::MeetingInvited
            | E::MinutesFinalized => Sensitivity::Work,
            E::ExpenseSubmitted
            | E::ExpenseApproved
            | E::ExpenseRejected
            | E::ExpensePaid
            | E::SubsidyApproved
            | E::SubsidyRejected
            | E::SubsidyPaid
            | E::AssessmentDecided => Sensitivity::Personal,
        }
    }
}

/// Art. 3: the day a term that ends on `ends_on` (its last day) has expired: the day after,
/// when the advisor shows as `expired` (see [`crate::office::effective_status`]).
pub fn term_expires_on(ends_on: NaiveDate) -> NaiveDate {
    ends_on.succ_opt().unwrap_or(ends_on)
}

/// Art. 4.5: the day a notice's 7-day window is over (`starts_on + 7`, the first day on which
/// the appointment may follow).
pub fn notice_ends_on(starts_on: NaiveDate) -> NaiveDate {
    NoticeWindow::from_start(starts_on).closes_on()
}

/// Whether a change that happens on `on` by the calendar alone is due on `today`.
pub fn is_due(on: NaiveDate, today: NaiveDate) -> bool {
    on <= today
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Labelled;
    use crate::testing::d;

    #[test]
    fn every_public_type_has_exactly_one_action_behind_it() {
        for t in EventType::all() {
            let actions = actions_of(&[*t]);
            assert_eq!(actions.len(), 1, "{t}: {actions:?}");
            assert_eq!(event_type(actions[0]), Some(*t));
        }
        assert_eq!(actions_of(&[]).len(), EventType::all().len());
    }

    #[test]
    fn art_4_the_vetting_of_candidates_stays_out_of_the_feed() {
        for a in [
            AuditAction::CandidateNominated,
            AuditAction::CandidateBackgroundChecked,
            AuditAction::ObjectionFiled,
        ] {
            assert_eq!(event_type(a), None);
        }
        assert_eq!(
            event_type(AuditAction::CandidateAppointed),
            Some(EventType::AdvisorAppointed)
        );
    }

    #[test]
    fn art_7_1_work_items_and_art_14_money_are_not_public() {
        assert_eq!(EventType::TaskAssigned.sensitivity(), Sensitivity::Work);
        assert_eq!(
            EventType::ExpenseApproved.sensitivity(),
            Sensitivity::Personal
        );
        assert_eq!(EventType::TermExpired.sensitivity(), Sensitivity::Public);
    }

    #[test]
    fn art_3_a_term_has_expired_the_day_after_its_last_day() {
        assert_eq!(term_expires_on(d(2027, 6, 30)), d(2027, 7, 1));
        assert!(is_due(d(2027, 7, 1), d(2027, 7, 1)));
        assert!(!is_due(d(2027, 7, 1), d(2027, 6, 30)));
    }

    #[test]
    fn art_4_5_a_notice_ends_on_the_eighth_day() {
        assert_eq!(notice_ends_on(d(2026, 3, 1)), d(2026, 3, 8));
    }
}
