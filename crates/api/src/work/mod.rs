//! The work chapter (Art. 6–12): tasks, assignments and matching, inability and recusal,
//! opinions, meetings with attendance and minutes, and temporary experts.
//!
//! Handlers read as steps: parse (`views`), policy (`policy`: who sees and who acts), the
//! store (`guwen_persistence::store::work`) and the domain rules (`guwen_domain::work`), then
//! the view.

mod assignments;
mod experts;
mod invitations;
mod meetings;
mod minutes;
mod opinions;
pub mod policy;
pub mod progress;
mod recusals;
mod tasks;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the chapter's routes, in the order the router and the spec have always listed
/// them: tasks, opinions, meetings, temporary experts.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(tasks::create_task)
        .service(tasks::list_tasks)
        .service(tasks::get_task)
        .service(tasks::close_task)
        .service(tasks::cancel_task)
        .service(assignments::matching_advisors)
        .service(assignments::assign)
        .service(assignments::report_inability)
        .service(recusals::request_recusal)
        .service(recusals::list_recusals)
        .service(recusals::decide_recusal);
    cfg.service(opinions::create_opinion)
        .service(opinions::list_opinions)
        .service(opinions::get_opinion);
    cfg.service(meetings::create_meeting)
        .service(meetings::list_meetings)
        .service(meetings::get_meeting)
        .service(minutes::put_attendance)
        .service(minutes::put_minutes)
        .service(minutes::finalize_minutes);
    cfg.service(experts::engage).service(experts::list_experts);
    cfg.service(invitations::answer_invitation)
        .service(invitations::decide_excuse);
}
