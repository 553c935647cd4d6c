//! Changes the calendar makes on its own (Art. 3 a term ends, Art. 4.5 a notice window ends)
//! appear in the feed on the day they happen: this job records each as an audit event.
//!
//! It runs at start-up and then every `GUWEN_CALENDAR_INTERVAL_SECS` on every replica at once.
//! Each change has a key (kind, object, date) that is the primary key of `calendar_changes`; it
//! is recorded in a writing transaction (the audit head's lock) that first looks the key up, so
//! whichever replica comes second finds it recorded and writes nothing.

use guwen_domain::{
    audit::AuditAction,
    feed::{is_due, notice_ends_on, term_expires_on},
    office::AdvisorStatus,
};
use guwen_persistence::{audit::Event, store::feed as store};

use crate::{http::error::ApiError, state::AppState, write::write_scheduled};

/// The actor recorded for the job's events.
pub const ACTOR: &str = "guwen-calendar";

/// Records every calendar change due today and not yet recorded; how many it recorded.
pub async fn record_due_changes(state: &AppState) -> Result<usize, ApiError> {
    let today = state.clock.today();
    let mut recorded = 0;

    let ended = store::ended_terms(&state.db, today).await?;
    let done = store::recorded(
        &state.db,
        store::TERM_EXPIRED,
        ended.iter().map(|a| a.id.clone()).collect(),
    )
    .await?;
    for a in ended {
        let on = term_expires_on(a.term_ends_on);
        if !is_due(on, today) || done.contains(&(a.id.clone(), on)) {
            continue;
        }
        let event = Event::new(AuditAction::TermExpired, "advisor", &a.id)
            .before(a.status)
            .after(AdvisorStatus::Expired)
            .details(serde_json::json!({
                "term_starts_on": a.term_starts_on,
                "term_ends_on": a.term_ends_on,
                "expired_on": on,
            }));
        let key = (store::TERM_EXPIRED, a.id.as_str(), on);
        if write_scheduled(state, ACTOR, async |tx, ctx| {
            Ok(store::record_calendar_change(tx, ctx, key, event).await?)
        })
        .await?
        {
            recorded += 1;
        }
    }

    let yesterday = today.pred_opt().unwrap_or(today);
    let notices = store::ended_notices(&state.db, yesterday).await?;
    let done = store::recorded(
        &state.db,
        store::NOTICE_ENDED,
        notices.iter().map(|n| n.id.clone()).collect(),
    )
    .await?;
    for n in notices {
        let on = notice_ends_on(n.starts_on);
        if !is_due(on, today) || done.contains(&(n.id.clone(), on)) {
            continue;
        }
        let candidates = store::notice_candidates(&state.db, &n.id).await?;
        let event =
            Event::new(AuditAction::NoticeEnded, "notice", &n.id).details(serde_json::json!({
                "starts_on": n.starts_on,
                "ends_on": n.ends_on,
                "ended_on": on,
                "candidate_ids": candidates,
            }));
        let key = (store::NOTICE_ENDED, n.id.as_str(), on);
        if write_scheduled(state, ACTOR, async |tx, ctx| {
            Ok(store::record_calendar_change(tx, ctx, key, event).await?)
        })
        .await?
        {
            recorded += 1;
        }
    }
    Ok(recorded)
}

/// Runs [`record_due_changes`] now and then every `every`, until the process ends. A failure
/// (the database briefly unreachable) is logged and tried again at the next tick.
pub fn spawn(state: AppState, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match record_due_changes(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(recorded = n, "calendar changes recorded"),
                Err(e) => {
                    tracing::warn!(error = %e, "calendar job failed; retrying at the next tick")
                }
            }
        }
    });
}
