//! Nomination and vetting of advisor candidates (DOMAIN.md §1; Art. 4.1–4.6, Art. 5).
//!
//! One table, [`allowed_from`], says which [`CandidateAction`] is legal from which
//! [`CandidateState`]; [`transition`] applies it, and the gates with more facts
//! ([`preliminary_review`] here, `check_publish_notice` and `check_appointment` in
//! [`crate::appointment`]) are built on top of it.
//!
//! ```text
//! nominated ─preliminary_review─> pre_reviewed ─background_check─> background_checked
//!   ─submit─> submitted ─decide─> approved ─publish_notice─> in_notice
//!   ─(window over, no open objection: shown as notice_passed)─> appoint ─> appointed
//! failing review / check / decision, or an upheld objection ─> rejected
//! withdraw from nominated ..= notice_passed ─> withdrawn
//! ```

use crate::problem::ProblemCode;
use chrono::NaiveDate;

use crate::rule::{RuleResult, RuleViolation};

crate::labelled_enum! {
    /// How a candidate came to be proposed (Art. 4.1: 职能部门推荐、智库机构引荐、专家学者自荐、领导举荐).
    pub enum NominationChannel("nomination_channel") {
        DepartmentRecommendation = ("department_recommendation", "Recommended by a line department", "职能部门推荐"),
        ThinkTankReferral = ("think_tank_referral", "Referred by a think tank", "智库机构引荐"),
        SelfNomination = ("self_nomination", "Self-nominated expert or scholar", "专家学者自荐"),
        LeadershipRecommendation = ("leadership_recommendation", "Recommended by a leader", "领导举荐"),
    }
}

crate::labelled_enum! {
    /// Where a candidate stands in the appointment procedure (Art. 4.1–4.6).
    ///
    /// `notice_passed` is never stored: it is how [`effective_state`] shows an `in_notice`
    /// candidate once the 7-day window is over and no objection is open (Art. 4.6).
    pub enum CandidateState("candidate_state") {
        Nominated = ("nominated", "Nominated", "已提名"),
        PreReviewed = ("pre_reviewed", "Preliminary review passed", "已初审"),
        BackgroundChecked = ("background_checked", "Background check passed", "已背调"),
        Submitted = ("submitted", "On the recommendation list submitted to the government", "已上报"),
        Approved = ("approved", "Approved by the executive meeting", "已审定"),
        InNotice = ("in_notice", "In public notice", "公示中"),
        NoticePassed = ("notice_passed", "Public notice passed without objection", "公示期满"),
        Appointed = ("appointed", "Appointed", "已聘任"),
        Rejected = ("rejected", "Rejected", "未通过"),
        Withdrawn = ("withdrawn", "Withdrawn", "已撤回"),
    }
}

impl CandidateState {
    /// `appointed`, `rejected` and `withdrawn` end the procedure: no action is legal from them
    /// (Art. 4.6 for `appointed`; DOMAIN.md §1 for the others).
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Appointed | Self::Rejected | Self::Withdrawn)
    }
}

crate::labelled_enum! {
    /// One recorded step of the procedure (Art. 4.1–4.6; withdrawal is DOMAIN.md §1).
    pub enum CandidateAction("candidate_action") {
        PreliminaryReview = ("preliminary_review", "Preliminary review by the field's lead department", "资格初审"),
        BackgroundCheck = ("background_check", "Background check", "背景核查"),
        Submit = ("submit", "Put on the recommendation list submitted to the government", "列入建议名单上报市政府"),
        Decide = ("decide", "Executive meeting decision", "市政府常务会议审定"),
        ReportToPartyCommittee = ("report_to_party_committee", "Report to the party committee", "上报市委"),
        PublishNotice = ("publish_notice", "Publish the public notice", "发布公示"),
        ResolveObjection = ("resolve_objection", "Resolve an objection", "处理异议"),
        Appoint = ("appoint", "Appoint", "聘任"),
        Withdraw = ("withdraw", "Withdraw", "撤回"),
        RequestAgeException = ("request_age_exception", "Request an exception to the age limit", "申请放宽年龄条件"),
        DecideAgeException = ("decide_age_exception", "Decide on an exception to the age limit", "审定放宽年龄条件"),
    }
}

impl CandidateAction {
    /// Whether the action has a failing outcome that rejects the candidate: a failed
    /// preliminary review (Art. 4.1), background check (Art. 4.2), a refusal by the executive
    /// meeting (Art. 4.4) or an upheld objection (Art. 4.5).
    pub fn can_fail(self) -> bool {
        matches!(
            self,
            Self::PreliminaryReview | Self::BackgroundCheck | Self::Decide | Self::ResolveObjection
        )
    }
}

crate::labelled_enum! {
    /// Where a list stands.
    pub enum ListState("list_state") {
        /// Submitted to the government, awaiting the executive meeting (Art. 4.3).
        Submitted = ("submitted", "Submitted to the government", "已上报市政府"),
        /// Decided by the executive meeting (Art. 4.4).
        Decided = ("decided", "Decided by the executive meeting", "市政府常务会议已审定"),
    }
}

/// Art. 4.4 (审定……并上报市委): only a list the executive meeting has decided is reported to
/// the party committee, and only once (`invalid_transition`).
pub fn check_party_committee_report(state: ListState, already_reported: bool) -> RuleResult<()> {
    if state != ListState::Decided {
        return Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 4.4",
            "only a list decided by the executive meeting can be reported to the party committee",
        ));
    }
    if already_reported {
        return Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 4.4",
            "the report to the party committee is already on record",
        ));
    }
    Ok(())
}

crate::labelled_enum! {
    /// The outcome of one check (Art. 4.1, 4.2).
    pub enum Verdict("verdict") {
        Pass = ("pass", "Pass", "通过"),
        Fail = ("fail", "Fail", "不通过"),
    }
}

crate::labelled_enum! {
    /// What the preliminary review examines (Art. 4.1: 学历、以往职业信息、胜任力、职业操守).
    pub enum ReviewAspect("review_aspect") {
        Education = ("education", "Education", "学历"),
        Career = ("career", "Past positions", "以往职业信息"),
        Competence = ("competence", "Competence", "胜任力"),
        Ethics = ("ethics", "Professional ethics", "职业操守"),
    }
}

crate::labelled_enum! {
    /// The eligibility conditions of Art. 5 that are attested at preliminary review rather than
    /// computed: 5.1, 5.3 and 5.4. (5.2 experience and 5.5 age are checked from data.)
    pub enum Attestation("attestation") {
        /// Art. 5.1.
        LawAbidingAndEthical = ("law_abiding_and_ethical", "Abides by the Constitution and the law, good professional ethics and moral character (Art. 5.1)", "遵守宪法和法律，具有良好的职业操守和道德修养（第五条第一项）"),
        /// Art. 5.3.
        SeniorManagementOrContribution = ("senior_management_or_contribution", "Senior management or professional post, outstanding contribution to a field (Art. 5.3)", "担任高级管理职务，为行业发展作出过突出贡献（第五条第三项）"),
        /// Art. 5.4.
        KnowsCityAndPublicService = ("knows_city_and_public_service", "Knows the city and its people, committed to public service (Art. 5.4)", "熟悉市情社情民情，热爱社会公共事业（第五条第四项）"),
    }
}

/// Art. 5.2: at least 5 years in professional work or research (从事专业工作或研究5年以上).
pub const MIN_EXPERIENCE_YEARS: u32 = 5;

/// Art. 5.2: refuses a candidate with fewer than [`MIN_EXPERIENCE_YEARS`] years of professional
/// work or research (`ineligible_experience`).
pub fn check_experience(years: u32) -> RuleResult<()> {
    if years < MIN_EXPERIENCE_YEARS {
        return Err(RuleViolation::new(
            ProblemCode::IneligibleExperience,
            "Art. 5.2",
            format!(
                "at least {MIN_EXPERIENCE_YEARS} years of professional work or research are required; {years} recorded"
            ),
        ));
    }
    Ok(())
}

/// One aspect of the preliminary review with its verdict and note (Art. 4.1).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AspectReview {
    pub aspect: ReviewAspect,
    pub verdict: Verdict,
    pub note: String,
}

/// The result of a preliminary review (Art. 4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewOutcome {
    /// `pre_reviewed` when every aspect passed, `rejected` otherwise.
    pub next: CandidateState,
    /// Whether every aspect passed.
    pub passed: bool,
}

/// Art. 4.1 and Art. 5: the preliminary review of a `nominated` candidate.
///
/// - only from `nominated` (`invalid_transition`);
/// - each of the four aspects of Art. 4.1 (education, past positions, competence, ethics) must be
///   reviewed exactly once (`review_incomplete`), and a failed aspect needs a non-empty note, the
///   reason of the rejection (`review_incomplete`);
/// - if any aspect fails the candidate is `rejected`; attestations are not required then;
/// - if all pass, the three attestations of Art. 5.1, 5.3 and 5.4 must be recorded
///   (`attestation_missing`), and the candidate becomes `pre_reviewed`.
pub fn preliminary_review(
    state: CandidateState,
    aspects: &[AspectReview],
    attestations: &[Attestation],
) -> RuleResult<ReviewOutcome> {
    check_allowed(state, CandidateAction::PreliminaryReview)?;

    for aspect in <ReviewAspect as crate::Labelled>::all() {
        match aspects.iter().filter(|a| a.aspect == *aspect).count() {
            1 => {}
            0 => {
                return Err(RuleViolation::new(
                    ProblemCode::ReviewIncomplete,
                    "Art. 4.1",
                    format!("the preliminary review has no verdict on `{aspect}`"),
                ));
            }
            _ => {
                return Err(RuleViolation::new(
                    ProblemCode::ReviewIncomplete,
                    "Art. 4.1",
                    format!("the preliminary review has more than one verdict on `{aspect}`"),
                ));
            }
        }
    }
    if let Some(failed) = aspects
        .iter()
        .find(|a| a.verdict == Verdict::Fail && crate::text::is_blank(&a.note))
    {
        return Err(RuleViolation::new(
            ProblemCode::ReviewIncomplete,
            "Art. 4.1",
            format!(
                "the failed aspect `{}` needs a note giving the reason",
                failed.aspect
            ),
        ));
    }

    let passed = aspects.iter().all(|a| a.verdict == Verdict::Pass);
    if passed {
        let missing: Vec<&str> = <Attestation as crate::Labelled>::all()
            .iter()
            .filter(|a| !attestations.contains(a))
            .map(|a| crate::Labelled::code(*a))
            .collect();
        if !missing.is_empty() {
            return Err(RuleViolation::new(
                ProblemCode::AttestationMissing,
                "Art. 5",
                format!(
                    "a passing preliminary review must record the attestations of Art. 5.1, 5.3 and 5.4; missing: {}",
                    missing.join(", ")
                ),
            ));
        }
    }
    let next = transition(state, CandidateAction::PreliminaryReview, passed)?;
    Ok(ReviewOutcome { next, passed })
}

/// The single table of legal actions per state (Art. 4.1–4.6; withdrawal: DOMAIN.md §1).
///
/// Pass the state shown to the user, i.e. [`effective_state`]: `appoint` is legal only from
/// `notice_passed`, which is never stored. Terminal states allow nothing.
pub fn allowed_from(state: CandidateState) -> &'static [CandidateAction] {
    use CandidateAction as A;
    use CandidateState as S;
    match state {
        S::Nominated => &[A::PreliminaryReview, A::Withdraw],
        S::PreReviewed => &[A::BackgroundCheck, A::Withdraw],
        S::BackgroundChecked => &[A::Submit, A::Withdraw],
        S::Submitted => &[A::Decide, A::Withdraw],
        S::Approved => &[
            A::ReportToPartyCommittee,
            A::PublishNotice,
            A::Withdraw,
            A::RequestAgeException,
            A::DecideAgeException,
        ],
        S::InNotice => &[
            A::ResolveObjection,
            A::Withdraw,
            A::RequestAgeException,
            A::DecideAgeException,
        ],
        S::NoticePassed => &[
            A::Appoint,
            A::Withdraw,
            A::RequestAgeException,
            A::DecideAgeException,
        ],
        S::Appointed | S::Rejected | S::Withdrawn => &[],
    }
}

/// The article each action implements.
///
/// Preliminary review Art. 4.1, background check Art. 4.2, recommendation list Art. 4.3,
/// executive-meeting decision and report to the party committee Art. 4.4, notice and objections
/// Art. 4.5, appointment Art. 4.6. Withdrawal is a design decision (DOMAIN.md §1) within the
/// procedure of Art. 4.
pub fn article_of(action: CandidateAction) -> &'static str {
    match action {
        CandidateAction::PreliminaryReview => "Art. 4.1",
        CandidateAction::BackgroundCheck => "Art. 4.2",
        CandidateAction::Submit => "Art. 4.3",
        CandidateAction::Decide | CandidateAction::ReportToPartyCommittee => "Art. 4.4",
        CandidateAction::PublishNotice | CandidateAction::ResolveObjection => "Art. 4.5",
        CandidateAction::Appoint => "Art. 4.6",
        CandidateAction::Withdraw => "Art. 4",
        CandidateAction::RequestAgeException | CandidateAction::DecideAgeException => "Art. 5.5",
    }
}

/// Refuses an action that [`allowed_from`] does not list for the state (`invalid_transition`,
/// citing the action's article, Art. 4).
pub fn check_allowed(state: CandidateState, action: CandidateAction) -> RuleResult<()> {
    if allowed_from(state).contains(&action) {
        Ok(())
    } else {
        Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            article_of(action),
            format!("`{action}` is not allowed from the state `{state}`"),
        ))
    }
}

/// Art. 4.1–4.6: the next state after `action` from `state`, by the table of [`allowed_from`].
///
/// `passed` is the outcome of actions that can fail ([`CandidateAction::can_fail`]):
/// `false` rejects the candidate after a preliminary review (Art. 4.1), background check
/// (Art. 4.2) or executive-meeting decision (Art. 4.4), and after an upheld objection
/// (Art. 4.5; a dismissed objection, `true`, leaves the candidate `in_notice`). It is ignored
/// for the other actions.
///
/// This is the state table only. The gates that need more facts must be called instead of, or
/// before, it: [`preliminary_review`] (aspects, attestations),
/// [`crate::appointment::check_publish_notice`] (report to the party committee) and
/// [`crate::appointment::check_appointment`] (window, objections, term, age, cap; that gate
/// takes the stored `in_notice` state and its success means `appointed`).
pub fn transition(
    state: CandidateState,
    action: CandidateAction,
    passed: bool,
) -> RuleResult<CandidateState> {
    use CandidateAction as A;
    use CandidateState as S;
    check_allowed(state, action)?;
    let next = match action {
        A::PreliminaryReview if passed => S::PreReviewed,
        A::BackgroundCheck if passed => S::BackgroundChecked,
        A::Decide if passed => S::Approved,
        A::ResolveObjection if passed => S::InNotice,
        A::PreliminaryReview | A::BackgroundCheck | A::Decide | A::ResolveObjection => S::Rejected,
        A::Submit => S::Submitted,
        A::ReportToPartyCommittee => S::Approved,
        A::PublishNotice => S::InNotice,
        A::Appoint => S::Appointed,
        A::Withdraw => S::Withdrawn,
        // Art. 5.5: the exception is recorded on the candidate; the state stays.
        A::RequestAgeException | A::DecideAgeException => state,
    };
    Ok(next)
}

/// Art. 4.5–4.6: the state to show for a stored state.
///
/// A stored `in_notice` candidate is shown as `notice_passed` once `today_cst` has reached
/// `notice_ends_at_date` and no objection is open; every other state is shown as stored.
///
/// `notice_ends_at_date` is the China Standard Time date of the instant the window ends,
/// `NoticeWindow::closes_at()`, i.e. [`crate::appointment::NoticeWindow::closes_on`]
/// = start + 7 days: the first day on which the window is over. It is *not*
/// `NoticeWindow::ends_on`, the last day inside the window. `None` (no notice on record)
/// leaves the state as stored.
pub fn effective_state(
    stored: CandidateState,
    notice_ends_at_date: Option<NaiveDate>,
    open_objections: u32,
    today_cst: NaiveDate,
) -> CandidateState {
    match (stored, notice_ends_at_date) {
        (CandidateState::InNotice, Some(ends)) if today_cst >= ends && open_objections == 0 => {
            CandidateState::NoticePassed
        }
        _ => stored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Labelled;
    use crate::testing::{code_of, d};

    fn review(verdicts: [Verdict; 4]) -> Vec<AspectReview> {
        ReviewAspect::all()
            .iter()
            .zip(verdicts)
            .map(|(aspect, verdict)| AspectReview {
                aspect: *aspect,
                verdict,
                note: "checked against the dossier".to_owned(),
            })
            .collect()
    }

    const ALL_PASS: [Verdict; 4] = [Verdict::Pass; 4];

    #[test]
    fn art_4_1_every_enum_round_trips_and_has_labels() {
        fn check<T: Labelled + std::fmt::Debug + PartialEq + std::str::FromStr>() {
            for v in T::all() {
                assert_eq!(T::from_code(v.code()), Some(*v));
                assert!(!v.label_en().is_empty() && !v.label_zh().is_empty());
            }
        }
        check::<NominationChannel>();
        check::<CandidateState>();
        check::<CandidateAction>();
        check::<Verdict>();
        check::<ReviewAspect>();
        check::<Attestation>();
        check::<ListState>();
        assert_eq!(NominationChannel::all().len(), 4);
        assert_eq!(
            NominationChannel::ThinkTankReferral.label_zh(),
            "智库机构引荐"
        );
        assert_eq!(CandidateState::NoticePassed.label_zh(), "公示期满");
        assert_eq!(ReviewAspect::Career.label_zh(), "以往职业信息");
    }

    #[test]
    fn art_4_4_a_decided_list_is_reported_to_the_party_committee_once() {
        assert_eq!(
            check_party_committee_report(ListState::Decided, false),
            Ok(())
        );
        let twice = check_party_committee_report(ListState::Decided, true);
        assert_eq!(twice.as_ref().err().map(|v| v.article), Some("Art. 4.4"));
        assert_eq!(code_of(twice), "invalid_transition");
    }

    #[test]
    fn art_4_4_an_undecided_list_is_not_reported_to_the_party_committee() {
        let v = check_party_committee_report(ListState::Submitted, false);
        assert_eq!(v.as_ref().err().map(|v| v.article), Some("Art. 4.4"));
        assert_eq!(code_of(v), "invalid_transition");
    }

    #[test]
    fn art_5_2_five_years_of_experience_suffice() {
        assert_eq!(check_experience(5), Ok(()));
        assert_eq!(check_experience(30), Ok(()));
    }

    #[test]
    fn art_5_2_four_years_of_experience_are_refused() {
        let v = check_experience(4).err();
        assert_eq!(
            v.as_ref().map(|v| v.code.as_str()),
            Some("ineligible_experience")
        );
        assert_eq!(v.map(|v| v.article), Some("Art. 5.2"));
        assert_eq!(code_of(check_experience(0)), "ineligible_experience");
    }

    #[test]
    fn art_4_1_review_with_all_aspects_passed_and_attested_pre_reviews() {
        let out = preliminary_review(
            CandidateState::Nominated,
            &review(ALL_PASS),
            Attestation::all(),
        );
        assert_eq!(
            out,
            Ok(ReviewOutcome {
                next: CandidateState::PreReviewed,
                passed: true
            })
        );
    }

    #[test]
    fn art_4_1_review_with_a_failed_aspect_rejects_without_attestations() {
        let aspects = review([Verdict::Pass, Verdict::Pass, Verdict::Fail, Verdict::Pass]);
        let out = preliminary_review(CandidateState::Nominated, &aspects, &[]);
        assert_eq!(
            out,
            Ok(ReviewOutcome {
                next: CandidateState::Rejected,
                passed: false
            })
        );
    }

    #[test]
    fn art_4_1_review_missing_an_aspect_is_incomplete() {
        let mut aspects = review(ALL_PASS);
        aspects.retain(|a| a.aspect != ReviewAspect::Ethics);
        let out = preliminary_review(CandidateState::Nominated, &aspects, Attestation::all());
        assert_eq!(code_of(out), "review_incomplete");
    }

    #[test]
    fn art_4_1_review_with_a_duplicated_aspect_is_incomplete() {
        let mut aspects = review(ALL_PASS);
        aspects.push(AspectReview {
            aspect: ReviewAspect::Education,
            verdict: Verdict::Fail,
            note: "second opinion".to_owned(),
        });
        let out = preliminary_review(CandidateState::Nominated, &aspects, Attestation::all());
        assert_eq!(code_of(out), "review_incomplete");
    }

    #[test]
    fn art_4_1_failed_aspect_without_a_reason_is_incomplete() {
        let mut aspects = review([Verdict::Fail, Verdict::Pass, Verdict::Pass, Verdict::Pass]);
        for a in &mut aspects {
            a.note = "  ".to_owned();
        }
        let out = preliminary_review(CandidateState::Nominated, &aspects, &[]);
        assert_eq!(code_of(out), "review_incomplete");
    }

    #[test]
    fn art_5_passing_review_without_every_attestation_is_refused() {
        let partial = [
            Attestation::LawAbidingAndEthical,
            Attestation::KnowsCityAndPublicService,
        ];
        let out = preliminary_review(CandidateState::Nominated, &review(ALL_PASS), &partial);
        let Err(v) = out else {
            panic!("expected attestation_missing")
        };
        assert_eq!(v.code, "attestation_missing");
        assert!(v.message.contains("senior_management_or_contribution"));
        assert_eq!(
            code_of(preliminary_review(
                CandidateState::Nominated,
                &review(ALL_PASS),
                &[]
            )),
            "attestation_missing"
        );
    }

    #[test]
    fn art_4_1_review_only_from_nominated() {
        for s in CandidateState::all() {
            if *s == CandidateState::Nominated {
                continue;
            }
            let out = preliminary_review(*s, &review(ALL_PASS), Attestation::all());
            assert_eq!(code_of(out), "invalid_transition", "from {s}");
        }
    }

    #[test]
    fn art_4_happy_path_walks_the_whole_table() {
        use CandidateAction as A;
        use CandidateState as S;
        let steps = [
            (S::Nominated, A::PreliminaryReview, S::PreReviewed),
            (S::PreReviewed, A::BackgroundCheck, S::BackgroundChecked),
            (S::BackgroundChecked, A::Submit, S::Submitted),
            (S::Submitted, A::Decide, S::Approved),
            (S::Approved, A::ReportToPartyCommittee, S::Approved),
            (S::Approved, A::PublishNotice, S::InNotice),
            (S::InNotice, A::ResolveObjection, S::InNotice),
            (S::NoticePassed, A::Appoint, S::Appointed),
        ];
        for (from, action, to) in steps {
            assert_eq!(
                transition(from, action, true),
                Ok(to),
                "{from} --{action}-->"
            );
        }
    }

    #[test]
    fn art_4_1_4_2_4_4_4_5_failing_outcomes_reject() {
        use CandidateAction as A;
        use CandidateState as S;
        for (from, action) in [
            (S::Nominated, A::PreliminaryReview),
            (S::PreReviewed, A::BackgroundCheck),
            (S::Submitted, A::Decide),
            (S::InNotice, A::ResolveObjection),
        ] {
            assert!(action.can_fail());
            assert_eq!(transition(from, action, false), Ok(S::Rejected));
        }
        // Actions without a failing outcome ignore `passed`.
        assert_eq!(
            transition(S::BackgroundChecked, A::Submit, false),
            Ok(S::Submitted)
        );
    }

    #[test]
    fn art_4_every_action_outside_the_table_is_an_invalid_transition() {
        for s in CandidateState::all() {
            for a in CandidateAction::all() {
                let r = transition(*s, *a, true);
                if allowed_from(*s).contains(a) {
                    assert!(r.is_ok(), "{s} --{a}--> should be legal");
                } else {
                    let Err(v) = r else {
                        panic!("{s} --{a}--> should be refused")
                    };
                    assert_eq!(v.code, "invalid_transition");
                    assert_eq!(v.article, article_of(*a));
                }
            }
        }
    }

    #[test]
    fn art_5_5_an_age_exception_is_requested_and_decided_after_the_executive_meeting_only() {
        use CandidateAction as A;
        use CandidateState as S;
        for s in CandidateState::all() {
            for a in [A::RequestAgeException, A::DecideAgeException] {
                let after_meeting = matches!(s, S::Approved | S::InNotice | S::NoticePassed);
                if after_meeting {
                    // The state stays: the exception is recorded on the candidate.
                    assert_eq!(transition(*s, a, true), Ok(*s), "{s} --{a}-->");
                } else {
                    assert_eq!(code_of(transition(*s, a, true)), "invalid_transition");
                }
            }
        }
    }

    #[test]
    fn art_4_6_appoint_is_not_legal_from_stored_in_notice() {
        assert_eq!(
            code_of(transition(
                CandidateState::InNotice,
                CandidateAction::Appoint,
                true
            )),
            "invalid_transition"
        );
    }

    #[test]
    fn art_4_withdrawal_from_every_pre_appointment_state_only() {
        use CandidateState as S;
        for s in CandidateState::all() {
            let legal = transition(*s, CandidateAction::Withdraw, true);
            if s.is_terminal() {
                assert_eq!(code_of(legal), "invalid_transition", "from {s}");
                assert!(allowed_from(*s).is_empty());
            } else {
                assert_eq!(legal, Ok(S::Withdrawn), "from {s}");
            }
        }
        assert!(S::Appointed.is_terminal() && S::Rejected.is_terminal());
        assert!(!S::NoticePassed.is_terminal());
    }

    #[test]
    fn art_4_every_action_cites_an_article_of_art_4_or_5_5() {
        for a in CandidateAction::all() {
            assert!(
                article_of(*a).starts_with("Art. 4") || article_of(*a) == "Art. 5.5",
                "{a}"
            );
        }
        assert_eq!(article_of(CandidateAction::RequestAgeException), "Art. 5.5");
        assert_eq!(article_of(CandidateAction::PreliminaryReview), "Art. 4.1");
        assert_eq!(article_of(CandidateAction::BackgroundCheck), "Art. 4.2");
        assert_eq!(article_of(CandidateAction::Submit), "Art. 4.3");
        assert_eq!(article_of(CandidateAction::Decide), "Art. 4.4");
        assert_eq!(article_of(CandidateAction::PublishNotice), "Art. 4.5");
        assert_eq!(article_of(CandidateAction::Appoint), "Art. 4.6");
    }

    #[test]
    fn art_4_5_in_notice_shows_as_passed_from_day_8_without_objection() {
        // Notice starts 2026-03-01; the window covers 1–7 March; closes 8 March 00:00 CST.
        let closes_on = Some(d(2026, 3, 8));
        let s = CandidateState::InNotice;
        assert_eq!(
            effective_state(s, closes_on, 0, d(2026, 3, 7)),
            CandidateState::InNotice
        );
        assert_eq!(
            effective_state(s, closes_on, 0, d(2026, 3, 8)),
            CandidateState::NoticePassed
        );
        assert_eq!(
            effective_state(s, closes_on, 0, d(2026, 4, 1)),
            CandidateState::NoticePassed
        );
    }

    #[test]
    fn art_4_6_open_objection_keeps_the_candidate_in_notice() {
        assert_eq!(
            effective_state(
                CandidateState::InNotice,
                Some(d(2026, 3, 8)),
                1,
                d(2026, 3, 20)
            ),
            CandidateState::InNotice
        );
    }

    #[test]
    fn art_4_5_effective_state_leaves_other_states_and_missing_notice_alone() {
        assert_eq!(
            effective_state(CandidateState::InNotice, None, 0, d(2030, 1, 1)),
            CandidateState::InNotice
        );
        for s in CandidateState::all() {
            if *s != CandidateState::InNotice {
                assert_eq!(
                    effective_state(*s, Some(d(2026, 3, 8)), 0, d(2030, 1, 1)),
                    *s
                );
            }
        }
    }
}
