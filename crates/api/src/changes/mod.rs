//! The change sequence as this process knows it, without a query per request.
//!
//! Every committed change appends an audit event, so the chain's sequence number moves with
//! every change and nothing else (see [`guwen_persistence::audit::change_sequence`]). Each
//! replica keeps the latest number it has seen: it reads it again after each of its own
//! commits (its requests see their own writes at once) and polls it every
//! `GUWEN_CHANGE_POLL_MS` (200 ms by default: another replica's change is seen within that). Validators (`ETag`) and the
//! representation cache ([`crate::http::cache`]) are keyed by it, so answering `304` or a
//! cached page costs no round trip to the database.

pub mod cache;

use std::{
    sync::{
        Weak,
        atomic::{AtomicI64, Ordering},
    },
    time::Duration,
};

use guwen_persistence::{Db, audit::change_sequence};

/// The latest change sequence this process has seen; it never goes back.
#[derive(Debug, Default)]
pub struct ChangeWatch {
    seq: AtomicI64,
}

impl ChangeWatch {
    /// The latest sequence seen. Read it before the data it validates: a change committed
    /// in between can only make the answer look older than it is.
    pub fn current(&self) -> i64 {
        self.seq.load(Ordering::Acquire)
    }

    /// Records a sequence read from the database (an older one is ignored).
    pub fn advance(&self, seq: i64) {
        self.seq.fetch_max(seq, Ordering::AcqRel);
    }

    /// Reads the sequence from the database now. A failure keeps the last value (the next
    /// poll retries) and is logged.
    pub async fn refresh(&self, db: &Db) {
        match change_sequence(db).await {
            Ok(seq) => self.advance(seq),
            Err(e) => tracing::warn!(error = %e, "could not read the change sequence"),
        }
    }
}

/// Polls the change sequence every `every` until the watch is dropped (the app stopped).
pub fn spawn_poll(db: Db, watch: Weak<ChangeWatch>, every: Duration) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let Some(watch) = watch.upgrade() else {
                break;
            };
            watch.refresh(&db).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watch_never_goes_back() {
        let watch = ChangeWatch::default();
        watch.advance(7);
        watch.advance(3);
        assert_eq!(watch.current(), 7);
        watch.advance(9);
        assert_eq!(watch.current(), 9);
    }
}
