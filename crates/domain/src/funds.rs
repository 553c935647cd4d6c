//! Advisor work funds (DOMAIN.md §4, Art. 14): the yearly budget under the city-wide cap,
//! expense claims with the Finance Bureau's review of strictly controlled categories, and
//! the annual work subsidy set from the final assessment grade. Amounts are integer fen.

use crate::office::{AssessmentState, Grade, SUBSIDY_MAX_FEN, SUBSIDY_MIN_FEN, SubsidyBands};
use crate::problem::ProblemCode;
use crate::rule::{RuleResult, RuleViolation};

/// Art. 14 (全市每年总顾问经费不超过50万元): the most a year's budget may hold, in fen.
pub const ANNUAL_CAP_FEN: i64 = 50_000_000;

crate::labelled_enum! {
    /// What an amount is spent on (Art. 14). The last six are strictly controlled (严控).
    pub enum ExpenseCategory("expense_category") {
        Transport = ("transport", "Transport (reimbursed at actual cost)", "交通费（实报实销）"),
        Accommodation = ("accommodation", "Accommodation", "住宿费"),
        Meals = ("meals", "Meals", "伙食费"),
        DailyWork = ("daily_work", "Daily work", "日常工作经费"),
        Research = ("research", "Research projects", "课题研究经费"),
        OutcomeIncentive = ("outcome_incentive", "Outcome incentive", "成果激励"),
        WorkSubsidy = ("work_subsidy", "Work subsidy", "工作补贴"),
        LivingSubsidy = ("living_subsidy", "Living subsidy", "生活补贴"),
        OfficialReception = ("official_reception", "Official reception", "公务接待费"),
        OfficialVehicle = ("official_vehicle", "Official vehicles", "公务用车购置及运行费"),
        OverseasTravel = ("overseas_travel", "Overseas travel on official business", "因公出国（境）费"),
        Meeting = ("meeting", "Meetings", "会议费"),
        Training = ("training", "Training", "培训费"),
        Travel = ("travel", "Business travel", "差旅费"),
    }
}

impl ExpenseCategory {
    /// Art. 14: the "three public" expenses (三公), meetings, training and business travel are
    /// strictly controlled: the Finance Bureau reviews them, and they may have a sub-budget.
    pub fn is_strictly_controlled(self) -> bool {
        matches!(
            self,
            Self::OfficialReception
                | Self::OfficialVehicle
                | Self::OverseasTravel
                | Self::Meeting
                | Self::Training
                | Self::Travel
        )
    }
}

crate::labelled_enum! {
    /// Where an expense claim stands (Art. 14).
    pub enum ExpenseState("expense_state") {
        Submitted = ("submitted", "Submitted", "已提交"),
        FinanceReviewed = ("finance_reviewed", "Reviewed by the Finance Bureau", "财政局已审核"),
        Approved = ("approved", "Approved; the amount is committed", "已批准（已占用预算）"),
        Paid = ("paid", "Paid", "已支付"),
        Rejected = ("rejected", "Rejected", "已驳回"),
    }
}

crate::labelled_enum! {
    /// Where a work subsidy stands (Art. 14).
    pub enum SubsidyState("subsidy_state") {
        PendingDecision = ("pending_decision", "Above 50,000 CNY for a special contribution: awaiting the government", "特殊贡献超过五万元，待市政府批准"),
        Approved = ("approved", "Approved; the amount is committed", "已核定（已占用预算）"),
        Paid = ("paid", "Paid", "已发放"),
        Rejected = ("rejected", "Not approved", "未批准"),
    }
}

crate::labelled_enum! {
    /// The steps on an expense claim.
    pub enum ExpenseAction("expense_action") {
        FinanceReview = ("finance_review", "Finance Bureau review", "财政局审核"),
        Approve = ("approve", "Approve or reject", "审批"),
        Pay = ("pay", "Record the payment", "支付"),
    }
}

/// Art. 14: a year's budget is positive and at most 500,000 CNY (`annual_cap_exceeded`).
pub fn check_budget_total(total_fen: i64) -> RuleResult<()> {
    if total_fen > ANNUAL_CAP_FEN {
        return Err(RuleViolation::new(
            ProblemCode::AnnualCapExceeded,
            "Art. 14",
            format!(
                "a year's advisor budget is at most {ANNUAL_CAP_FEN} fen (500,000 CNY); {total_fen} fen was asked"
            ),
        ));
    }
    Ok(())
}

/// Art. 14: sub-budgets exist only for strictly controlled categories
/// (`not_strictly_controlled`) and together fit in the total (`sub_budgets_exceed_total`).
pub fn check_sub_budgets(total_fen: i64, sub_budgets: &[(ExpenseCategory, i64)]) -> RuleResult<()> {
    if let Some((c, _)) = sub_budgets
        .iter()
        .find(|(c, _)| !c.is_strictly_controlled())
    {
        return Err(RuleViolation::new(
            ProblemCode::NotStrictlyControlled,
            "Art. 14",
            format!("`{c}` is not a strictly controlled category and has no sub-budget"),
        ));
    }
    let sum: i64 = sub_budgets.iter().map(|(_, a)| *a).sum();
    if sum > total_fen {
        return Err(RuleViolation::new(
            ProblemCode::SubBudgetsExceedTotal,
            "Art. 14",
            format!("the sub-budgets add up to {sum} fen, more than the total of {total_fen} fen"),
        ));
    }
    Ok(())
}

/// Art. 14 (不得无预算或超预算执行): a budget cannot be lowered below what is already
/// committed against it (`budget_below_committed`).
pub fn check_not_below_committed(what: &str, limit_fen: i64, committed_fen: i64) -> RuleResult<()> {
    if limit_fen < committed_fen {
        return Err(RuleViolation::new(
            ProblemCode::BudgetBelowCommitted,
            "Art. 14",
            format!("{what} of {limit_fen} fen is below the {committed_fen} fen already committed"),
        ));
    }
    Ok(())
}

/// A sub-budget as it is being set: its category, its limit and what is already committed
/// against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubBudgetLine {
    pub category: ExpenseCategory,
    pub limit_fen: i64,
    pub committed_fen: i64,
}

/// Art. 14: the checks of a budget being set, in order: its sub-budgets
/// ([`check_sub_budgets`]), then the total and each sub-budget against what is already
/// committed ([`check_not_below_committed`]; `committed_fen` is `None` for a year without a
/// budget yet).
pub fn check_budget_setting(
    total_fen: i64,
    committed_fen: Option<i64>,
    sub_budgets: &[SubBudgetLine],
) -> RuleResult<()> {
    let pairs: Vec<(ExpenseCategory, i64)> = sub_budgets
        .iter()
        .map(|s| (s.category, s.limit_fen))
        .collect();
    check_sub_budgets(total_fen, &pairs)?;
    if let Some(committed) = committed_fen {
        check_not_below_committed("the total", total_fen, committed)?;
    }
    for s in sub_budgets {
        check_not_below_committed(
            &format!("the `{}` sub-budget", s.category),
            s.limit_fen,
            s.committed_fen,
        )?;
    }
    Ok(())
}

/// Art. 14 (不得无预算或超预算执行): the refusal of a commitment that has no budget or does
/// not fit in what remains (`budget_exceeded`).
pub fn budget_exceeded(
    what: &str,
    year: i32,
    amount_fen: i64,
    remaining_fen: Option<i64>,
) -> RuleViolation {
    let message = match remaining_fen {
        None => format!("no budget is set for {year}; nothing can be committed against it"),
        Some(r) => {
            format!("{amount_fen} fen does not fit in the {what} of {year}: {r} fen remains")
        }
    };
    RuleViolation::new(ProblemCode::BudgetExceeded, "Art. 14", message)
}

/// Art. 14 (交通费用实报实销): a transport claim lists its receipts and claims exactly their
/// sum (`receipts_required`, `amount_not_actual`). Receipts of other categories, when given,
/// must also add up to the claim.
pub fn check_receipts(
    category: ExpenseCategory,
    amount_fen: i64,
    receipt_amounts_fen: &[i64],
) -> RuleResult<()> {
    if category == ExpenseCategory::Transport && receipt_amounts_fen.is_empty() {
        return Err(RuleViolation::new(
            ProblemCode::ReceiptsRequired,
            "Art. 14",
            "transport is reimbursed at the actual cost: list the receipts",
        ));
    }
    let sum: i64 = receipt_amounts_fen.iter().sum();
    if !receipt_amounts_fen.is_empty() && sum != amount_fen {
        return Err(RuleViolation::new(
            ProblemCode::AmountNotActual,
            "Art. 14",
            format!("the receipts add up to {sum} fen but {amount_fen} fen is claimed"),
        ));
    }
    Ok(())
}

/// Art. 14 (实报实销): each receipt is reimbursed once; the refusal of a receipt a live claim
/// already lists (`receipt_already_claimed`), naming it when known.
pub fn receipt_already_claimed(reference: Option<&str>) -> RuleViolation {
    let what = match reference {
        Some(r) => format!("receipt `{r}`"),
        None => "one of the receipts".to_owned(),
    };
    RuleViolation::new(
        ProblemCode::ReceiptAlreadyClaimed,
        "Art. 14",
        format!("{what} is already claimed; each receipt is reimbursed once"),
    )
}

/// Art. 14 (实报实销): refuses a claim listing a receipt that `taken` shows is already claimed.
pub fn check_receipts_unclaimed(taken: Option<&str>) -> RuleResult<()> {
    match taken {
        Some(r) => Err(receipt_already_claimed(Some(r))),
        None => Ok(()),
    }
}

/// Art. 14 (成果激励与工作成果和考核挂钩，根据考核情况给予顾问五千到五万元不等工作补贴): the
/// outcome incentive and the work subsidy follow the annual assessment, so they are set through
/// the subsidy procedure, never claimed as an expense (`use_subsidy_procedure`).
pub fn check_claimable(category: ExpenseCategory) -> RuleResult<()> {
    if matches!(
        category,
        ExpenseCategory::WorkSubsidy | ExpenseCategory::OutcomeIncentive
    ) {
        return Err(RuleViolation::new(
            ProblemCode::UseSubsidyProcedure,
            "Art. 14",
            format!("`{category}` follows the annual assessment: propose it as a subsidy"),
        ));
    }
    Ok(())
}

/// Art. 14 (顾问赴二连浩特市工作产生的…费用): advisor work funds pay for an advisor's work, so
/// only an expense incurred while in office is one: from the first term's start to the last
/// term's end, or to the day the advisor left (`incurred_outside_office`).
pub fn check_incurred_in_office(
    incurred_on: chrono::NaiveDate,
    first_day: chrono::NaiveDate,
    last_day: chrono::NaiveDate,
) -> RuleResult<()> {
    if incurred_on < first_day || incurred_on > last_day {
        return Err(RuleViolation::new(
            ProblemCode::IncurredOutsideOffice,
            "Art. 14",
            format!(
                "the advisor served from {first_day} to {last_day}; {incurred_on} is outside it"
            ),
        ));
    }
    Ok(())
}

/// The article behind a step on an expense.
const EXPENSE_ARTICLE: &str = "Art. 14";

/// Art. 14 (严控经费须经市财政局审核): the state an expense moves to by a step, or why not.
/// The Finance Bureau reviews only strictly controlled claims (`finance_review_not_required`);
/// HRSS approves those only after that review (`finance_review_required`), though it may
/// reject any claim still open; only an approved claim is paid.
pub fn expense_step(
    category: ExpenseCategory,
    state: ExpenseState,
    action: ExpenseAction,
    approve: bool,
) -> RuleResult<ExpenseState> {
    let controlled = category.is_strictly_controlled();
    let to = |ok: ExpenseState| {
        if approve { ok } else { ExpenseState::Rejected }
    };
    match (action, state) {
        (ExpenseAction::FinanceReview, _) if !controlled => Err(RuleViolation::new(
            ProblemCode::FinanceReviewNotRequired,
            EXPENSE_ARTICLE,
            format!("`{category}` is not strictly controlled; HRSS approves it directly"),
        )),
        (ExpenseAction::FinanceReview, ExpenseState::Submitted) => {
            Ok(to(ExpenseState::FinanceReviewed))
        }
        (ExpenseAction::Approve, ExpenseState::Submitted) if controlled && approve => {
            Err(RuleViolation::new(
                ProblemCode::FinanceReviewRequired,
                EXPENSE_ARTICLE,
                format!("`{category}` is strictly controlled: the Finance Bureau reviews it first"),
            ))
        }
        (ExpenseAction::Approve, ExpenseState::Submitted | ExpenseState::FinanceReviewed) => {
            Ok(to(ExpenseState::Approved))
        }
        (ExpenseAction::Pay, ExpenseState::Approved) => Ok(ExpenseState::Paid),
        _ => Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            EXPENSE_ARTICLE,
            format!("`{action}` is not possible on an expense that is `{state}`"),
        )),
    }
}

/// The steps possible on an expense now (for the front end's buttons).
pub fn expense_allowed(category: ExpenseCategory, state: ExpenseState) -> Vec<ExpenseAction> {
    [
        ExpenseAction::FinanceReview,
        ExpenseAction::Approve,
        ExpenseAction::Pay,
    ]
    .into_iter()
    .filter(|a| expense_step(category, state, *a, true).is_ok())
    .collect()
}

/// How a proposed subsidy proceeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubsidyRoute {
    /// Within 5,000–50,000 CNY: approved by HRSS and committed at once.
    Approve,
    /// Above 50,000 CNY for a recorded special contribution: the government decides.
    GovernmentDecision,
}

/// Art. 14, 16 (根据考核情况给予顾问五千到五万元不等工作补贴；作出特殊贡献的，可适当提高补贴标准):
/// the work subsidy follows the final grade. `incompetent` earns none (`no_subsidy_for_grade`).
/// The amount lies in the grade's band, which lies within 5,000–50,000 CNY
/// (`subsidy_out_of_band`). A recorded special contribution raises the standard: above the band
/// up to 50,000 CNY, HRSS approves it; above 50,000 CNY only the government may
/// (`special_contribution_required` without one).
pub fn subsidy_route(
    bands: &SubsidyBands,
    grade: Grade,
    amount_fen: i64,
    special_contribution: Option<&str>,
) -> RuleResult<SubsidyRoute> {
    let Some(band) = bands.band(grade) else {
        return Err(RuleViolation::new(
            ProblemCode::NoSubsidyForGrade,
            "Art. 14",
            format!("an advisor graded `{grade}` receives no work subsidy"),
        ));
    };
    let special = special_contribution.is_some_and(|s| !s.trim().is_empty());
    let out_of_band = |why: &str| {
        RuleViolation::new(
            ProblemCode::SubsidyOutOfBand,
            "Art. 14",
            format!(
                "a `{grade}` subsidy is {}–{} fen; {amount_fen} fen is {why}",
                band.min_fen, band.max_fen
            ),
        )
    };
    if amount_fen < band.min_fen.max(SUBSIDY_MIN_FEN) {
        return Err(out_of_band("below it"));
    }
    if amount_fen > SUBSIDY_MAX_FEN {
        return if special {
            Ok(SubsidyRoute::GovernmentDecision)
        } else {
            Err(RuleViolation::new(
                ProblemCode::SpecialContributionRequired,
                "Art. 14",
                format!(
                    "more than {SUBSIDY_MAX_FEN} fen (50,000 CNY) needs a recorded special contribution approved by the government"
                ),
            ))
        };
    }
    if amount_fen > band.max_fen && !special {
        return Err(out_of_band(
            "above it without a recorded special contribution",
        ));
    }
    Ok(SubsidyRoute::Approve)
}

/// Art. 14, 16 (根据考核情况给予顾问…工作补贴): the subsidy follows the final grade, so it needs
/// the year's decided assessment (`assessment_not_final`). `assessment` is the state and final
/// grade of the advisor's assessment for the year, if there is one; the grade to follow.
pub fn subsidy_grade(
    assessment: Option<(AssessmentState, Option<Grade>)>,
    advisor_id: &str,
    year: i32,
) -> RuleResult<Grade> {
    match assessment {
        Some((AssessmentState::Decided, Some(grade))) => Ok(grade),
        _ => Err(RuleViolation::new(
            ProblemCode::AssessmentNotFinal,
            "Art. 14",
            format!(
                "the subsidy follows the final grade: the {year} assessment of advisor {advisor_id} is not decided"
            ),
        )),
    }
}

/// Art. 14: one live work subsidy per advisor and year; the refusal of a second
/// (`subsidy_exists`). A rejected one may be proposed again.
pub fn subsidy_exists(advisor_id: &str, year: i32) -> RuleViolation {
    RuleViolation::new(
        ProblemCode::SubsidyExists,
        "Art. 14",
        format!("advisor {advisor_id} already has a work subsidy for {year}"),
    )
}

/// Art. 14: refuses a subsidy when the advisor already has a live one for the year.
pub fn check_one_subsidy_a_year(live_exists: bool, advisor_id: &str, year: i32) -> RuleResult<()> {
    if live_exists {
        Err(subsidy_exists(advisor_id, year))
    } else {
        Ok(())
    }
}

/// Art. 14: only a subsidy awaiting the government is decided; only an approved one is paid.
pub fn subsidy_step(state: SubsidyState, to: SubsidyState) -> RuleResult<SubsidyState> {
    let ok = matches!(
        (state, to),
        (
            SubsidyState::PendingDecision,
            SubsidyState::Approved | SubsidyState::Rejected
        ) | (SubsidyState::Approved, SubsidyState::Paid)
    );
    if ok {
        Ok(to)
    } else {
        Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 14",
            format!("a subsidy that is `{state}` cannot become `{to}`"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Labelled;
    use crate::testing::code_of as code;

    #[test]
    fn art_14_a_budget_is_at_most_500000_cny() {
        assert!(check_budget_total(50_000_000).is_ok());
        assert_eq!(code(check_budget_total(50_000_001)), "annual_cap_exceeded");
    }

    #[test]
    fn art_14_sub_budgets_only_for_controlled_categories_within_the_total() {
        assert!(check_sub_budgets(1_000, &[(ExpenseCategory::Meeting, 600)]).is_ok());
        assert_eq!(
            code(check_sub_budgets(
                1_000,
                &[(ExpenseCategory::Transport, 100)]
            )),
            "not_strictly_controlled"
        );
        assert_eq!(
            code(check_sub_budgets(
                1_000,
                &[
                    (ExpenseCategory::Meeting, 600),
                    (ExpenseCategory::Travel, 401)
                ]
            )),
            "sub_budgets_exceed_total"
        );
        assert_eq!(
            code(check_not_below_committed("the total", 99, 100)),
            "budget_below_committed"
        );
    }

    #[test]
    fn art_14_the_three_public_meetings_training_and_travel_are_strictly_controlled() {
        let controlled: Vec<&str> = ExpenseCategory::all()
            .iter()
            .filter(|c| c.is_strictly_controlled())
            .map(|c| c.code())
            .collect();
        assert_eq!(
            controlled,
            [
                "official_reception",
                "official_vehicle",
                "overseas_travel",
                "meeting",
                "training",
                "travel"
            ]
        );
    }

    #[test]
    fn art_14_transport_is_reimbursed_at_actual_cost_against_receipts() {
        assert_eq!(
            code(check_receipts(ExpenseCategory::Transport, 1_000, &[])),
            "receipts_required"
        );
        assert_eq!(
            code(check_receipts(
                ExpenseCategory::Transport,
                1_000,
                &[400, 500]
            )),
            "amount_not_actual"
        );
        assert!(check_receipts(ExpenseCategory::Transport, 900, &[400, 500]).is_ok());
        assert!(check_receipts(ExpenseCategory::Meals, 900, &[]).is_ok());
        assert_eq!(
            code(check_claimable(ExpenseCategory::WorkSubsidy)),
            "use_subsidy_procedure"
        );
        assert_eq!(
            code(check_claimable(ExpenseCategory::OutcomeIncentive)),
            "use_subsidy_procedure"
        );
    }

    #[test]
    fn art_14_only_expenses_of_the_advisors_time_in_office() {
        let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        assert!(check_incurred_in_office(d(3, 1), d(3, 1), d(9, 30)).is_ok());
        assert!(check_incurred_in_office(d(9, 30), d(3, 1), d(9, 30)).is_ok());
        assert_eq!(
            code(check_incurred_in_office(d(2, 28), d(3, 1), d(9, 30))),
            "incurred_outside_office"
        );
        assert_eq!(
            code(check_incurred_in_office(d(10, 1), d(3, 1), d(9, 30))),
            "incurred_outside_office"
        );
    }

    #[test]
    fn art_14_controlled_expenses_need_the_finance_review_before_approval() {
        use ExpenseAction::*;
        use ExpenseState::*;
        let meeting = ExpenseCategory::Meeting;
        let meals = ExpenseCategory::Meals;
        assert_eq!(
            code(expense_step(meeting, Submitted, Approve, true)),
            "finance_review_required"
        );
        assert_eq!(
            expense_step(meeting, Submitted, FinanceReview, true),
            Ok(FinanceReviewed)
        );
        assert_eq!(
            expense_step(meeting, Submitted, FinanceReview, false),
            Ok(Rejected)
        );
        assert_eq!(
            expense_step(meeting, FinanceReviewed, Approve, true),
            Ok(Approved)
        );
        assert_eq!(
            code(expense_step(meals, Submitted, FinanceReview, true)),
            "finance_review_not_required"
        );
        assert_eq!(expense_step(meals, Submitted, Approve, false), Ok(Rejected));
        assert_eq!(
            expense_step(meeting, Submitted, Approve, false),
            Ok(Rejected)
        );
        assert_eq!(expense_step(meals, Approved, Pay, true), Ok(Paid));
        assert_eq!(
            code(expense_step(meals, Paid, Approve, true)),
            "invalid_transition"
        );
        assert_eq!(
            code(expense_step(meals, Submitted, Pay, true)),
            "invalid_transition"
        );
        assert_eq!(expense_allowed(meeting, Submitted), vec![FinanceReview]);
        assert_eq!(expense_allowed(meals, Submitted), vec![Approve]);
        assert_eq!(
            expense_allowed(meals, Rejected),
            Vec::<ExpenseAction>::new()
        );
    }

    #[test]
    fn art_14_16_the_subsidy_follows_the_grade_and_above_50000_needs_the_government() {
        let bands = SubsidyBands::default();
        let route = |g, a, s| subsidy_route(&bands, g, a, s);
        assert_eq!(
            route(Grade::Excellent, 5_000_000, None),
            Ok(SubsidyRoute::Approve)
        );
        assert_eq!(
            code(route(Grade::Excellent, 5_000_100, None)),
            "special_contribution_required"
        );
        assert_eq!(
            route(Grade::Excellent, 5_000_100, Some("口岸通道方案获国家批复")),
            Ok(SubsidyRoute::GovernmentDecision)
        );
        assert_eq!(
            code(route(Grade::Competent, 3_500_000, None)),
            "subsidy_out_of_band"
        );
        // 适当提高补贴标准: above the band up to 50,000 CNY for a special contribution.
        assert_eq!(
            route(Grade::Competent, 3_500_000, Some("贡献")),
            Ok(SubsidyRoute::Approve)
        );
        assert_eq!(
            code(route(Grade::Competent, 1_000_000, Some("贡献"))),
            "subsidy_out_of_band"
        );
        assert_eq!(
            code(route(Grade::Incompetent, 600_000, None)),
            "no_subsidy_for_grade"
        );
        assert_eq!(
            code(route(Grade::BasicallyCompetent, 499_999, None)),
            "subsidy_out_of_band"
        );
    }

    #[test]
    fn art_14_only_a_pending_subsidy_is_decided_and_only_an_approved_one_paid() {
        use SubsidyState::*;
        assert_eq!(subsidy_step(PendingDecision, Approved), Ok(Approved));
        assert_eq!(subsidy_step(PendingDecision, Rejected), Ok(Rejected));
        assert_eq!(subsidy_step(Approved, Paid), Ok(Paid));
        assert_eq!(code(subsidy_step(Approved, Rejected)), "invalid_transition");
        assert_eq!(code(subsidy_step(Rejected, Paid)), "invalid_transition");
    }

    #[test]
    fn art_14_a_commitment_without_budget_says_so() {
        let v = budget_exceeded("budget", 2027, 100, None);
        assert_eq!(v.code, "budget_exceeded");
        assert!(v.message.contains("no budget"));
        let v = budget_exceeded("budget", 2027, 100, Some(40));
        assert!(v.message.contains("40 fen remains"));
    }

    #[test]
    fn art_14_a_budget_setting_checks_sub_budgets_then_the_committed_amounts() {
        let line = |category, limit_fen, committed_fen| SubBudgetLine {
            category,
            limit_fen,
            committed_fen,
        };
        assert!(
            check_budget_setting(1_000, None, &[line(ExpenseCategory::Meeting, 600, 0)]).is_ok()
        );
        assert!(check_budget_setting(1_000, Some(1_000), &[]).is_ok());
        assert_eq!(
            code(check_budget_setting(1_000, Some(1_001), &[])),
            "budget_below_committed"
        );
        assert_eq!(
            code(check_budget_setting(
                1_000,
                Some(0),
                &[line(ExpenseCategory::Meeting, 600, 601)]
            )),
            "budget_below_committed"
        );
        // The sub-budgets are checked first.
        assert_eq!(
            code(check_budget_setting(
                1_000,
                Some(2_000),
                &[line(ExpenseCategory::Meals, 600, 0)]
            )),
            "not_strictly_controlled"
        );
    }

    #[test]
    fn art_14_each_receipt_is_reimbursed_once() {
        assert!(check_receipts_unclaimed(None).is_ok());
        let refused = check_receipts_unclaimed(Some("E123"));
        assert_eq!(
            refused.as_ref().map_err(|v| v.message.contains("E123")),
            Err(true)
        );
        assert_eq!(code(refused), "receipt_already_claimed");
        let v = receipt_already_claimed(None);
        assert_eq!(
            (v.code.as_str(), v.article),
            ("receipt_already_claimed", "Art. 14")
        );
    }

    #[test]
    fn art_14_16_the_subsidy_needs_the_decided_assessment() {
        use AssessmentState::*;
        assert_eq!(
            subsidy_grade(Some((Decided, Some(Grade::Competent))), "a", 2026),
            Ok(Grade::Competent)
        );
        assert_eq!(code(subsidy_grade(None, "a", 2026)), "assessment_not_final");
        assert_eq!(
            code(subsidy_grade(
                Some((Preliminary, Some(Grade::Competent))),
                "a",
                2026
            )),
            "assessment_not_final"
        );
        assert_eq!(
            code(subsidy_grade(Some((Draft, None)), "a", 2026)),
            "assessment_not_final"
        );
    }

    #[test]
    fn art_14_one_live_subsidy_per_advisor_and_year() {
        assert!(check_one_subsidy_a_year(false, "a", 2026).is_ok());
        assert_eq!(
            code(check_one_subsidy_a_year(true, "a", 2026)),
            "subsidy_exists"
        );
        assert_eq!(subsidy_exists("a", 2026).article, "Art. 14");
    }
}
