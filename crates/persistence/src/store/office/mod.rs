//! Advisors in office (Art. 3, 12, 13): advisors and their terms, who may see them, the roster
//! feed, the three proposals the government decides (dismissal, resignation, renewal) and the
//! facts behind inactivity evidence.

mod advisors;
mod inactivity;
mod proposals;
mod roster;

pub use advisors::{
    AdvisorRecord, advisor, advisor_record, advisors, in_office_on, pending_renewals,
    stored_in_office, with_terms_in_force,
};
pub use inactivity::inactivity_facts;
pub use proposals::{
    NewDismissal, NewRenewal, NewResignation, Proposal, ResignationDecision, approve_renewal,
    decide_dismissal, decide_resignation, find, proposals, propose_dismissal, propose_renewal,
    propose_resignation, reject_renewal, request_resignation,
};
pub use roster::{RosterEntry, RosterFilter, roster_page};

pub use crate::entity::{
    advisor::Model as Advisor,
    advisor_term::Model as Term,
    dismissal_proposal::{Entity as DismissalProposals, Model as Dismissal},
    renewal_proposal::{Entity as RenewalProposals, Model as Renewal},
    resignation::{Entity as Resignations, Model as Resignation},
};
