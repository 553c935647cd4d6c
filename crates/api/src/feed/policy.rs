//! Who reads which event of the change feed, and how much of it: the one rule, used by
//! `GET /api/v1/events` and by webhook deliveries alike.
//!
//! - `hrss` and `auditor` read every event in full.
//! - `integration` (other government systems) reads public-level events in full (the roster:
//!   name, employer, title, field, term and status; public notices), learns that `internal`
//!   work items exist (tasks and meetings: ids only, Art. 7.1), and reads nothing of other
//!   levels nor of money and grades (Art. 14, 16).
//! - `advisor` reads, in full, only events about themselves (their appointment, term, tasks,
//!   invitations, expenses, subsidies and decided assessments).
//! - Other roles read nothing (the route refuses them before this rule runs).
//!
//! A caller holding several roles gets the most any of them allows.

use guwen_domain::{
    feed::{EventType, Sensitivity},
    role::Role,
    work::Confidentiality,
};

use crate::http::access::Caller;

/// How much of an event a reader gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Detail {
    /// That the object exists: its id, and the advisor it concerns.
    Existence,
    /// The event's full facts (never personal data beyond the public fields).
    Full,
}

/// Who reads: the roles, and for an advisor their own id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    pub roles: Vec<Role>,
    pub advisor_id: Option<String>,
}

impl Reader {
    /// The signed-in caller.
    pub fn of(caller: &Caller) -> Self {
        Self {
            roles: caller.claims.roles.clone(),
            advisor_id: caller.claims.advisor_id.clone(),
        }
    }

    /// A reader holding one role (webhook subscriptions deliver as their `view_as` role).
    pub fn role(role: Role) -> Self {
        Self {
            roles: vec![role],
            advisor_id: None,
        }
    }
}

/// What the rule needs to know about one event.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub event_type: EventType,
    /// The confidentiality level of the work item (tasks, meetings) it concerns, if any.
    pub confidentiality: Option<Confidentiality>,
    /// The advisors the event is about.
    pub advisors: &'a [String],
}

/// How much of the event `facts` describes the reader gets, or `None` when it is not theirs
/// to see.
pub fn detail(reader: &Reader, facts: &Facts<'_>) -> Option<Detail> {
    reader
        .roles
        .iter()
        .filter_map(|role| detail_for(*role, reader.advisor_id.as_deref(), facts))
        .max()
}

fn detail_for(role: Role, advisor_id: Option<&str>, facts: &Facts<'_>) -> Option<Detail> {
    match role {
        Role::Hrss | Role::Auditor => Some(Detail::Full),
        Role::Integration => match facts.event_type.sensitivity() {
            Sensitivity::Public => Some(Detail::Full),
            Sensitivity::Work => (facts.confidentiality == Some(Confidentiality::Internal))
                .then_some(Detail::Existence),
            Sensitivity::Personal => None,
        },
        Role::Advisor => {
            let own = advisor_id.is_some_and(|me| facts.advisors.iter().any(|a| a == me));
            own.then_some(Detail::Full)
        }
        Role::Department | Role::Government | Role::Finance => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(roles: &[Role], advisor: Option<&str>) -> Reader {
        Reader {
            roles: roles.to_vec(),
            advisor_id: advisor.map(str::to_owned),
        }
    }

    fn facts<'a>(
        event_type: EventType,
        confidentiality: Option<Confidentiality>,
        advisors: &'a [String],
    ) -> Facts<'a> {
        Facts {
            event_type,
            confidentiality,
            advisors,
        }
    }

    #[test]
    fn art_7_1_integration_learns_only_that_internal_work_exists() {
        let integration = reader(&[Role::Integration], None);
        let none: [String; 0] = [];
        let internal = facts(
            EventType::TaskCreated,
            Some(Confidentiality::Internal),
            &none,
        );
        let secret = facts(
            EventType::TaskCreated,
            Some(Confidentiality::WorkSecret),
            &none,
        );
        assert_eq!(detail(&integration, &internal), Some(Detail::Existence));
        assert_eq!(detail(&integration, &secret), None);
        assert_eq!(
            detail(
                &integration,
                &facts(EventType::AdvisorAppointed, None, &none)
            ),
            Some(Detail::Full)
        );
    }

    #[test]
    fn art_14_money_is_not_for_integration() {
        let a = ["a1".to_owned()];
        let claim = facts(EventType::ExpenseApproved, None, &a);
        assert_eq!(detail(&reader(&[Role::Integration], None), &claim), None);
        assert_eq!(
            detail(&reader(&[Role::Hrss], None), &claim),
            Some(Detail::Full)
        );
        assert_eq!(
            detail(&reader(&[Role::Auditor], None), &claim),
            Some(Detail::Full)
        );
    }

    #[test]
    fn art_7_1_an_advisor_reads_only_events_about_themselves() {
        let a = ["a1".to_owned(), "a2".to_owned()];
        let invited = facts(
            EventType::MeetingInvited,
            Some(Confidentiality::WorkSecret),
            &a,
        );
        assert_eq!(
            detail(&reader(&[Role::Advisor], Some("a2")), &invited),
            Some(Detail::Full)
        );
        assert_eq!(
            detail(&reader(&[Role::Advisor], Some("a3")), &invited),
            None
        );
        // Without an advisor id in the token nothing is theirs.
        assert_eq!(detail(&reader(&[Role::Advisor], None), &invited), None);
        // Public events about someone else are not theirs either.
        let other = ["a9".to_owned()];
        assert_eq!(
            detail(
                &reader(&[Role::Advisor], Some("a1")),
                &facts(EventType::AdvisorAppointed, None, &other)
            ),
            None
        );
    }

    #[test]
    fn several_roles_get_the_most_any_allows() {
        let none: [String; 0] = [];
        let internal = facts(
            EventType::TaskAssigned,
            Some(Confidentiality::Internal),
            &none,
        );
        assert_eq!(
            detail(
                &reader(&[Role::Integration, Role::Auditor], None),
                &internal
            ),
            Some(Detail::Full)
        );
        assert_eq!(
            detail(&reader(&[Role::Department, Role::Finance], None), &internal),
            None
        );
    }
}
