//! The appointment procedure (Art. 4–5): fields of expertise, nomination and vetting of
//! candidates, recommendation lists and the executive meeting's decision, public notices and
//! objections, the appointment, and what the public reads and files without a token.
//!
//! Handlers read as steps (parse → policy → store and domain → view); the store
//! (`guwen_persistence::store::pipeline`) holds every query, `policy` who sees and does what,
//! `views` the request bodies and responses.

mod age_exception;
mod appointment;
mod candidates;
mod decision;
mod fields;
mod lists;
mod notices;
pub mod policy;
pub mod public;
mod render;
pub mod throttle;
mod vetting;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the fields, candidates, lists and notices, in the order the routes had.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(fields::list_fields).service(fields::put_field);
    cfg.service(candidates::create_candidate)
        .service(candidates::list_candidates)
        .service(candidates::get_candidate)
        .service(vetting::record_preliminary_review)
        .service(vetting::record_background_check)
        .service(vetting::withdraw)
        .service(appointment::appoint)
        .service(age_exception::request_age_exception)
        .service(age_exception::decide_age_exception);
    cfg.service(lists::create_list)
        .service(lists::list_lists)
        .service(lists::get_list)
        .service(decision::decide)
        .service(lists::report);
    cfg.service(notices::create_notice)
        .service(notices::list_objections)
        .service(notices::resolve_objection);
}

/// Registers what the public reads and files without a token, where the public routes were.
pub fn configure_public(cfg: &mut ServiceConfig) {
    cfg.service(public::list_notices)
        .service(public::get_notice)
        .service(public::file_objection)
        .service(public::roster)
        .service(public::self_nominate);
}
