//! Webhook deliveries: a background task on every replica, never on the request path.
//!
//! Every 250 ms a replica looks for subscriptions with events after their cursor whose retry is
//! due and that no live lease holds, claims each with a conditional update (a fresh lease token,
//! `GUWEN_WEBHOOK_LEASE_SECS`), and delivers its events one at a time, in sequence order,
//! advancing the cursor after each 2xx. A failure records the attempt and the next one (doubling
//! from `GUWEN_WEBHOOK_BACKOFF_MS` up to an hour, with jitter) and gives the lease back; once an
//! event has failed for `GUWEN_WEBHOOK_RETRY_WINDOW_SECS` the subscription becomes `failed`.
//!
//! Nothing lives only in the process: a replica killed mid-delivery leaves the cursor where the
//! last acknowledged event put it and its lease expires, so another replica delivers that event
//! again (at least once). Every step a run records names its lease token and the cursor it
//! started from, so a run that lost its lease (or whose subscription was replayed) changes
//! nothing.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::Utc;
use guwen_domain::role::Role;
use guwen_persistence::store::{
    feed as feed_store,
    webhooks::{self as store, Failure, Lease, Subscription},
};

use super::{
    parse_types,
    policy::Reader,
    read::{FeedRequest, read},
    signing, target,
    views::{FeedEventView, ViewAs},
};
use crate::{config::WebhookConfig, state::AppState};

/// How often a replica looks for due subscriptions.
const TICK: Duration = Duration::from_millis(250);
/// How many subscriptions one replica delivers to at once.
const PARALLEL: usize = 8;
/// How many events a run reads at a time.
const BATCH: usize = 20;
/// The longest delay between two attempts.
const MAX_BACKOFF_MS: u64 = 3_600_000;

/// Starts the delivery loop of this replica.
pub fn spawn(state: AppState) {
    let cfg = state.config.webhooks.clone();
    let client = match target::client(cfg.allow_private, Duration::from_secs(cfg.timeout_secs)) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhook deliveries are off: no HTTP client");
            return;
        }
    };
    let running: Arc<Mutex<HashSet<String>>> = Arc::default();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(TICK).await;
            if let Err(e) = tick(&state, &client, &cfg, &running).await {
                tracing::warn!(error = %e, "webhook delivery round failed");
            }
        }
    });
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn busy(running: &Mutex<HashSet<String>>) -> HashSet<String> {
    running.lock().map(|r| r.clone()).unwrap_or_default()
}

/// One round: claim what is due and start a run for each.
async fn tick(
    state: &AppState,
    client: &reqwest::Client,
    cfg: &WebhookConfig,
    running: &Arc<Mutex<HashSet<String>>>,
) -> Result<(), guwen_persistence::DbErr> {
    let mine = busy(running);
    if mine.len() >= PARALLEL {
        return Ok(());
    }
    let head = feed_store::head_seq(&state.db).await?;
    let now = now_ms();
    let due = store::due(&state.db, head, now, PARALLEL as u64).await?;
    for sub in due {
        if mine.contains(&sub.id) || busy(running).len() >= PARALLEL {
            continue;
        }
        let token = uuid::Uuid::now_v7().to_string();
        let lease_ms = (cfg.lease_secs * 1000) as i64;
        let Some(claimed) = store::claim(&state.db, &sub.id, &token, now, now + lease_ms).await?
        else {
            continue; // another replica took it
        };
        if let Ok(mut r) = running.lock() {
            r.insert(claimed.id.clone());
        }
        let (state, client, cfg, running) =
            (state.clone(), client.clone(), cfg.clone(), running.clone());
        tokio::spawn(async move {
            let id = claimed.id.clone();
            if let Err(e) = run(&state, &client, &cfg, claimed, &token).await {
                tracing::warn!(subscription = %id, error = %e, "webhook run ended early");
            }
            store::release(&state.db, &id, &token).await.ok();
            if let Ok(mut r) = running.lock() {
                r.remove(&id);
            }
        });
    }
    Ok(())
}

/// Delivers a claimed subscription's events until it is caught up, an attempt fails, or the
/// lease is lost.
async fn run(
    state: &AppState,
    client: &reqwest::Client,
    cfg: &WebhookConfig,
    sub: Subscription,
    token: &str,
) -> Result<(), guwen_persistence::DbErr> {
    let role = match ViewAs::from_code(&sub.view_as) {
        ViewAs::Hrss => Role::Hrss,
        ViewAs::Integration => Role::Integration,
    };
    let reader = Reader::role(role);
    let types = parse_types("event_types", Some(&sub.event_types)).unwrap_or_default();
    let key = match signing::key_of(&sub.secret) {
        Ok(k) => k,
        Err(e) => {
            tracing::error!(subscription = %sub.id, error = %e, "unusable signing secret");
            return Ok(());
        }
    };
    let lease_ms = (cfg.lease_secs * 1000) as i64;
    let (mut cursor, mut attempts, mut failing_since) =
        (sub.cursor, sub.attempts, sub.failing_since_ms);
    loop {
        let page = read(
            &state.db,
            &reader,
            &FeedRequest {
                after: cursor,
                types: types.clone(),
                limit: BATCH,
            },
        )
        .await?;
        let caught_up = page.items.is_empty();
        for item in page.items {
            if item.sequence - 1 > cursor {
                // The events between are not for this subscription: pass over them first, so
                // `delivered_through` is exact while this one is retried.
                let lease = Lease {
                    id: &sub.id,
                    token,
                    cursor,
                };
                let now = now_ms();
                let to = item.sequence - 1;
                if !store::advance(&state.db, &lease, to, false, now, now + lease_ms).await? {
                    return Ok(());
                }
                cursor = to;
            }
            let lease = Lease {
                id: &sub.id,
                token,
                cursor,
            };
            match deliver(client, &sub.url, &key, cfg.allow_private, &item).await {
                Ok(()) => {
                    let now = now_ms();
                    if !store::advance(&state.db, &lease, item.sequence, true, now, now + lease_ms)
                        .await?
                    {
                        return Ok(()); // lease lost or replayed meanwhile
                    }
                    cursor = item.sequence;
                    attempts = 0;
                    failing_since = None;
                }
                Err(error) => {
                    let now = now_ms();
                    let since = failing_since.unwrap_or(now);
                    let failure = Failure {
                        error,
                        now_ms: now,
                        next_attempt_ms: now + backoff_ms(cfg.backoff_base_ms, attempts + 1),
                        give_up: now - since >= (cfg.retry_window_secs * 1000) as i64,
                    };
                    if failure.give_up {
                        tracing::warn!(subscription = %sub.id, sequence = item.sequence, "webhook retries ran out: subscription failed");
                    }
                    store::fail(&state.db, &lease, failure).await?;
                    return Ok(());
                }
            }
        }
        if page.next_after > cursor {
            // Events after the last delivered one that are not for this subscription.
            let lease = Lease {
                id: &sub.id,
                token,
                cursor,
            };
            let now = now_ms();
            if !store::advance(
                &state.db,
                &lease,
                page.next_after,
                false,
                now,
                now + lease_ms,
            )
            .await?
            {
                return Ok(());
            }
            cursor = page.next_after;
        }
        if caught_up {
            return Ok(());
        }
    }
}

/// The delay before attempt `attempt + 1`: the base doubled per attempt, at most an hour, and
/// between half and all of that (jitter, so failing receivers are not retried in lockstep).
pub fn backoff_ms(base_ms: u64, attempt: i32) -> i64 {
    let exp = u32::try_from(attempt.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    let full = base_ms.saturating_mul(1u64 << exp).min(MAX_BACKOFF_MS);
    let jitter: f64 = rand::random::<f64>() * 0.5 + 0.5;
    (full as f64 * jitter) as i64
}

/// POSTs one event, signed; `Err` with why unless the receiver answered 2xx.
async fn deliver(
    client: &reqwest::Client,
    url: &str,
    key: &[u8],
    allow_private: bool,
    event: &FeedEventView,
) -> Result<(), String> {
    // A URL naming an address directly is not resolved: check it here, every time.
    target::check_url(url, allow_private)?;
    let body = serde_json::to_string(event).map_err(|e| e.to_string())?;
    let timestamp = Utc::now().timestamp();
    let signature = signing::signature(key, &event.id, timestamp, &body);
    let res = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &event.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await
        .map_err(|e| describe(&e))?;
    let status = res.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("the receiver answered HTTP {}", status.as_u16()))
    }
}

/// A delivery error with its causes, short.
fn describe(e: &reqwest::Error) -> String {
    let mut text = if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connect() {
        "could not connect".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text.chars().take(500).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_up_to_an_hour() {
        for attempt in 1..=40 {
            let full = (5_000u64 << (attempt - 1).min(30)).min(MAX_BACKOFF_MS) as i64;
            let d = backoff_ms(5_000, attempt);
            assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d}");
        }
    }
}
