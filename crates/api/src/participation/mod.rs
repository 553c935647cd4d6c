//! How advisors take part beyond their assignments: declarations of interest
//! (Art. 7(2)–(3)) and consultation rounds on the advisor work (Art. 15). Answers to meeting
//! invitations (Art. 8) live with the meetings in `work`.

mod consultations;
mod interests;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers declarations of interest and consultation rounds.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(interests::declare_interest)
        .service(interests::list_interests);
    cfg.service(consultations::open_consultation)
        .service(consultations::list_consultations)
        .service(consultations::get_consultation)
        .service(consultations::answer_consultation)
        .service(consultations::follow_up_consultation);
}
