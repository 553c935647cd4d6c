//! The service's clock, which tests shift.

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use chrono::{DateTime, NaiveDate, Utc};

/// The service's clock. Production reads the system time; tests shift it to walk through
/// seven-day notices and year-long terms.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    /// Now, as an instant.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    /// Today's date in China Standard Time.
    pub fn today(&self) -> NaiveDate {
        guwen_domain::time::cst_date(self.now())
    }

    /// Moves this clock (and every clone of it) forward or back.
    pub fn advance(&self, by: chrono::Duration) {
        self.offset_seconds
            .fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}
