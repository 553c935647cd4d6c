//! Request bodies and response views of the office chapter.

mod advisors;
mod proposals;
mod roster;

pub use advisors::{AdvisorFilter, AdvisorView, OfficeActionLink, Period, TermView, advisor_view};
pub use proposals::{
    DecisionBody, DismissalRequest, DismissalView, ProposalFilter, RenewalRequest, RenewalView,
    ResignationDecisionBody, ResignationProposalBody, ResignationRequest, ResignationView,
    dismissal_view,
};
pub use roster::{RosterFeed, RosterQuery, RosterRecord, roster_csv};
