//! Per-address limits on what anyone may do without a token, counted in the database so that
//! every replica sees the same count: public writes (self-nominations, objections) per hour,
//! each counted in the database as it comes, and public reads (every `GET` of the API that
//! needs no token) per minute, counted in memory and added to the database's count in
//! batches ([`PublicReads`]), so that a read costs no write.

use actix_web::{
    HttpRequest,
    dev::ServiceRequest,
    http::{Method, header},
    web,
};
use std::{
    collections::HashMap,
    sync::{Mutex, Weak},
    time::Duration,
};

use chrono::{DateTime, Utc};
use guwen_persistence::{Db, guard};

use crate::http::{
    access::Admission,
    client_addr::{client_ip, rate_key, reduced},
};
use crate::prelude::*;

/// The client's address: the peer, or behind a trusted proxy the rightmost forwarded address
/// that is not one (see [`crate::http::client_addr`]).
pub fn client_ip_of(req: &HttpRequest, state: &AppState) -> Option<std::net::IpAddr> {
    client_ip(
        req.peer_addr().map(|a| a.ip()),
        req.headers(),
        &state.config.trusted_proxies,
    )
}

/// The client's network as the audit trail of an anonymous write keeps it (privacy): the /24
/// of an IPv4 address, the /48 of an IPv6 one; `unknown` without a peer.
pub fn client_network(req: &HttpRequest, state: &AppState) -> String {
    client_ip_of(req, state)
        .map(reduced)
        .unwrap_or_else(|| "unknown".into())
}

/// The key the client's requests are counted under (an IPv6 client by its /64).
pub fn client_addr(req: &HttpRequest, state: &AppState) -> String {
    client_ip_of(req, state)
        .map(rate_key)
        .unwrap_or_else(|| "unknown".into())
}

/// Counts one hit of `client` in `scope` (`limit` per `window_secs`); 429 with `Retry-After`
/// beyond it.
async fn count(
    state: &AppState,
    scope: &str,
    client: &str,
    limit: u32,
    window_secs: i64,
    per: &str,
) -> Result<(), ApiError> {
    let verdict = guard::rate_limit_hit(
        &state.db,
        scope,
        client,
        limit,
        window_secs,
        state.clock.now(),
    )
    .await?;
    verdict.map_err(|retry_after| {
        ApiError::new(
            ProblemCode::RateLimited,
            format!(
                "at most {limit} such requests per {per} from one address; retry in {retry_after} s"
            ),
        )
        .with_header(header::RETRY_AFTER, retry_after.to_string())
    })
}

/// Counts a public write against the per-address hourly limit; 429 with `Retry-After` beyond
/// it. Returns the client's key.
pub async fn rate_limit(
    req: &HttpRequest,
    state: &AppState,
    scope: &str,
) -> Result<String, ApiError> {
    let client = client_addr(req, state);
    count(
        state,
        scope,
        &client,
        state.config.public_rate_limit,
        3600,
        "hour",
    )
    .await?;
    Ok(client)
}

/// How often a replica adds its public reads to the shared count.
pub const READS_SYNC_EVERY: Duration = Duration::from_millis(250);

/// One client's reads in one window, as this replica knows them.
#[derive(Debug)]
struct Window {
    /// The shared count (every replica's reads) at the last sync.
    shared: i64,
    /// This replica's reads since the last sync.
    pending: i32,
    ends_at: DateTime<Utc>,
}

/// The public reads of each client in the current minute: counted here at once, added to the
/// shared count in the database every [`READS_SYNC_EVERY`], which brings back the other
/// replicas' reads. A client is refused once the shared count plus this replica's unsynced
/// reads reach the limit, so across replicas it may exceed the limit only by what the other
/// replicas served it in the last sync interval.
#[derive(Debug, Default)]
pub struct PublicReads {
    windows: Mutex<HashMap<String, Window>>,
}

impl PublicReads {
    /// Counts a read; `Err(seconds)` until the window ends when the limit is reached.
    fn hit(&self, client: &str, limit: u32, now: DateTime<Utc>) -> Result<(), i64> {
        let (bucket, ends_at) = guard::rate_window("public_read", client, 60, now);
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let window = windows.entry(bucket).or_insert(Window {
            shared: 0,
            pending: 0,
            ends_at,
        });
        window.pending += 1;
        if window.shared + i64::from(window.pending) > i64::from(limit) {
            return Err(Ord::max((ends_at - now).num_seconds(), 1));
        }
        Ok(())
    }

    /// Adds the unsynced reads to the shared counts and reads those back; forgets windows
    /// that ended. A failed add keeps the reads for the next sync.
    pub async fn sync(&self, db: &Db, now: DateTime<Utc>) {
        let due: Vec<(String, i32, DateTime<Utc>)> = {
            let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
            windows.retain(|_, w| w.ends_at > now);
            windows
                .iter_mut()
                .filter(|(_, w)| w.pending > 0)
                .map(|(bucket, w)| (bucket.clone(), std::mem::take(&mut w.pending), w.ends_at))
                .collect()
        };
        for (bucket, pending, ends_at) in due {
            let added = guard::rate_limit_add(db, &bucket, pending, ends_at, now).await;
            let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
            let Some(window) = windows.get_mut(&bucket) else {
                continue;
            };
            match added {
                Ok(shared) => window.shared = shared,
                Err(e) => {
                    window.pending += pending;
                    tracing::warn!(error = %e, "could not add the public reads to the shared count");
                }
            }
        }
    }
}

/// Syncs the public reads every `every` until the app stops.
pub fn spawn_read_sync(state: &AppState, reads: Weak<PublicReads>, every: Duration) {
    let db = state.db.clone();
    let clock = state.clock.clone();
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let Some(reads) = reads.upgrade() else {
                break;
            };
            reads.sync(&db, clock.now()).await;
        }
    });
}

/// Counts a public read of the API (every `GET` or `HEAD` of an operation that needs no token,
/// as [`admit`](crate::http::access::admit) found it) against its address's limit per minute
/// (`GUWEN_PUBLIC_READ_RATE_LIMIT`): 429 `rate_limited` with `Retry-After` past it.
pub fn check_public_read(req: &ServiceRequest, admission: Admission) -> Result<(), ApiError> {
    let reads_publicly = admission == Admission::Public
        && matches!(*req.method(), Method::GET | Method::HEAD)
        && req.path().starts_with("/api/");
    let state = req.app_data::<web::Data<AppState>>();
    let (true, Some(state)) = (reads_publicly, state) else {
        return Ok(());
    };
    let client = client_addr(req.request(), state);
    let limit = state.config.public_read_rate_limit;
    state
        .public_reads
        .hit(&client, limit, state.clock.now())
        .map_err(|retry_after| {
            ApiError::new(
                ProblemCode::RateLimited,
                format!(
                    "at most {limit} such requests per minute from one address; retry in {retry_after} s"
                ),
            )
            .with_header(header::RETRY_AFTER, retry_after.to_string())
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_refused_past_the_limit_until_the_window_ends() {
        let reads = PublicReads::default();
        let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        for _ in 0..3 {
            assert!(reads.hit("a", 3, now).is_ok());
        }
        let retry = reads.hit("a", 3, now).unwrap_err();
        assert!((1..=60).contains(&retry));
        // Another client, and the same client in the next window, start afresh.
        assert!(reads.hit("b", 3, now).is_ok());
        assert!(
            reads
                .hit("a", 3, now + chrono::Duration::seconds(60))
                .is_ok()
        );
    }
}
