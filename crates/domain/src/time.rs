//! Calendar time in China Standard Time (UTC+8), the time zone of every date in the
//! regulation (a notice "of 7 days", a term "of 1–3 years", a yearly assessment).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// China Standard Time, UTC+8, no daylight saving.
pub const CST: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// China Standard Time as a value.
pub fn cst() -> FixedOffset {
    CST
}

/// The calendar date in China Standard Time of an instant.
pub fn cst_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&cst()).date_naive()
}

/// An instant rendered in China Standard Time (RFC 3339 with +08:00).
pub fn to_cst(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&cst())
}

/// The first instant of the calendar day `day` in China Standard Time.
pub fn cst_day_start(day: NaiveDate) -> DateTime<Utc> {
    let offset = chrono::TimeDelta::seconds(i64::from(CST.local_minus_utc()));
    (day.and_time(chrono::NaiveTime::MIN) - offset).and_utc()
}

/// The first instant after the calendar day `day` in China Standard Time: what happened
/// before it happened on or before `day`.
pub fn cst_day_end(day: NaiveDate) -> DateTime<Utc> {
    cst_day_start(day.succ_opt().unwrap_or(day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn utc_evening_is_next_day_in_china() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 16, 30, 0).single();
        let Some(at) = at else {
            panic!("valid instant")
        };
        assert_eq!(
            cst_date(at),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default()
        );
        assert_eq!(to_cst(at).to_rfc3339(), "2026-03-02T00:30:00+08:00");
    }

    #[test]
    fn a_day_in_china_ends_at_16_utc() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        assert_eq!(cst_day_start(day).to_rfc3339(), "2026-02-28T16:00:00+00:00");
        assert_eq!(cst_day_end(day).to_rfc3339(), "2026-03-01T16:00:00+00:00");
        assert_eq!(cst_date(cst_day_end(day)), day.succ_opt().unwrap_or(day));
    }
}
