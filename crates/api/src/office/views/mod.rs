//! Request bodies and response views of the office chapter.

use crate::prelude::*;

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

/// 201 with the new proposal or request: they have no URL of their own, so no `Location`.
pub fn created<T>(body: T) -> Created<T> {
    Created {
        status: actix_web::http::StatusCode::CREATED,
        body,
        location: None,
    }
}
