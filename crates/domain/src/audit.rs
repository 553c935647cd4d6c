//! The audit trail (DOMAIN.md §6): every transition is recorded with who, what, when,
//! the state before and after, and the reason. The actions are listed here so that the
//! API can label them; each chapter's module adds the actions of its transitions.

crate::labelled_enum! {
    /// What an audit event records. Later chapters add their transitions here.
    pub enum AuditAction("audit_action") {
        CandidateNominated = ("candidate_nominated", "Candidate nominated", "提名顾问人选"),
        CandidatePreReviewed = ("candidate_pre_reviewed", "Preliminary review recorded", "资格初审"),
        CandidateBackgroundChecked = ("candidate_background_checked", "Background check recorded", "背景核查"),
        CandidateRejected = ("candidate_rejected", "Candidate rejected", "人选未通过"),
        CandidateWithdrawn = ("candidate_withdrawn", "Candidate withdrawn", "撤回人选"),
        CandidateSubmitted = ("candidate_submitted", "Candidate put on a recommendation list", "列入建议名单"),
        CandidateApproved = ("candidate_approved", "Candidate approved by the executive meeting", "常务会议核准人选"),
        RecommendationListSubmitted = ("recommendation_list_submitted", "Recommendation list submitted to the government", "建议名单上报市政府"),
        RecommendationListDecided = ("recommendation_list_decided", "Executive meeting decision recorded", "市政府常务会议审定"),
        PartyCommitteeReported = ("party_committee_reported", "Reported to the party committee", "上报市委"),
        NoticePublished = ("notice_published", "Public notice published", "发布公示"),
        ObjectionFiled = ("objection_filed", "Objection filed", "提出异议"),
        ObjectionResolved = ("objection_resolved", "Objection resolved", "异议处理"),
        CandidateAppointed = ("candidate_appointed", "Advisor appointed", "聘任顾问"),
        TaskCreated = ("task_created", "Task requested", "提出工作事项"),
        TaskStateChanged = ("task_state_changed", "Task state changed", "工作事项状态变更"),
        TaskClosed = ("task_closed", "Task closed", "工作事项办结"),
        TaskCancelled = ("task_cancelled", "Task cancelled", "工作事项撤销"),
        AdvisorAssigned = ("advisor_assigned", "Advisor assigned", "指派顾问"),
        InabilityReported = ("inability_reported", "Inability to complete reported", "报告无法完成"),
        RecusalRequested = ("recusal_requested", "Recusal requested", "申请回避"),
        RecusalDecided = ("recusal_decided", "Recusal decided", "回避决定"),
        OpinionSubmitted = ("opinion_submitted", "Opinion submitted", "提交意见"),
        AssignmentDelivered = ("assignment_delivered", "Assignment delivered", "完成工作任务"),
        MeetingConvened = ("meeting_convened", "Meeting convened", "召开会议"),
        AttendanceRecorded = ("attendance_recorded", "Attendance recorded", "登记出席情况"),
        MinutesWritten = ("minutes_written", "Minutes written", "撰写会议纪要"),
        MinutesFinalized = ("minutes_finalized", "Minutes finalised and forwarded to the government", "会议纪要定稿并报送市政府"),
        TemporaryExpertEngaged = ("temporary_expert_engaged", "Temporary expert engaged", "临时聘请专家"),
        FieldConfigured = ("field_configured", "Field and lead department configured", "设置领域及牵头部门"),
    }
}
