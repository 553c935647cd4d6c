//! How advisors take part beyond their assignments: answering invitations to meetings (Art. 8),
//! being heard on the advisor work itself (Art. 15), and declaring their interests so that
//! matching can flag a possible conflict (Art. 7(2)–(3), Art. 10).

use chrono::NaiveDate;

use crate::problem::ProblemCode;
use crate::rule::{RuleResult, RuleViolation};
use crate::work::{Attendance, MeetingOrganizer};

// ---------------------------------------------------------------------------------------------
// Invitations (Art. 8)
// ---------------------------------------------------------------------------------------------

crate::labelled_enum! {
    /// Art. 8: an invited advisor's answer to an invitation.
    pub enum InvitationResponse("invitation_response") {
        Accepted = ("accepted", "Accepted", "接受邀请"),
        Declined = ("declined", "Declined", "谢绝邀请"),
    }
}

crate::labelled_enum! {
    /// Art. 8 ¶1, 12.3: HRSS's decision on a decline of a government meeting, which is a request
    /// to be excused (请假).
    pub enum ExcuseDecision("excuse_decision") {
        Granted = ("granted", "Excused", "准假"),
        Refused = ("refused", "Not excused: attendance required", "不准假，应按要求参加"),
    }
}

crate::labelled_enum! {
    /// Where an excuse request (a declined government meeting) stands.
    pub enum ExcuseStatus("excuse_status") {
        Requested = ("requested", "Awaiting HRSS", "待市人社局决定"),
        Granted = ("granted", "Excused", "已准假"),
        Refused = ("refused", "Not excused", "未准假"),
    }
}

/// What an invitation records before the advisor answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvitationFacts {
    pub organizer: MeetingOrganizer,
    /// The answer already given, if any.
    pub response: Option<InvitationResponse>,
    /// Attendance already recorded by the organiser.
    pub attendance: Option<Attendance>,
    /// Withdrawn because the advisor left office.
    pub withdrawn: bool,
    /// The meeting's day (China Standard Time).
    pub held_on: NaiveDate,
}

/// What an answer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub response: InvitationResponse,
    /// The attendance the answer records at once: `excused` for a declined department meeting
    /// (attendance there is optional, Art. 8 ¶2); none otherwise.
    pub attendance: Option<Attendance>,
    /// A declined government meeting is a request to be excused that HRSS decides (Art. 8 ¶1).
    pub excuse: Option<ExcuseStatus>,
}

/// Art. 8: the invited advisor answers an invitation once, before the meeting's day is over and
/// before the organiser records attendance (`invitation_answered`, or `invalid_transition` for a
/// withdrawn invitation or a past meeting). A decline needs a reason (`excuse_reason_missing`).
///
/// - department meetings (¶2 可应邀参加): accepting or declining is the advisor's choice; a
///   decline is recorded as `excused` attendance with its reason, which never counts as an
///   absence (Art. 12.3);
/// - government meetings (¶1 应当按要求参加): attendance is required, so a decline is a request
///   to be excused: it changes nothing until HRSS grants it ([`decide_excuse`]).
pub fn answer_invitation(
    facts: &InvitationFacts,
    response: InvitationResponse,
    reason: Option<&str>,
    today_cst: NaiveDate,
) -> RuleResult<Answer> {
    if facts.withdrawn {
        return Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 8",
            "the invitation was withdrawn",
        ));
    }
    if facts.response.is_some() || facts.attendance.is_some() {
        return Err(RuleViolation::new(
            ProblemCode::InvitationAnswered,
            "Art. 8",
            "the invitation has already been answered or the attendance recorded",
        ));
    }
    if today_cst > facts.held_on {
        return Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 8",
            format!("the meeting was held on {}", facts.held_on),
        ));
    }
    if response == InvitationResponse::Declined && reason.is_none_or(crate::text::is_blank) {
        return Err(RuleViolation::new(
            ProblemCode::ExcuseReasonMissing,
            "Art. 8",
            "a declined invitation needs the reason",
        ));
    }
    let required = crate::work::attendance_required(facts.organizer);
    Ok(match response {
        InvitationResponse::Accepted => Answer {
            response,
            attendance: None,
            excuse: None,
        },
        InvitationResponse::Declined if required => Answer {
            response,
            attendance: None,
            excuse: Some(ExcuseStatus::Requested),
        },
        InvitationResponse::Declined => Answer {
            response,
            attendance: Some(Attendance::Excused),
            excuse: None,
        },
    })
}

/// Art. 8 ¶1, 12.3: HRSS decides a pending excuse request (`invalid_transition` when none is
/// pending or the attendance is already recorded). Granted, the invitation's attendance becomes
/// `excused` with the advisor's reason; refused, attendance stays required and is recorded
/// later by the organiser (an absence then counts as unexcused). A refusal needs a note
/// (`validation_failed`).
pub fn decide_excuse(
    excuse: Option<ExcuseStatus>,
    attendance: Option<Attendance>,
    decision: ExcuseDecision,
    note: Option<&str>,
) -> RuleResult<(ExcuseStatus, Option<Attendance>)> {
    if excuse != Some(ExcuseStatus::Requested) || attendance.is_some() {
        return Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 8",
            "no excuse request is awaiting a decision on this invitation",
        ));
    }
    match decision {
        ExcuseDecision::Granted => Ok((ExcuseStatus::Granted, Some(Attendance::Excused))),
        ExcuseDecision::Refused if note.is_none_or(crate::text::is_blank) => {
            Err(RuleViolation::new(
                ProblemCode::ValidationFailed,
                "Art. 8",
                "a refused excuse needs a note giving the reason",
            ))
        }
        ExcuseDecision::Refused => Ok((ExcuseStatus::Refused, None)),
    }
}

// ---------------------------------------------------------------------------------------------
// Consultation rounds (Art. 15)
// ---------------------------------------------------------------------------------------------

/// Art. 15 (定期听取顾问的意见建议): the longest a consultation round stays open, in days.
/// Design decision.
pub const MAX_CONSULTATION_DAYS: i64 = 92;

/// Art. 15: a round opened on `opened_on` closes on `closes_on` (the last day answers are
/// accepted), not before the opening day and at most [`MAX_CONSULTATION_DAYS`] later
/// (`validation_failed`).
pub fn check_consultation_period(opened_on: NaiveDate, closes_on: NaiveDate) -> RuleResult<()> {
    let days = (closes_on - opened_on).num_days();
    if !(0..=MAX_CONSULTATION_DAYS).contains(&days) {
        return Err(RuleViolation::new(
            ProblemCode::ValidationFailed,
            "Art. 15",
            format!(
                "a consultation round closes on its opening day or up to {MAX_CONSULTATION_DAYS} days later"
            ),
        ));
    }
    Ok(())
}

/// Art. 15: every advisor in office may answer a round while it is open (through its closing
/// day, China Standard Time); an answer can be revised until then, one per advisor per round
/// (design decision). Refused with `consultation_closed` after the closing day.
pub fn check_consultation_answer(closes_on: NaiveDate, today_cst: NaiveDate) -> RuleResult<()> {
    if today_cst > closes_on {
        return Err(RuleViolation::new(
            ProblemCode::ConsultationClosed,
            "Art. 15",
            format!("the consultation round closed on {closes_on}"),
        ));
    }
    Ok(())
}

/// Art. 15 (为顾问履行职责提供服务和保障): HRSS records its follow-up of a round once answers
/// can no longer change, i.e. after the closing day (`consultation_closed` is not the case
/// yet: `invalid_transition` while the round is open).
pub fn check_consultation_follow_up(closes_on: NaiveDate, today_cst: NaiveDate) -> RuleResult<()> {
    if today_cst <= closes_on {
        return Err(RuleViolation::new(
            ProblemCode::InvalidTransition,
            "Art. 15",
            format!("the round is open until {closes_on}; the follow-up is recorded after it"),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Declarations of interest (Art. 7(2)–(3), Art. 10)
// ---------------------------------------------------------------------------------------------

crate::labelled_enum! {
    /// Art. 7(2)–(3): the kind of an interest an advisor declares.
    pub enum InterestKind("interest_kind") {
        Employer = ("employer", "Employment", "任职单位"),
        Shareholding = ("shareholding", "Shareholding", "持股"),
        BoardSeat = ("board_seat", "Board seat", "董事、监事等职务"),
        Client = ("client", "Client", "客户"),
        Other = ("other", "Other", "其他"),
    }
}

/// One declared interest: an organisation and the dates it holds (the last day included,
/// open-ended when `ends_on` is none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interest {
    pub kind: InterestKind,
    pub organisation: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// Art. 7(2)–(3): an interest ends on or after the day it starts (`validation_failed`).
pub fn check_interest_period(starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> RuleResult<()> {
    if ends_on.is_some_and(|e| e < starts_on) {
        return Err(RuleViolation::new(
            ProblemCode::ValidationFailed,
            "Art. 7",
            "a declared interest cannot end before it starts",
        ));
    }
    Ok(())
}

/// The form in which organisation names are compared: no whitespace, ASCII letters in lower
/// case, full-width brackets as half-width.
fn comparable(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Art. 7(2)–(3), 10: the interests of one advisor, in force on `on`, that name one of
/// `parties` (the requesting unit, the task's counterpart), with a reason for each: the same
/// organisation name, or one containing the other (a subsidiary named after its parent).
/// Names shorter than two characters match nothing.
pub fn conflicting_interests(
    interests: &[Interest],
    parties: &[&str],
    on: NaiveDate,
) -> Vec<String> {
    let mut reasons = Vec::new();
    for i in interests {
        let in_force = i.starts_on <= on && i.ends_on.is_none_or(|e| on <= e);
        if !in_force {
            continue;
        }
        let declared = comparable(&i.organisation);
        for party in parties {
            let named = comparable(party);
            if declared.chars().count() < 2 || named.chars().count() < 2 {
                continue;
            }
            if declared.contains(&named) || named.contains(&declared) {
                reasons.push(format!(
                    "declared {} `{}` (since {}) names `{}`",
                    i.kind, i.organisation, i.starts_on, party
                ));
            }
        }
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{code_of, d};

    fn invitation(organizer: MeetingOrganizer) -> InvitationFacts {
        InvitationFacts {
            organizer,
            response: None,
            attendance: None,
            withdrawn: false,
            held_on: d(2026, 5, 10),
        }
    }

    /// Art. 8: the problem code of an answer to the invitation `f` that is refused.
    fn refused_answer(
        f: &InvitationFacts,
        response: InvitationResponse,
        reason: Option<&str>,
        on: NaiveDate,
    ) -> &'static str {
        code_of(answer_invitation(f, response, reason, on))
    }

    #[test]
    fn art_8_a_department_invitation_may_be_declined_with_a_reason() {
        let f = invitation(MeetingOrganizer::Department);
        let a = answer_invitation(
            &f,
            InvitationResponse::Declined,
            Some("出国"),
            d(2026, 5, 1),
        );
        assert_eq!(
            a,
            Ok(Answer {
                response: InvitationResponse::Declined,
                attendance: Some(Attendance::Excused),
                excuse: None,
            })
        );
        assert_eq!(
            refused_answer(&f, InvitationResponse::Declined, Some(" "), d(2026, 5, 1)),
            "excuse_reason_missing"
        );
    }

    #[test]
    fn art_8_declining_a_government_meeting_is_an_excuse_request() {
        let f = invitation(MeetingOrganizer::Government);
        let a = answer_invitation(
            &f,
            InvitationResponse::Declined,
            Some("住院"),
            d(2026, 5, 10),
        );
        assert_eq!(
            a.map(|a| (a.attendance, a.excuse)),
            Ok((None, Some(ExcuseStatus::Requested)))
        );
        let accepted = answer_invitation(&f, InvitationResponse::Accepted, None, d(2026, 5, 1));
        assert_eq!(accepted.map(|a| a.excuse), Ok(None));
    }

    #[test]
    fn art_8_an_invitation_is_answered_once_before_the_meeting() {
        let mut f = invitation(MeetingOrganizer::Department);
        f.response = Some(InvitationResponse::Accepted);
        assert_eq!(
            refused_answer(&f, InvitationResponse::Declined, Some("x"), d(2026, 5, 1)),
            "invitation_answered"
        );
        let mut f = invitation(MeetingOrganizer::Department);
        f.attendance = Some(Attendance::Attended);
        assert_eq!(
            refused_answer(&f, InvitationResponse::Accepted, None, d(2026, 5, 1)),
            "invitation_answered"
        );
        let f = invitation(MeetingOrganizer::Department);
        assert_eq!(
            refused_answer(&f, InvitationResponse::Accepted, None, d(2026, 5, 11)),
            "invalid_transition"
        );
        let mut f = invitation(MeetingOrganizer::Government);
        f.withdrawn = true;
        assert_eq!(
            refused_answer(&f, InvitationResponse::Accepted, None, d(2026, 5, 1)),
            "invalid_transition"
        );
    }

    #[test]
    fn art_8_hrss_grants_or_refuses_an_excuse_once() {
        let req = Some(ExcuseStatus::Requested);
        assert_eq!(
            decide_excuse(req, None, ExcuseDecision::Granted, None),
            Ok((ExcuseStatus::Granted, Some(Attendance::Excused)))
        );
        assert_eq!(
            decide_excuse(
                req,
                None,
                ExcuseDecision::Refused,
                Some("会议议题需本人到会")
            ),
            Ok((ExcuseStatus::Refused, None))
        );
        assert_eq!(
            code_of(decide_excuse(req, None, ExcuseDecision::Refused, None)),
            "validation_failed"
        );
        for (excuse, attendance) in [
            (None, None),
            (Some(ExcuseStatus::Granted), Some(Attendance::Excused)),
            (req, Some(Attendance::Absent)),
        ] {
            assert_eq!(
                code_of(decide_excuse(
                    excuse,
                    attendance,
                    ExcuseDecision::Granted,
                    None
                )),
                "invalid_transition"
            );
        }
    }

    #[test]
    fn art_15_a_round_is_answered_through_its_closing_day_and_followed_up_after() {
        let closes = d(2026, 6, 30);
        assert_eq!(check_consultation_answer(closes, d(2026, 6, 30)), Ok(()));
        assert_eq!(
            code_of(check_consultation_answer(closes, d(2026, 7, 1))),
            "consultation_closed"
        );
        assert_eq!(
            code_of(check_consultation_follow_up(closes, d(2026, 6, 30))),
            "invalid_transition"
        );
        assert_eq!(check_consultation_follow_up(closes, d(2026, 7, 1)), Ok(()));
    }

    #[test]
    fn art_15_a_round_lasts_at_most_a_quarter() {
        assert_eq!(
            check_consultation_period(d(2026, 6, 1), d(2026, 6, 1)),
            Ok(())
        );
        assert_eq!(
            check_consultation_period(d(2026, 6, 1), d(2026, 9, 1)),
            Ok(())
        );
        assert_eq!(
            code_of(check_consultation_period(d(2026, 6, 1), d(2026, 9, 2))),
            "validation_failed"
        );
        assert_eq!(
            code_of(check_consultation_period(d(2026, 6, 2), d(2026, 6, 1))),
            "validation_failed"
        );
    }

    #[test]
    fn art_7_interests_in_force_that_name_a_party_are_flagged_with_the_reason() {
        let interests = vec![
            Interest {
                kind: InterestKind::BoardSeat,
                organisation: "二连浩特市口岸物流有限公司".into(),
                starts_on: d(2024, 1, 1),
                ends_on: None,
            },
            Interest {
                kind: InterestKind::Client,
                organisation: "Erenhot Trade Co".into(),
                starts_on: d(2020, 1, 1),
                ends_on: Some(d(2023, 12, 31)),
            },
        ];
        let on = d(2026, 5, 1);
        let r = conflicting_interests(&interests, &["二连浩特市口岸物流有限公司", "commerce"], on);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].contains("board_seat"), "{r:?}");
        // Ended interests count only while in force; case and spaces do not matter.
        assert!(conflicting_interests(&interests, &["erenhot trade co"], on).is_empty());
        assert_eq!(
            conflicting_interests(&interests, &["erenhot trade co"], d(2023, 6, 1)).len(),
            1
        );
        // A one-letter party names nothing.
        assert!(conflicting_interests(&interests, &["二"], on).is_empty());
    }

    #[test]
    fn art_7_an_interest_does_not_end_before_it_starts() {
        assert_eq!(check_interest_period(d(2026, 1, 1), None), Ok(()));
        assert_eq!(
            check_interest_period(d(2026, 1, 1), Some(d(2026, 1, 1))),
            Ok(())
        );
        assert_eq!(
            code_of(check_interest_period(d(2026, 1, 2), Some(d(2026, 1, 1)))),
            "validation_failed"
        );
    }
}
