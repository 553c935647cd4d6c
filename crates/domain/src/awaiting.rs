//! What waits for a step (DOMAIN.md §1–5): each kind of object that stays in a state until a
//! role takes the step the regulation gives it, with the article of that step. A dashboard
//! shows how many of each await the caller.

crate::labelled_enum! {
    /// A kind of object waiting for a step.
    pub enum Awaiting("awaiting") {
        /// Art. 4.1: the field's lead department (or HRSS) reviews a nomination.
        CandidatesAwaitingPreliminaryReview = ("candidates_awaiting_preliminary_review", "Candidates awaiting the preliminary review", "待资格初审的候选人"),
        /// Art. 4.2.
        CandidatesAwaitingBackgroundCheck = ("candidates_awaiting_background_check", "Candidates awaiting the background check", "待背景核查的候选人"),
        /// Art. 4.3.
        CandidatesAwaitingList = ("candidates_awaiting_list", "Candidates to put on a recommendation list", "待列入建议名单的候选人"),
        /// Art. 4.4.
        ListsAwaitingDecision = ("lists_awaiting_decision", "Recommendation lists awaiting the executive meeting", "待市政府常务会议审定的建议名单"),
        /// Art. 4.5.
        CandidatesAwaitingNotice = ("candidates_awaiting_notice", "Approved candidates awaiting the public notice", "待公示的候选人"),
        /// Art. 4.5.
        ObjectionsOpen = ("objections_open", "Objections to resolve", "待处理的异议"),
        /// Art. 4.6.
        CandidatesAwaitingAppointment = ("candidates_awaiting_appointment", "Candidates whose notice has passed, awaiting appointment", "公示期满待聘任的候选人"),
        /// Art. 11.
        TasksAwaitingAssignment = ("tasks_awaiting_assignment", "Tasks awaiting an advisor", "待指派顾问的工作事项"),
        /// Art. 10.
        RecusalsAwaitingDecision = ("recusals_awaiting_decision", "Recusal requests to decide", "待决定的回避申请"),
        /// Art. 11.
        TasksAwaitingClosure = ("tasks_awaiting_closure", "Delivered tasks awaiting closure", "已完成待办结的工作事项"),
        /// Art. 12.
        DismissalsAwaitingDecision = ("dismissals_awaiting_decision", "Dismissal proposals awaiting the government", "待市政府批准的解聘意见"),
        /// Art. 13.
        ResignationsAwaitingProposal = ("resignations_awaiting_proposal", "Resignation requests awaiting HRSS's proposal", "待人社局提出意见的辞聘申请"),
        /// Art. 13.
        ResignationsAwaitingDecision = ("resignations_awaiting_decision", "Resignations awaiting the government", "待市政府批准的辞聘"),
        /// Art. 3.
        RenewalsAwaitingDecision = ("renewals_awaiting_decision", "Renewal proposals awaiting the government", "待市政府批准的续聘意见"),
        /// Art. 14.
        ExpensesAwaitingFinanceReview = ("expenses_awaiting_finance_review", "Strictly controlled expenses awaiting the Finance Bureau's review", "待财政局审核的严控类经费"),
        /// Art. 14.
        ExpensesAwaitingApproval = ("expenses_awaiting_approval", "Expenses awaiting approval", "待审批的经费"),
        /// Art. 14.
        ReviewedExpensesAwaitingApproval = ("reviewed_expenses_awaiting_approval", "Expenses reviewed by the Finance Bureau, awaiting approval", "财政局已审核待审批的经费"),
        /// Art. 14.
        ExpensesAwaitingPayment = ("expenses_awaiting_payment", "Approved expenses awaiting payment", "已批准待支付的经费"),
        /// Art. 14.
        SubsidiesAwaitingDecision = ("subsidies_awaiting_decision", "Subsidies above 50,000 CNY awaiting the government", "待市政府批准的超额补贴"),
        /// Art. 14.
        SubsidiesAwaitingPayment = ("subsidies_awaiting_payment", "Subsidies awaiting payment", "已核定待发放的补贴"),
        /// Art. 16.
        AssessmentsAwaitingPreliminary = ("assessments_awaiting_preliminary", "Assessments awaiting the preliminary grade", "待提出初评意见的年度考核"),
        /// Art. 16.
        AssessmentsAwaitingDecision = ("assessments_awaiting_decision", "Assessments awaiting the government's decision", "待市政府确定的年度考核"),
        /// Art. 7, 11: an advisor's assignments still to deliver.
        OpenAssignments = ("open_assignments", "Assignments to deliver", "待完成的工作任务"),
        /// Art. 8: meetings an advisor is invited to that are still to come.
        UpcomingMeetings = ("upcoming_meetings", "Meetings you are invited to", "待参加的会议"),
    }
}

/// The article of the step each kind waits for.
pub fn article_of(awaiting: Awaiting) -> &'static str {
    use Awaiting::*;
    match awaiting {
        CandidatesAwaitingPreliminaryReview => "Art. 4.1",
        CandidatesAwaitingBackgroundCheck => "Art. 4.2",
        CandidatesAwaitingList => "Art. 4.3",
        ListsAwaitingDecision => "Art. 4.4",
        CandidatesAwaitingNotice | ObjectionsOpen => "Art. 4.5",
        CandidatesAwaitingAppointment => "Art. 4.6",
        TasksAwaitingAssignment | TasksAwaitingClosure => "Art. 11",
        RecusalsAwaitingDecision => "Art. 10",
        DismissalsAwaitingDecision => "Art. 12",
        ResignationsAwaitingProposal | ResignationsAwaitingDecision => "Art. 13",
        RenewalsAwaitingDecision => "Art. 3",
        ExpensesAwaitingFinanceReview
        | ExpensesAwaitingApproval
        | ReviewedExpensesAwaitingApproval
        | ExpensesAwaitingPayment
        | SubsidiesAwaitingDecision
        | SubsidiesAwaitingPayment => "Art. 14",
        AssessmentsAwaitingPreliminary | AssessmentsAwaitingDecision => "Art. 16",
        OpenAssignments => "Art. 7, 11",
        UpcomingMeetings => "Art. 8",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Labelled;

    #[test]
    fn every_kind_names_the_article_of_its_step() {
        for a in Awaiting::all() {
            assert!(article_of(*a).starts_with("Art. "), "{a}");
            assert!(!a.label_zh().is_empty());
        }
    }
}
