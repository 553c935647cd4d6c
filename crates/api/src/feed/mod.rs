//! Other systems and front-ends (DOMAIN.md §6): the gap-free, commit-ordered change feed
//! (`GET /api/v1/events`), its signed webhooks (`/api/v1/webhook-subscriptions`) and the
//! calendar job that records what changes with the date alone.
//!
//! The feed is the audit trail read in sequence order through the public mapping of actions to
//! event types ([`guwen_domain::feed`]); [`policy`] decides what each reader sees.

pub mod calendar;
pub mod delivery;
mod events;
pub mod policy;
pub mod read;
pub mod signing;
pub mod target;
pub mod views;
mod webhooks;

use utoipa_actix_web::service_config::ServiceConfig;

pub use views::parse_types;

/// Starts the calendar job and the webhook deliveries of this replica.
pub fn spawn_background_jobs(state: &crate::state::AppState) {
    calendar::spawn(
        state.clone(),
        std::time::Duration::from_secs(state.config.calendar_interval_secs),
    );
    delivery::spawn(state.clone());
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(events::list_events)
        .configure(webhooks::configure);
}
