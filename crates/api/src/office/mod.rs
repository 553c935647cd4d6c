//! Advisors in office (Art. 3, 12, 13): the advisor records, inactivity evidence, dismissal,
//! resignation and renewal, and the roster feed. Every proposal is decided by the government;
//! nothing is ever deleted.

pub mod advisors;
mod dismissal;
pub mod policy;
mod renewal;
mod resignation;
mod roster;
pub mod standing;
mod steps;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the chapter's routes (in the order the spec lists them).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(advisors::list_advisors)
        .service(advisors::get_advisor)
        .service(advisors::get_inactivity)
        .service(dismissal::list_dismissals)
        .service(resignation::list_resignations)
        .service(renewal::list_renewals)
        .service(dismissal::propose_dismissal)
        .service(dismissal::decide_dismissal)
        .service(resignation::request_resignation)
        .service(resignation::propose_resignation)
        .service(resignation::decide_resignation)
        .service(renewal::propose_renewal)
        .service(renewal::decide_renewal)
        .service(roster::roster);
}
