//! The catalogue of problem codes: every machine `code` an error body of the API can carry,
//! each with an English and a zh-CN title.
//!
//! Rule refusals ([`crate::rule::RuleViolation`]) and the API's own errors (tokens, malformed
//! requests, missing objects) draw their code from this one enum, so a client can switch on
//! it from generated types and a code cannot be invented in a handler. Codes are part of the
//! public contract: add new ones, never rename one.

crate::labelled_enum! {
    /// A stable machine code of an error (`Problem.code`).
    pub enum ProblemCode("problem_code") {
        // The request itself (400, 413, 415, 422).
        ValidationFailed = ("validation_failed", "Invalid values", "数据不符合要求"),
        MalformedJson = ("malformed_json", "Malformed JSON body", "请求体不是有效的 JSON"),
        UnreadableBody = ("unreadable_body", "Unreadable body", "无法读取请求体"),
        InvalidQuery = ("invalid_query", "Invalid query string", "查询参数无效"),
        InvalidPath = ("invalid_path", "Invalid path parameter", "路径参数无效"),
        InvalidCursor = ("invalid_cursor", "Invalid cursor", "分页游标无效"),
        InvalidIdempotencyKey = ("invalid_idempotency_key", "Invalid Idempotency-Key", "幂等键无效"),
        IdempotencyKeyReused = ("idempotency_key_reused", "Idempotency-Key reused for another request", "幂等键已用于其他请求"),
        BadRequest = ("bad_request", "Bad request", "请求无法理解"),
        PayloadTooLarge = ("payload_too_large", "Body too large", "请求体过大"),
        UnsupportedMediaType = ("unsupported_media_type", "Unsupported media type", "不支持的媒体类型"),
        NotAcceptable = ("not_acceptable", "No acceptable representation", "无可接受的表示形式"),
        UriTooLong = ("uri_too_long", "URI too long", "请求地址过长"),
        HeadersTooLarge = ("headers_too_large", "Headers too large", "请求头过大"),
        RequestTimeout = ("request_timeout", "Request timeout", "请求超时"),
        MethodNotAllowed = ("method_not_allowed", "Method not allowed", "不允许该请求方法"),
        HttpError = ("http_error", "HTTP error", "请求失败"),
        // Tokens (401).
        MissingToken = ("missing_token", "Bearer token required", "缺少访问令牌"),
        MalformedToken = ("malformed_token", "Malformed token", "令牌格式错误"),
        UnsupportedAlgorithm = ("unsupported_algorithm", "Unsupported signing algorithm", "不支持的签名算法"),
        AlgorithmMismatch = ("algorithm_mismatch", "Algorithm does not match the key", "签名算法与密钥不符"),
        UnknownKid = ("unknown_kid", "Unknown signing key", "未知的签名密钥"),
        InvalidSignature = ("invalid_signature", "Invalid signature", "签名无效"),
        TokenExpired = ("token_expired", "Token expired", "令牌已过期"),
        TokenNotYetValid = ("token_not_yet_valid", "Token not yet valid", "令牌尚未生效"),
        WrongIssuer = ("wrong_issuer", "Untrusted issuer", "签发方不受信任"),
        WrongAudience = ("wrong_audience", "Token not meant for this service", "令牌受众不符"),
        MissingClaim = ("missing_claim", "Missing claim", "令牌缺少声明"),
        NoRoles = ("no_roles", "Token carries no roles", "令牌未包含角色"),
        InvalidClaims = ("invalid_claims", "Invalid claims", "令牌声明无效"),
        InvalidTokenType = ("invalid_token_type", "Not an access token", "令牌类型无效"),
        TokenLifetimeTooLong = ("token_lifetime_too_long", "Token lifetime too long", "令牌有效期过长"),
        TokenRevoked = ("token_revoked", "Token revoked", "令牌已被撤销"),
        NoKeyConfigured = ("no_key_configured", "No verification key configured", "未配置验证密钥"),
        // Access and existence (403, 404, 429).
        Forbidden = ("forbidden", "Not allowed", "无权执行此操作"),
        NotFound = ("not_found", "Not found", "对象不存在"),
        RateLimited = ("rate_limited", "Too many submissions", "提交过于频繁"),
        TooManyRequests = ("too_many_requests", "Too many requests", "请求过于频繁"),
        // State and records (409).
        InvalidTransition = ("invalid_transition", "Not allowed in this state", "当前状态不允许此操作"),
        Duplicate = ("duplicate", "Already exists", "记录已存在"),
        DuplicateCertificateNo = ("duplicate_certificate_no", "Certificate number already issued", "聘书编号已使用"),
        AlreadyAssigned = ("already_assigned", "Advisor already assigned", "顾问已被指派"),
        // Nomination and appointment (Art. 4, 5).
        IneligibleAge = ("ineligible_age", "Age limit (Art. 5)", "不符合年龄条件"),
        IneligibleExperience = ("ineligible_experience", "Experience requirement (Art. 5)", "不符合资历条件"),
        ReviewIncomplete = ("review_incomplete", "Review incomplete", "审查尚未完成"),
        AttestationMissing = ("attestation_missing", "Attestation missing", "缺少承诺声明"),
        PartyCommitteeReportMissing = ("party_committee_report_missing", "Report to the party committee missing", "尚未报市委"),
        NoticeWindowOpen = ("notice_window_open", "Public notice still open", "公示期未结束"),
        NoticeWindowClosed = ("notice_window_closed", "Public notice closed", "公示期已结束"),
        ObjectionOpen = ("objection_open", "Objection unresolved", "异议尚未处理"),
        ObjectionAlreadyResolved = ("objection_already_resolved", "Objection already resolved", "异议已处理"),
        TermOutOfRange = ("term_out_of_range", "Term of 1 to 3 years (Art. 3)", "聘期应为1至3年"),
        InvalidCertificateNo = ("invalid_certificate_no", "Invalid certificate number", "聘书编号无效"),
        AdvisorCapReached = ("advisor_cap_reached", "Advisor cap reached", "顾问人数已达上限"),
        // Office (Art. 3, 11, 12, 13).
        AdvisorNotInOffice = ("advisor_not_in_office", "Advisor not in office", "顾问不在聘期内"),
        RenewalPending = ("renewal_pending", "Renewal already proposed", "续聘已在办理"),
        EvidenceRequired = ("evidence_required", "Evidence required", "需提供依据"),
        // Work (Art. 6–11).
        ConflictOfInterest = ("conflict_of_interest", "Conflict of interest (Art. 10)", "存在利益冲突"),
        Recused = ("recused", "Advisor recused (Art. 10)", "顾问已回避"),
        RecusalPending = ("recusal_pending", "Recusal request pending", "回避申请待决定"),
        InabilityAfterDeadline = ("inability_after_deadline", "Deadline passed", "已超过期限"),
        InvalidConfidentiality = ("invalid_confidentiality", "Invalid confidentiality", "密级无效"),
        StateSecretNotAllowed = ("state_secret_not_allowed", "State secrets not allowed", "不得涉及国家秘密"),
        MajorIssueNeedsWrittenOpinion = ("major_issue_needs_written_opinion", "Major issue needs a written opinion (Art. 9)", "重大问题须书面意见"),
        ExcuseReasonMissing = ("excuse_reason_missing", "Excuse reason missing", "缺少请假事由"),
        MinutesFinalized = ("minutes_finalized", "Minutes already final", "会议纪要已定稿"),
        MinutesIncomplete = ("minutes_incomplete", "Minutes incomplete", "会议纪要不完整"),
        InvalidEngagementPeriod = ("invalid_engagement_period", "Invalid engagement period", "聘请期限无效"),
        // Funds (Art. 14).
        AnnualCapExceeded = ("annual_cap_exceeded", "Annual cap of 500,000 CNY exceeded", "超过年度50万元上限"),
        NotStrictlyControlled = ("not_strictly_controlled", "Not a strictly controlled category", "非严控类别"),
        SubBudgetsExceedTotal = ("sub_budgets_exceed_total", "Sub-budgets exceed the total", "分项预算超过总额"),
        BudgetBelowCommitted = ("budget_below_committed", "Budget below what is committed", "预算低于已承诺金额"),
        BudgetExceeded = ("budget_exceeded", "Budget exceeded", "超出预算"),
        ReceiptsRequired = ("receipts_required", "Receipts required", "需提供票据"),
        ReceiptAlreadyClaimed = ("receipt_already_claimed", "Receipt already claimed", "票据已报销"),
        AmountNotActual = ("amount_not_actual", "Amount differs from the receipts", "金额与票据不符"),
        UseSubsidyProcedure = ("use_subsidy_procedure", "Use the subsidy procedure", "应通过工作补贴程序"),
        IncurredOutsideOffice = ("incurred_outside_office", "Incurred outside the term", "费用发生在聘期外"),
        FinanceReviewRequired = ("finance_review_required", "Finance Bureau review required", "须经市财政局审核"),
        FinanceReviewNotRequired = ("finance_review_not_required", "No Finance Bureau review for this category", "该类别无需财政审核"),
        SubsidyExists = ("subsidy_exists", "Subsidy already set for the year", "当年补贴已存在"),
        SubsidyOutOfBand = ("subsidy_out_of_band", "Subsidy outside the grade's band", "补贴超出档次范围"),
        NoSubsidyForGrade = ("no_subsidy_for_grade", "No subsidy for this grade", "该等次无补贴"),
        SpecialContributionRequired = ("special_contribution_required", "Special contribution required", "须有特殊贡献"),
        // Assessment (Art. 16).
        AssessmentExists = ("assessment_exists", "Assessment already opened", "考核已存在"),
        AssessmentNotFinal = ("assessment_not_final", "Assessment not final", "考核尚未确定"),
        InvalidAssessmentYear = ("invalid_assessment_year", "Invalid assessment year", "考核年度无效"),
        NotAServiceUnit = ("not_a_service_unit", "Not a service unit of the advisor", "非该顾问服务单位"),
        ServiceUnitOpinionsMissing = ("service_unit_opinions_missing", "Service units not heard (Art. 16)", "尚未听取服务单位意见"),
        // Attachments and documents of record (Art. 4.6, 7(5), 11, 13).
        MinutesNotFinal = ("minutes_not_final", "Minutes not final yet (Art. 11)", "会议纪要尚未定稿"),
        DocumentRevoked = ("document_revoked", "Document revoked (Art. 13)", "文件已收回"),
        StorageUnavailable = ("storage_unavailable", "File storage unavailable", "文件存储不可用"),
        // The server.
        InternalError = ("internal_error", "Internal error", "服务器内部错误"),
        // Participation and the remaining rules (Art. 4.5, 4.6, 5.5, 7, 8, 15).
        TermDiffersFromNotice = ("term_differs_from_notice", "Term differs from the public notice", "聘期与公示不一致"),
        AgeExceptionNotNeeded = ("age_exception_not_needed", "No age exception needed (Art. 5)", "无需放宽年龄条件"),
        AgeExceptionPending = ("age_exception_pending", "Age exception awaiting the government", "放宽年龄条件待市政府审定"),
        InvitationAnswered = ("invitation_answered", "Invitation already answered", "邀请已答复"),
        ConsultationClosed = ("consultation_closed", "Consultation round closed", "意见征集已截止"),
    }
}

impl ProblemCode {
    /// The code as it appears in `Problem.code`.
    pub fn as_str(self) -> &'static str {
        crate::Labelled::code(self)
    }
}

impl PartialEq<&str> for ProblemCode {
    fn eq(&self, other: &&str) -> bool {
        crate::Labelled::code(*self) == *other
    }
}

impl PartialEq<ProblemCode> for &str {
    fn eq(&self, other: &ProblemCode) -> bool {
        *self == crate::Labelled::code(*other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Labelled;
    use std::collections::HashSet;

    #[test]
    fn every_problem_code_is_unique_snake_case_with_both_titles() {
        let mut seen = HashSet::new();
        for c in ProblemCode::all() {
            let code = c.code();
            assert!(seen.insert(code), "{code} twice");
            assert!(
                code.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
                "{code} is not snake_case"
            );
            assert!(
                !c.label_en().is_empty() && !c.label_zh().is_empty(),
                "{code}"
            );
        }
    }
}
