//! Request bodies and response views of the office chapter.

use crate::prelude::*;

mod advisors;
mod proposals;
mod roster;
pub mod roster_sheet;

pub use advisors::{AdvisorFilter, AdvisorView, OfficeActionLink, Period, TermView, advisor_view};
pub use proposals::{
    DecisionBody, DismissalRequest, DismissalView, ProposalFilter, RenewalRequest, RenewalView,
    ResignationDecisionBody, ResignationProposalBody, ResignationRequest, ResignationView,
    dismissal_view,
};
pub use roster::{ROSTER_KIND, RosterCursor, RosterPage, RosterQuery, RosterRecord};

/// 201 with the new proposal or request: they have no URL of their own, so no `Location`.
pub fn created<T>(body: T) -> Created<T> {
    Created {
        status: actix_web::http::StatusCode::CREATED,
        body,
        location: None,
    }
}

/// `409 duplicate_certificate_no`: a certificate (聘书) number is issued once, on appointment
/// or renewal (Art. 4.6, 3).
pub fn certificate_already_issued(certificate_no: &str) -> ApiError {
    ApiError::new(
        ProblemCode::DuplicateCertificateNo,
        format!("certificate number {certificate_no} is already issued"),
    )
}
