//! The annual assessment (Art. 16): HRSS drafts it with the service units from the year's
//! computed facts and proposes a preliminary grade; the government decides the final grade,
//! which sets the work-subsidy band (Art. 14). The advisor reads their own after the decision.

mod assessments;
mod policy;
mod steps;
mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the chapter's handlers, in the order of the spec.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(assessments::create_assessment)
        .service(assessments::list)
        .service(assessments::get_one)
        .service(steps::service_unit_opinion)
        .service(steps::preliminary)
        .service(steps::decide);
}
